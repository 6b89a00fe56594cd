"""Family B marts as of an earlier as_of_date: a loan starting after it is not in the book.

Expectations come from the raw sample files read with Python's csv module.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import pytest
from conftest import SAMPLE_DIR, DbtBuild, run_dbt
from portfolio_reference import (
    BEHIND_SCHEDULE_TOLERANCE,
    FAMILY_B_MARTS,
    amortised_principal,
    full_months,
    mart_counts,
    read_csv,
)

# --- as_of_date: a loan starting after it is not in the book --------------------------------

BOOK_SELECTION = "+path:models/marts/portfolio +path:models/marts/customers +fct_loans"
MID_BOOK = date(2023, 12, 31)


@pytest.fixture(scope="module")
def before_the_book_build(tmp_path_factory: pytest.TempPathFactory) -> DbtBuild:
    build = run_dbt(
        ["build", "--select", BOOK_SELECTION, "--indirect-selection", "cautious"],
        tmp_path_factory.mktemp("before_the_book"),
        {"as_of_date": "2015-01-01"},
    )
    assert build.success, build.log[-5000:]
    return build


@pytest.fixture(scope="module")
def mid_book_build(tmp_path_factory: pytest.TempPathFactory) -> DbtBuild:
    build = run_dbt(
        ["build", "--select", BOOK_SELECTION, "--indirect-selection", "cautious"],
        tmp_path_factory.mktemp("mid_book"),
        {"as_of_date": MID_BOOK.isoformat()},
    )
    assert build.success, build.log[-5000:]
    return build


def sample_loans_started_by(day: date) -> list[dict[str, str]]:
    """Staged sample loans (the CSV less the rows the generator made to be quarantined)."""
    manifest = json.loads((SAMPLE_DIR / "_manifest.json").read_text())
    quarantined = {
        entry["key"]
        for entry in manifest["injected"]
        if entry["feed"] == "fact_loans" and entry["kind"] == "quarantine"
    }
    loans = [x for x in read_csv(SAMPLE_DIR, "fact_loans") if x["LoanID"] not in quarantined]
    return [x for x in loans if date.fromisoformat(x["StartDate"]) <= day]


def test_before_the_first_loan_every_loan_book_mart_is_empty(
    before_the_book_build: DbtBuild,
) -> None:
    build = before_the_book_build
    counts = mart_counts(build)
    listed = {"dim_branches", "dim_customers", "rpt_branch_kpis", "rpt_risk_tiers"}
    assert {mart: counts[mart] for mart in set(FAMILY_B_MARTS) - listed} == dict.fromkeys(
        set(FAMILY_B_MARTS) - listed, 0
    )
    # what is listed anyway (every branch, every customer) shows no loan and no amount
    assert build.query(
        "select count(*), sum(loans_count), count(disbursed_amount) from marts.rpt_branch_kpis"
    ) == [(counts["dim_branches"], 0, 0)]
    customers = build.scalar("select count(*) from staging.stg_family_b__customers")
    assert build.query(
        "select count(*), sum(loans_count), count(disbursed_amount), "
        "count(case when risk_reasons like '%high_%' then 1 end) from marts.dim_customers"
    ) == [(customers, 0, 0, 0)]
    assert build.query(
        "select sum(loans_count), sum(defaulted_loans_count), count(tier_auc) "
        "from marts.rpt_risk_tiers"
    ) == [(0, 0, 0)]


def test_mid_book_holds_only_the_loans_started_by_then(mid_book_build: DbtBuild) -> None:
    build = mid_book_build
    loans = sample_loans_started_by(MID_BOOK)
    assert 0 < len(loans) < len(sample_loans_started_by(date(2099, 1, 1)))
    total = sum(Decimal(x["LoanAmount"]) for x in loans)
    overview = build.query(
        "select loans_count, disbursed_amount, is_as_of_before_extract "
        "from marts.rpt_portfolio_overview where is_portfolio_total"
    )
    assert overview == [(len(loans), total, True)]
    statuses = dict(
        build.query(
            "select loan_status, loans_count from marts.rpt_portfolio_overview "
            "where not is_portfolio_total"
        )
    )
    assert statuses == Counter(loan["Status"] for loan in loans)
    ids = build.query("select loan_id from marts.fct_loans where source_feed = 'fact_loans'")
    assert {loan_id for (loan_id,) in ids} == {x["LoanID"] for x in loans}
    for sql in [
        "select sum(loans_count) from marts.rpt_branch_kpis",
        "select sum(loans_count) from marts.rpt_region_kpis",
        "select sum(loans_count) from marts.dim_customers",
        "select sum(loans_count) from marts.rpt_risk_tiers",
        "select max(loans_checked_count) from marts.rpt_data_quality_flags",
    ]:
        assert build.scalar(sql) == len(loans), sql
    by_month: dict[date, list] = defaultdict(lambda: [0, Decimal(0)])
    for loan in loans:
        month = date.fromisoformat(loan["StartDate"]).replace(day=1)
        by_month[month][0] += 1
        by_month[month][1] += Decimal(loan["LoanAmount"])
    monthly = build.query(
        "select start_month, loans_count, disbursed_amount from marts.rpt_loan_book_monthly "
        "order by start_month"
    )
    assert {m: [n, a] for m, n, a in monthly if n} == dict(by_month)
    assert monthly[0][0] == min(by_month) and monthly[-1][0] == MID_BOOK.replace(day=1)
    assert (
        len(monthly)
        == (MID_BOOK.year - min(by_month).year) * 12 + MID_BOOK.month - min(by_month).month + 1
    ), "every month between the first start and the as-of date, none missing"
    behind = 0
    for loan in loans:
        term = int(loan["Term"])
        months = full_months(date.fromisoformat(loan["StartDate"]), MID_BOOK, term)
        due = amortised_principal(
            float(loan["LoanAmount"]), float(loan["InterestRate"]), term, months
        )
        expected = Decimal(f"{due:.2f}")
        active = loan["Status"] in ("In Progress", "Approved")
        behind += active and Decimal(loan["AmountPaid"]) < expected - BEHIND_SCHEDULE_TOLERANCE
    assert (
        build.scalar("select sum(behind_schedule_loans_count) from marts.rpt_branch_kpis") == behind
    )
