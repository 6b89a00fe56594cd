"""Demographics vs default (the loan book): default rates per segment and per pair of segments
(rpt_demographic_segments), borrower profiles per loan status (rpt_status_profiles) and
the risk tiers (rpt_risk_tiers). Band order comes from dim_customers."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import ui

DIMENSIONS = {
    "age_band": "Age band",
    "gender": "Gender",
    "income_band": "Income band",
    "employment_status": "Employment status",
}
RATES = ["default_rate", "resolved_default_rate", "amount_default_rate"]
EMPLOYMENT = [
    "employed_share",
    "self_employed_share",
    "unemployed_share",
    "retired_share",
    "other_employment_share",
]

ui.page_header("Demographics vs default", "family_b")
ui.require_or_stop("family_b")

bands = ui.mart(
    "select distinct 'age_band' as dimension, age_band as value, age_band_order as value_order "
    "from marts.dim_customers where age_band is not null union all "
    "select distinct 'income_band', income_band, income_band_order "
    "from marts.dim_customers where income_band is not null"
)


def value_order(dimension: str, values: pd.Series) -> list[str]:
    """The values present, bands in their seed order, others alphabetically."""
    present = set(values.dropna())
    ordered = bands[bands["dimension"] == dimension].sort_values("value_order")["value"]
    in_order = [value for value in ordered if value in present]
    return in_order + sorted(present - set(in_order))


left, right = st.columns(2)
dimension = left.radio(
    "Borrowers by", list(DIMENSIONS), format_func=DIMENSIONS.get, horizontal=True, key="dimension"
)
rate = right.radio("Default rate", RATES, format_func=ui.label, horizontal=True, key="rate")

portfolio = ui.mart(
    "select * from marts.rpt_demographic_segments where segment_dimension = 'portfolio'"
).iloc[0]
segments = ui.mart(
    "select * from marts.rpt_demographic_segments where segment_dimension = ?", dimension
)
order = value_order(dimension, segments["segment_value"])
segments = segments.set_index("segment_value").loc[order].reset_index()
segments["sample"] = segments["is_small_sample"].map(
    {True: "Small sample (few loans)", False: "Enough loans"}
)

st.subheader(f"{ui.label(rate)} by {DIMENSIONS[dimension].lower()}")
st.caption(
    f"Dashed line: the whole portfolio, {ui.fmt(portfolio[rate], 'share')}. "
    "Pale bars have too few loans to read much into."
)
bars = (
    alt.Chart(segments)
    .mark_bar()
    .encode(
        x=alt.X(
            "segment_value:N", title=DIMENSIONS[dimension], sort=order, axis=alt.Axis(labelAngle=0)
        ),
        y=alt.Y(f"{rate}:Q", axis=ui.axis(rate)),
        opacity=alt.Opacity(
            "sample:O",
            title=None,
            scale=alt.Scale(domain=["Enough loans", "Small sample (few loans)"], range=[1, 0.35]),
            legend=alt.Legend(orient="top"),
        ),
        tooltip=ui.tooltip(segments, ["segment_value", "loans_count", rate]),
    )
)
baseline = (
    alt.Chart(pd.DataFrame({"rate": [portfolio[rate]]}))
    .mark_rule(strokeDash=[6, 4], color="#444")
    .encode(y="rate:Q")
)
ui.chart((bars + baseline).properties(height=320), key="segment_chart")
ui.table(
    segments[
        [
            "segment_value",
            "borrowers_count",
            "loans_count",
            "disbursed_amount",
            *RATES,
            "is_small_sample",
        ]
    ],
    key="segments",
)

st.subheader("Pairs of segments")
other = st.selectbox(
    f"{DIMENSIONS[dimension]} crossed with",
    [d for d in DIMENSIONS if d != dimension],
    format_func=DIMENSIONS.get,
    key="other_dimension",
)
pairs = ui.mart(
    "select * from marts.rpt_demographic_segments where dimensions_count = 2 "
    "and list_sort([first_dimension, second_dimension]) = list_sort([?, ?])",
    dimension,
    other,
)
flipped = pairs["first_dimension"] != dimension
pairs["x_value"] = pairs["first_value"].where(~flipped, pairs["second_value"])
pairs["y_value"] = pairs["second_value"].where(~flipped, pairs["first_value"])
pairs["label"] = [
    ui.fmt(value, "share").replace(" %", "%") + (" *" if small else "")
    for value, small in zip(pairs[rate], pairs["is_small_sample"], strict=True)
]
cells = alt.Chart(pairs).encode(
    x=alt.X("x_value:N", title=DIMENSIONS[dimension], sort=order, axis=alt.Axis(labelAngle=0)),
    y=alt.Y("y_value:N", title=DIMENSIONS[other], sort=value_order(other, pairs["y_value"])),
)
darkest = pairs[rate].max()
ui.chart(
    ui.heatmap(
        cells,
        alt.Color(
            f"{rate}:Q",
            title=ui.label(rate),
            scale=alt.Scale(scheme="reds", domainMin=0),
            legend=alt.Legend(format=".0%"),
        ),
        text="label",
        dark_when=f"datum.{rate} > {1 if ui.is_missing(darkest) else 0.6 * darkest}",
        tooltip=[
            alt.Tooltip("x_value:N", title=DIMENSIONS[dimension]),
            alt.Tooltip("y_value:N", title=DIMENSIONS[other]),
            *ui.tooltip(pairs, ["loans_count", rate, "is_small_sample"]),
        ],
    ).properties(height=60 + 44 * pairs["y_value"].nunique()),
    key="pairs",
)
st.caption("An asterisk marks a cell with few loans (a small sample): read with care.")

st.subheader("Who repays, who defaults")
st.caption("The borrower behind each loan, per loan status (each loan counts its borrower once).")
profiles = ui.mart("select * from marts.rpt_status_profiles")
# The all-loans row first, then the statuses in the vocabulary's order (set loan_status).
ALL_LOANS = "All loans"
statuses = [status for status in profiles["loan_status"] if status != ALL_LOANS]
STATUS_ORDER = [ALL_LOANS, *ui.ordered("loan_status", statuses)]
profiles = profiles.sort_values("loan_status", key=lambda s: s.map(STATUS_ORDER.index))
ui.table(
    profiles[
        [
            "loan_status",
            "loans_count",
            "borrowers_count",
            "avg_age_years",
            "median_income_amount",
            "avg_loan_amount",
            "avg_interest_rate_pct",
            "avg_term_months",
        ]
    ],
    key="status_profiles",
)
mix = profiles.melt(
    id_vars="loan_status", value_vars=EMPLOYMENT, var_name="column", value_name="share"
)
mix["employment"] = mix["column"].map(ui.label)
ui.chart(
    alt.Chart(mix)
    .mark_bar()
    .encode(
        y=alt.Y("loan_status:N", title=None, sort=STATUS_ORDER),
        x=alt.X(
            "share:Q", axis=alt.Axis(title="Employment mix (share of the loans)", format=".0%")
        ),
        color=alt.Color("employment:N", title=None, sort=[ui.label(c) for c in EMPLOYMENT]),
        order=alt.Order("order:Q"),
        tooltip=[
            alt.Tooltip("loan_status:N", title="Status"),
            alt.Tooltip("employment:N", title="Employment"),
            alt.Tooltip("share:Q", title="Share", format=".2%"),
        ],
    )
    .transform_calculate(order=f"indexof({[ui.label(c) for c in EMPLOYMENT]}, datum.employment)")
    .properties(height=220),
    key="employment_mix",
)

st.subheader("Risk tiers")
st.caption(
    "Each customer's tier comes from what the lender knew when the loans were granted: "
    "loan size against income, the interest rate charged and employment status (rules "
    "high_loan_to_income, high_interest_rate, unemployed), never from a loan's status. So "
    "the default rate per tier tests the tiers on outcomes they did not see."
)
tiers = ui.mart("select * from marts.rpt_risk_tiers order by risk_tier_order")


def separation_sentence(auc: object, gini: object) -> str:
    """How well the tiers rank defaults, as a risk analyst reads it."""
    if ui.is_missing(auc):
        return "AUC undefined: the book has no defaulted loan, or only defaulted ones."
    return (
        f"The tiers rank defaults with AUC {float(auc):.2f} (0.5 is chance, 1 is perfect), "
        f"Gini {float(gini):.2f}. AUC is the chance that a defaulted loan's borrower sits in "
        "a riskier tier than a not-defaulted loan's (ties count half). Defaults as at the "
        "extract: an active loan that defaults later counts as not defaulted."
    )


if not tiers.empty:
    st.caption(separation_sentence(tiers["tier_auc"].iloc[0], tiers["tier_gini"].iloc[0]))
ui.table(
    tiers[
        [
            "risk_tier",
            "customers_count",
            "customers_share",
            "loans_count",
            "defaulted_loans_count",
            "default_rate",  # the tier's test; one rate, so the table fits without scrolling
            "behind_schedule_loans_count",
            "active_outstanding_amount",
        ]
    ],
    key="risk_tiers",
)
ui.chart(
    ui.bars(
        tiers,
        "risk_tier",
        "default_rate",
        order=list(tiers["risk_tier"]),
        title="Risk tier",
        details=("loans_count", "defaulted_loans_count"),
    ),
    key="risk_tier_default_rate",
)
