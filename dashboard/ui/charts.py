"""Chart helpers: axes and tooltips labelled like the tables, bars, heatmaps."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.ui.labels import AXIS_FORMATS, TOOLTIP_FORMATS, kind, label
from dashboard.ui.vocabulary import currency


def axis(column: str, title: str | None = None) -> alt.Axis:
    """An axis titled by the column's label; an amount axis names the currency."""
    name = title or label(column)
    if kind(column) == "amount" and title is None:
        name = f"{name} ({currency()})"
    return alt.Axis(title=name, format=AXIS_FORMATS.get(kind(column), alt.Undefined))


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
