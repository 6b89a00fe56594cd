"""Family B marts (portfolio & customers) against expectations computed without them.

Every expected number here comes from outside the warehouse: the figures published with the
data set (docs/metrics.md), or a second, simpler method over the raw CSV files (Python's
csv module with Decimal, or a plain DuckDB query over the files), or the generator's manifest.
Nothing is copied from a model's output.
"""

from __future__ import annotations

import csv
import json
from calendar import monthrange
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE_DIR, DbtBuild, generate, require_published_data, run_dbt

FAMILY_B_MARTS = [
    "fct_loans",
    "dim_branches",
    "dim_customers",
    "rpt_portfolio_overview",
    "rpt_branch_kpis",
    "rpt_region_kpis",
    "rpt_demographic_segments",
    "rpt_status_profiles",
    "rpt_risk_tiers",
    "rpt_intervention_list",
    "rpt_data_quality_flags",
    "rpt_loan_book_monthly",
]

# The reconciliation rules of docs/metrics.md (plus a negative balance), by rule code.
RULE_CODES = [
    "paid_with_outstanding",
    "paid_below_amount",
    "amounts_do_not_add_up",
    "defaulted_zero_outstanding",
    "end_date_mismatch",
    "negative_outstanding",
]

# The defaults of dbt_project.yml (vars behind_schedule_tolerance_amount,
# reconciliation_tolerance_amount and the risk tier vars), restated: these tests pin them.
BEHIND_SCHEDULE_TOLERANCE = Decimal("1.00")
RECONCILIATION_TOLERANCE = Decimal("0.01")
LOAN_TO_INCOME_THRESHOLD = 0.5
INTEREST_RATE_THRESHOLD_PCT = 12.0
TIER_POINTS = {"high_loan_to_income": 1, "high_interest_rate": 2, "unemployed": 2}
TIER_MIN_POINTS = {"high": 3, "medium": 1}


# --- independent helpers over the raw files ----------------------------------------------


def read_csv(folder: Path, feed: str) -> list[dict[str, str]]:
    with (folder / f"{feed}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def add_months(start: date, months: int) -> date:
    """start + months calendar months, the day clipped to the target month's end."""
    year, month_index = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, monthrange(year, month_index + 1)[1])
    return date(year, month_index + 1, day)


def full_months(start: date, as_of: date, term: int) -> int:
    """Instalment dates reached by as_of, counted one by one (capped at the term)."""
    months = 0
    while months < term and add_months(start, months + 1) <= as_of:
        months += 1
    return months


def amortised_principal(amount: float, rate_pct: float, term: int, months: int) -> float:
    """Principal repaid after `months` annuity payments, by running the schedule month by month."""
    if rate_pct == 0:
        return amount * months / term
    rate = rate_pct / 1200
    payment = amount * rate / (1 - (1 + rate) ** -term)
    balance = amount
    for _ in range(months):
        balance -= payment - balance * rate
    return amount - balance


def reconciliation_flags(loan: dict[str, str]) -> set[str]:
    """The rules of docs/metrics.md (plus a negative balance) restated over one raw row."""
    status = loan["Status"]
    amount = Decimal(loan["LoanAmount"])
    paid = Decimal(loan["AmountPaid"])
    outstanding = Decimal(loan["OutstandingBalance"])
    start = date.fromisoformat(loan["StartDate"])
    end = date.fromisoformat(loan["EndDate"])
    rules = {
        "paid_with_outstanding": status == "Paid" and outstanding > 0,
        "paid_below_amount": status == "Paid" and paid < amount,
        "amounts_do_not_add_up": abs(paid + outstanding - amount) > RECONCILIATION_TOLERANCE,
        "defaulted_zero_outstanding": status == "Defaulted" and outstanding == 0,
        "end_date_mismatch": end != add_months(start, int(loan["Term"])),
        "negative_outstanding": outstanding < 0,
    }
    return {rule for rule, broken in rules.items() if broken}


def mart_counts(build: DbtBuild) -> dict[str, int]:
    """Rows per Family B mart (fct_loans: its Family B rows; Family A rows join it with issue 4)."""
    family_b = {"fct_loans": "where source_feed = 'fact_loans'"}
    return {
        mart: build.scalar(f"select count(*) from marts.{mart} {family_b.get(mart, '')}")
        for mart in FAMILY_B_MARTS
    }


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
NON_PERSONAL_NAME_COLUMNS = {"branch_name"}


def is_person_name_column(column: str) -> bool:
    return "name" in column.lower() and column.lower() not in NON_PERSONAL_NAME_COLUMNS


def test_the_person_name_rule_itself() -> None:
    for column in ["name", "customer_name", "first_name", "LastName", "full_name", "surname"]:
        assert is_person_name_column(column), column
    for column in ["branch_name", "customer_id", "region"]:
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


def test_family_a_only_folder_gives_empty_family_b_marts(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    generate(feeds, "--loans", "200", "--feeds", "orders,plan,payments")
    build = run_dbt(["build", "--exclude", "tag:sample"], tmp_path / "wh", {"raw_dir": str(feeds)})
    assert build.success, build.log[-3000:]
    assert "absent (staged empty): dim_branch, dim_customer, fact_loans" in build.log
    counts = mart_counts(build)
    assert counts == dict.fromkeys(FAMILY_B_MARTS, 0)


# --- the risk tier: origination-time rules, judged by AUC recomputed pair by pair ----------


def tiers_by_rule(loans: list[tuple], customers: dict[int, tuple]) -> dict[int, str]:
    """The risk tier rule table restated: loans are (customer, amount, rate, status) rows,
    customers {id: (income, employment)}; a Defaulted status earns nothing."""
    by_customer: dict[int, list[tuple]] = defaultdict(list)
    for loan in loans:
        by_customer[loan[0]].append(loan)
    tiers = {}
    for customer, (income, employment) in customers.items():
        own = by_customer[customer]
        largest = max((float(loan[1]) for loan in own), default=None)
        highest_rate = max((float(loan[2]) for loan in own), default=None)
        points = 0
        if largest is not None and income and largest / float(income) >= LOAN_TO_INCOME_THRESHOLD:
            points += TIER_POINTS["high_loan_to_income"]
        if highest_rate is not None and highest_rate >= INTEREST_RATE_THRESHOLD_PCT:
            points += TIER_POINTS["high_interest_rate"]
        if employment == "Unemployed":
            points += TIER_POINTS["unemployed"]
        high, medium = TIER_MIN_POINTS["high"], TIER_MIN_POINTS["medium"]
        tiers[customer] = "high" if points >= high else "medium" if points >= medium else "low"
    return tiers


def pairwise_auc(defaulted: list[int], others: list[int]) -> float:
    """Every (defaulted, other) pair: 1 when the defaulted one scores higher, 1/2 on a tie."""
    wins = sum(1.0 if d > o else 0.5 if d == o else 0.0 for d in defaulted for o in others)
    return wins / (len(defaulted) * len(others))


def assert_risk_tiers(build: DbtBuild, loans: list[tuple], customers: dict[int, tuple]) -> float:
    tiers = tiers_by_rule(loans, customers)
    score = {"low": 1, "medium": 2, "high": 3}
    defaulted = [score[tiers[loan[0]]] for loan in loans if loan[3] == "Defaulted"]
    others = [score[tiers[loan[0]]] for loan in loans if loan[3] != "Defaulted"]
    auc = pairwise_auc(defaulted, others)
    rows = build.query(
        "select risk_tier, customers_count, loans_count, defaulted_loans_count, tier_auc, "
        "tier_gini from marts.rpt_risk_tiers"
    )
    assert {row[0] for row in rows} == set(tiers.values())
    for tier, customers_count, loans_count, defaults_count, tier_auc, tier_gini in rows:
        tier_loans = [loan for loan in loans if tiers[loan[0]] == tier]
        assert customers_count == sum(1 for t in tiers.values() if t == tier), tier
        assert loans_count == len(tier_loans), tier
        assert defaults_count == sum(1 for loan in tier_loans if loan[3] == "Defaulted"), tier
        assert tier_auc == pytest.approx(auc) and tier_gini == pytest.approx(2 * auc - 1)
    return auc


def test_sample_risk_tier_auc_recomputed_pair_by_pair(sample_build: DbtBuild) -> None:
    loans = sample_build.query(
        "select customer_id, principal_amount, interest_rate_pct, loan_status "
        "from staging.stg_family_b__loans"
    )
    customers = {
        customer: (income, employment)
        for customer, income, employment in sample_build.query(
            "select customer_id, annual_income_amount, employment_status "
            "from staging.stg_family_b__customers"
        )
    }
    auc = assert_risk_tiers(sample_build, loans, customers)
    assert auc > 0.6, "the sample's defaults follow employment, income and rate"
    # not circular: the lower tiers hold defaults too (0 % by construction before)
    rates = dict(sample_build.query("select risk_tier, default_rate from marts.rpt_risk_tiers"))
    assert rates["medium"] > 0 and rates["low"] > 0
    assert rates["high"] > rates["medium"]


def test_published_risk_tier_auc_recomputed_from_the_raw_files(published_build: DbtBuild) -> None:
    folder = require_published_data()
    loans = [
        (int(x["CustomerID"]), x["LoanAmount"], x["InterestRate"], x["Status"])
        for x in read_csv(folder, "fact_loans")
    ]
    customers = {
        int(x["CustomerID"]): (x["Income"], x["EmploymentStatus"])
        for x in read_csv(folder, "dim_customer")
    }
    assert_risk_tiers(published_build, loans, customers)


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
