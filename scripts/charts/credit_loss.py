"""Charts of the instalment loans' expected credit loss (IFRS 9, Family A): the allowance and
coverage by stage, the PD term structure per state and the allowance movement as a waterfall.
Each function draws one chart from the marts it declares in the catalogue; every value drawn is
a mart's (the waterfall's bars are placed one after the other, each as tall as its mart line).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from scripts.charts.marts import Marts, NoData
from scripts.charts.style import (
    ACCENT,
    BAD,
    GOOD,
    SERIES,
    WARN,
    amount_axis,
    amount_label,
    compact_amount,
    label_bars,
    new_figure,
    note,
    percent_axis,
    short_date,
    slant_x_labels,
)

INSTALMENT_LOANS = "family_a"
STAGE_COLOURS = [GOOD, WARN, BAD]  # stage 1, 2, 3
WATERFALL_COLOURS = {"balance": ACCENT, "increase": BAD, "decrease": GOOD}


def words(code: str) -> str:
    """A mart code as words: 'transfer_to_stage_2' -> 'Transfer to stage 2'."""
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


def ecl_by_stage(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    rows = marts.rows(
        "rpt_ecl_by_stage",
        "stage, loans, gross_carrying_amount, allowance_amount, coverage_ratio",
        order_by="stage",
    )
    if rows.loans.sum() == 0:
        raise NoData(f"marts.rpt_ecl_by_stage counts no active loan as of {book.as_of_date}.")
    labels = [
        f"Stage {stage}\n({loans:,} loan{'' if loans == 1 else 's'})"
        for stage, loans in zip(rows.stage, rows.loans, strict=True)
    ]
    colours = STAGE_COLOURS[: len(rows)]
    fig, (allowance, coverage) = new_figure(
        f"Loss allowance (IFRS 9 ECL) by stage: {book.lower_name}, as of {book.as_of_date}",
        ncols=2,
    )
    bars = allowance.bar(labels, rows.allowance_amount.astype(float), color=colours)
    label_bars(allowance, bars, [compact_amount(v) for v in rows.allowance_amount.astype(float)])
    allowance.set(
        title="Loss allowance (ECL booked)",
        xlabel="stage (active loans)",
        ylabel=amount_label("loss allowance", marts.currency),
    )
    amount_axis(allowance.yaxis)
    allowance.margins(y=0.12)
    shares = rows.coverage_ratio.astype(float)
    bars = coverage.bar(labels, shares.fillna(0), color=colours)
    label_bars(coverage, bars, ["no loan" if np.isnan(v) else f"{v:.1%}" for v in shares])
    coverage.set(
        title="Coverage: ECL / gross carrying amount",
        xlabel="stage (active loans)",
        ylabel="coverage (%)",
    )
    percent_axis(coverage.yaxis)
    coverage.set_ylim(0, max(1.0, float(shares.max(skipna=True) or 0)) * 1.08)
    note(
        fig,
        "Stage 3: > 90 days past due (ECL = LGD x EAD); stage 2: > 30 days past due or on cure "
        "probation (lifetime ECL); stage 1: 12-month ECL. Source: marts.rpt_ecl_by_stage",
    )
    return fig


def pd_term_structure(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    absorbing = marts.rows(
        "rpt_transition_matrix",
        "from_state",
        where="is_as_of_date and is_absorbing_state",
        distinct=True,
    ).from_state.tolist()
    rows = marts.rows(
        "rpt_pd_term_structure",
        "from_state, from_state_order, horizon_months, cumulative_pd, evaluation_date",
        where="is_as_of_date",
        order_by="from_state_order, horizon_months",
    )
    rows = rows[~rows.from_state.isin(absorbing)]
    if rows.empty:
        raise NoData("marts.rpt_pd_term_structure has no non-absorbing state at the as-of date.")
    names = marts.categories("roll_state").set_index("code").category_label
    fig, ax = new_figure(
        f"Probability of default by horizon: {book.lower_name}, as of {book.as_of_date}"
    )
    for (state, curve), colour in zip(
        rows.groupby("from_state", sort=False), SERIES * 2, strict=False
    ):
        ax.plot(
            curve.horizon_months,
            curve.cumulative_pd,
            color=colour,
            lw=2,
            label=f"{names.get(state, state)}: {curve.cumulative_pd.iloc[-1]:.1%} "
            f"at {curve.horizon_months.iloc[-1]} months",
        )
    ax.set(
        title="Cumulative PD: chance of reaching 90+ (default) within the horizon, by state now",
        xlabel="horizon (months)",
        ylabel="cumulative PD (%)",
    )
    percent_axis(ax.yaxis)
    ax.set_ylim(0, 1)
    ax.set_xlim(left=0)
    ax.legend(loc="lower right", title="state now")
    absorbing_names = " and ".join(names.get(s, s) for s in names.index if s in absorbing)
    note(
        fig,
        f"cPD(h) = (P^h)[state, 90+], P the month-end transition matrix at "
        f"{short_date(rows.evaluation_date.iloc[0])}. {absorbing_names} are absorbing (cPD 1 "
        "and 0), not drawn. Source: marts.rpt_pd_term_structure, marts.rpt_transition_matrix",
    )
    return fig


def waterfall(ax: Axes, lines: pd.DataFrame, currency: str) -> None:
    """One stage's lines as a waterfall: opening and closing from 0, each line floating from
    where the previous one ended (bar placement only; each bar is as tall as its mart line)."""
    amounts = lines.allowance_amount.astype(float).to_numpy()
    is_balance = lines.movement.isin(["opening", "closing"]).to_numpy()
    ends = amounts[0] + np.cumsum(np.where(is_balance, 0.0, amounts))
    bottoms = np.where(is_balance, 0.0, ends - amounts)
    kinds = [
        "balance" if balance else ("increase" if amount >= 0 else "decrease")
        for balance, amount in zip(is_balance, amounts, strict=True)
    ]
    bars = ax.bar(
        [words(code) for code in lines.movement],
        amounts,
        bottom=bottoms,
        color=[WATERFALL_COLOURS[kind] for kind in kinds],
        label=f"stage {lines.stage.iloc[0]}",
    )
    label_bars(ax, bars, [fixed_compact(amount) for amount in amounts])
    ax.set(
        title=f"Stage {lines.stage.iloc[0]}",
        xlabel="movement",
        ylabel=amount_label("loss allowance", currency),
    )
    amount_axis(ax.yaxis)
    ax.set_ylim(min(0.0, float(np.min(bottoms))), float(np.max(np.r_[ends, amounts])) * 1.15 or 1)
    slant_x_labels(ax, 50)


def fixed_compact(amount: float) -> str:
    """A bar's label: compact, signed, never '-0'."""
    text = compact_amount(amount)
    return "0" if text in ("-0", "0") else text


def allowance_movement(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    rows = marts.rows(
        "rpt_allowance_movement",
        "stage, movement, movement_order, allowance_amount, opening_date",
        order_by="stage, movement_order",
    )
    stages = list(dict.fromkeys(rows.stage))
    fig, axes = new_figure(
        f"Loss allowance movement by stage: {book.lower_name}, "
        f"{rows.opening_date.iloc[0]:%Y-%m-%d} to {book.as_of_date}",
        ncols=len(stages),
    )
    for ax, stage in zip(np.atleast_1d(axes), stages, strict=True):
        waterfall(ax, rows[rows.stage == stage], marts.currency)
    note(
        fig,
        "Dark: opening and closing; red: increase; green: decrease. Opening + the lines = "
        "closing, to the cent; transfers move allowance between stages. "
        "Source: marts.rpt_allowance_movement",
    )
    return fig
