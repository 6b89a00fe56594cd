"""Mart columns as people read them: a label, a kind of value and its formats.

Pages show mart columns under a human label with a format chosen by the kind of
value (count, amount, share...); the values themselves are the mart's, never
recomputed here. Category names (DPD buckets, segments, tiers, portfolios) are not
typed here: they come from marts.rpt_reference_categories (see vocabulary.py).
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from dashboard.ui.labels_credit_loss import CREDIT_LOSS_COLUMNS, CREDIT_LOSS_HELP

# How each kind of value is shown in tables (Streamlit column formats) and charts (d3).
TABLE_FORMATS = {
    "count": "%,d",
    "amount": "%,.2f",
    "pct": "%.2f %%",
    "score": "%.1f",
    "number": "%,.2f",
}
AXIS_FORMATS = {"count": ",d", "amount": ",.0f", "share": ".0%", "pct": ".1f", "score": ".0f"}
TOOLTIP_FORMATS = {"count": ",d", "amount": ",.2f", "share": ".2%", "pct": ".2f", "score": ".1f"}

# Mart column -> (label, kind). One place, so a column reads the same on every page.
COLUMNS: dict[str, tuple[str, str]] = {
    # ids and dimensions
    "loan_id": ("Loan", "text"),
    "customer_id": ("Customer", "text"),
    "branch_name": ("Branch", "text"),
    "city": ("City", "text"),
    "region": ("Region", "text"),
    "loan_status": ("Status", "text"),
    "segment": ("Segment", "text"),
    "segment_value": ("Segment", "text"),
    "dpd_bucket": ("DPD bucket", "text"),
    "score_tier": ("Score tier", "text"),
    "risk_tier": ("Risk tier", "text"),
    "reasons": ("Why listed", "text"),
    "bucket": ("Bucket", "text"),
    "rule_code": ("Rule (code)", "text"),
    "rule_description": ("Rule", "text"),
    "source_feed": ("Feed", "text"),
    "family": ("Portfolio", "text"),
    "category": ("Category", "text"),
    "issue_code": ("Issue (code)", "text"),
    "bin_label": ("Paid − planned", "text"),
    "from_state": ("From (previous month-end)", "text"),
    "is_small_sample": ("Small sample", "bool"),
    "is_reconciled": ("Reconciled", "bool"),
    "is_active": ("Active", "bool"),
    # counts
    "loans_count": ("Loans", "count"),
    "loans": ("Loans", "count"),
    "active_loans_count": ("Active loans", "count"),
    "active_loans": ("Active loans", "count"),
    "borrowers_count": ("Borrowers", "count"),
    "customers_count": ("Customers", "count"),
    "branches_count": ("Branches", "count"),
    "behind_schedule_loans_count": ("Behind schedule", "count"),
    "defaulted_loans_count": ("Defaulted loans", "count"),
    "loans_in_arrears_at_zero_dpd": ("In arrears at 0 DPD", "count"),
    "loans_checked_count": ("Loans checked", "count"),
    "loans_flagged_count": ("Loans flagged", "count"),
    "rows_count": ("Rows", "count"),
    "loaded_rows": ("Rows loaded", "count"),
    "staged_rows": ("Rows staged", "count"),
    "priority_rank": ("Priority", "count"),
    "risk_points": ("Risk points", "count"),
    "days_past_due": ("DPD", "count"),
    "max_days_past_due": ("Worst DPD", "count"),
    "loans_in_arrears": ("Loans in arrears", "count"),
    "zero_payment_loans": ("Zero-payment open loans", "count"),
    "from_state_loans": ("Loans at previous month-end", "count"),
    # amounts
    "disbursed_amount": ("Disbursed", "amount"),
    "repaid_amount": ("Repaid", "amount"),
    "outstanding_amount": ("Outstanding", "amount"),
    "active_outstanding_amount": ("Active outstanding", "amount"),
    "principal_amount": ("Principal", "amount"),
    "exposure_amount": ("Exposure", "amount"),
    "planned_to_date_amount": ("Planned to date", "amount"),
    "paid_to_date_amount": ("Paid to date", "amount"),
    "expected_paid_amount": ("Expected paid", "amount"),
    "schedule_gap_amount": ("Behind by", "amount"),
    "risk_weighted_outstanding_amount": ("Outstanding × points", "amount"),
    "principal_affected_amount": ("Principal affected", "amount"),
    "delta_amount": ("Paid − planned", "amount"),
    "avg_loan_amount": ("Average loan", "amount"),
    "median_income_amount": ("Median income", "amount"),
    "arrears_amount": ("Arrears", "amount"),
    "defaulted_amount": ("Defaulted (amount lent)", "amount"),
    "cumulative_disbursed_amount": ("Disbursed to date", "amount"),
    "total_exposure_amount": ("Their exposure (principal)", "amount"),
    # shares (fractions 0-1, shown as percent)
    "default_rate": ("Default rate", "share"),
    "resolved_default_rate": ("Resolved default rate", "share"),
    "amount_default_rate": ("Amount default rate", "share"),
    "collection_rate": ("Collection rate", "share"),
    "loans_count_share": ("Share of loans", "share"),
    "disbursed_amount_share": ("Share of amount", "share"),
    "repaid_share": ("Repaid ÷ disbursed", "share"),
    "outstanding_share": ("Outstanding ÷ disbursed", "share"),
    "share_of_loans": ("Share of loans", "share"),
    "customers_share": ("Share of customers", "share"),
    "loans_flagged_share": ("Share flagged", "share"),
    "share_of_loaded": ("Share of rows loaded", "share"),
    "staged_share": ("Staged ÷ loaded", "share"),
    "paid_ratio": ("Paid ÷ planned", "share"),
    "average_paid_ratio": ("Average paid ÷ planned", "share"),
    "paid_to_issued_ratio": ("Cumulative paid ÷ issued", "share"),
    "share_of_active_principal": ("Share of active principal", "share"),
    "behind_schedule_share": ("Behind schedule (share)", "share"),
    "employed_share": ("Employed", "share"),
    "self_employed_share": ("Self-employed", "share"),
    "unemployed_share": ("Unemployed", "share"),
    "retired_share": ("Retired", "share"),
    "other_employment_share": ("Other or unknown", "share"),
    # percent values: rates already in percent
    "avg_interest_rate_pct": ("Average rate", "pct"),
    "weighted_interest_rate_pct": ("Weighted rate", "pct"),
    # scores and other averages
    "repayment_score": ("Score", "score"),
    "average_repayment_score": ("Average score", "score"),
    "average_days_past_due": ("Average DPD", "score"),
    "avg_risk_points": ("Average risk points", "score"),
    "avg_age_years": ("Average age", "score"),
    "avg_term_months": ("Average term (months)", "score"),
    # dates
    "disbursed_date": ("Disbursed on", "date"),
    "start_date": ("Start date", "date"),
    "start_month": ("Start month", "date"),
}
COLUMNS |= CREDIT_LOSS_COLUMNS  # the credit-loss marts (labels_credit_loss.py)
# Text columns whose longest values the grid's auto-width (from the first rows) would cut.
TEXT_WIDTHS = {"region": 120, "rule_description": 560}
# Definitions shown on hover, where a short label needs one (from the marts' docs).
# Definitions that depend on a var of the build (score weights, tier bounds) are not
# typed here: vocabulary.help_for() reads them from the snapshot.
HELP = {
    "default_rate": "Defaulted loans ÷ all loans of the group.",
    "resolved_default_rate": "Defaulted ÷ (Paid + Defaulted): among loans that have ended.",
    "amount_default_rate": "LoanAmount of defaulted loans ÷ all LoanAmount.",
    "collection_rate": "Repaid ÷ disbursed.",
    "avg_interest_rate_pct": "Plain average of the loans' yearly interest rate.",
    "weighted_interest_rate_pct": "Yearly interest rate weighted by LoanAmount.",
    "days_past_due": "Days past due as of the reporting date.",
    "max_days_past_due": "Worst days late of any instalment so far.",
    "risk_weighted_outstanding_amount": "Ranking key: outstanding × the customer's risk points.",
    "schedule_gap_amount": "Expected paid by now (annuity schedule) − paid to date.",
    "paid_ratio": "Paid to date ÷ planned to date.",
    "loans_in_arrears": (
        "Active loans with something due and unpaid. A loan whose instalment falls due on "
        "the as-of date is in arrears at 0 days past due (the current bucket), so the "
        "past-due buckets can add up to fewer loans: loans in arrears = those at 0 days past "
        "due + the loans of the past-due buckets."
    ),
    "loans_in_arrears_at_zero_dpd": (
        "Loans in arrears whose oldest unpaid instalment is due on the as-of date itself: "
        "0 days past due, so in the current bucket, not in a past-due one."
    ),
    "behind_schedule_loans_count": "Active loans paid less than their amortisation schedule.",
    "behind_schedule_share": (
        "Active loans behind their amortisation schedule ÷ active loans (none active: –)."
    ),
    "defaulted_amount": "LoanAmount of the loans whose status at the extract is Defaulted.",
}
HELP |= CREDIT_LOSS_HELP
# PAR<N>: one mart column par_<N> per threshold N of the build's var par_thresholds.
PAR_COLUMN = re.compile(r"par_(\d+)")
# The vintage curves' share ever over N days past due, N = the first of var par_thresholds.
EVER_LATE_COLUMN = re.compile(r"share_ever_(\d+)_plus_dpd")


def par_days(column: str) -> int | None:
    """N of a PAR column par_<N> (None for any other column)."""
    found = PAR_COLUMN.fullmatch(column)
    return int(found[1]) if found else None


def par_columns(columns: Any) -> list[str]:
    """The PAR columns present (par_30, par_90, ... as the build's thresholds), N ascending."""
    return sorted((c for c in columns if par_days(c) is not None), key=lambda c: par_days(c))


def ever_late_columns(columns: Any) -> list[str]:
    """The vintage curves' share_ever_<N>_plus_dpd columns present (one per build)."""
    return [c for c in columns if EVER_LATE_COLUMN.fullmatch(c)]


def label(column: str) -> str:
    days = par_days(column)
    if days is not None:
        return f"PAR{days}"
    if ever := EVER_LATE_COLUMN.fullmatch(column):
        return f"Share ever over {ever[1]} DPD"
    return COLUMNS.get(column, (column.replace("_", " ").capitalize(), "text"))[0]


def kind(column: str) -> str:
    if par_days(column) is not None or EVER_LATE_COLUMN.fullmatch(column):
        return "share"
    return COLUMNS.get(column, ("", "text"))[1]


def par_help(column: str) -> str | None:
    days = par_days(column)
    if days is None:
        return None
    return (
        f"Outstanding of active loans over {days} days past due ÷ all active outstanding "
        "(threshold from the build's var par_thresholds)."
    )


# --- numbers as text (metrics, captions) ------------------------------------------------


def is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fmt(value: Any, value_kind: str) -> str:
    """A mart value as a person reads it: 1,234 · 29,363,898.29 · 50.42 % · 9.20 %."""
    if is_missing(value):
        return "—"
    if value_kind == "count":
        return f"{int(value):,}"
    if value_kind == "share":
        return f"{float(value) * 100:,.2f} %"
    if value_kind == "pct":
        return f"{float(value):,.2f} %"
    if value_kind == "score":
        return f"{float(value):,.1f}"
    if value_kind in ("amount", "number"):
        return f"{float(value):,.2f}"
    return str(value)


def correlation_text(r: Any) -> str:
    """A correlation to two decimals, a tiny negative one written 0.00 (never -0.00)."""
    if is_missing(r):
        return ""
    text = f"{float(r):.2f}"
    return "0.00" if text == "-0.00" else text
