"""Charts of the loan book (Family B: branches, customers, loans): branches, regions, borrower
segments, statuses. Each function draws one chart from the marts it declares in the catalogue."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from scripts.charts.marts import Marts
from scripts.charts.style import (
    ACCENT,
    BAD,
    GOOD,
    NEUTRAL,
    WARN,
    amount_axis,
    amount_label,
    grouped_barh,
    label_bars,
    new_figure,
    note,
    percent_axis,
    slant_x_labels,
)

LOAN_BOOK = "family_b"
# Loan statuses as the fact_loans feed spells them (not a category set of the vocabulary):
# their colours, and the order they stack in (statuses not listed come last, grey).
STATUS_COLOURS = {"Paid": GOOD, "In Progress": ACCENT, "Approved": "#8ecae6", "Defaulted": BAD}


def branch_kpis(marts: Marts) -> Figure:
    book = marts.portfolio(LOAN_BOOK)
    rows = marts.rows(
        "rpt_branch_kpis",
        "branch_name, region, disbursed_amount, repaid_amount, outstanding_amount, "
        "default_rate, collection_rate",
        order_by="disbursed_amount_rank, branch_name",
    )
    labels = [
        f"{name} ({region})" for name, region in zip(rows.branch_name, rows.region, strict=True)
    ]
    fig, (amounts, rates) = new_figure(
        f"{book.name}: branches' volumes and rates, as of {book.as_of_date}", ncols=2, sharey=True
    )
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
    amounts.set(
        title="Amounts",
        xlabel=amount_label("amount", marts.currency),
        ylabel="branch (region), by disbursed",
    )
    amount_axis(amounts.xaxis)
    amounts.legend(loc="lower right")
    grouped_barh(
        rates,
        labels,
        {"default rate (loans)": rows.default_rate, "collection rate": rows.collection_rate},
        [BAD, GOOD],
    )
    rates.set(title="Default and collection rates", xlabel="rate (%)")
    percent_axis(rates.xaxis)
    rates.set_xlim(0, 1)
    rates.legend(loc="lower right")
    note(
        fig,
        "Default rate = defaulted / all loans; collection rate = repaid / disbursed. "
        "Source: marts.rpt_branch_kpis",
    )
    return fig


def region_default_rates(marts: Marts) -> Figure:
    book = marts.portfolio(LOAN_BOOK)
    rows = marts.rows(
        "rpt_region_kpis",
        "region, loans_count, default_rate, resolved_default_rate, amount_default_rate",
        order_by="default_rate_rank, region",
    )
    labels = [
        f"{region} ({n:,} loans)" for region, n in zip(rows.region, rows.loans_count, strict=True)
    ]
    fig, ax = new_figure(f"{book.name}: default rates by region, as of {book.as_of_date}")
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
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=1)
    note(fig, "Sorted by default rate, highest first. Source: marts.rpt_region_kpis")
    return fig


SEGMENT_PANELS = (
    ("age_band", "Age band", "age_band_order"),
    ("income_band", "Income band", "income_band_order"),
    ("employment_status", "Employment status", None),
)


def default_rate_by_segment(marts: Marts) -> Figure:
    book = marts.portfolio(LOAN_BOOK)
    rows = marts.rows(
        "rpt_demographic_segments",
        "segment_dimension, segment_value, is_small_sample, loans_count, default_rate",
        where="dimensions_count <= 1",
        order_by="segment_dimension, segment_value",
    )
    portfolio = rows[rows.segment_dimension == "portfolio"].default_rate
    fig, axes = new_figure(
        f"{book.name}: default rate by borrower segment, as of {book.as_of_date}",
        ncols=3,
        sharey=True,
    )
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
    book = marts.portfolio(LOAN_BOOK)
    rows = marts.rows(
        "rpt_portfolio_overview",
        "loan_status, loans_count_share, disbursed_amount_share",
        where="not is_portfolio_total",
        order_by="loan_status",
    )
    known = {status: position for position, status in enumerate(STATUS_COLOURS)}
    rows = rows.sort_values("loan_status", key=lambda s: s.map(known).fillna(len(known)))
    fig, ax = new_figure(f"{book.name} by status, as of {book.as_of_date}")
    kinds = ["by count (loans)", amount_label("by amount disbursed", marts.currency)]
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
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=max(len(rows), 1))
    note(fig, "Active = In Progress + Approved. Source: marts.rpt_portfolio_overview")
    return fig
