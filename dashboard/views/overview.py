"""Portfolio overview: the loan book's totals and status shares (rpt_portfolio_overview), its
disbursements, repayments and defaults by start month (rpt_loan_book_monthly), and
the instalment loans at their latest month-end (rpt_risk_trend_monthly). Either portfolio
may be absent from a snapshot: its section then says so."""

import altair as alt
import streamlit as st

from dashboard import ui

COHORT_NOTE = (
    "Each start month's loans: what was disbursed, and what those loans have repaid and "
    "how many defaulted as reported at the extract. The feed has no payment or default "
    "dates, so repaid and defaulted are each start-month cohort's outcome, not activity "
    "during the month."
)
FLOWS = {
    "disbursed_amount": "Disbursed",
    "repaid_amount": "Repaid by the cohort",
    "defaulted_amount": "Defaulted (amount lent)",
}


def loan_book_by_start_month() -> None:
    """Disbursements, repayments and defaults by start month (rpt_loan_book_monthly)."""
    st.subheader("Disbursements, repayments and defaults by start month")
    months = ui.optional_mart(
        "rpt_loan_book_monthly", "select * from marts.rpt_loan_book_monthly order by start_month"
    )
    if months is None:
        st.info("This snapshot predates the loan book by start month: pick a newer one.")
        return
    st.caption(COHORT_NOTE)
    flows = months.melt(
        id_vars=["start_month", "loans_count", "defaulted_loans_count", "default_rate"],
        value_vars=list(FLOWS),
        var_name="measure",
        value_name="amount",
    )
    flows["measure"] = flows["measure"].map(FLOWS)
    ui.chart(
        alt.Chart(flows)
        .mark_line(point=True)
        .encode(
            x=alt.X("start_month:T", title="Start month", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("amount:Q", axis=ui.axis("disbursed_amount", f"Amount ({ui.currency()})")),
            color=alt.Color(
                "measure:N", title=None, sort=list(FLOWS.values()), legend=alt.Legend(orient="top")
            ),
            tooltip=[
                alt.Tooltip("start_month:T", title="Start month", format="%b %Y"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("amount:Q", title=f"Amount ({ui.currency()})", format=",.2f"),
                *ui.tooltip(flows, ["loans_count", "defaulted_loans_count", "default_rate"]),
            ],
        )
        .properties(height=300),
        key="loan_book_monthly_chart",
    )
    ui.table(
        months[
            [
                "start_month",
                "loans_count",
                "disbursed_amount",
                "repaid_amount",
                "defaulted_loans_count",
                "default_rate",
                "active_loans_count",
                "behind_schedule_share",
            ]
        ],
        key="loan_book_monthly",
        height=300,
    )


ui.page_header("Portfolio overview", "family_b", "family_a")

st.header(ui.portfolio_name("family_b").capitalize(), divider="gray")
if ui.require("family_b"):
    overview = ui.mart(
        "select * from marts.rpt_portfolio_overview "
        "order by is_portfolio_total desc, loans_count desc"
    )
    total = overview[overview["is_portfolio_total"]].iloc[0]
    statuses = overview[~overview["is_portfolio_total"]]

    st.subheader("Disbursed, repaid, outstanding")
    ui.metric_row(total, ["disbursed_amount", "repaid_amount", "outstanding_amount"], per_row=3)
    ui.metric_row(total, ["loans_count", "repaid_share", "outstanding_share"], per_row=3)

    st.subheader("Loans by status")
    st.caption("Active = In Progress + Approved. Shares of all loans, by count and by amount.")
    ui.table(
        statuses[
            [
                "loan_status",
                "is_active",
                "loans_count",
                "loans_count_share",
                "disbursed_amount",
                "disbursed_amount_share",
                "repaid_amount",
                "outstanding_amount",
            ]
        ],
        key="status_shares",
    )
    left, _ = st.columns([3, 2])
    with left:
        shares = statuses.melt(
            id_vars="loan_status",
            value_vars=["loans_count_share", "disbursed_amount_share"],
            var_name="measure",
            value_name="share",
        )
        shares["measure"] = shares["measure"].map(
            {"loans_count_share": "By count", "disbursed_amount_share": "By amount"}
        )
        ui.chart(
            alt.Chart(shares)
            .mark_bar()
            .encode(
                y=alt.Y("loan_status:N", title=None, sort=list(statuses["loan_status"])),
                x=alt.X("share:Q", axis=alt.Axis(title="Share of all loans", format=".0%")),
                yOffset=alt.YOffset("measure:N"),
                color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="top")),
                tooltip=[
                    alt.Tooltip("loan_status:N", title="Status"),
                    alt.Tooltip("measure:N", title="Share"),
                    alt.Tooltip("share:Q", title="Value", format=".2%"),
                ],
            )
            .properties(height=220),
            key="status_share_chart",
        )

    loan_book_by_start_month()

st.header(ui.portfolio_name("family_a").capitalize(), divider="gray")
st.subheader("The book at its latest month-end")
if ui.require("family_a"):
    trend = ui.mart(
        "select * from marts.rpt_risk_trend_monthly order by reporting_month desc limit 1"
    )
    if trend.empty:
        st.info("No instalment loan has reached a month-end in this snapshot.")
    else:
        latest = trend.iloc[0]
        par = ui.par_columns(trend.columns)  # one per threshold of var par_thresholds
        days = [column.removeprefix("par_") for column in par]
        st.caption(
            f"Month of {latest['reporting_month']:%B %Y}, "
            f"observed {latest['snapshot_date']:%Y-%m-%d}. "
            f"{' / '.join(map(ui.label, par))}: outstanding of loans over {' / '.join(days)} "
            "days past due ÷ all outstanding."
        )
        ui.metric_row(
            latest,
            ["active_loans", "outstanding_amount", *par],
            labels={"outstanding_amount": "Outstanding (remaining scheduled)"},
        )
