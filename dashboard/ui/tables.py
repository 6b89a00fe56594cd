"""Metrics and tables of mart rows, labelled and formatted by labels.py.

Table headers are never cut off: a column is at least as wide as its label
(numbers are narrower than their headers, and the grid sizes a column by its values).
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
import streamlit as st

from dashboard.ui.labels import TABLE_FORMATS, TEXT_WIDTHS, fmt, kind, label
from dashboard.ui.vocabulary import help_for

CHAR_PIXELS = 7  # a header character in the grid's font (about 6.5 px), rounded up
HEADER_PADDING = 28  # cell padding and the help icon


def header_width(name: str, minimum: int | None = None) -> int:
    """Pixels that show a column header whole."""
    return max(len(name) * CHAR_PIXELS + HEADER_PADDING, minimum or 0)


def metric_row(
    row: pd.Series | dict[str, Any],
    columns: list[str],
    per_row: int = 4,
    labels: dict[str, str] | None = None,
) -> None:
    """One st.metric per mart column of a row, labelled and formatted by its column meta."""
    labels = labels or {}
    for start in range(0, len(columns), per_row):
        for slot, column in zip(
            st.columns(per_row), columns[start : start + per_row], strict=False
        ):
            slot.metric(
                labels.get(column, label(column)),
                fmt(row[column], kind(column)),
                help=help_for(column),
            )


# --- tables --------------------------------------------------------------------------


def share_column(name: str, tip: str | None = None) -> Any:
    """A fraction column; table() writes it as a percent (see there)."""
    return st.column_config.NumberColumn(name, help=tip, width=header_width(name))


def column_config(column: str) -> Any:
    name, value_kind, tip = label(column), kind(column), help_for(column)
    if value_kind == "share":
        return share_column(name, tip)
    width = header_width(name, TEXT_WIDTHS.get(column))
    if value_kind in TABLE_FORMATS:
        return st.column_config.NumberColumn(
            name, help=tip, format=TABLE_FORMATS[value_kind], width=width
        )
    if value_kind == "date":
        return st.column_config.DateColumn(name, help=tip, format="YYYY-MM-DD", width=width)
    if value_kind == "bool":
        return st.column_config.CheckboxColumn(name, help=tip, width=width)
    # Text columns size themselves by their values; a long header sets a floor.
    text_width = TEXT_WIDTHS.get(column) or (width if len(name) > 10 else None)
    return st.column_config.TextColumn(name, help=tip, width=text_width)


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
