"""Charts of the instalment loans' repayment (Family A): score, segments, planned vs actual,
correlations. Each function draws one chart from the marts it declares in the catalogue."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from scripts.charts.marts import Marts, NoData
from scripts.charts.style import (
    ACCENT,
    BAD,
    CORRELATION_CMAP,
    CORRELATION_RANGE,
    GOOD,
    NEUTRAL,
    SERIES,
    amount_label,
    fixed,
    heatmap,
    label_bars,
    new_figure,
    note,
    slant_x_labels,
)

INSTALMENT_LOANS = "family_a"


def require_loans(loans: pd.Series, mart: str, as_of: str | None) -> None:
    """No bars of zero height labelled with undefined shares: say there is nothing to count."""
    if loans.fillna(0).sum() == 0:
        raise NoData(f"marts.{mart} counts no loan as of {as_of or 'the reporting date'}.")


def share_labels(shares: Sequence[float]) -> list[str]:
    return ["" if pd.isna(share) else f"{share:.1%}" for share in shares]


def score_distribution(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    rows = marts.rows(
        "rpt_score_distribution",
        "bucket_kind, bucket, loans, share_of_loans",
        order_by="case bucket_kind when 'band' then 0 when 'tier' then 1 else 2 end, bucket_order",
    )
    require_loans(rows.loans, "rpt_score_distribution", book.as_of_date)
    tiers = marts.categories("score_tier").set_index("code")
    bands = rows[rows.bucket_kind == "band"]
    tiered = rows[rows.bucket_kind != "band"]  # the tiers, then the unscored loans
    fig, (left, right) = new_figure(
        f"Repayment score (0-100) of {book.lower_name}, as of {book.as_of_date}",
        ncols=2,
        width_ratios=[1.7, 1],
    )
    bars = left.bar(bands.bucket, bands.loans, color=ACCENT, label="loans")
    label_bars(left, bars, share_labels(bands.share_of_loans))
    left.set(title="By score band", xlabel="repayment score band", ylabel="loans (count)")
    colours = [NEUTRAL if kind == "unscored" else SERIES[1] for kind in tiered.bucket_kind]
    labels = [
        f"{tiers.category_label[code]}\n{tiers.bounds_label[code]}"
        if code in tiers.index
        else textwrap.fill(code, 8)  # "nothing due yet"
        for code in tiered.bucket
    ]
    bars = right.bar(labels, tiered.loans, color=colours, label="loans")
    label_bars(right, bars, share_labels(tiered.share_of_loans))
    right.set(
        title="By pricing tier (score range)",
        xlabel="pricing tier: [ includes, ) excludes the bound",
        ylabel="loans (count)",
    )
    note(fig, "Labels: share of all loans. Source: marts.rpt_score_distribution")
    return fig


def segment_colour(lower: float, upper: float) -> str:
    """Behind plan (only an upper bound) red, on track (both) green, ahead (only lower) dark."""
    if pd.isna(lower) and pd.isna(upper):
        return NEUTRAL
    if pd.isna(lower):
        return BAD
    return ACCENT if pd.isna(upper) else GOOD


def segment_barplot(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    rows = marts.rows(
        "rpt_repayment_segments", "segment, loans, share_of_loans", order_by="segment_order"
    )
    require_loans(rows.loans, "rpt_repayment_segments", book.as_of_date)
    segments = marts.categories("repayment_segment")
    order = {code: position for position, code in enumerate(segments.code)}
    rows = rows.sort_values("segment", key=lambda s: s.map(order).fillna(len(order)), kind="stable")
    segments = segments.set_index("code")
    labels = [
        f"{segments.category_label[s]}\n{segments.bounds_label[s]}" if s in segments.index else s
        for s in rows.segment
    ]
    colours = [
        segment_colour(segments.lower_bound[s], segments.upper_bound[s])
        if s in segments.index
        else NEUTRAL
        for s in rows.segment
    ]
    fig, ax = new_figure(f"{book.name} by repayment segment, as of {book.as_of_date}")
    bars = ax.bar(labels, rows.loans, color=colours)
    bars.set_label("loans")
    label_bars(ax, bars, share_labels(rows.share_of_loans))
    ax.set(
        title="Loans per segment (paid vs planned to date)",
        xlabel="segment",
        ylabel="loans (count)",
    )
    note(
        fig,
        "Paid ratio = paid / planned to date; bounds from var segment_tolerance. "
        "Labels: share of loans. Source: marts.rpt_repayment_segments",
    )
    return fig


def planned_vs_actual_histogram(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    rows = marts.rows(
        "rpt_planned_vs_actual_distribution",
        "bin_label, plan_side, loans, share_of_loans",
        order_by="bin_number",
    )
    require_loans(rows.loans, "rpt_planned_vs_actual_distribution", book.as_of_date)
    side_colours = {"behind plan": BAD, "around plan": NEUTRAL, "ahead of plan": GOOD}
    colours = [side_colours.get(side, NEUTRAL) for side in rows.plan_side]
    fig, ax = new_figure(
        f"Planned vs actual: paid minus planned to date, per loan of the {book.lower_name}"
    )
    bars = ax.bar(list(rows.bin_label), rows.loans, color=colours, label="loans")
    label_bars(ax, bars, [f"{n:,}" for n in rows.loans])
    ax.set_yscale("symlog", linthresh=10)
    ax.set_ylim(0, max(rows.loans.max(), 10) * 3)  # headroom for the labels
    ax.set(
        title=f"Loans per delta bin (negative = behind plan, positive = ahead), "
        f"as of {book.as_of_date}",
        xlabel=amount_label("delta = paid - planned to date", marts.currency),
        ylabel="loans (count, log scale above 10)",
    )
    slant_x_labels(ax, 35)
    note(
        fig,
        "Source: marts.rpt_planned_vs_actual_distribution (bins: var planned_vs_actual_bin_edges)",
    )
    return fig


def correlation_heatmap(marts: Marts) -> Figure:
    book = marts.portfolio(INSTALMENT_LOANS)
    rows = marts.rows("rpt_repayment_correlations", "feature_x, feature_y, r")
    if rows.r.isna().all():
        raise NoData(
            "marts.rpt_repayment_correlations has no defined correlation "
            f"as of {book.as_of_date} (too few loans, or no variation)."
        )
    # the features' order: category set repayment_feature (macro correlation_features())
    order = marts.ordered("repayment_feature", rows.feature_x.unique().tolist())
    matrix = rows.pivot(index="feature_y", columns="feature_x", values="r").reindex(
        index=order, columns=order
    )
    fig, ax = new_figure(f"Correlation of loan-level repayment features ({book.lower_name})")
    image = heatmap(ax, matrix, *CORRELATION_RANGE, CORRELATION_CMAP, lambda r: fixed(r, 2))
    ax.set(
        title=f"Pearson r as of {book.as_of_date} (blank: undefined)",
        xlabel="feature",
        ylabel="feature",
    )
    slant_x_labels(ax, 35)
    fig.colorbar(image, ax=ax, label="Pearson r: red negative, blue positive", shrink=0.9)
    note(fig, "Source: marts.rpt_repayment_correlations (n per pair in the mart)")
    return fig
