"""Charts of the instalment loans' risk over time (Family A): amount at risk, PAR, vintage
curves, roll rates. Each function draws one chart from the marts it declares in the catalogue."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from scripts.charts.cohorts import OTHERS_COLOUR, ROLE_COLOURS, highlighted_cohorts
from scripts.charts.marts import Marts, NoData
from scripts.charts.style import (
    ACCENT,
    BAD,
    PAST_DUE_COLOURS,
    WARN,
    amount_axis,
    amount_label,
    dates,
    heatmap,
    month_axis,
    new_figure,
    note,
    percent_axis,
    short_date,
)

INSTALMENT_LOANS = "family_a"


def threshold_columns(columns: pd.Index, pattern: str) -> list[tuple[int, str]]:
    """(N, column) of the columns whose whole name matches pattern, N (its days) ascending.

    The thresholds are the build's var par_thresholds, read from the columns the mart has,
    never typed here."""
    found = [(int(match[1]), name) for name in columns if (match := re.fullmatch(pattern, name))]
    return sorted(found)


def bucket_column(code: str) -> str:
    """The rpt_risk_trend_monthly column of a DPD bucket's outstanding: '90+' -> dpd_90_plus_..."""
    return f"dpd_{code.replace('-', '_').replace('+', '_plus')}_outstanding_amount"


def risk_amount_trend(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    past_due = marts.categories("dpd_bucket").query("lower_bound > 0")
    rows = marts.rows(
        "rpt_risk_trend_monthly",
        "reporting_month, loans_in_arrears, loans_in_arrears_at_zero_dpd, "
        + ", ".join(map(bucket_column, past_due.code)),
        order_by="reporting_month",
    )
    months = dates(rows.reporting_month)
    fig, ax = new_figure(f"Amount at risk: outstanding of past-due {book.lower_name}")
    bottom = np.zeros(len(rows))
    for bucket, colour in zip(past_due.itertuples(), PAST_DUE_COLOURS, strict=False):
        values = rows[bucket_column(bucket.code)].to_numpy(dtype=float)
        ax.bar(
            months,
            values,
            width=20,
            bottom=bottom,
            color=colour,
            label=f"{bucket.bounds_label} past due",
        )
        bottom = bottom + values  # stacking position only; each bar is the mart's value
    ax.set(
        title=f"Outstanding by DPD bucket at month-end, up to {book.as_of_date}",
        xlabel="month",
        ylabel=amount_label("outstanding", marts.currency),
    )
    amount_axis(ax.yaxis)
    month_axis(ax.xaxis)
    count = ax.twinx()
    count.plot(months, rows.loans_in_arrears, color=ACCENT, marker="o", label="loans in arrears")
    count.plot(
        months,
        rows.loans_in_arrears_at_zero_dpd,
        color=ACCENT,
        ls="--",
        marker=".",
        label="of which at 0 days past due (due that day)",
    )
    count.set_ylabel("loans in arrears (count)")
    count.set_ylim(bottom=0)
    count.grid(False)
    count.spines["right"].set_visible(True)
    handles = ax.get_legend_handles_labels()
    more = count.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left")
    note(
        fig,
        "Loans in arrears = those at 0 days past due (due that day, bucket current) + the "
        "past-due buckets' loans. Source: marts.rpt_risk_trend_monthly (last month: to date)",
    )
    return fig


def par_trend(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    rows = marts.rows("rpt_risk_trend_monthly", order_by="reporting_month")
    thresholds = threshold_columns(rows.columns, r"par_(\d+)")
    if not thresholds:
        raise NoData("marts.rpt_risk_trend_monthly has no PAR column (par_<days>).")
    months = dates(rows.reporting_month)
    fig, ax = new_figure(f"Portfolio at risk ({book.lower_name}), month-end")
    colours = [WARN, BAD, *PAST_DUE_COLOURS[2:]]
    for (days, column), colour in zip(thresholds, colours, strict=False):
        label = f"PAR{days} (> {days} days past due)"
        ax.plot(months, rows[column], color=colour, marker="o", label=label)
    ax.set(
        title=f"Share of active outstanding held by loans past due, up to {book.as_of_date}",
        xlabel="month",
        ylabel="share of outstanding (%)",
    )
    percent_axis(ax.yaxis)
    month_axis(ax.xaxis)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    note(fig, "Thresholds: the build's var par_thresholds. Source: marts.rpt_risk_trend_monthly")
    return fig


def cohort_legend(rows: pd.DataFrame, cohort: str, roles: list[str], age: int | None) -> str:
    curve = rows[rows.cohort == cohort]
    text = f"{' and '.join(roles)}: {cohort} ({curve.cohort_loans.iloc[0]:,} loans)"
    at_age = curve[curve.months_on_book == age].share_ever_late
    if len(at_age) and not pd.isna(at_age.iloc[0]):
        text += f", {at_age.iloc[0]:.0%}"
    return text


def vintage_curves(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    rows = marts.rows("rpt_vintage_curves", order_by="disbursal_month, months_on_book")
    ever = threshold_columns(rows.columns, r"share_ever_(\d+)_plus_dpd")
    if not ever:
        raise NoData("marts.rpt_vintage_curves has no share_ever_<days>_plus_dpd column.")
    days, ever_column = ever[0]  # the first PAR threshold of the build
    rows = rows.rename(columns={ever_column: "share_ever_late"})
    rows["cohort"] = [short_date(month) for month in rows.disbursal_month]
    highlighted, age = highlighted_cohorts(rows, "share_ever_late", cohort="cohort")
    fig, (paid, late) = new_figure(
        f"Vintage curves: {book.lower_name} by disbursal-month cohort", ncols=2
    )
    cohorts = sorted(rows.cohort.unique())
    for cohort in [c for c in cohorts if c not in highlighted] + list(highlighted):
        curve = rows[rows.cohort == cohort]
        roles = highlighted.get(cohort)
        colour = ROLE_COLOURS[roles[0]] if roles else OTHERS_COLOUR
        for ax, column in ((paid, "paid_to_issued_ratio"), (late, "share_ever_late")):
            ax.plot(
                curve.months_on_book,
                curve[column],
                color=colour,
                lw=2.6 if roles else 0.8,
                alpha=1.0 if roles else 0.45,
                marker="o" if roles and len(curve) == 1 else None,
                zorder=3 if roles else 1,
                label=cohort,
            )
    paid.set(
        title="Cumulative paid / issued",
        xlabel="months on book",
        ylabel="cumulative paid / issued (%)",
    )
    late.set(
        title=f"Share of the cohort ever > {days} days past due",
        xlabel="months on book",
        ylabel="share of cohort loans (%)",
    )
    for ax in (paid, late):
        percent_axis(ax.yaxis)
    handles = [
        Line2D([], [], color=ROLE_COLOURS[roles[0]], lw=2.6) for roles in highlighted.values()
    ]
    labels = [cohort_legend(rows, c, roles, age) for c, roles in highlighted.items()]
    others = len(cohorts) - len(highlighted)
    if others:
        handles.append(Line2D([], [], color=OTHERS_COLOUR, lw=0.8))
        labels.append(f"the {others} other cohort{'s' if others > 1 else ''}")
    late.legend(
        handles,
        labels,
        loc="lower right",
        title=f"cohort (disbursal month), share ever\n{days}+ DPD at {age} months on book",
    )
    note(
        fig,
        f"Up to {book.as_of_date}. Worst and median: among cohorts of at least half the median "
        "cohort's loans, at the same months on book. Source: marts.rpt_vintage_curves",
    )
    return fig


def roll_rate_matrix(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
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
    if rows.empty:
        raise NoData("marts.rpt_roll_rates has no month with loans moving between states.")
    states = marts.categories("roll_state")
    order = list(states.code) + sorted(
        (set(rows.from_state) | set(rows.to_state)) - set(states.code)
    )
    names = dict(zip(states.code, states.category_label, strict=True))
    leaving = dict(zip(rows.from_state, rows.from_state_loans, strict=False))
    matrix = rows.pivot(index="from_state", columns="to_state", values="share_of_from_state")
    matrix = matrix.reindex(index=order, columns=order)
    matrix.index = [
        f"{names.get(s, s)}\n({leaving[s]:,} loan{'' if leaving[s] == 1 else 's'})"
        if s in leaving
        else names.get(s, s)
        for s in order
    ]
    matrix.columns = [names.get(s, s) for s in order]
    month = short_date(rows.reporting_month.iloc[0])
    fig, ax = new_figure(f"Roll rates of {book.lower_name} into {month}")
    image = heatmap(ax, matrix, 0, 1, "Blues", lambda share: f"{share:.0%}")
    ax.set(
        title="Share of the loans in a state at the previous month-end, by state now",
        xlabel="state at this month-end",
        ylabel="state at the previous month-end (loans in it)",
    )
    fig.colorbar(
        image, ax=ax, label="share of the from-state's loans (%)", format=PercentFormatter(1)
    )
    note(
        fig,
        "Each row adds up to 100 % of the loans in its from-state (in brackets). Blank: no loan "
        "made that move. Source: marts.rpt_roll_rates (latest complete month)",
    )
    return fig
