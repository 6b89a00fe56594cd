"""Repayment score & segments of the instalment loans: segments (rpt_repayment_segments),
score bands and tiers (rpt_score_distribution), planned vs actual
(rpt_planned_vs_actual_distribution), correlations (rpt_repayment_correlations) and the
loans of the chosen segments (fct_loan_repayment)."""

import altair as alt
import streamlit as st

from dashboard import ui

LOAN_ROWS = 2000  # loans listed at most: a large book has a million
# Segments in the reference mart's order (underpaid, on track, overpaid, not yet due).
SEGMENT_PALETTE = ["#d62728", "#2ca02c", "#1f77b4", "#9e9e9e"]
SIDES = {"Behind plan": "#d62728", "Around plan": "#9e9e9e", "Ahead of plan": "#1f77b4"}
FEATURES = {
    "issued_sum": "Issued",
    "term_days": "Term (days)",
    "planned_total": "Planned total",
    "paid_to_date": "Paid to date",
    "paid_ratio": "Paid ÷ planned",
    "delta": "Paid − planned",
    "current_dpd": "DPD",
    "max_dpd": "Worst DPD",
    "payments_count": "Payments",
    "score": "Score",
}


ui.page_header("Repayment score & segments", "family_a")
ui.require_or_stop("family_a")
chosen = ui.selected_segments()
SEGMENTS = ui.codes("repayment_segment")
SEGMENT_BOUNDS = ui.bounds("repayment_segment")

st.subheader("Segments")
st.caption(
    "; ".join(
        f"{segment}: {SEGMENT_BOUNDS[segment]}" for segment in SEGMENTS if segment in SEGMENT_BOUNDS
    )
    + " (paid ratio = paid to date ÷ planned to date). Narrow the segments in the sidebar."
)
segments = ui.mart("select * from marts.rpt_repayment_segments order by segment_order")
segments = segments[segments["segment"].isin(chosen)]
totals = segments[["loans", "active_loans", "outstanding_amount"]].sum()
ui.metric_row(
    totals,
    ["loans", "active_loans", "outstanding_amount"],
    per_row=3,
    labels={
        "loans": "Loans in these segments",
        "active_loans": "Of which active",
        "outstanding_amount": "Their outstanding",
    },
)
ui.table(
    segments[
        [
            "segment",
            "loans",
            "share_of_loans",
            "active_loans",
            "principal_amount",
            "outstanding_amount",
            "delta_amount",
            "average_repayment_score",
            "average_days_past_due",
            "average_paid_ratio",
        ]
    ],
    key="repayment_segments",
)
left, _ = st.columns([3, 2])
with left:
    colours = alt.Scale(domain=SEGMENTS, range=SEGMENT_PALETTE[: len(SEGMENTS)])
    ui.chart(
        ui.bars(
            segments,
            "segment",
            "loans",
            order=list(segments["segment"]),
            colour=alt.Color("segment:N", legend=None, scale=colours),
        ),
        key="segment_chart",
    )

st.subheader("Repayment score (0–100)")
weights = ui.help_for("repayment_score")
st.caption(
    f"Score {weights} All disbursed loans, whatever the segment filter; loans with nothing "
    "due yet have no score. A tier's range [a, b) includes a and not b."
)
distribution = ui.mart(
    "select * from marts.rpt_score_distribution order by bucket_kind, bucket_order"
)
score_bands = distribution[distribution["bucket_kind"] == "band"]
left, right = st.columns([2, 3])
with left:
    ui.chart(
        ui.bars(
            score_bands,
            "bucket",
            "loans",
            order=list(score_bands["bucket"]),
            title="Score band",
            vertical=True,
        ),
        key="score_bands",
    )
with right:
    tiers = distribution[distribution["bucket_kind"] != "band"].sort_values(
        ["bucket_kind", "bucket_order"], ascending=[False, True]
    )
    tier_bounds = ui.bounds("score_tier")
    tiers = tiers.assign(
        score_range=[
            tier_bounds.get(tier, "no score") if kind_ == "tier" else "no score"
            for tier, kind_ in zip(tiers["bucket"], tiers["bucket_kind"], strict=True)
        ]
    )
    ui.table(
        tiers[
            [
                "bucket",
                "score_range",
                "loans",
                "share_of_loans",
                "principal_amount",
                "min_score",
                "max_score",
            ]
        ],
        key="score_tiers",
        config={
            "bucket": st.column_config.TextColumn("Tier", width=120),
            "score_range": st.column_config.TextColumn(
                "Score range",
                help="The tier's bounds: [60, 80) holds scores from 60 up to, not including, 80.",
                width=ui.header_width("Score range"),
            ),
            "min_score": st.column_config.NumberColumn(
                "Lowest",
                help="The lowest score of a loan in the tier (two decimals).",
                format="%.2f",
                width=ui.header_width("Lowest"),
            ),
            "max_score": st.column_config.NumberColumn(
                "Highest",
                help="The highest score of a loan in the tier (two decimals).",
                format="%.2f",
                width=ui.header_width("Highest"),
            ),
        },
    )

st.subheader("Planned vs actual")
st.caption("Paid − planned to date per loan (negative = behind), all disbursed loans.")
bins = ui.mart("select * from marts.rpt_planned_vs_actual_distribution order by bin_number")
bins["side"] = bins["plan_side"].str.capitalize()
ui.chart(
    ui.bars(
        bins,
        "bin_label",
        "loans",
        order=list(bins["bin_label"]),
        title="Paid − planned",
        colour=alt.Color(
            "side:N",
            title=None,
            scale=alt.Scale(domain=list(SIDES), range=list(SIDES.values())),
            legend=alt.Legend(orient="top"),
        ),
    ),
    key="planned_vs_actual",
)

st.subheader("What moves with what")
st.caption("Pearson r between loan-level measures (1 = move together, −1 = opposite).")
correlations = ui.mart("select * from marts.rpt_repayment_correlations")
correlations["label"] = correlations["r"].map(ui.correlation_text)
correlations["x"] = correlations["feature_x"].map(FEATURES)
correlations["y"] = correlations["feature_y"].map(FEATURES)
grid = alt.Chart(correlations).encode(
    x=alt.X("x:N", title=None, sort=list(FEATURES.values()), axis=alt.Axis(labelAngle=-30)),
    y=alt.Y("y:N", title=None, sort=list(FEATURES.values())),
)
ui.chart(
    ui.heatmap(
        grid,
        alt.Color("r:Q", title="r", scale=alt.Scale(scheme="redblue", domain=[-1, 1])),
        text="label",
        dark_when="abs(datum.r) > 0.6",
        tooltip=[
            alt.Tooltip("x:N", title="Measure"),
            alt.Tooltip("y:N", title="With"),
            alt.Tooltip("r:Q", title="Pearson r", format=".3f"),
            alt.Tooltip("n:Q", title="Loans", format=",d"),
        ],
    ).properties(height=440),
    key="correlations",
)

st.subheader("Loans in the chosen segments")
in_segments = ui.mart(
    "select count(*) as loans from marts.fct_loan_repayment where list_contains(?, segment)",
    chosen,
)["loans"].iloc[0]
loans = ui.mart(
    "select loan_id, segment, score_tier, repayment_score, paid_ratio, days_past_due, "
    "max_days_past_due, outstanding_amount, principal_amount, disbursed_date "
    "from marts.fct_loan_repayment where list_contains(?, segment) "
    "order by repayment_score nulls last, loan_id limit ?",
    chosen,
    LOAN_ROWS,
)
st.caption(
    f"{in_segments:,} loans, lowest score first"
    + (f"; the first {LOAN_ROWS:,} shown." if in_segments > LOAN_ROWS else ".")
)
ui.table(loans, key="segment_loans", height=400)
