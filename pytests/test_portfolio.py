"""Family B marts (portfolio & customers) against expectations computed without them.

The risk tiers are in test_portfolio_risk_tiers.py, an earlier as_of_date in
test_portfolio_as_of.py; the shared restated rules in portfolio_reference.py.

Every expected number here comes from outside the warehouse: the figures published with the
data set (docs/metrics.md), or a second, simpler method over the raw CSV files (Python's
csv module with Decimal, or a plain DuckDB query over the files), or the generator's manifest.
Nothing is copied from a model's output.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal

import duckdb
import pytest
from conftest import (
    SAMPLE_DIR,
    DbtBuild,
    SinglePortfolioBuilds,
    require_published_data,
)
from portfolio_reference import (
    BEHIND_SCHEDULE_TOLERANCE,
    FAMILY_B_MARTS,
    RULE_CODES,
    amortised_principal,
    full_months,
    mart_counts,
    read_csv,
    reconciliation_flags,
)

# --- the published data set: the figures published with it, to the cent -----------------


def test_published_totals_match_to_the_cent(published_build: DbtBuild) -> None:
    disbursed, repaid_share, outstanding_share, loans = published_build.query(
        "select disbursed_amount, repaid_share, outstanding_share, loans_count "
        "from marts.rpt_portfolio_overview where is_portfolio_total"
    )[0]
    assert str(disbursed) == "27830593.01"
    assert f"{100 * repaid_share:.2f}" == "45.17"
    assert f"{100 * outstanding_share:.2f}" == "43.24"
    assert loans == 1000


def test_published_status_counts(published_build: DbtBuild) -> None:
    rows = published_build.query(
        "select loan_status, loans_count from marts.rpt_portfolio_overview "
        "where not is_portfolio_total"
    )
    assert dict(rows) == {"Paid": 398, "Approved": 304, "In Progress": 199, "Defaulted": 99}


def test_published_reporting_date_is_the_latest_start_date(published_build: DbtBuild) -> None:
    latest = max(
        date.fromisoformat(loan["StartDate"])
        for loan in read_csv(require_published_data(), "fact_loans")
    )
    assert latest == date(2025, 5, 6)
    as_of_dates = published_build.query(
        "select distinct as_of_date from marts.fct_loans where source_feed = 'fact_loans'"
    )
    assert as_of_dates == [(latest,)]


def test_published_region_ranking_by_amount(published_build: DbtBuild) -> None:
    folder = require_published_data()
    with duckdb.connect() as con:
        expected = con.execute(
            f"""
            select branches.Region, sum(cast(loans.LoanAmount as decimal(18, 2))) as amount
            from read_csv('{folder / "fact_loans.csv"}', all_varchar = true) as loans
            inner join read_csv('{folder / "dim_branch.csv"}', all_varchar = true) as branches
                on loans.BranchID = branches.BranchID
            group by branches.Region
            order by amount desc
            """
        ).fetchall()
    actual = published_build.query(
        "select region, disbursed_amount from marts.rpt_region_kpis order by disbursed_amount_rank"
    )
    assert actual == expected
    assert len(actual) == 10


def test_published_branch_default_rates(published_build: DbtBuild) -> None:
    loans = read_csv(require_published_data(), "fact_loans")
    by_branch: dict[int, list[dict[str, str]]] = defaultdict(list)
    for loan in loans:
        by_branch[int(loan["BranchID"])].append(loan)
    actual = {
        branch: (rate, resolved, amount_rate)
        for branch, rate, resolved, amount_rate in published_build.query(
            "select branch_id, default_rate, resolved_default_rate, amount_default_rate "
            "from marts.rpt_branch_kpis"
        )
    }
    assert set(actual) == set(by_branch)
    for branch, branch_loans in by_branch.items():
        defaulted = [loan for loan in branch_loans if loan["Status"] == "Defaulted"]
        resolved = [loan for loan in branch_loans if loan["Status"] in ("Paid", "Defaulted")]
        amount = sum(Decimal(loan["LoanAmount"]) for loan in branch_loans)
        defaulted_amount = sum(Decimal(loan["LoanAmount"]) for loan in defaulted)
        assert actual[branch] == pytest.approx(
            (
                len(defaulted) / len(branch_loans),
                len(defaulted) / len(resolved),
                float(defaulted_amount / amount),
            )
        ), branch


def test_published_data_quality_flags_equal_a_plain_count_of_the_raw_file(
    published_build: DbtBuild,
) -> None:
    loans = read_csv(require_published_data(), "fact_loans")
    expected: dict[str, tuple[int, Decimal]] = {}
    for rule in RULE_CODES:
        flagged = [loan for loan in loans if rule in reconciliation_flags(loan)]
        expected[rule] = (
            len(flagged),
            sum((Decimal(x["LoanAmount"]) for x in flagged), Decimal(0)),
        )
    actual = {
        rule: (count, amount)
        for rule, count, amount in published_build.query(
            "select rule_code, loans_flagged_count, principal_affected_amount "
            "from marts.rpt_data_quality_flags"
        )
    }
    assert actual == expected
    # the published data's known quirks are really there, and really flagged
    assert expected["paid_below_amount"][0] > 0
    assert expected["negative_outstanding"][0] > 0


def test_published_expected_paid_by_a_month_by_month_schedule(published_build: DbtBuild) -> None:
    loans = read_csv(require_published_data(), "fact_loans")
    as_of = max(date.fromisoformat(loan["StartDate"]) for loan in loans)
    expected: dict[str, Decimal] = {}
    behind: set[str] = set()
    for loan in loans:
        term = int(loan["Term"])
        months = full_months(date.fromisoformat(loan["StartDate"]), as_of, term)
        repaid = amortised_principal(
            float(loan["LoanAmount"]), float(loan["InterestRate"]), term, months
        )
        expected[loan["LoanID"]] = Decimal(f"{repaid:.2f}")
        if (
            loan["Status"] in ("In Progress", "Approved")
            and Decimal(loan["AmountPaid"]) < expected[loan["LoanID"]] - BEHIND_SCHEDULE_TOLERANCE
        ):
            behind.add(loan["LoanID"])
    rows = published_build.query(
        "select loan_id, expected_paid_amount, is_behind_schedule from marts.fct_loans "
        "where source_feed = 'fact_loans'"
    )
    assert len(rows) == len(expected)
    for loan_id, expected_paid, _ in rows:
        assert abs(expected_paid - expected[loan_id]) <= Decimal("0.01"), loan_id
    assert {loan_id for loan_id, _, is_behind in rows if is_behind} == behind
    assert behind, "the published active loans are behind schedule (20 % paid whatever the age)"


# --- the bundled sample: every quirk the generator injected is flagged -------------------


def test_sample_flags_every_injected_inconsistency(sample_build: DbtBuild) -> None:
    manifest = json.loads((SAMPLE_DIR / "_manifest.json").read_text())
    injected = [
        (entry["key"], entry["reason"])
        for entry in manifest["injected"]
        if entry["feed"] == "fact_loans" and entry["kind"] == "flag"
    ]
    assert {reason for _, reason in injected} == set(RULE_CODES)
    flags = dict(
        sample_build.query(
            "select loan_id, data_quality_flags from marts.fct_loans "
            "where source_feed = 'fact_loans'"
        )
    )
    for loan_id, reason in injected:
        assert reason in (flags[loan_id] or "").split(","), (loan_id, reason)


def test_sample_fills_every_family_b_mart(sample_build: DbtBuild) -> None:
    counts = mart_counts(sample_build)
    assert all(count > 0 for count in counts.values()), counts
    staged = sample_build.scalar("select count(*) from staging.stg_family_b__loans")
    assert counts["fct_loans"] == staged
    assert counts["rpt_data_quality_flags"] == 6
    assert counts["rpt_risk_tiers"] == 3


# --- no personal data in any mart ---------------------------------------------------------

# Columns that contain "name" without naming a person.
# Names of things, not people: a branch, a model (learned / rule score), a model feature.
NON_PERSONAL_NAME_COLUMNS = {"branch_name", "model_name", "feature_name"}


def is_person_name_column(column: str) -> bool:
    return "name" in column.lower() and column.lower() not in NON_PERSONAL_NAME_COLUMNS


def test_the_person_name_rule_itself() -> None:
    for column in ["name", "customer_name", "first_name", "LastName", "full_name", "surname"]:
        assert is_person_name_column(column), column
    for column in ["branch_name", "model_name", "feature_name", "customer_id", "region"]:
        assert not is_person_name_column(column), column


def test_no_mart_column_is_named_like_a_person(sample_build: DbtBuild) -> None:
    columns = sample_build.query(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts'"
    )
    assert {table for table, _ in columns} >= set(FAMILY_B_MARTS)
    assert [(t, c) for t, c in columns if is_person_name_column(c)] == []


def test_no_customer_name_appears_as_a_value_in_any_mart(sample_build: DbtBuild) -> None:
    names = [row["Name"] for row in read_csv(SAMPLE_DIR, "dim_customer") if row["Name"]]
    assert len(names) > 100
    text_columns = sample_build.query(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and data_type = 'VARCHAR'"
    )
    for table, column in text_columns:
        leaked = sample_build.scalar(
            f'select count(*) from marts."{table}" '
            f'where "{column}" in (select unnest(?::varchar[]))',
            [names],
        )
        assert leaked == 0, (table, column)


# --- a folder without Family B feeds --------------------------------------------------------


def test_family_a_only_folder_gives_empty_family_b_marts(
    single_portfolio: SinglePortfolioBuilds,
) -> None:
    # the session's build of a folder holding only the sample's three Family A feeds
    build = single_portfolio.build("family_a")
    feeds = single_portfolio.raw_dir("family_a")
    assert sorted(path.stem for path in feeds.iterdir()) == ["orders", "payments", "plan"]
    assert "absent (staged empty): dim_branch, dim_customer, fact_loans" in build.log
    counts = mart_counts(build)
    assert counts == dict.fromkeys(FAMILY_B_MARTS, 0)
