"""Draw charts: open the warehouse read-only, decide for each chart whether there is anything to
draw, save the PNG and its JSON sidecar, and report each as drawn, empty (why) or skipped."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from tqdm import tqdm

from scripts.charts.catalogue import CHARTS, README_CHARTS, Chart
from scripts.charts.marts import (
    Marts,
    NoData,
    currency_label,
    mart_tables,
    snapshot_manifest,
)
from scripts.charts.sidecar import figure_legends, plotted
from scripts.charts.style import DPI, STYLE, message_figure
from scripts.settings import PROJECT_DIR, TARGET_DIR, published_warehouse, warehouse_path

DEFAULT_OUT = TARGET_DIR / "charts"
README_IMAGES = PROJECT_DIR / "docs" / "images"


@dataclass
class Drawn:
    name: str
    png: Path | None
    status: str  # drawn | empty | skipped
    message: str = ""  # why empty or skipped, for people


def figure_for(
    con: duckdb.DuckDBPyConnection, chart: Chart, counts: dict[str, int], currency: str
) -> tuple[Figure, str, str]:
    """The chart's figure, "drawn" or "empty", and why it is empty ("" when drawn).

    Empty, with a figure that says so in words and draws no data: the chart's portfolio has no
    loan in the warehouse, a mart it draws has no row, or the chart finds nothing to count.
    Call it inside matplotlib.rc_context(STYLE) for the project's look.
    """
    marts = Marts(con, chart.marts, currency)
    title = chart.title
    open_before = set(plt.get_fignums())
    try:
        as_of = "the reporting date"
        if chart.portfolio:
            book = marts.portfolio(chart.portfolio)
            title = f"{chart.title}: {book.lower_name}"
            if book.as_of_date is None:
                short = f"no {book.lower_name} in this warehouse"
                why = (
                    f"{book.description} No loan of this portfolio was staged in this build "
                    "(its feeds were absent, empty or entirely quarantined), so there is "
                    "nothing to draw."
                )
                return message_figure(title, short[0].upper() + short[1:], why), "empty", short
            as_of = book.as_of_date
        empty = [mart for mart in chart.data_marts if counts[mart] == 0]
        if empty:
            raise NoData(f"marts.{empty[0]} has no rows as of {as_of}.")
        return chart.draw(marts), "drawn", ""
    except NoData as why:
        for number in set(plt.get_fignums()) - open_before:  # begun before it found nothing
            plt.close(number)
        reason = str(why)
        return message_figure(title, "Nothing to draw", reason), "empty", reason.rstrip(".")


def draw_chart(
    con: duckdb.DuckDBPyConnection,
    chart: Chart,
    counts: dict[str, int],
    out: Path,
    currency: str,
) -> Drawn:
    missing = [mart for mart in chart.marts if mart not in counts]
    if missing:
        return Drawn(chart.name, None, "skipped", f"marts.{', marts.'.join(missing)} not found")
    with matplotlib.rc_context(STYLE):
        fig, status, reason = figure_for(con, chart, counts, currency)
        png = out / f"{chart.name}.png"
        fig.savefig(png, dpi=DPI)
        sidecar = {
            "chart": chart.name,
            "png": png.name,
            "marts": list(chart.marts),
            "status": status,
            "reason": reason,
            "currency": currency,
            "title": fig.get_suptitle(),
            "size_px": [round(v * DPI) for v in fig.get_size_inches()],
            "axes": plotted(fig),
            "legend": figure_legends(fig),
        }
        plt.close(fig)
    png.with_suffix(".json").write_text(json.dumps(sidecar, indent=2) + "\n")
    return Drawn(chart.name, png, status, reason)


def default_warehouse() -> Path:
    """The published snapshot when there is one, else the working warehouse."""
    published = published_warehouse()
    return published if published.exists() else warehouse_path()


def run(warehouse: Path, out: Path, names: Sequence[str], quiet: bool = True) -> list[Drawn]:
    out.mkdir(parents=True, exist_ok=True)
    currency = currency_label(snapshot_manifest(warehouse))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = mart_tables(con)
        progress = tqdm(
            [CHARTS[n] for n in names], desc="charts", unit="chart", disable=quiet, file=sys.stderr
        )
        return [draw_chart(con, chart, counts, out, currency) for chart in progress]


def copy_readme_images(out: Path, images: Path) -> list[Path]:
    images.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(out / f"{name}.png", images)) for name in README_CHARTS]
