"""The data-quality chart: what was loaded, set aside (quarantined) and flagged, per raw feed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from scripts.charts.marts import Marts, NoData
from scripts.charts.style import BAD, GOOD, WARN, new_figure, note, percent_axis

DQ_COLOURS = {"staged": GOOD, "quarantined": BAD, "flagged": WARN}
DQ_CATEGORY_ORDER = (
    "case category when 'loaded' then 0 when 'staged' then 1 when 'quarantined' then 2 else 3 end"
)


def feed_label(feed: str, loaded: int, reconciled: bool) -> str:
    if loaded == 0:
        return f"{feed}\nno rows (feed absent or empty)"
    return f"{feed}\n{loaded:,} rows loaded{'' if reconciled else ' - NOT RECONCILED'}"


def data_quality_summary(marts: Marts) -> Figure:
    rows = marts.rows(
        "rpt_data_quality_summary",
        "source_feed, category, issue_code, rows_count, share_of_loaded, loaded_rows, "
        "is_reconciled",
        order_by=f"family, source_feed, {DQ_CATEGORY_ORDER}, rows_count desc, issue_code",
    )
    if rows.loaded_rows.fillna(0).sum() == 0:
        raise NoData("No feed had any row: nothing was loaded, so nothing can be checked.")
    feeds = rows.drop_duplicates("source_feed")
    names = feeds.source_feed.tolist()
    fig, (split, issues) = new_figure(
        "Data quality: what was loaded, set aside and flagged, per feed",
        ncols=2,
        width_ratios=[1, 1.5],
    )
    # left: each feed's loaded rows, staged then quarantined by reason, as stored shares;
    # a feed with no row loaded has no share to draw (its label says so)
    left = np.zeros(len(names))
    parts = rows[rows.category.isin(["staged", "quarantined"]) & (rows.loaded_rows > 0)]
    for part in parts.itertuples(index=False):
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
            feed_label(feed, loaded, ok)
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
                f"{n:,}" if pd.isna(share) else f"{n:,} ({share:.1%})"
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
        issues.set_xlim(0, 1)
    else:
        issues.set_xlim(0, problems.rows_count.max() * 1.25)  # room for the labels
    issues.invert_yaxis()
    issues.set(
        title="What was wrong, per reason or flag",
        xlabel="quarantined rows / flagged loans (count)",
    )
    issues.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2)
    note(
        fig,
        "Quarantined rows are set aside with a reason; flagged rows are kept and marked. "
        "Labels: rows (share of the feed's loaded rows). Source: marts.rpt_data_quality_summary",
    )
    return fig
