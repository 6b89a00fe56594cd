"""What the Family B (portfolio & customers) tests share: the rules restated, computed without
the warehouse over the raw CSV files (Python's csv module with Decimal), and the risk tier
rule table with its AUC recomputed pair by pair. Nothing here reads a model's logic.
"""

from __future__ import annotations

import csv
from calendar import monthrange
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DbtBuild

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
