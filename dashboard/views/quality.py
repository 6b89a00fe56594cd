"""Data quality: rows loaded, staged and quarantined per feed, and loans flagged by each
rule (rpt_data_quality_summary); the loan book's reconciliation rules
(rpt_data_quality_flags). Feeds are named by the portfolio they feed, for people."""

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.published import has_mart

ui.page_header("Data quality", "family_a", "family_b")
st.caption(
    "Every bad row is quarantined with a reason, never silently dropped; valid but "
    "inconsistent loans stay in the marts and are flagged."
)

ui.require("family_a")  # an absent portfolio: said once here (the loan book's below)

if not has_mart(ui.snapshot(), "rpt_data_quality_summary"):
    st.info(
        "This snapshot was published before rpt_data_quality_summary existed: run "
        "`make build` for the per-feed summary. The reconciliation flags follow."
    )
else:
    summary = ui.mart(
        "select * from marts.rpt_data_quality_summary order by family, source_feed, category, "
        "rows_count desc, issue_code"
    )
    feeds = summary[summary["category"] == "staged"].rename(
        columns={"rows_count": "staged_rows", "share_of_loaded": "staged_share"}
    )
    summary["family"] = summary["family"].map(ui.portfolio_name)
    issues = summary[summary["category"].isin(["quarantined", "flagged"])]
    ui.metric_row(
        {
            "feeds": f"{int(feeds['is_reconciled'].sum())} of {len(feeds)}",
            "quarantined": ui.fmt(
                issues.loc[issues["category"] == "quarantined", "rows_count"].sum(), "count"
            ),
            "flagged": ui.fmt(
                issues.loc[issues["category"] == "flagged", "rows_count"].sum(), "count"
            ),
        },
        ["feeds", "quarantined", "flagged"],
        per_row=3,
        labels={
            "feeds": "Feeds reconciled (loaded = staged + quarantined)",
            "quarantined": "Rows quarantined",
            "flagged": "Loan flags raised (a loan may break several rules)",
        },
    )

    st.subheader("Rows per feed")
    ui.table(
        feeds[
            ["source_feed", "family", "loaded_rows", "staged_rows", "staged_share", "is_reconciled"]
        ],
        key="feeds",
    )

    st.subheader("Quarantined rows and flagged loans")
    quarantined = issues[issues["category"] == "quarantined"]
    if quarantined.empty:
        st.info("No row quarantined.")
    else:
        feeds_order = list(dict.fromkeys(quarantined["source_feed"]))
        ui.chart(
            ui.bars(
                quarantined,
                "source_feed",
                "rows_count",
                order=feeds_order,
                colour=alt.Color(
                    "issue_code:N",
                    title="Reason",
                    legend=alt.Legend(orient="bottom", columns=4, labelLimit=220),
                ),
                details=("issue_code", "share_of_loaded"),
            ),
            key="quarantine_chart",
        )
    ui.table(
        issues[
            ["source_feed", "family", "category", "issue_code", "rows_count", "share_of_loaded"]
        ],
        key="issues",
    )

st.subheader("Loan-book reconciliation rules")
if ui.require("family_b"):
    flags = ui.mart("select * from marts.rpt_data_quality_flags order by rule_order")
    if not flags.empty:
        st.caption(
            f"Each rule checked on all {ui.fmt(flags['loans_checked_count'].iloc[0], 'count')} "
            "staged loan-book loans; the loans stay in every mart, flagged."
        )
    ui.table(
        flags[
            [
                "rule_description",
                "loans_flagged_count",
                "loans_flagged_share",
                "principal_affected_amount",
            ]
        ],
        key="reconciliation_flags",
    )
