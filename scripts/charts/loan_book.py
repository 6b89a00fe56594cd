"""Charts of the loan book (Family B: branches, customers, loans): branches, regions, borrower
segments, statuses. Each function draws one chart from the marts it declares in the catalogue."""

from __future__ import annotations

import numpy as np
import pandas as pd
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
    dates,
    grouped_barh,
    label_bars,
    month_axis,
    new_figure,
    note,
    percent_axis,
    slant_x_labels,
)

LOAN_BOOK = "family_b"
# Presentation only: the colour of each loan status (a status without one is grey). The
# statuses and the order they stack in are the vocabulary's (category set loan_status of
# rpt_reference_categories, from the feed contract), not typed here.
STATUS_COLOURS = {"Paid": GOOD, "In Progress": ACCENT, "Approved": "#8ecae6", "Defaulted": BAD}
# The risk tiers as rpt_risk_tiers names them (accepted values of its risk_tier column).
TIER_COLOURS = {"high": BAD, "medium": WARN, "low": GOOD}


def branch_kpis(marts: Marts) -> Figure:
    book = marts.portfolio(LOAN_BOOK)
    rows = marts.rows(
        "rpt_branch_kpis",
        "branch_name, region, disbursed_amount, repaid_amount, outstanding_amount, "
        "default_rate, collection_rate, behind_schedule_share",
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
        {
            "default rate (loans)": rows.default_rate,
            "collection rate": rows.collection_rate,
            "behind schedule (share of active loans)": rows.behind_schedule_share,
        },
        [BAD, GOOD, WARN],
    )
    rates.set(title="Default, collection and behind-schedule rates", xlabel="rate (%)")
    percent_axis(rates.xaxis)
    rates.set_xlim(0, 1)
    rates.legend(loc="lower right")
    note(
        fig,
        "Default = defaulted / all loans; collection = repaid / disbursed; behind schedule = "
        "share of active loans behind their amortisation schedule. Source: marts.rpt_branch_kpis",
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
    order = marts.ordered("loan_status", list(rows.loan_status))
    rows = rows.set_index("loan_status").loc[order].reset_index()
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


COHORT_NOTE = (
    "Repaid and defaulted: each start-month cohort's outcome as reported at the extract "
    "(the feed has no payment or default dates)."
)


def loan_book_monthly(marts: Marts) -> Figure:
    book = marts.portfolio(LOAN_BOOK)
    rows = marts.rows(
        "rpt_loan_book_monthly",
        "start_month, disbursed_amount, repaid_amount, defaulted_amount, default_rate, "
        "behind_schedule_share",
        order_by="start_month",
    )
    months = dates(rows.start_month)
    fig, (amounts, rates) = new_figure(
        f"{book.name}: disbursements, repayments and defaults by start month, "
        f"as of {book.as_of_date}",
        ncols=2,
    )
    for column, name, colour in (
        ("disbursed_amount", "disbursed", ACCENT),
        ("repaid_amount", "repaid by the cohort", GOOD),
        ("defaulted_amount", "defaulted (amount lent)", BAD),
    ):
        amounts.plot(months, rows[column], color=colour, marker=".", label=name)
    amounts.set(
        title="Amounts of the loans started each month",
        xlabel="start month",
        ylabel=amount_label("amount", marts.currency),
    )
    amount_axis(amounts.yaxis)
    amounts.set_ylim(0, amounts.get_ylim()[1] * 1.25)  # headroom: the legend clears the lines
    amounts.legend(loc="upper left", ncols=3)
    for column, name, colour in (
        ("default_rate", "default rate (defaulted / loans started)", BAD),
        ("behind_schedule_share", "behind schedule (share of active loans)", WARN),
    ):
        rates.plot(months, rows[column], color=colour, marker=".", label=name)
    rates.set(title="Rates of each start-month cohort", xlabel="start month", ylabel="rate (%)")
    percent_axis(rates.yaxis)
    rates.set_ylim(0, 1)
    rates.legend(loc="upper left")
    for ax in (amounts, rates):
        month_axis(ax.xaxis)
    note(fig, f"{COHORT_NOTE} Source: marts.rpt_loan_book_monthly")
    return fig


def tier_separation(auc: float | None, gini: float | None) -> str:
    """How well the tiers rank defaults, in the words a risk analyst reads."""
    if auc is None or pd.isna(auc):
        return "AUC undefined: the book has no defaulted or no other loan"
    return f"the tiers rank defaults with AUC {auc:.2f} (0.5 is chance, 1 perfect), Gini {gini:.2f}"


def risk_tiers(marts: Marts) -> Figure:
    book = marts.portfolio(LOAN_BOOK)
    rows = marts.rows(
        "rpt_risk_tiers",
        "risk_tier, loans_count, defaulted_loans_count, default_rate, tier_auc, tier_gini",
        order_by="risk_tier_order",
    )
    fig, ax = new_figure(f"{book.name}: default rate by risk tier, as of {book.as_of_date}")
    colours = [TIER_COLOURS.get(tier, NEUTRAL) for tier in rows.risk_tier]
    bars = ax.bar(rows.risk_tier, rows.default_rate, color=colours, label="default rate")
    label_bars(
        ax,
        bars,
        [
            f"{rate:.1%}: {d:,} of {n:,} loans" if not pd.isna(rate) else "no loan"
            for rate, d, n in zip(
                rows.default_rate, rows.defaulted_loans_count, rows.loans_count, strict=True
            )
        ],
    )
    ax.set(
        title=tier_separation(rows.tier_auc.iloc[0], rows.tier_gini.iloc[0]),
        xlabel="risk tier (from information known at origination)",
        ylabel="default rate = defaulted / loans of the tier (%)",
    )
    percent_axis(ax.yaxis, decimals=1)
    ax.set_ylim(bottom=0)
    note(
        fig,
        "Tiers from loan size vs income, interest rate and employment, never from the loan's "
        "status; default = status Defaulted at the extract. Source: marts.rpt_risk_tiers",
    )
    return fig
