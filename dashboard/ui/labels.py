"""Mart columns as people read them: a label, a kind of value and its formats.

Pages show mart columns under a human label with a format chosen by the kind of
value (count, amount, share...); the values themselves are the mart's, never
recomputed here. Label and kind are the column's `meta` in the mart YAML, read from
the snapshot manifest's `columns` (the shown mart's, else any mart's with that
column); a column without meta (an older snapshot, a new column) reads as its
humanised name, shown as text. Category names (DPD buckets, segments, tiers,
portfolios) are not typed here: they come from marts.rpt_reference_categories (see
vocabulary.py). Hover definitions are the column meta `help`, read the same way.
"""

from __future__ import annotations

import math
import re
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
# ({label, format, help}) of the mart YAML, which scripts/publish.py exports into the snapshot
# manifest's `columns` ({mart: {column: {label, format, help}}}). Kinds: count, amount, pct,
# share, score, number, text, bool, date.
# Columns a page derives itself (not mart columns, so no YAML meta to read):
DERIVED: dict[str, tuple[str, str]] = {
    "reasons": ("Why listed", "text"),  # interventions: reason_codes as sentences
    "staged_share": ("Staged ÷ loaded", "share"),  # quality: share_of_loaded, renamed
    # credit-loss page: names it gives the marts' codes (stage 1 -> "Stage 1", ...)
    "stage_name": ("Stage", "text"),
    "state_name": ("From state", "text"),
    "movement_name": ("Movement", "text"),
    "from_stage_name": ("Stage at opening", "text"),
    "to_stage_name": ("Stage at as-of date", "text"),
    "band_max_days": ("Up to (days past due)", "count"),
}
# Text columns whose longest values the grid's auto-width (from the first rows) would cut.
TEXT_WIDTHS = {"region": 120, "rule_description": 560}
# Definitions shown on hover are not typed here either: they are the column meta `help`
# of the mart YAML, exported with label and format (column_help). Definitions that depend
# on a var of the build (score weights, tier bounds, PAR thresholds) are written from the
# snapshot by vocabulary.help_for().
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


# The `columns` of the snapshot a page last ran on. A widget's format_func (a label) may be
# called outside a script run (Streamlit's AppTest does, to match a value to its label);
# there st.session_state holds no snapshot, and the label must still be the page's.
_last_seen: dict[str, dict[str, dict[str, str]]] = {}


def snapshot_columns() -> dict[str, dict[str, dict[str, str]]]:
    """The manifest's `columns` of the snapshot in use ({} for an older snapshot)."""
    global _last_seen
    chosen = st.session_state.get(SNAPSHOT_KEY)
    if not isinstance(chosen, Snapshot):
        return _last_seen
    columns = chosen.manifest.get("columns")
    _last_seen = columns if isinstance(columns, dict) else {}
    return _last_seen


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


def column_help(column: str, mart: str | None = None) -> str | None:
    """The column's hover definition (meta `help`): the mart's own, else the first mart's (by
    name) that defines one; None when no mart does (or for an older snapshot)."""
    columns = snapshot_columns()
    own = ((columns.get(mart) or {}).get(column) or {}) if mart else {}
    if isinstance(own, dict) and own.get("help"):
        return str(own["help"])
    for name in sorted(columns):
        found = (columns[name] or {}).get(column)
        if isinstance(found, dict) and found.get("help"):
            return str(found["help"])
    return None


def label(column: str, mart: str | None = None) -> str:
    """The column's label for people: PAR<N> for par_<N>, meta label, else a humanised name."""
    days = par_days(column)
    if days is not None:
        return f"PAR{days}"
    if ever := EVER_LATE_COLUMN.fullmatch(column):
        return f"Share ever over {ever[1]} DPD"
    text = column_meta(column, mart).get("label")
    if text:
        return str(text)
    return DERIVED.get(column, (column.replace("_", " ").capitalize(), "text"))[0]


def kind(column: str, mart: str | None = None) -> str:
    """The kind of value (count, amount, share...): meta format, else "text"."""
    if par_days(column) is not None or EVER_LATE_COLUMN.fullmatch(column):
        return "share"
    text = column_meta(column, mart).get("format")
    if text:
        return str(text)
    return DERIVED.get(column, ("", "text"))[1]


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
