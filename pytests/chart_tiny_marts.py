"""A tiny warehouse built by hand for the chart tests: the real mart and column names, a few rows
each, values chosen so that a wrong column, order, filter or orientation shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from chart_tiny_credit_loss import CREDIT_LOSS_MARTS
from chart_tiny_pricing import PRICING_MARTS

# mart -> (column definitions, rows): the columns the charts read, as the marts name and type them
TINY_MARTS: dict[str, tuple[str, list[tuple[Any, ...]]]] = {
    "rpt_score_distribution": (
        "bucket_kind varchar, bucket_order integer, bucket varchar, loans bigint, "
        "share_of_loans double",
        [
            ("tier", 2, "B", 1, 0.1),
            ("band", 2, "50-100", 6, 0.6),
            ("unscored", 1, "nothing due yet", 2, 0.2),
            ("tier", 1, "A", 5, 0.5),
            ("band", 1, "0-50", 2, 0.2),
            ("tier", 4, "D", 2, 0.2),
            ("tier", 3, "C", 0, 0.0),
        ],
    ),
    "rpt_repayment_segments": (
        "segment varchar, segment_order integer, loans bigint, share_of_loans double",
        [
            ("Overpaid", 3, 1, 0.1),
            ("Underpaid", 1, 3, 0.3),
            ("Not Yet Due", 4, 1, 0.1),
            ("On Track", 2, 5, 0.5),
        ],
    ),
    "rpt_risk_trend_monthly": (
        "reporting_month date, loans_in_arrears bigint, loans_in_arrears_at_zero_dpd bigint, "
        "dpd_1_30_outstanding_amount decimal(38, 2), dpd_31_60_outstanding_amount "
        "decimal(38, 2), dpd_61_90_outstanding_amount decimal(38, 2), "
        "dpd_90_plus_outstanding_amount decimal(38, 2), par_30 double, par_90 double",
        [
            ("2024-03-01", 4, 0, 0, 60, 70, 80, 0.35, 0.2),
            ("2024-01-01", 1, 1, 100, 0, 0, 0, 0.0, 0.0),
            ("2024-02-01", 3, 2, 200, 50, 0, 0, 0.1, 0.0),
        ],
    ),
    "rpt_planned_vs_actual_distribution": (
        "bin_number integer, bin_label varchar, plan_side varchar, lower_amount decimal(28, 6), "
        "upper_amount decimal(28, 6), loans bigint, share_of_loans double",
        [
            (3, ">= 100", "ahead of plan", 100, None, 1, 0.1),
            (1, "< -100", "behind plan", None, -100, 4, 0.4),
            (2, "-100 to 100", "around plan", -100, 100, 5, 0.5),
        ],
    ),
    "rpt_repayment_correlations": (
        "feature_x varchar, feature_y varchar, r double, n bigint",
        [
            ("score", "score", None, 10),
            ("issued_sum", "score", -0.5, 10),
            ("score", "issued_sum", -0.5, 10),
            ("issued_sum", "issued_sum", 1.0, 10),
            ("term_days", "term_days", 1.0, 10),
            ("term_days", "issued_sum", -0.004, 10),  # rounds to 0.00, printed unsigned
            ("issued_sum", "term_days", -0.004, 10),
            ("term_days", "score", 0.3, 10),
            ("score", "term_days", 0.3, 10),
        ],
    ),
    # four cohorts: 2023-11 (1 loan: too small to be called worst), 2023-12 (to 3 months on
    # book), 2024-01 (to 2), 2024-02 (to 1). Compared at 2 months on book (the median of the
    # three fair-sized cohorts' last ages 3, 2, 1): worst 2024-01 (50 %), median 2023-12 (20 %)
    "rpt_vintage_curves": (
        "disbursal_month date, months_on_book bigint, cohort_loans bigint, "
        "paid_to_issued_ratio double, share_ever_30_plus_dpd double",
        [
            ("2024-02-01", 1, 10, 0.6, 0.0),
            ("2024-01-01", 0, 10, 0.1, 0.0),
            ("2024-01-01", 2, 10, 0.9, 0.5),
            ("2024-02-01", 0, 10, 0.2, 0.0),
            ("2024-01-01", 1, 10, 0.5, 0.25),
            ("2023-12-01", 0, 10, 0.1, 0.0),
            ("2023-12-01", 1, 10, 0.4, 0.1),
            ("2023-12-01", 2, 10, 0.7, 0.2),
            ("2023-12-01", 3, 10, 0.95, 0.3),
            ("2023-11-01", 0, 1, 0.0, 0.0),
            ("2023-11-01", 1, 1, 0.0, 1.0),
            ("2023-11-01", 2, 1, 0.0, 1.0),
        ],
    ),
    "rpt_roll_rates": (
        "reporting_month date, from_state varchar, to_state varchar, from_state_order integer, "
        "to_state_order integer, loans bigint, from_state_loans bigint, "
        "share_of_from_state double, is_month_to_date boolean",
        [
            ("2024-02-01", "current", "current", 1, 1, 3, 4, 0.75, False),
            ("2024-02-01", "current", "1-30", 1, 2, 1, 4, 0.25, False),
            ("2024-02-01", "1-30", "closed", 2, 6, 1, 1, 1.0, False),
            ("2024-02-01", "closed", "closed", 6, 6, 2, 2, 1.0, False),
            # the month to date is left out: the matrix shows the latest complete month
            ("2024-03-01", "current", "31-60", 1, 3, 4, 4, 1.0, True),
        ],
    ),
    "rpt_branch_kpis": (
        "branch_name varchar, region varchar, disbursed_amount decimal(38, 2), "
        "repaid_amount decimal(38, 2), outstanding_amount decimal(38, 2), default_rate double, "
        "collection_rate double, behind_schedule_share double, disbursed_amount_rank bigint",
        [
            ("B1", "North", 1000, 600, 400, 0.1, 0.6, 0.5, 2),
            ("B2", "South", 2000, 500, 1500, 0.2, 0.25, None, 1),  # no active loan: no share
        ],
    ),
    # January: 2 loans (1,500), repaid 1,100, one default of 500; February: no loan (zeros,
    # null rates); March: one active loan of 2,000 behind schedule
    "rpt_loan_book_monthly": (
        "start_month date, disbursed_amount decimal(38, 2), repaid_amount decimal(38, 2), "
        "defaulted_amount decimal(38, 2), default_rate double, behind_schedule_share double",
        [
            ("2024-03-01", 2000, 50, 0, 0.0, 1.0),
            ("2024-01-01", 1500, 1100, 500, 0.5, None),
            ("2024-02-01", 0, 0, 0, None, None),
        ],
    ),
    # high 2 of 4 loans defaulted, medium 1 of 3, low 0 of 5: AUC by hand = 22 / 27 (the
    # rpt_risk_tiers unit test), Gini = 17 / 27
    "rpt_risk_tiers": (
        "risk_tier varchar, risk_tier_order integer, loans_count bigint, "
        "defaulted_loans_count bigint, default_rate double, tier_auc double, tier_gini double",
        [
            ("low", 3, 5, 0, 0.0, 22 / 27, 17 / 27),
            ("high", 1, 4, 2, 0.5, 22 / 27, 17 / 27),
            ("medium", 2, 3, 1, 1 / 3, 22 / 27, 17 / 27),
        ],
    ),
    "rpt_region_kpis": (
        "region varchar, loans_count bigint, default_rate double, resolved_default_rate double, "
        "amount_default_rate double, default_rate_rank bigint",
        [("North", 40, 0.05, 0.1, 0.04, 2), ("South", 60, 0.25, 0.5, 0.3, 1)],
    ),
    "rpt_demographic_segments": (
        "segment_dimension varchar, segment_value varchar, dimensions_count integer, "
        "is_small_sample boolean, loans_count bigint, default_rate double",
        [
            ("portfolio", "All loans", 0, False, 100, 0.1),
            ("age_band", "25-34", 1, False, 90, 0.05),
            ("age_band", "18-24", 1, False, 10, 0.2),
            ("income_band", "<25k", 1, True, 5, 0.3),
            ("income_band", "100k+", 1, False, 95, 0.05),
            ("employment_status", "Unemployed", 1, False, 20, 0.2),
            ("employment_status", "Employed", 1, False, 80, 0.08),
            ("age_band+income_band", "18-24 / <25k", 2, True, 5, 0.9),
        ],
    ),
    "dim_customers": (
        "customer_id bigint, age_band varchar, age_band_order integer, income_band varchar, "
        "income_band_order integer",
        [(1, "18-24", 1, "<25k", 1), (2, "25-34", 2, "100k+", 5), (3, "25-34", 2, "100k+", 5)],
    ),
    "rpt_portfolio_overview": (
        "loan_status varchar, is_portfolio_total boolean, loans_count_share double, "
        "disbursed_amount_share double",
        [
            ("All loans", True, 1.0, 1.0),
            ("Defaulted", False, 0.1, 0.2),
            ("Paid", False, 0.5, 0.4),
            ("Approved", False, 0.1, 0.1),
            ("In Progress", False, 0.3, 0.3),
        ],
    ),
    "rpt_data_quality_summary": (
        "source_feed varchar, family varchar, category varchar, issue_code varchar, "
        "rows_count bigint, share_of_loaded double, loaded_rows bigint, is_reconciled boolean",
        [
            ("fact_loans", "family_b", "loaded", "all rows", 10, 1.0, 10, False),
            ("fact_loans", "family_b", "staged", "all rows", 10, 1.0, 10, False),
            ("fact_loans", "family_b", "flagged", "paid_with_outstanding", 1, 0.1, 10, False),
            ("orders", "family_a", "flagged", "plan_step_down", 4, 0.04, 100, True),
            ("orders", "family_a", "quarantined", "non_positive_amount", 2, 0.02, 100, True),
            ("orders", "family_a", "loaded", "all rows", 100, 1.0, 100, True),
            ("orders", "family_a", "quarantined", "duplicate_key", 3, 0.03, 100, True),
            ("orders", "family_a", "staged", "all rows", 95, 0.95, 100, True),
            # a feed with no row: its shares are undefined, nothing is drawn for it
            ("payments", "family_a", "loaded", "all rows", 0, None, 0, True),
            ("payments", "family_a", "staged", "all rows", 0, None, 0, True),
        ],
    ),
}


# The vocabulary, as rpt_reference_categories publishes it, with bounds unlike the defaults.
VOCABULARY_ROWS: list[tuple[Any, ...]] = [
    (
        "portfolio",
        "family_b",
        "Loan book (branches, customers, loans)",
        2,
        None,
        None,
        None,
        "A snapshot of loans (feeds dim_branch, dim_customer, fact_loans).",
    ),
    (
        "portfolio",
        "family_a",
        "Instalment loans (schedule and payments)",
        1,
        None,
        None,
        None,
        "Loans with a schedule and payments (feeds orders, plan, payments).",
    ),
    ("dpd_bucket", "90+", "90+ DPD", 5, 91, None, "91+ days", "."),
    ("dpd_bucket", "current", "current (not past due)", 1, 0, 0, "0 days", "."),
    ("dpd_bucket", "1-30", "1-30 DPD", 2, 1, 30, "1–30 days", "."),
    ("dpd_bucket", "61-90", "61-90 DPD", 4, 61, 90, "61–90 days", "."),
    ("dpd_bucket", "31-60", "31-60 DPD", 3, 31, 60, "31–60 days", "."),
    ("roll_state", "closed", "closed", 6, None, None, "closed", "."),
    ("roll_state", "current", "current", 1, 0, 0, "0 days", "."),
    ("roll_state", "1-30", "1-30 DPD", 2, 1, 30, "1–30 days", "."),
    ("roll_state", "31-60", "31-60 DPD", 3, 31, 60, "31–60 days", "."),
    ("roll_state", "61-90", "61-90 DPD", 4, 61, 90, "61–90 days", "."),
    ("roll_state", "90+", "90+ DPD", 5, 91, None, "91+ days", "."),
    ("repayment_segment", "Not Yet Due", "Not Yet Due", 4, None, None, "nothing planned", "."),
    ("repayment_segment", "Underpaid", "Underpaid", 1, None, 0.9, "paid ratio < 0.9", "."),
    ("repayment_segment", "Overpaid", "Overpaid", 3, 1.1, None, "paid ratio > 1.1", "."),
    ("repayment_segment", "On Track", "On Track", 2, 0.9, 1.1, "paid ratio in [0.9, 1.1]", "."),
    ("score_tier", "D", "Tier D", 4, 0, 35, "[0, 35)", "."),
    ("score_tier", "A", "Tier A", 1, 75, 100, "[75, 100]", "."),
    ("score_tier", "C", "Tier C", 3, 35, 55, "[35, 55)", "."),
    ("score_tier", "B", "Tier B", 2, 55, 75, "[55, 75)", "."),
    # an order unlike the contract's, and Defaulted left out: the charts follow the vocabulary
    # and put a status it does not list last
    ("loan_status", "In Progress", "In Progress", 2, None, None, None, "."),
    ("loan_status", "Approved", "Approved", 1, None, None, None, "."),
    ("loan_status", "Paid", "Paid", 3, None, None, None, "."),
    ("repayment_feature", "issued_sum", "issued sum", 2, None, None, None, "."),
    ("repayment_feature", "score", "score", 3, None, None, None, "."),
    ("repayment_feature", "term_days", "term days", 1, None, None, None, "."),
]
TINY_MARTS["rpt_reference_categories"] = (
    "category_set varchar, code varchar, category_label varchar, sort_order bigint, "
    "lower_bound double, upper_bound double, bounds_label varchar, description varchar",
    VOCABULARY_ROWS,
)
TINY_MARTS["rpt_reporting_dates"] = (
    "portfolio varchar, as_of_date date",
    [("family_a", "2024-03-15"), ("family_b", "2024-02-29")],
)
TINY_MARTS.update(CREDIT_LOSS_MARTS)
TINY_MARTS.update(PRICING_MARTS)


def make_warehouse(path: Path, marts: dict[str, tuple[str, list[tuple[Any, ...]]]]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for mart, (columns, rows) in marts.items():
            con.execute(f"create table marts.{mart} ({columns})")
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                con.executemany(f"insert into marts.{mart} values ({marks})", rows)
    return path
