"""Helpers shared by the chart tests: draw a warehouse's charts, read their sidecars, and find
text that a figure would clip."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.text import Text

from scripts.charts.__main__ import main
from scripts.charts.catalogue import CHARTS
from scripts.charts.marts import mart_tables
from scripts.charts.run import figure_for
from scripts.charts.style import STYLE


def draw(workdir: Path, warehouse: Path, *args: str) -> tuple[int, Path]:
    """Run the command line on warehouse; returns its exit status and the charts' folder."""
    out = workdir / "charts"
    code = main(["--quiet", "--warehouse", str(warehouse), "--out", str(out), *args])
    return code, out


def sidecar(out: Path, chart: str) -> dict[str, Any]:
    return json.loads((out / f"{chart}.json").read_text())


def bars(axes: dict[str, Any], series: str | None = None) -> list[tuple[Any, float]]:
    """(category, value) of the bars of one series (the only one when series is None)."""
    found = [s for s in axes["bars"] if series is None or s["series"] == series]
    assert len(found) == 1, [s["series"] for s in axes["bars"]]
    return [(bar["category"], bar["value"]) for bar in found[0]["bars"]]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def every_text(drawn: dict[str, Any]) -> list[str]:
    """Every string a sidecar records: titles, labels, legends, text labels, tick labels."""
    found = [drawn["title"], *drawn["legend"]]
    for axes in drawn["axes"]:
        found += [axes["title"], axes["xlabel"], axes["ylabel"], *axes["texts"], *axes["legend"]]
        found += [bar["category"] for s in axes["bars"] for bar in s["bars"]]
        for cells in axes["heatmaps"]:
            found += cells["rows"] + cells["columns"]
    return [str(text) for text in found]


def figures(warehouse: Path, names: list[str] | None = None) -> Iterator[tuple[str, Figure, str]]:
    """(chart, its figure, drawn / empty) for every chart (or those named), closed after use."""
    with (
        duckdb.connect(str(warehouse), read_only=True) as con,
        matplotlib.rc_context(STYLE),
    ):
        counts = mart_tables(con)
        for name in names or list(CHARTS):
            fig, status, _ = figure_for(con, CHARTS[name], counts, "currency units")
            try:
                yield name, fig, status
            finally:
                plt.close(fig)


def texts_outside(fig: Figure, tolerance: float = 1.0) -> list[str]:
    """The texts of fig, drawn, that reach outside the figure (they would be clipped)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height

    def beyond(box: Any) -> bool:
        return (
            box.x0 < -tolerance
            or box.y0 < -tolerance
            or box.x1 > width + tolerance
            or box.y1 > height + tolerance
        )

    tick_labels = {
        id(label)
        for ax in fig.axes
        for axis in (ax.xaxis, ax.yaxis)
        for tick in axis.get_major_ticks() + axis.get_minor_ticks()
        for label in (tick.label1, tick.label2)
    }
    found = [
        text.get_text()
        for text in fig.findobj(Text)
        if id(text) not in tick_labels
        and text.get_visible()
        and text.get_text().strip()
        and beyond(text.get_window_extent(renderer))
    ]
    for ax in fig.axes:  # tick labels: only those drawn (inside the view) count
        for axis in (ax.xaxis, ax.yaxis):
            box = axis.get_tightbbox(renderer)
            if box is not None and beyond(box):
                found.append(f"tick labels of {ax.get_title() or ax.get_label()!r}")
    return found
