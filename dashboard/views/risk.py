"""Repayment risk of the instalment loans: PAR trend and DPD buckets (rpt_risk_trend_monthly),
roll rates (rpt_roll_rates), vintages (rpt_vintage_curves) and zero-payment open loans
(rpt_zero_payment_liabilities)."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import ui


def column_prefix(bucket: str) -> str:
    """The prefix of a DPD bucket's columns in rpt_risk_trend_monthly: '31-60' -> dpd_31_60."""
    return "dpd_" + bucket.replace("-", "_").replace("+", "_plus")


# DPD buckets and roll states, named and ordered by marts.rpt_reference_categories.
BUCKETS = {bucket: column_prefix(bucket) for bucket in ui.codes("dpd_bucket")}
STATES = ui.codes("roll_state")
MONTH = alt.X("reporting_month:T", title="Month", axis=alt.Axis(format="%b %Y"))
MONTH_TIP = alt.Tooltip("reporting_month:T", title="Month", format="%b %Y")
BUCKET_COLOURS = ["#9ecae1", "#fdd49e", "#fc8d59", "#e34a33", "#990000"]
ARREARS_NOTE = (
    "Loans in arrears counts every active loan with something due and unpaid. A loan whose "
    "instalment falls due on the as-of date itself is in arrears at 0 days past due, so it "
    "sits in the current bucket: the past-due buckets can add up to fewer loans than the "
    "loans in arrears."
)

ui.page_header("Repayment risk", "family_a")
ui.require_or_stop("family_a")

trend = ui.mart("select * from marts.rpt_risk_trend_monthly order by reporting_month")
if trend.empty:
    st.info("No instalment loan has reached a month-end in this snapshot: nothing to chart.")
    st.stop()
latest = trend.iloc[-1]
st.caption(
    f"Headline figures at the month-end of {latest['reporting_month']:%B %Y} "
    f"({latest['snapshot_date']:%Y-%m-%d}"
    f"{', month to date' if latest['is_month_to_date'] else ''})."
)
PAR = ui.par_columns(trend.columns)  # PAR<N> per threshold N of the build's par_thresholds
ui.metric_row(latest, [*PAR, "loans_in_arrears", "loans_in_arrears_at_zero_dpd", "arrears_amount"])
st.caption(
    f"{ARREARS_NOTE} At {latest['snapshot_date']:%Y-%m-%d}: "
    f"{ui.fmt(latest['loans_in_arrears'], 'count')} loans in arrears, of which "
    f"{ui.fmt(latest['loans_in_arrears_at_zero_dpd'], 'count')} at 0 days past due; the "
    "others are in the past-due buckets below."
)

st.subheader("Portfolio at risk, month by month")
par = trend.melt(id_vars="reporting_month", value_vars=PAR, var_name="measure")
par["measure"] = par["measure"].map(ui.label)
ui.chart(
    alt.Chart(par)
    .mark_line(point=True)
    .encode(
        x=MONTH,
        y=alt.Y("value:Q", axis=alt.Axis(title="Share of outstanding", format=".0%")),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=[
            MONTH_TIP,
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip("value:Q", title="Value", format=".2%"),
        ],
    )
    .properties(height=300),
    key="par_trend",
)

st.subheader("Days-past-due buckets")
left, right = st.columns([3, 2])
with left:
    buckets = pd.concat(
        [
            trend[["reporting_month", f"{prefix}_outstanding_amount"]]
            .rename(columns={f"{prefix}_outstanding_amount": "outstanding_amount"})
            .assign(dpd_bucket=bucket, bucket_order=order)
            for order, (bucket, prefix) in enumerate(BUCKETS.items())
        ]
    )
    ui.chart(
        alt.Chart(buckets)
        .mark_bar()
        .encode(
            x=MONTH,
            y=alt.Y("outstanding_amount:Q", axis=ui.axis("outstanding_amount")),
            color=alt.Color(
                "dpd_bucket:N",
                title="Days past due",
                sort=list(BUCKETS),
                scale=alt.Scale(domain=list(BUCKETS), range=BUCKET_COLOURS[: len(BUCKETS)])
                if len(BUCKETS) <= len(BUCKET_COLOURS)
                else alt.Scale(domain=list(BUCKETS), scheme="orangered"),
            ),
            order=alt.Order("bucket_order:Q"),
            tooltip=[
                MONTH_TIP,
                alt.Tooltip("dpd_bucket:N", title="Days past due"),
                alt.Tooltip("outstanding_amount:Q", title="Outstanding", format=",.2f"),
            ],
        )
        .properties(height=300),
        key="dpd_chart",
    )
with right:
    st.caption(
        f"Active loans by bucket at {latest['snapshot_date']:%Y-%m-%d}. Current holds the "
        "loans with nothing past due, those with an instalment due that very day included "
        f"({ui.fmt(latest['loans_in_arrears_at_zero_dpd'], 'count')} in arrears at 0 days "
        "past due)."
    )
    ui.table(
        pd.DataFrame(
            {
                "dpd_bucket": list(BUCKETS),
                "loans": [latest[f"{prefix}_loans"] for prefix in BUCKETS.values()],
                "outstanding_amount": [
                    latest[f"{prefix}_outstanding_amount"] for prefix in BUCKETS.values()
                ],
            }
        ),
        key="dpd_buckets",
    )

st.subheader("Roll rates")
rolls = ui.mart(
    "select * from marts.rpt_roll_rates order by reporting_month desc, from_state_order, "
    "to_state_order"
)
if rolls.empty:
    st.info("Roll rates need two month-ends; this snapshot has one.")
else:
    months = list(dict.fromkeys(rolls["reporting_month"]))
    month = st.selectbox(
        "Month the loans rolled into",
        months,
        format_func=lambda m: f"{m:%B %Y}",
        key="roll_month",
    )
    rolled = rolls[rolls["reporting_month"] == month]
    # The denominator of each row (the loans in the from-state at the previous month-end)
    # is the column beside the state: a 100 % of 3 loans reads differently from one of 300.
    matrix = (
        rolled.pivot(index="from_state", columns="to_state", values="share_of_from_state")
        .reindex(index=[s for s in STATES if s in set(rolled["from_state"])], columns=STATES)
        .join(rolled.groupby("from_state")["from_state_loans"].first())
        .reset_index()
    )[["from_state", "from_state_loans", *STATES]]
    st.caption(
        "Each row: the loans in a state at the previous month-end (their number, the row's "
        f"100 %, beside it), and where they were at {month:%B %Y}'s month-end (share "
        "of the row; – = no loan). Closed is absorbing."
    )
    ui.table(
        matrix,
        key="roll_rates",
        config={
            "from_state_loans": st.column_config.NumberColumn(
                "Loans in the row (100 %)",
                help="Loans in the from-state at the previous month-end: each share's denominator.",
                format="%d",
                width=ui.header_width("Loans in the row (100 %)"),
            ),
        }
        | {state: ui.share_column(f"→ {state}") for state in STATES},
        shares=STATES,
    )

st.subheader("Vintages")
vintages = ui.mart(
    "select * from marts.rpt_vintage_curves order by disbursal_month, months_on_book"
)
# share_ever_<N>_plus_dpd: N is the first threshold of the build's var par_thresholds
EVER_LATE = ui.ever_late_columns(vintages.columns)
measure = st.radio(
    "Curve",
    ["paid_to_issued_ratio", *EVER_LATE],
    format_func=ui.label,
    horizontal=True,
    key="vintage_measure",
)
# Thirty cohorts in thirty colours cannot be told apart: the latest, the worst and the
# median cohort are drawn in colour and named in the legend, the others thin and grey
# (the PNG chart's rule, scripts/charts/cohorts.py).
curves, legend_colours, compared_at = ui.with_highlights(vintages, EVER_LATE[0])
if compared_at is not None:
    st.caption(
        f"Worst and median: by share ever {ui.ever_late_days(EVER_LATE[0])}+ DPD at "
        f"{compared_at} months on book, among cohorts of at least half the median cohort's "
        "loans. Hover a grey line for its cohort."
    )
vintage_base = alt.Chart(curves).encode(
    x=alt.X("months_on_book:Q", title="Months on book"),
    y=alt.Y(f"{measure}:Q", axis=ui.axis(measure)),
    detail="disbursal_month:T",
    tooltip=[
        alt.Tooltip("disbursal_month:T", title="Cohort", format="%b %Y"),
        alt.Tooltip("months_on_book:Q", title="Months on book"),
        *ui.tooltip(curves, ["cohort_loans", measure]),
    ],
)
vintage_colour = alt.Color(
    "cohort_legend:N",
    title="Cohort (disbursal month)",
    scale=alt.Scale(domain=list(legend_colours), range=list(legend_colours.values())),
    legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0),
)
ui.chart(
    alt.layer(
        vintage_base.transform_filter("!datum.is_highlighted")
        .mark_line(strokeWidth=0.8, opacity=0.5)
        .encode(color=vintage_colour),
        vintage_base.transform_filter("datum.is_highlighted")
        .mark_line(strokeWidth=3, point=True)
        .encode(color=vintage_colour),
    ).properties(height=320),
    key="vintage_chart",
)

st.subheader("Zero-payment open loans (direct liabilities)")
zero = ui.mart(
    "select * from marts.rpt_zero_payment_liabilities order by days_past_due desc, loan_id"
)
if zero.empty:
    st.info("No active loan with something due and nothing paid.")
else:
    st.caption("Active loans with an instalment due and nothing paid; exposure = principal.")
    ui.metric_row(
        zero.iloc[0],
        ["zero_payment_loans", "total_exposure_amount", "share_of_active_principal"],
        per_row=3,
    )
    ui.table(
        zero[
            [
                "loan_id",
                "dpd_bucket",
                "days_past_due",
                "exposure_amount",
                "planned_to_date_amount",
                "outstanding_amount",
                "disbursed_date",
            ]
        ],
        key="zero_payment_loans",
        height=300,
    )
