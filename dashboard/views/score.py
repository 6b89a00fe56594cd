"""Repayment score & segments of the instalment loans: segments (rpt_repayment_segments),
score bands and tiers (rpt_score_distribution), the learned default model against the rule
score (rpt_default_model_performance) and risk-based pricing (rpt_pricing_tiers), planned vs
actual (rpt_planned_vs_actual_distribution), correlations (rpt_repayment_correlations) and
the loans of the chosen segments (fct_loan_repayment). A snapshot without the model or pricing
marts (older, or built on an engine other than DuckDB) says so instead."""

import altair as alt
import streamlit as st

from dashboard import ui

LOAN_ROWS = 2000  # loans listed at most: a large book has a million
# Segments in the reference mart's order (underpaid, on track, overpaid, not yet due).
SEGMENT_PALETTE = ["#d62728", "#2ca02c", "#1f77b4", "#9e9e9e"]
SIDES = {"Behind plan": "#d62728", "Around plan": "#9e9e9e", "Ahead of plan": "#1f77b4"}


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

st.subheader("Learned default model vs the rule score")
performance = ui.optional_mart(
    "rpt_default_model_performance",
    "select * from marts.rpt_default_model_performance order by model_name",
)
if performance is None or performance.empty:
    st.info(
        "This snapshot has no learned default model (built before it existed, or on an "
        "engine other than DuckDB, where the model is not run)."
    )
else:
    learned = performance[performance["model_name"] == "learned"]
    verdict = learned["verdict"].iloc[0] if len(learned) else performance["verdict"].iloc[0]
    beats = len(learned) > 0 and learned["beats_rule_score"].fillna(False).astype(bool).iloc[0]
    (st.success if beats else st.warning)(verdict[:1].upper() + verdict[1:] + ".")
    window = performance.iloc[0]
    st.caption(
        "Outcome: an active loan at most 30 days past due at a month-end is more than 30 days "
        "past due at one of the next three month-ends. Trained on month-ends "
        f"{ui.fmt(window['training_window_start_date'], 'date')} to "
        f"{ui.fmt(window['training_window_end_date'], 'date')}, compared out of time on "
        f"{ui.fmt(window['evaluation_window_start_date'], 'date')} to "
        f"{ui.fmt(window['evaluation_window_end_date'], 'date')} (same rows for both). "
        "AUC: chance a loan that went 30+ is ranked riskier than one that did not (0.5 = "
        "chance); Brier: mean squared error of the probability (lower is better)."
    )
    ui.table(
        performance[
            [
                "model_label",
                "auc",
                "brier_score",
                "evaluation_rows_count",
                "outcome_rate",
                "training_rows_count",
                "model_status",
            ]
        ],
        key="default_model_performance",
    )

st.subheader("Risk-based pricing")
pricing = ui.optional_mart(
    "rpt_pricing_tiers",
    "select * from marts.rpt_pricing_tiers order by pricing_basis desc, tier_sort_order",
)
if pricing is None or pricing.empty:
    st.info("This snapshot has no pricing tiers (built before they existed, or no outcome yet).")
else:
    first = pricing.iloc[0]
    st.caption(
        "Break-even annual rate = (funding + operating cost + EL) ÷ (1 − EL) + margin, with "
        f"funding {ui.fmt(first['funding_cost_rate'], 'share')}, operating cost "
        f"{ui.fmt(first['operating_cost_rate'], 'share')}, margin "
        f"{ui.fmt(first['target_margin_rate'], 'share')}; EL (expected loss a year) = "
        "(1 − (1 − observed 90+ rate)⁴) × LGD "
        f"({ui.fmt(first['lgd'], 'share')}, the credit-loss workout LGD). Observed rates: "
        "loans reaching 30+ / 90+ days past due within three month-ends. A rate above 100 % "
        "a year marks a group to decline, not to price."
    )
    tier_bounds = ui.bounds("score_tier")
    columns = [
        "tier_code",
        "observations_count",
        "observed_30_plus_rate",
        "observed_90_plus_rate",
        "expected_loss_rate",
        "break_even_annual_rate",
    ]
    by_tier = pricing[pricing["pricing_basis"] == "score_tier"]
    by_tier = by_tier.assign(
        tier_code=[f"{tier} {tier_bounds.get(tier, '')}" for tier in by_tier["tier_code"]]
    )
    by_decile = pricing[pricing["pricing_basis"] == "probability_decile"]
    left, right = st.columns(2)
    with left:
        st.markdown("**Per score tier**")
        ui.table(by_tier[columns], key="pricing_by_tier")
    with right:
        st.markdown("**Per learned-model decile** (10 = riskiest; out-of-time loans)")
        if by_decile.empty:
            st.info("No learned-model deciles in this snapshot.")
        else:
            ui.table(by_decile[columns], key="pricing_by_decile")
    ui.chart(
        ui.bars(
            by_tier,
            "tier_code",
            "break_even_annual_rate",
            order=list(by_tier["tier_code"]),
            title="Score tier",
            details=("observed_30_plus_rate", "expected_loss_rate"),
        ),
        key="pricing_chart",
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
# Feature names and order: the vocabulary (category set repayment_feature); an older
# snapshot without it shows the codes in the order the data gives them.
present = list(dict.fromkeys(correlations["feature_x"]))
features = ui.categories("repayment_feature", required=False)
feature_names = dict(zip(features["code"], features["category_label"], strict=True))
feature_order = [feature_names.get(code, code) for code in ui.ordered("repayment_feature", present)]
correlations["x"] = correlations["feature_x"].map(lambda code: feature_names.get(code, code))
correlations["y"] = correlations["feature_y"].map(lambda code: feature_names.get(code, code))
grid = alt.Chart(correlations).encode(
    x=alt.X("x:N", title=None, sort=feature_order, axis=alt.Axis(labelAngle=-30)),
    y=alt.Y("y:N", title=None, sort=feature_order),
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
