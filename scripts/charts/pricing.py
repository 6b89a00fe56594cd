"""Chart of risk-based pricing (issue 15 §3): the break-even annual rate per repayment score
tier and per decile of the learned default model, with the observed 30+ rate beside it.
Every value drawn is a row of marts.rpt_pricing_tiers; tier names and bounds come from the
vocabulary (rpt_reference_categories). A rate above the axis cap is drawn at the cap and its
label says its value and "decline".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from scripts.charts.marts import Marts, NoData
from scripts.charts.style import ACCENT, WARN, label_bars, new_figure, note, percent_axis

INSTALMENT_LOANS = "family_a"
RATE_CAP = 1.0  # 100 % a year: above it a group is declined, not priced
BAR_WIDTH = 0.4


def rate_label(value: float) -> str:
    if np.isnan(value):
        return "n/a"
    return f"{value:.0%} decline" if value > RATE_CAP else f"{value:.1%}"


def rate_bars(ax: Axes, labels: list[str], rows: pd.DataFrame, title: str, xlabel: str) -> None:
    """Break-even rate (capped) and observed 30+ rate, side by side per group."""
    positions = np.arange(len(labels))
    rates = rows.break_even_annual_rate.astype(float).to_numpy()
    late = rows.observed_30_plus_rate.astype(float).to_numpy()
    bars = ax.bar(
        positions - BAR_WIDTH / 2,
        np.minimum(np.nan_to_num(rates), RATE_CAP),
        BAR_WIDTH,
        color=ACCENT,
        label="break-even annual rate",
    )
    label_bars(ax, bars, [rate_label(v) for v in rates])
    late_bars = ax.bar(
        positions + BAR_WIDTH / 2, late, BAR_WIDTH, color=WARN, label="observed 30+ rate (3 months)"
    )
    label_bars(ax, late_bars, [f"{v:.0%}" for v in late])
    ax.set_xticks(positions, labels)
    ax.set(title=title, xlabel=xlabel, ylabel="rate (%)")
    percent_axis(ax.yaxis)
    ax.set_ylim(0, RATE_CAP * 1.15)
    ax.legend(loc="upper left", fontsize=8)


def pricing_tiers(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    rows = marts.rows(
        "rpt_pricing_tiers",
        "pricing_basis, tier_code, tier_sort_order, observations_count, observed_30_plus_rate, "
        "break_even_annual_rate, lgd, funding_cost_rate, operating_cost_rate, target_margin_rate",
        order_by="pricing_basis, tier_sort_order",
    )
    tiers = rows[rows.pricing_basis == "score_tier"]
    deciles = rows[rows.pricing_basis == "probability_decile"]
    if tiers.empty:
        raise NoData("marts.rpt_pricing_tiers has no score tier with an observed outcome.")
    vocabulary = marts.categories("score_tier").set_index("code")
    tier_labels = [
        f"{code} {vocabulary.bounds_label.get(code, '')}\n({count:,})".replace("  ", " ")
        for code, count in zip(tiers.tier_code, tiers.observations_count, strict=True)
    ]
    fig, (by_tier, by_decile) = new_figure(
        f"Break-even annual rate by risk: {book.lower_name}, as of {book.as_of_date}", ncols=2
    )
    rate_bars(
        by_tier,
        tier_labels,
        tiers,
        "Per repayment score tier",
        "score tier [bounds] (loan month-ends)",
    )
    if deciles.empty:
        by_decile.set_axis_off()
        by_decile.set_title("Per learned-model decile: not built (DuckDB only)")
    else:
        rate_bars(
            by_decile,
            [str(code) for code in deciles.tier_code],
            deciles,
            "Per learned-model decile (out-of-time rows)",
            "decile of predicted probability (10 = riskiest)",
        )
    first = rows.iloc[0]
    note(
        fig,
        f"rate = (funding {first.funding_cost_rate:.1%} + opex {first.operating_cost_rate:.1%} "
        f"+ EL) / (1 - EL) + margin {first.target_margin_rate:.1%}; EL = (1 - (1 - 90+ rate)^4)"
        f" x LGD {first.lgd:.0%}. Source: marts.rpt_pricing_tiers",
    )
    return fig
