"""Draw the marts as PNG charts, each with a JSON sidecar of exactly what was plotted.

Reads the ``marts`` schema only, through a read-only DuckDB connection: by default the published
snapshot (``$LOANS_PUBLISHED_DIR/loans.duckdb``, ``warehouse/published/loans.duckdb``) when it
exists, else the working warehouse (``$LOANS_WAREHOUSE``, ``warehouse/loans.duckdb``). Every
number drawn is a mart's value as stored: Python selects, orders, pivots and labels rows, and
never aggregates or recomputes a metric (shares are drawn as stored and shown as percent by the
axis formatter). Each chart declares the marts it reads and may query no other (its dbt exposure
in ``models/marts/_charts__exposures.yml`` lists the same marts).

Next to each ``<chart>.png`` goes ``<chart>.json``: per axes, the title, axis labels, and the
values read back from the drawn matplotlib artists (bars, lines, heatmap cells, text labels), so
tests and humans can check what was drawn rather than what was meant to be.

A chart whose mart is empty (e.g. no Family A feeds) is drawn as an empty panel that says so; a
chart whose mart is missing from the warehouse (built before the mart existed) is skipped and
makes the exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402  (the backend is chosen before pyplot loads)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.axis import Axis  # noqa: E402
from matplotlib.category import StrCategoryFormatter  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import (  # noqa: E402
    FixedFormatter,
    FixedLocator,
    FuncFormatter,
    PercentFormatter,
)
from tqdm import tqdm  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_OUT = PROJECT_DIR / "target" / "charts"
README_IMAGES = PROJECT_DIR / "docs" / "images"
# The three charts the README shows: the score that prices a loan, the book's risk over time,
# and what was wrong with the input data.
README_CHARTS = ("score_distribution", "risk_amount_trend", "data_quality_summary")

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
DPD_COLOURS = {"1_30": "#e9c46a", "31_60": "#f4a261", "61_90": "#e76f51", "90_plus": "#9d0208"}
STATUS_COLOURS = {
    "Paid": GOOD,
    "In Progress": ACCENT,
    "Approved": "#8ecae6",
    "Defaulted": BAD,
}
# The loan-level numerics of rpt_repayment_correlations, in METRICS.md's order.
FEATURE_ORDER = (
    "issued_sum",
    "term_days",
    "planned_total",
    "paid_to_date",
    "paid_ratio",
    "delta",
    "current_dpd",
    "max_dpd",
    "payments_count",
    "score",
)
AMOUNT = "amount (currency units)"


class MartMissing(Exception):
    """A chart's mart is not in the warehouse."""


# --------------------------------------------------------------------------------------------
# Reading the marts
# --------------------------------------------------------------------------------------------
class Marts:
    """Read-only access to the marts a chart declares, and no others."""

    def __init__(self, con: duckdb.DuckDBPyConnection, allowed: Sequence[str]) -> None:
        self.con = con
        self.allowed = tuple(allowed)

    def rows(
        self,
        mart: str,
        columns: str = "*",
        where: str = "",
        order_by: str = "",
        distinct: bool = False,
    ) -> pd.DataFrame:
        """select [distinct] columns from marts.<mart> [where ...] [order by ...]."""
        if mart not in self.allowed:
            raise ValueError(f"this chart declares {self.allowed}, not {mart}")
        sql = f"select {'distinct ' if distinct else ''}{columns} from marts.{mart}"
        sql += f" where {where}" if where else ""
        sql += f" order by {order_by}" if order_by else ""
        return self.con.execute(sql).df()


def mart_tables(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Mart -> row count, for every table of the marts schema."""
    names = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    ]
    return {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in names}


# --------------------------------------------------------------------------------------------
# Drawing helpers (presentation only)
# --------------------------------------------------------------------------------------------
def new_figure(title: str, ncols: int = 1, **kwargs: Any) -> tuple[Figure, Any]:
    fig, axes = plt.subplots(1, ncols, figsize=FIGSIZE, dpi=DPI, layout="constrained", **kwargs)
    fig.get_layout_engine().set(rect=(0, 0.03, 1, 0.97))  # room for the source note below
    fig.suptitle(title)
    return fig, axes


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


# --------------------------------------------------------------------------------------------
# The charts
# --------------------------------------------------------------------------------------------
def score_distribution(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_score_distribution",
        "bucket_kind, bucket, loans, share_of_loans",
        order_by="case bucket_kind when 'band' then 0 when 'tier' then 1 else 2 end, bucket_order",
    )
    bands = rows[rows.bucket_kind == "band"]
    tiers = rows[rows.bucket_kind != "band"]  # the tiers, then the unscored loans
    fig, (left, right) = new_figure(
        "Repayment score (0-100) of Family A loans as of the reporting date",
        ncols=2,
        width_ratios=[1.7, 1],
    )
    bars = left.bar(bands.bucket, bands.loans, color=ACCENT, label="loans")
    label_bars(left, bars, [f"{share:.1%}" for share in bands.share_of_loans])
    left.set(title="By score band", xlabel="repayment score band", ylabel="loans (count)")
    colours = [NEUTRAL if kind == "unscored" else SERIES[1] for kind in tiers.bucket_kind]
    labels = [textwrap.fill(bucket, 12) for bucket in tiers.bucket]  # "nothing due yet"
    bars = right.bar(labels, tiers.loans, color=colours, label="loans")
    label_bars(right, bars, [f"{share:.1%}" for share in tiers.share_of_loans])
    right.set(
        title="By pricing tier",
        xlabel="pricing tier (floors: var score_tier_floors)",
        ylabel="loans (count)",
    )
    note(fig, "Labels: share of all loans. Source: marts.rpt_score_distribution")
    return fig


def segment_barplot(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_repayment_segments", "segment, loans, share_of_loans", order_by="segment_order"
    )
    colours = {"Underpaid": BAD, "On Track": GOOD, "Overpaid": ACCENT, "Not Yet Due": NEUTRAL}
    fig, ax = new_figure("Family A loans by repayment segment (paid vs planned to date)")
    bars = ax.bar(rows.segment, rows.loans, color=[colours.get(s, NEUTRAL) for s in rows.segment])
    bars.set_label("loans")
    label_bars(ax, bars, [f"{share:.1%}" for share in rows.share_of_loans])
    ax.set(title="Loans per segment", xlabel="segment", ylabel="loans (count)")
    note(
        fig,
        "Underpaid: paid ratio below 1 - segment_tolerance; Overpaid: above 1 + it. "
        "Labels: share of loans. Source: marts.rpt_repayment_segments",
    )
    return fig


def risk_amount_trend(marts: Marts) -> Figure:
    buckets = ("1_30", "31_60", "61_90", "90_plus")
    rows = marts.rows(
        "rpt_risk_trend_monthly",
        "reporting_month, loans_in_arrears, "
        + ", ".join(f"dpd_{bucket}_outstanding_amount" for bucket in buckets),
        order_by="reporting_month",
    )
    months = dates(rows.reporting_month)
    fig, ax = new_figure("Amount at risk: outstanding of past-due Family A loans, by month")
    bottom = np.zeros(len(rows))
    for bucket in buckets:
        values = rows[f"dpd_{bucket}_outstanding_amount"].to_numpy(dtype=float)
        ax.bar(
            months,
            values,
            width=20,
            bottom=bottom,
            color=DPD_COLOURS[bucket],
            label=f"{bucket.replace('_plus', '+').replace('_', '-')} days past due",
        )
        bottom = bottom + values  # stacking position only; each bar is the mart's value
    ax.set(title="Outstanding by DPD bucket at month-end", xlabel="month", ylabel=AMOUNT)
    amount_axis(ax.yaxis)
    month_axis(ax.xaxis)
    count = ax.twinx()
    count.plot(months, rows.loans_in_arrears, color=ACCENT, marker="o", label="loans in arrears")
    count.set_ylabel("loans in arrears (count)")
    count.set_ylim(bottom=0)
    count.grid(False)
    count.spines["right"].set_visible(True)
    handles = ax.get_legend_handles_labels()
    more = count.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left")
    note(fig, "Source: marts.rpt_risk_trend_monthly (the last month may be month to date)")
    return fig


def planned_vs_actual_histogram(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_planned_vs_actual_distribution",
        "bin_label, plan_side, loans, share_of_loans",
        order_by="bin_number",
    )
    labels = list(rows.bin_label)
    side_colours = {"behind plan": BAD, "around plan": NEUTRAL, "ahead of plan": GOOD}
    colours = [side_colours[side] for side in rows.plan_side]
    fig, ax = new_figure("Planned vs actual: paid minus planned to date, per Family A loan")
    bars = ax.bar(labels, rows.loans, color=colours, label="loans")
    label_bars(ax, bars, [f"{n:,}" for n in rows.loans])
    ax.set_yscale("symlog", linthresh=10)
    ax.set_ylim(0, max(rows.loans.max(), 10) * 3)  # headroom for the labels
    ax.set(
        title="Loans per delta bin (negative = behind plan, positive = ahead)",
        xlabel="delta = paid - planned to date (currency units)",
        ylabel="loans (count, log scale above 10)",
    )
    slant_x_labels(ax, 35)
    note(
        fig,
        "Source: marts.rpt_planned_vs_actual_distribution (bins: var planned_vs_actual_bin_edges)",
    )
    return fig


def feature_order(features: Sequence[str]) -> list[str]:
    known = [f for f in FEATURE_ORDER if f in features]
    return known + sorted(set(features) - set(known))


def heatmap(
    ax: Axes,
    matrix: pd.DataFrame,
    vmin: float,
    vmax: float,
    cmap: str,
    fmt: Callable[[float], str],
) -> Any:
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


def correlation_heatmap(marts: Marts) -> Figure:
    rows = marts.rows("rpt_repayment_correlations", "feature_x, feature_y, r")
    order = feature_order(rows.feature_x.unique().tolist())
    matrix = rows.pivot(index="feature_y", columns="feature_x", values="r").reindex(
        index=order, columns=order
    )
    fig, ax = new_figure("Correlation of loan-level repayment features (Family A)")
    image = heatmap(ax, matrix, -1, 1, "RdBu_r", lambda r: f"{r:.2f}")
    ax.set(title="Pearson r (blank: undefined)", xlabel="feature", ylabel="feature")
    slant_x_labels(ax, 35)
    fig.colorbar(image, ax=ax, label="Pearson r (-1 to 1)", shrink=0.9)
    note(fig, "Source: marts.rpt_repayment_correlations (n per pair in the mart)")
    return fig


def par_trend(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_risk_trend_monthly", "reporting_month, par_30, par_90", order_by="reporting_month"
    )
    months = dates(rows.reporting_month)
    fig, ax = new_figure("Portfolio at risk (Family A), month-end")
    ax.plot(months, rows.par_30, color=WARN, marker="o", label="PAR30 (> 30 days past due)")
    ax.plot(months, rows.par_90, color=BAD, marker="o", label="PAR90 (> 90 days past due)")
    ax.set(
        title="Share of active outstanding held by loans past due",
        xlabel="month",
        ylabel="share of outstanding (%)",
    )
    percent_axis(ax.yaxis)
    month_axis(ax.xaxis)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    note(fig, "Source: marts.rpt_risk_trend_monthly")
    return fig


def vintage_curves(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_vintage_curves",
        "disbursal_month, months_on_book, paid_to_issued_ratio, share_ever_30_plus_dpd",
        order_by="disbursal_month, months_on_book",
    )
    cohorts = sorted(rows.disbursal_month.unique())
    colours = plt.get_cmap("viridis")(np.linspace(0, 0.95, max(len(cohorts), 1)))
    fig, (paid, late) = new_figure("Vintage curves: Family A cohorts by disbursal month", ncols=2)
    for cohort, colour in zip(cohorts, colours, strict=True):
        curve = rows[rows.disbursal_month == cohort]
        for ax, column in ((paid, "paid_to_issued_ratio"), (late, "share_ever_30_plus_dpd")):
            ax.plot(
                curve.months_on_book,
                curve[column],
                color=colour,
                lw=1.4,
                label=short_date(cohort),
            )
    paid.set(
        title="Cumulative paid / issued",
        xlabel="months on book",
        ylabel="cumulative paid / issued (%)",
    )
    late.set(
        title="Share of the cohort ever > 30 days past due",
        xlabel="months on book",
        ylabel="share of cohort loans (%)",
    )
    for ax in (paid, late):
        percent_axis(ax.yaxis)
    if cohorts:
        shown = [0, len(cohorts) // 2, len(cohorts) - 1]
        handles, labels = paid.get_legend_handles_labels()
        paid.legend(
            [handles[i] for i in shown],
            [f"cohort {labels[i]}" for i in shown],
            loc="lower right",
        )
    note(
        fig,
        "Each line is a disbursal-month cohort (dark = oldest). Source: marts.rpt_vintage_curves",
    )
    return fig


def roll_rate_matrix(marts: Marts) -> Figure:
    states = (
        pd.concat(
            [
                marts.rows(
                    "rpt_roll_rates",
                    f"{side}_state as state, {side}_state_order as position",
                    distinct=True,
                )
                for side in ("from", "to")
            ]
        )
        .drop_duplicates("state")
        .sort_values("position")
    )
    latest_complete = (
        "reporting_month = coalesce("
        "(select max(reporting_month) from marts.rpt_roll_rates where not is_month_to_date), "
        "(select max(reporting_month) from marts.rpt_roll_rates))"
    )
    rows = marts.rows(
        "rpt_roll_rates",
        "reporting_month, from_state, to_state, share_of_from_state, from_state_loans",
        where=latest_complete,
    )
    order = states.state.tolist()
    matrix = rows.pivot(index="from_state", columns="to_state", values="share_of_from_state")
    matrix = matrix.reindex(index=order, columns=order)
    month = short_date(rows.reporting_month.iloc[0]) if len(rows) else "n/a"
    fig, ax = new_figure(f"Roll rates of Family A loans into {month}")
    image = heatmap(ax, matrix, 0, 1, "Blues", lambda share: f"{share:.0%}")
    ax.set(
        title="Share of the loans in a state at the previous month-end, by state now",
        xlabel="state at this month-end",
        ylabel="state at the previous month-end",
    )
    fig.colorbar(
        image, ax=ax, label="share of the from-state's loans (%)", format=PercentFormatter(1)
    )
    note(fig, "Blank: no loan made that move. Source: marts.rpt_roll_rates (latest complete month)")
    return fig


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


def branch_kpis(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_branch_kpis",
        "branch_name, region, disbursed_amount, repaid_amount, outstanding_amount, "
        "default_rate, collection_rate",
        order_by="disbursed_amount_rank, branch_name",
    )
    labels = [
        f"{name} ({region})" for name, region in zip(rows.branch_name, rows.region, strict=True)
    ]
    fig, (amounts, rates) = new_figure("Family B branches: volumes and rates", ncols=2, sharey=True)
    grouped_barh(
        amounts,
        labels,
        {
            "disbursed": rows.disbursed_amount,
            "repaid": rows.repaid_amount,
            "outstanding": rows.outstanding_amount,
        },
        [ACCENT, GOOD, WARN],
    )
    amounts.invert_yaxis()  # rank 1 on top (the y axis is shared: invert once)
    amounts.set(title="Amounts", xlabel=AMOUNT, ylabel="branch (region), by disbursed")
    amount_axis(amounts.xaxis)
    amounts.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=3)
    grouped_barh(
        rates,
        labels,
        {"default rate (loans)": rows.default_rate, "collection rate": rows.collection_rate},
        [BAD, GOOD],
    )
    rates.set(title="Default and collection rates", xlabel="rate (%)")
    percent_axis(rates.xaxis)
    rates.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=2)
    note(
        fig,
        "Default rate = defaulted / all loans; collection rate = repaid / disbursed. "
        "Source: marts.rpt_branch_kpis",
    )
    return fig


def region_default_rates(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_region_kpis",
        "region, loans_count, default_rate, resolved_default_rate, amount_default_rate",
        order_by="default_rate_rank, region",
    )
    labels = [
        f"{region} ({n:,} loans)" for region, n in zip(rows.region, rows.loans_count, strict=True)
    ]
    fig, ax = new_figure("Family B default rates by region")
    grouped_barh(
        ax,
        labels,
        {
            "default rate (defaulted / all loans)": rows.default_rate,
            "resolved default rate (defaulted / (paid + defaulted))": rows.resolved_default_rate,
            "amount default rate (defaulted amount / amount)": rows.amount_default_rate,
        },
        [BAD, WARN, ACCENT],
    )
    ax.invert_yaxis()  # highest default rate on top
    ax.set(title="Three default rates per region", xlabel="rate (%)", ylabel="region")
    percent_axis(ax.xaxis)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=3)
    note(fig, "Sorted by default rate, highest first. Source: marts.rpt_region_kpis")
    return fig


SEGMENT_PANELS = (
    ("age_band", "Age band", "age_band_order"),
    ("income_band", "Income band", "income_band_order"),
    ("employment_status", "Employment status", None),
)


def default_rate_by_segment(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_demographic_segments",
        "segment_dimension, segment_value, is_small_sample, loans_count, default_rate",
        where="dimensions_count <= 1",
        order_by="segment_dimension, segment_value",
    )
    portfolio = rows[rows.segment_dimension == "portfolio"].default_rate
    fig, axes = new_figure("Family B default rate by borrower segment", ncols=3, sharey=True)
    for ax, (dimension, title, order_column) in zip(axes, SEGMENT_PANELS, strict=True):
        panel = rows[rows.segment_dimension == dimension]
        if order_column:  # the bands' order, from the customer dimension (a mart)
            bands = marts.rows(
                "dim_customers", f"{dimension} as band, {order_column} as position", distinct=True
            )
            position = dict(zip(bands.band, bands.position, strict=True))
            panel = panel.sort_values(
                "segment_value", key=lambda v: v.map(position).fillna(len(position))
            )
        else:
            panel = panel.sort_values("loans_count", ascending=False)
        colours = [NEUTRAL if small else ACCENT for small in panel.is_small_sample]
        bars = ax.bar(panel.segment_value, panel.default_rate, color=colours, label="default rate")
        label_bars(ax, bars, [f"n={n:,}" for n in panel.loans_count])
        if len(portfolio):
            ax.axhline(
                portfolio.iloc[0], color=BAD, ls="--", lw=1.2, label="portfolio default rate"
            )
        ax.set(title=title, xlabel=title.lower())
        slant_x_labels(ax, 30)
    axes[0].set_ylabel("default rate = defaulted / all loans (%)")
    percent_axis(axes[0].yaxis)
    axes[0].legend(loc="upper right")
    note(
        fig,
        "Grey bars: fewer loans than var min_segment_size (small sample). n = loans. "
        "Source: marts.rpt_demographic_segments, band order from marts.dim_customers",
    )
    return fig


def status_shares(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_portfolio_overview",
        "loan_status, loans_count_share, disbursed_amount_share",
        where="not is_portfolio_total",
        order_by="loan_status",
    )
    known = {status: position for position, status in enumerate(STATUS_COLOURS)}
    rows = rows.sort_values("loan_status", key=lambda s: s.map(known).fillna(len(known)))
    fig, ax = new_figure("Family B loans by status")
    kinds = ["by count (loans)", "by amount (LoanAmount)"]
    left = np.zeros(2)
    for status, count_share, amount_share in rows.itertuples(index=False):
        shares = np.array([count_share, amount_share], dtype=float)
        bars = ax.barh(
            kinds, shares, left=left, color=STATUS_COLOURS.get(status, NEUTRAL), label=status
        )
        ax.bar_label(
            bars,
            labels=[f"{status}\n{s:.1%}" if s >= 0.08 else f"{s:.1%}" for s in shares],
            label_type="center",
            color="white",
            fontsize=10,
        )
        left = left + shares  # stacking position only
    ax.set(title="Status shares (each bar is 100 %)", xlabel="share of the portfolio (%)")
    percent_axis(ax.xaxis)
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=len(rows))
    note(fig, "Active = In Progress + Approved. Source: marts.rpt_portfolio_overview")
    return fig


DQ_COLOURS = {"staged": GOOD, "quarantined": BAD, "flagged": WARN}
DQ_CATEGORY_ORDER = (
    "case category when 'loaded' then 0 when 'staged' then 1 when 'quarantined' then 2 else 3 end"
)


def data_quality_summary(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_data_quality_summary",
        "source_feed, category, issue_code, rows_count, share_of_loaded, loaded_rows, "
        "is_reconciled",
        order_by=f"family, source_feed, {DQ_CATEGORY_ORDER}, rows_count desc, issue_code",
    )
    feeds = rows.drop_duplicates("source_feed")
    names = feeds.source_feed.tolist()
    fig, (split, issues) = new_figure(
        "Data quality: what was loaded, set aside and flagged, per feed",
        ncols=2,
        width_ratios=[1, 1.5],
    )
    # left: each feed's loaded rows, staged then quarantined by reason, as stored shares
    left = np.zeros(len(names))
    for part in rows[rows.category.isin(["staged", "quarantined"])].itertuples(index=False):
        position = names.index(part.source_feed)
        bars = split.barh(
            [position],
            [part.share_of_loaded],
            left=[left[position]],
            color=DQ_COLOURS[part.category],
            edgecolor="white",
            linewidth=0.5,
            label=f"{part.category}: {part.source_feed}: {part.issue_code}",
        )
        if part.category == "staged":
            split.bar_label(
                bars,
                [f"{part.share_of_loaded:.1%} staged"],
                label_type="center",
                color="white",
                fontsize=10,
            )
        left[position] += part.share_of_loaded  # stacking position only
    split.set_yticks(
        range(len(names)),
        [
            f"{feed}\n{loaded:,} rows loaded{'' if ok else ' - NOT RECONCILED'}"
            for feed, loaded, ok in zip(
                feeds.source_feed, feeds.loaded_rows, feeds.is_reconciled, strict=True
            )
        ],
    )
    split.invert_yaxis()
    split.set(
        title="Loaded rows: staged (green) vs quarantined (red)", xlabel="share of loaded rows (%)"
    )
    percent_axis(split.xaxis)
    split.set_xlim(0, 1)
    # right: every quarantine reason and flag rule, with its rows
    problems = rows[rows.category.isin(["quarantined", "flagged"])].reset_index(drop=True)
    for category in ("quarantined", "flagged"):
        part = problems[problems.category == category]
        bars = issues.barh(
            part.index,
            part.rows_count,
            color=DQ_COLOURS[category],
            label="quarantined rows" if category == "quarantined" else "flagged loans",
        )
        issues.bar_label(
            bars,
            [
                f"{n:,} ({share:.1%})"
                for n, share in zip(part.rows_count, part.share_of_loaded, strict=True)
            ],
            padding=3,
            fontsize=8,
        )
    issues.set_yticks(
        problems.index,
        [
            f"{feed}: {code}"
            for feed, code in zip(problems.source_feed, problems.issue_code, strict=True)
        ],
        fontsize=8,
    )
    if problems.empty:
        issues.text(
            0.5, 0.5, "no row quarantined or flagged", ha="center", transform=issues.transAxes
        )
    issues.invert_yaxis()
    issues.set(
        title="What was wrong, per reason or flag rule",
        xlabel="quarantined rows / flagged loans (count)",
    )
    issues.legend(loc="lower right")
    note(
        fig,
        "Quarantined rows are set aside with a reason; flagged rows are kept and marked. "
        "Labels: rows (share of the feed's loaded rows). Source: marts.rpt_data_quality_summary",
    )
    return fig


@dataclass(frozen=True)
class Chart:
    name: str  # the PNG's stem
    marts: tuple[str, ...]  # the only marts draw may read (the exposure's depends_on)
    draw: Callable[[Marts], Figure]


CHARTS: dict[str, Chart] = {
    chart.name: chart
    for chart in [
        Chart("score_distribution", ("rpt_score_distribution",), score_distribution),
        Chart("segment_barplot", ("rpt_repayment_segments",), segment_barplot),
        Chart("risk_amount_trend", ("rpt_risk_trend_monthly",), risk_amount_trend),
        Chart(
            "planned_vs_actual_histogram",
            ("rpt_planned_vs_actual_distribution",),
            planned_vs_actual_histogram,
        ),
        Chart("correlation_heatmap", ("rpt_repayment_correlations",), correlation_heatmap),
        Chart("par_trend", ("rpt_risk_trend_monthly",), par_trend),
        Chart("vintage_curves", ("rpt_vintage_curves",), vintage_curves),
        Chart("roll_rate_matrix", ("rpt_roll_rates",), roll_rate_matrix),
        Chart("branch_kpis", ("rpt_branch_kpis",), branch_kpis),
        Chart("region_default_rates", ("rpt_region_kpis",), region_default_rates),
        Chart(
            "default_rate_by_segment",
            ("rpt_demographic_segments", "dim_customers"),
            default_rate_by_segment,
        ),
        Chart("status_shares", ("rpt_portfolio_overview",), status_shares),
        Chart("data_quality_summary", ("rpt_data_quality_summary",), data_quality_summary),
    ]
}


def empty_chart(chart: Chart, empty: Sequence[str]) -> Figure:
    fig, ax = new_figure(chart.name.replace("_", " ").capitalize())
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        f"No data: {', '.join(f'marts.{m}' for m in empty)} has no rows "
        "(no feed of its portfolio was loaded)",
        ha="center",
        va="center",
        fontsize=13,
    )
    return fig


# --------------------------------------------------------------------------------------------
# What was drawn, read back from the artists
# --------------------------------------------------------------------------------------------
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
        if line.get_transform() is not ax.transData:  # e.g. axhline: x spans the axes
            y_values = np.asarray(line.get_ydata(), dtype=float)
            lines.append({"series": line.get_label(), "y": number(y_values[0])})
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
        lines.append({"series": line.get_label(), "points": points})
    return lines


def drawn_images(ax: Axes) -> list[dict[str, Any]]:
    images = []
    for image in ax.get_images():
        array = np.ma.filled(np.ma.masked_invalid(image.get_array()).astype(float), np.nan)
        images.append(
            {
                "rows": [label.get_text() for label in ax.get_yticklabels()],
                "columns": [label.get_text() for label in ax.get_xticklabels()],
                "cells": [[number(value) for value in row] for row in array],
            }
        )
    return images


def plotted(fig: Figure) -> list[dict[str, Any]]:
    """Per axes (twins included), its labels and the values its artists draw."""
    fig.canvas.draw()  # tick labels are set at draw time
    return [
        {
            "title": ax.get_title(),
            "xlabel": ax.get_xlabel(),
            "ylabel": ax.get_ylabel(),
            "bars": drawn_bars(ax),
            "lines": drawn_lines(ax),
            "heatmaps": drawn_images(ax),
            "texts": [text.get_text() for text in ax.texts],
        }
        for ax in fig.axes
        if ax.get_label() != "<colorbar>"
    ]


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------
@dataclass
class Drawn:
    name: str
    png: Path | None
    status: str  # drawn | empty | skipped
    message: str = ""


def draw_chart(
    con: duckdb.DuckDBPyConnection, chart: Chart, counts: dict[str, int], out: Path
) -> Drawn:
    missing = [mart for mart in chart.marts if mart not in counts]
    if missing:
        return Drawn(chart.name, None, "skipped", f"marts.{', marts.'.join(missing)} not found")
    empty = [mart for mart in chart.marts if counts[mart] == 0]
    with matplotlib.rc_context(STYLE):
        fig = empty_chart(chart, empty) if empty else chart.draw(Marts(con, chart.marts))
        png = out / f"{chart.name}.png"
        fig.savefig(png, dpi=DPI)
        sidecar = {
            "chart": chart.name,
            "png": png.name,
            "marts": list(chart.marts),
            "title": fig.get_suptitle(),
            "size_px": [round(v * DPI) for v in fig.get_size_inches()],
            "axes": plotted(fig),
        }
        plt.close(fig)
    png.with_suffix(".json").write_text(json.dumps(sidecar, indent=2) + "\n")
    return Drawn(chart.name, png, "empty" if empty else "drawn", ", ".join(empty))


def default_warehouse() -> Path:
    published_dir = Path(os.environ.get("LOANS_PUBLISHED_DIR", PROJECT_DIR / "warehouse/published"))
    if (published_dir / "loans.duckdb").exists():
        return published_dir / "loans.duckdb"
    return Path(os.environ.get("LOANS_WAREHOUSE", PROJECT_DIR / "warehouse/loans.duckdb"))


def run(warehouse: Path, out: Path, names: Sequence[str], quiet: bool = True) -> list[Drawn]:
    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = mart_tables(con)
        progress = tqdm(
            [CHARTS[n] for n in names], desc="charts", unit="chart", disable=quiet, file=sys.stderr
        )
        return [draw_chart(con, chart, counts, out) for chart in progress]


def copy_readme_images(out: Path, images: Path) -> list[Path]:
    images.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(out / f"{name}.png", images)) for name in README_CHARTS]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="charts: "
        + ", ".join(CHARTS)
        + "\n\nexit status: 0 = every chart written, 1 = a chart's mart is missing from the "
        "warehouse (the others are written), 2 = usage error\n\n"
        "examples:\n"
        "  charts.py                                   # the published snapshot -> target/charts/\n"
        "  charts.py --warehouse warehouse/loans.duckdb --only par_trend vintage_curves\n"
        "  charts.py --readme-images           # also copy the README's three to docs/images/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        metavar="FILE",
        help="DuckDB file with the marts, opened read-only (default: the published snapshot "
        "$LOANS_PUBLISHED_DIR/loans.duckdb if it exists, else $LOANS_WAREHOUSE or "
        "warehouse/loans.duckdb)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help="folder for <chart>.png and its <chart>.json sidecar (default: target/charts)",
    )
    parser.add_argument(
        "--only", nargs="+", choices=list(CHARTS), metavar="CHART", help="draw only these charts"
    )
    parser.add_argument(
        "--readme-images",
        action="store_true",
        help=f"copy {', '.join(README_CHARTS)} into docs/images/ for the README",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    warehouse = args.warehouse or default_warehouse()
    if not warehouse.exists():
        print(f"charts: warehouse {warehouse} not found: run `make build` first", file=sys.stderr)
        return 2
    began = time.perf_counter()
    drawn = run(warehouse, args.out, args.only or list(CHARTS), quiet=args.quiet)
    for chart in drawn:
        detail = f" ({chart.message})" if chart.message else ""
        print(f"  {chart.name:<30} {chart.status}{detail}")
    skipped = [chart.name for chart in drawn if chart.status == "skipped"]
    if args.readme_images:
        if set(README_CHARTS) & set(skipped) or not set(README_CHARTS) <= {d.name for d in drawn}:
            print("charts: the README's charts were not all drawn; docs/images/ unchanged")
            return 1
        for path in copy_readme_images(args.out, README_IMAGES):
            print(f"  README image: {path}")
    written = len(drawn) - len(skipped)
    print(
        f"{'FAILED' if skipped else 'OK'}: {written} chart(s) from {warehouse} in "
        f"{time.perf_counter() - began:.1f}s -> {args.out}/"
    )
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
