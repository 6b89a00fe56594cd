"""What every page shares: the snapshot in use, the sidebar filters, labels and formats.

Pages show mart columns under a human label with a format chosen by the kind of
value (count, amount, share...); the values themselves are the mart's, never
recomputed here.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import altair as alt
import pandas as pd
import streamlit as st
from published import Snapshot, SnapshotUnavailable, read

SNAPSHOT_KEY = "snapshot_in_use"
REGION_KEY = "filter_region"
BRANCH_KEY = "filter_branch"
SEGMENTS_KEY = "filter_segments"
ALL_REGIONS = "All regions"
ALL_BRANCHES = "All branches"
REPAYMENT_SEGMENTS = ("Underpaid", "On Track", "Overpaid", "Not Yet Due")

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
    "family": ("Family", "text"),
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
    "share_ever_30_plus_dpd": ("Share ever over 30 DPD", "share"),
    "share_of_active_principal": ("Share of active principal", "share"),
    "par_30": ("PAR30", "share"),
    "par_90": ("PAR90", "share"),
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
}
# Text columns whose longest values the grid's auto-width (from the first rows) would cut.
TEXT_WIDTHS = {"region": 120, "rule_description": 560}
# Definitions shown on hover, where a short label needs one (from the marts' docs).
HELP = {
    "default_rate": "Defaulted loans ÷ all loans of the group.",
    "resolved_default_rate": "Defaulted ÷ (Paid + Defaulted): among loans that have ended.",
    "amount_default_rate": "LoanAmount of defaulted loans ÷ all LoanAmount.",
    "collection_rate": "Repaid ÷ disbursed.",
    "avg_interest_rate_pct": "Plain average of the loans' yearly interest rate.",
    "weighted_interest_rate_pct": "Yearly interest rate weighted by LoanAmount.",
    "days_past_due": "Days past due as of the reporting date.",
    "max_days_past_due": "Worst days late of any instalment so far.",
    "par_30": "Outstanding of active loans over 30 days past due ÷ all active outstanding.",
    "par_90": "Outstanding of active loans over 90 days past due ÷ all active outstanding.",
    "risk_weighted_outstanding_amount": "Ranking key: outstanding × the customer's risk points.",
    "schedule_gap_amount": "Expected paid by now (annuity schedule) − paid to date.",
    "is_small_sample": "Fewer loans than var min_segment_size: read with care.",
    "paid_ratio": "Paid to date ÷ planned to date.",
    "repayment_score": "0–100: paid ratio 50 %, current DPD 30 %, worst DPD 20 %.",
}


def label(column: str) -> str:
    return COLUMNS.get(column, (column.replace("_", " ").capitalize(), "text"))[0]


def kind(column: str) -> str:
    return COLUMNS.get(column, ("", "text"))[1]


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


def metric_row(
    row: pd.Series | dict[str, Any],
    columns: list[str],
    per_row: int = 4,
    labels: dict[str, str] | None = None,
) -> None:
    """One st.metric per mart column of a row, labelled and formatted by COLUMNS."""
    labels = labels or {}
    for start in range(0, len(columns), per_row):
        for slot, column in zip(
            st.columns(per_row), columns[start : start + per_row], strict=False
        ):
            slot.metric(
                labels.get(column, label(column)),
                fmt(row[column], kind(column)),
                help=HELP.get(column),
            )


# --- tables --------------------------------------------------------------------------


def share_column(name: str, tip: str | None = None) -> Any:
    """A fraction column; table() writes it as a percent (see there)."""
    return st.column_config.NumberColumn(name, help=tip)


def column_config(column: str) -> Any:
    name, value_kind, tip = label(column), kind(column), HELP.get(column)
    if value_kind == "share":
        return share_column(name, tip)
    if value_kind in TABLE_FORMATS:
        return st.column_config.NumberColumn(name, help=tip, format=TABLE_FORMATS[value_kind])
    if value_kind == "date":
        return st.column_config.DateColumn(name, help=tip, format="YYYY-MM-DD")
    if value_kind == "bool":
        return st.column_config.CheckboxColumn(name, help=tip)
    return st.column_config.TextColumn(name, help=tip, width=TEXT_WIDTHS.get(column))


def table(
    frame: pd.DataFrame,
    key: str,
    height: int | Literal["auto"] = "auto",
    config: dict[str, Any] | None = None,
    shares: list[str] | None = None,
) -> None:
    """A mart table with labelled, formatted columns; the values stay the mart's.

    Fractions (kind share, plus the columns named in shares) are written by fmt(),
    like the metrics: 61.96 %. Streamlit's own percent format either drops zeros
    (9 %) or, given a step, truncates (8.2474 % as 8.24 %). The table sits in a
    container keyed `table-<key>`, which tests find (AppTest's get_by_key, the CSS
    class st-key-table-<key> in a browser).
    """
    configs = {column: column_config(column) for column in frame.columns} | (config or {})
    percent = [c for c in frame.columns if kind(c) == "share" or c in (shares or [])]
    styled = frame.style.format(lambda value: fmt(value, "share"), subset=percent, na_rep="–")
    with st.container(key=f"table-{key}"):
        st.dataframe(
            styled if percent else frame,
            hide_index=True,
            height=height,
            column_config=configs,
            placeholder="–",
        )


# --- charts --------------------------------------------------------------------------


def axis(column: str, title: str | None = None) -> alt.Axis:
    return alt.Axis(title=title or label(column), format=AXIS_FORMATS.get(kind(column)))


def tooltip(frame: pd.DataFrame, columns: list[str]) -> list[alt.Tooltip]:
    return [
        alt.Tooltip(column, title=label(column), format=TOOLTIP_FORMATS.get(kind(column), ""))
        for column in columns
        if column in frame.columns
    ]


def bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    order: list[str],
    title: str | None = None,
    vertical: bool = False,
    colour: alt.Color | None = None,
    details: tuple[str, ...] = ("share_of_loans",),
) -> alt.Chart:
    """Bars of a mart value per category in the given order, labelled and formatted.

    Horizontal by default, one row per category so no label is dropped or cut.
    """
    category_axis = (
        alt.Axis(labelAngle=-45, labelOverlap=False)
        if vertical
        else alt.Axis(labelOverlap=False, labelLimit=220)
    )
    bar = alt.X if vertical else alt.Y
    length = alt.Y if vertical else alt.X
    encoding: dict[str, Any] = {
        "x" if vertical else "y": bar(f"{category}:N", title=title, sort=order, axis=category_axis),
        "y" if vertical else "x": length(f"{value}:Q", axis=axis(value)),
        "tooltip": tooltip(frame, [category, value, *details]),
    }
    if colour is not None:
        encoding["color"] = colour
    size = {"height": 280} if vertical else {"height": alt.Step(28)}  # a row per category
    return alt.Chart(frame).mark_bar().encode(**encoding).properties(**size)


def heatmap(
    cells: alt.Chart, colour: alt.Color, text: str, dark_when: str, tooltip: list[Any]
) -> alt.LayerChart:
    """Coloured cells with their value written in, white on the dark ones (a Vega test)."""
    rects = cells.mark_rect().encode(color=colour, tooltip=tooltip)
    labels = cells.mark_text(fontSize=12).encode(
        text=f"{text}:N",
        color=alt.condition(dark_when, alt.value("white"), alt.value("#262730")),
    )
    return rects + labels


def chart(spec: alt.Chart | alt.LayerChart, key: str) -> None:
    st.altair_chart(spec, key=key, width="stretch")


# --- the snapshot in use and the filters ------------------------------------------------


def snapshot() -> Snapshot:
    """The snapshot app.py chose for this run."""
    return st.session_state[SNAPSHOT_KEY]


def mart(sql: str, *params: Any) -> pd.DataFrame:
    """Rows of a query on the snapshot in use; a removed snapshot stops the page politely."""
    try:
        return read(snapshot(), sql, *params)
    except SnapshotUnavailable as error:
        st.warning(str(error).capitalize() + ".")
        st.stop()
        raise  # st.stop() raises; this line only tells type checkers


def as_of_caption(*portfolios: str) -> None:
    dates = snapshot().as_of_dates
    parts = [
        f"{'Family A (schedule-based)' if p == 'family_a' else 'Family B (star schema)'} "
        f"as of **{dates.get(p, 'unknown')}**"
        for p in portfolios
    ]
    st.caption(" · ".join(parts) + f" · snapshot `{snapshot().snapshot_id}`")


def region_and_branch() -> tuple[str | None, int | None]:
    """The sidebar's region and branch (None = all)."""
    region = st.session_state.get(REGION_KEY, ALL_REGIONS)
    branch = st.session_state.get(BRANCH_KEY, ALL_BRANCHES)
    return (
        None if region == ALL_REGIONS else region,
        None if branch == ALL_BRANCHES else int(branch),
    )


def selected_segments() -> list[str]:
    """The sidebar's repayment segments (all four when none is picked)."""
    chosen = st.session_state.get(SEGMENTS_KEY) or []
    return list(chosen) or list(REPAYMENT_SEGMENTS)
