"""Mart columns as people read them: a label, a kind of value and its formats.

Pages show mart columns under a human label with a format chosen by the kind of
value (count, amount, share...); the values themselves are the mart's, never
recomputed here. Label and kind are the column's `meta` in the mart YAML, read from
the snapshot manifest's `columns` (the shown mart's, else any mart's with that
column); a column without meta (an older snapshot, a new column) reads as its
humanised name, shown as text. Category names (DPD buckets, segments, tiers,
portfolios) are not typed here: they come from marts.rpt_reference_categories (see
vocabulary.py).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.published import Snapshot
from dashboard.ui.context import SNAPSHOT_KEY

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

# Labels and kinds of mart columns are not typed here: they are the column `meta`
# ({label, format}) of the mart YAML, which scripts/publish.py exports into the snapshot
# manifest's `columns` ({mart: {column: {label, format}}}). Kinds: count, amount, pct,
# share, score, number, text, bool, date.
# Columns a page derives itself (not mart columns, so no YAML meta to read):
DERIVED: dict[str, tuple[str, str]] = {
    "reasons": ("Why listed", "text"),  # interventions: reason_codes as sentences
    "staged_share": ("Staged ÷ loaded", "share"),  # quality: share_of_loaded, renamed
}
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
    "par_30": "Outstanding of active loans over 30 days past due ÷ all active outstanding.",
    "par_90": "Outstanding of active loans over 90 days past due ÷ all active outstanding.",
    "risk_weighted_outstanding_amount": "Ranking key: outstanding × the customer's risk points.",
    "schedule_gap_amount": "Expected paid by now (annuity schedule) − paid to date.",
    "paid_ratio": "Paid to date ÷ planned to date.",
    "loans_in_arrears": (
        "Active loans with something due and unpaid. A loan whose instalment falls due on "
        "the as-of date is in arrears at 0 days past due (the current bucket), so the "
        "past-due buckets can add up to fewer loans."
    ),
}


def snapshot_columns() -> dict[str, dict[str, dict[str, str]]]:
    """The manifest's `columns` of the snapshot in use ({} outside a run, or an older one)."""
    chosen = st.session_state.get(SNAPSHOT_KEY)
    if not isinstance(chosen, Snapshot):
        return {}
    columns = chosen.manifest.get("columns")
    return columns if isinstance(columns, dict) else {}


def column_meta(column: str, mart: str | None = None) -> dict[str, str]:
    """The meta of a column: the mart's own, else the first mart's (by name) that has it."""
    columns = snapshot_columns()
    own = (columns.get(mart) or {}).get(column) if mart else None
    if isinstance(own, dict):
        return own
    for name in sorted(columns):
        found = (columns[name] or {}).get(column)
        if isinstance(found, dict):
            return found
    return {}


def label(column: str, mart: str | None = None) -> str:
    """The column's label for people: meta label, else a humanised column name."""
    text = column_meta(column, mart).get("label")
    if text:
        return str(text)
    return DERIVED.get(column, (column.replace("_", " ").capitalize(), "text"))[0]


def kind(column: str, mart: str | None = None) -> str:
    """The kind of value (count, amount, share...): meta format, else "text"."""
    text = column_meta(column, mart).get("format")
    if text:
        return str(text)
    return DERIVED.get(column, ("", "text"))[1]


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
