"""The Family B risk tier: origination-time rules, judged by their AUC recomputed pair by pair
from the loans and their borrowers (on the sample and on the published data set).
"""

from __future__ import annotations

from conftest import DbtBuild, require_published_data
from portfolio_reference import (
    assert_risk_tiers,
    read_csv,
)


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
