"""How every chart looks: figure size, fonts, colours, axis formats and small drawing helpers.

Presentation only: nothing here reads a mart or computes a number.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402  (the backend is chosen before pyplot loads)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.axis import Axis  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, PercentFormatter  # noqa: E402

FIGSIZE = (12, 6.75)  # inches: 1200 x 675 px at DPI, readable on a 1200 px wide page
DPI = 100
STYLE: dict[str, Any] = {
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "figure.titlesize": 15,
    "figure.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "savefig.facecolor": "white",
}
# One colour per meaning, the same on every chart.
GOOD, BAD, WARN, NEUTRAL, ACCENT = "#2a9d8f", "#e63946", "#f4a261", "#8d99ae", "#264653"
SERIES = ["#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#8d99ae"]
# Past-due buckets, mildest to worst: assigned by the buckets' order in the vocabulary.
PAST_DUE_COLOURS = ["#e9c46a", "#f4a261", "#e76f51", "#9d0208", "#6a040f", "#370617"]
# Correlations: one diverging scale everywhere (the dashboard uses Vega "redblue" on [-1, 1]):
# red = negative, white = 0, blue = positive.
CORRELATION_CMAP = "RdBu"
CORRELATION_RANGE = (-1.0, 1.0)


TITLE_WIDTH = 88  # characters of a figure title per line: wider would run off a 1200 px figure


def new_figure(title: str, ncols: int = 1, **kwargs: Any) -> tuple[Figure, Any]:
    fig, axes = plt.subplots(1, ncols, figsize=FIGSIZE, dpi=DPI, layout="constrained", **kwargs)
    fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))  # room for the source note below
    fig.suptitle(textwrap.fill(title, TITLE_WIDTH))
    return fig, axes


def message_figure(title: str, headline: str, reason: str) -> Figure:
    """A figure that draws no data and says, centred, why (an absent or empty portfolio)."""
    fig = plt.figure(figsize=FIGSIZE, dpi=DPI)
    fig.suptitle(textwrap.fill(title, TITLE_WIDTH))
    ax = fig.add_axes((0.05, 0.1, 0.9, 0.75))
    ax.set_axis_off()
    ax.text(0.5, 0.6, textwrap.fill(headline, 70), ha="center", va="center", fontsize=16)
    ax.text(
        0.5, 0.4, textwrap.fill(reason, 95), ha="center", va="center", fontsize=12, color="#555555"
    )
    return fig


def percent_axis(axis: Axis, decimals: int = 0) -> None:
    """Shares are stored as fractions (0-1) and drawn as such; the axis shows percent."""
    axis.set_major_formatter(PercentFormatter(xmax=1, decimals=decimals))


def compact_amount(value: float, _: Any = None) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.{0 if abs(value) % size == 0 else 1}f}{suffix}"
    return f"{value:,.0f}"


def amount_axis(axis: Axis) -> None:
    axis.set_major_formatter(FuncFormatter(compact_amount))


def amount_label(what: str, currency: str) -> str:
    """An amount axis' label, naming the currency (or "currency units" when none is set)."""
    return f"{what} ({currency})"


def month_axis(axis: Axis) -> None:
    locator = mdates.AutoDateLocator()
    axis.set_major_locator(locator)
    axis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def slant_x_labels(ax: Axes, degrees: int) -> None:
    """Long category labels, slanted and anchored at their tick."""
    for label in ax.get_xticklabels():
        label.set(rotation=degrees, ha="right", rotation_mode="anchor")


def dates(values: pd.Series) -> list[date]:
    return [pd.Timestamp(value).date() for value in values]


def label_bars(ax: Axes, container: BarContainer, labels: Sequence[str]) -> None:
    ax.bar_label(container, labels=list(labels), padding=3, fontsize=9)


def note(fig: Figure, text: str) -> None:
    fig.text(0.01, 0.005, text, fontsize=8, color="#555555", ha="left", va="bottom")


def short_date(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m")


def fixed(value: float, decimals: int) -> str:
    """value with decimals, never "-0.00": a value that rounds to zero prints unsigned."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def heatmap(
    ax: Axes,
    matrix: pd.DataFrame,
    vmin: float,
    vmax: float,
    cmap: str,
    fmt: Callable[[float], str],
) -> Any:
    """matrix drawn cell by cell (NaN left blank), each cell printed in a readable colour."""
    image = ax.imshow(matrix.to_numpy(dtype=float), cmap=cmap, vmin=vmin, vmax=vmax)
    ax.set_xticks(range(matrix.shape[1]), list(matrix.columns))
    ax.set_yticks(range(matrix.shape[0]), list(matrix.index))
    ax.grid(False)
    for (i, j), value in np.ndenumerate(matrix.to_numpy(dtype=float)):
        if not np.isnan(value):
            red, green, blue, _ = image.cmap(image.norm(value))
            dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5  # white text on dark cells
            ax.text(
                j,
                i,
                fmt(value),
                ha="center",
                va="center",
                fontsize=9,
                color="white" if dark else "black",
            )
    return image


def grouped_barh(
    ax: Axes, labels: Sequence[str], series: dict[str, Sequence[float]], colours: Sequence[str]
) -> None:
    """Horizontal bars, one group per label (top to bottom), one bar per series."""
    height = 0.8 / max(len(series), 1)
    positions = np.arange(len(labels))
    for index, ((name, values), colour) in enumerate(zip(series.items(), colours, strict=True)):
        offset = (index - (len(series) - 1) / 2) * height
        ax.barh(positions + offset, values, height=height, label=name, color=colour)
    ax.set_yticks(positions, list(labels))
