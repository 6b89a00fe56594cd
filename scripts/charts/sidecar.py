"""What a figure draws, read back from its matplotlib artists (the <chart>.json sidecar).

Per axes: the title, axis labels, and the values of the drawn bars, lines, heatmap cells and text
labels, so tests and people can check what was drawn rather than what was meant to be.
"""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.category import StrCategoryFormatter
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator

DATE_FORMATTERS = (mdates.AutoDateFormatter, mdates.ConciseDateFormatter, mdates.DateFormatter)


def number(value: Any) -> float | None:
    value = float(value)
    return None if np.isnan(value) else round(value, 10)


def position_label(axis: Axis, position: float) -> str | float | None:
    """What a data position on axis stands for: a date, a category's tick label, or itself."""
    formatter = axis.get_major_formatter()
    if isinstance(formatter, DATE_FORMATTERS):
        return mdates.num2date(position).date().isoformat()
    # categories: labels set with the ticks (set_*ticks(positions, labels)) or string data
    if isinstance(axis.get_major_locator(), FixedLocator) or isinstance(
        formatter, FixedFormatter | StrCategoryFormatter
    ):
        ticks = np.asarray(axis.get_majorticklocs(), dtype=float)
        if len(ticks):
            nearest = int(np.argmin(np.abs(ticks - position)))
            if abs(ticks[nearest] - position) <= 0.5:
                return formatter.format_ticks(list(ticks))[nearest]
    return number(position)


def drawn_bars(ax: Axes) -> list[dict[str, Any]]:
    series = []
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        horizontal = container.orientation == "horizontal"
        axis = ax.yaxis if horizontal else ax.xaxis
        values = []
        for patch in container.patches:
            centre = (
                patch.get_y() + patch.get_height() / 2
                if horizontal
                else patch.get_x() + patch.get_width() / 2
            )
            size = patch.get_width() if horizontal else patch.get_height()
            values.append({"category": position_label(axis, centre), "value": number(size)})
        series.append({"series": container.get_label(), "bars": values})
    return series


def drawn_lines(ax: Axes) -> list[dict[str, Any]]:
    lines = []
    for line in ax.get_lines():
        if line.get_label().startswith("_"):
            continue
        style = {"colour": to_hex(line.get_color()), "width": line.get_linewidth()}
        if line.get_transform() is not ax.transData:  # e.g. axhline: x spans the axes
            y_values = np.asarray(line.get_ydata(), dtype=float)
            lines.append({"series": line.get_label(), "y": number(y_values[0]), **style})
            continue
        points = [
            [position_label(ax.xaxis, x), number(y)]
            for x, y in zip(
                mdates.date2num(line.get_xdata())
                if isinstance(ax.xaxis.get_major_formatter(), DATE_FORMATTERS)
                else np.asarray(line.get_xdata(), dtype=float),
                np.asarray(line.get_ydata(), dtype=float),
                strict=True,
            )
        ]
        lines.append({"series": line.get_label(), "points": points, **style})
    return lines


def drawn_images(ax: Axes) -> list[dict[str, Any]]:
    images = []
    for image in ax.get_images():
        array = np.ma.filled(np.ma.masked_invalid(image.get_array()).astype(float), np.nan)
        vmin, vmax = image.get_clim()
        images.append(
            {
                "rows": [label.get_text() for label in ax.get_yticklabels()],
                "columns": [label.get_text() for label in ax.get_xticklabels()],
                "cells": [[number(value) for value in row] for row in array],
                "colormap": image.get_cmap().name,
                "range": [number(vmin), number(vmax)],
            }
        )
    return images


def legend_texts(legend: Any) -> list[str]:
    return [text.get_text() for text in legend.get_texts()] if legend else []


def plotted(fig: Figure) -> list[dict[str, Any]]:
    """Per axes (twins included), its labels and the values its artists draw."""
    fig.canvas.draw()  # tick labels are set at draw time
    return [
        {
            "title": ax.get_title(),
            "xlabel": ax.get_xlabel(),
            "ylabel": ax.get_ylabel(),
            "xlim": [number(v) for v in ax.get_xlim()],
            "ylim": [number(v) for v in ax.get_ylim()],
            "xticks": [label.get_text() for label in ax.get_xticklabels()],
            "yticks": [label.get_text() for label in ax.get_yticklabels()],
            "bars": drawn_bars(ax),
            "lines": drawn_lines(ax),
            "heatmaps": drawn_images(ax),
            "texts": [text.get_text() for text in ax.texts],
            "legend": legend_texts(ax.get_legend()),
        }
        for ax in fig.axes
        if ax.get_label() != "<colorbar>"
    ]


def figure_legends(fig: Figure) -> list[str]:
    """The texts of the figure-level legends (those placed outside every axes)."""
    return [text for legend in fig.legends for text in legend_texts(legend)]
