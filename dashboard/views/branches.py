"""Branches & regions of the loan book: rpt_region_kpis and rpt_branch_kpis (volumes, rates
and the share of active loans behind schedule), narrowed by the sidebar's region and
branch. The branch charts always carry a portfolio benchmark, so a region with a single
branch is never a lone bar."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import ui

VOLUMES = [
    "loans_count",
    "active_loans_count",
    "behind_schedule_loans_count",
    "disbursed_amount",
    "repaid_amount",
    "outstanding_amount",
    "avg_loan_amount",
]
RATES = [
    "behind_schedule_share",
    "default_rate",
    "resolved_default_rate",
    "amount_default_rate",
    "collection_rate",
    "avg_interest_rate_pct",
    "weighted_interest_rate_pct",
]
RANKS = {
    "outstanding_amount_rank": "Rank: outstanding",
    "default_rate_rank": "Rank: default",
}
HEADLINE = ["loans_count", "disbursed_amount", "outstanding_amount", "default_rate"]


def kpi_tables(frame: pd.DataFrame, names: list[str], key: str) -> None:
    """Volumes, then rates and ranks, of the rows of a KPI mart: two tables that fit."""
    config = {
        rank: st.column_config.NumberColumn(title, width=ui.header_width(title))
        for rank, title in RANKS.items()
    }
    ui.table(frame[[*names, *VOLUMES]], key=key)
    ui.table(frame[[names[0], *RATES, *RANKS]], key=f"{key}_rates", config=config)


BENCHMARK = "Portfolio benchmark"


def with_benchmark(
    shown: pd.DataFrame, column: str, value: float, name: str
) -> tuple[pd.DataFrame, list[str]]:
    """The shown branches, largest first, then a benchmark bar named name."""
    rows = shown[["branch_name", column]].sort_values(column, ascending=False)
    rows = rows.assign(kind="Branch")
    benchmark = pd.DataFrame({"branch_name": [name], column: [value], "kind": [BENCHMARK]})
    frame = pd.concat([rows, benchmark], ignore_index=True)
    return frame, list(frame["branch_name"])


ui.page_header("Branches & regions", "family_b")
ui.require_or_stop("family_b")
region, branch = ui.region_and_branch()

regions = ui.mart("select * from marts.rpt_region_kpis order by disbursed_amount_rank, region")
branches = ui.mart(
    "select * exclude (region), coalesce(region, 'Unknown') as region "
    "from marts.rpt_branch_kpis order by branch_id"
)
all_branches = branches
if region is not None:
    branches = branches[branches["region"] == region]
if branch is not None:
    branches = branches[branches["branch_id"] == branch]

chosen, heading = None, ""
if branch is not None and not branches.empty:
    chosen = branches.iloc[0]
    heading = f"{chosen['branch_name']} ({chosen['city']}, {chosen['region']})"
elif region is not None:
    chosen = regions[regions["region"] == region].iloc[0]
    heading = f"Region {region}"
if chosen is None:
    st.caption("Pick a region or a branch in the sidebar to see its KPIs and narrow the tables.")
else:
    st.subheader(heading)
    ui.metric_row(chosen, HEADLINE)
    ui.metric_row(
        chosen,
        [
            "behind_schedule_share",
            "collection_rate",
            "weighted_interest_rate_pct",
            "avg_loan_amount",
        ],
    )

st.subheader("Branches" + (f" in {region}" if region else ""))
kpi_tables(branches, ["branch_name", "city", "region"], key="branches")
if not branches.empty:
    portfolio = ui.mart(
        "select default_rate from marts.rpt_demographic_segments "
        "where segment_dimension = 'portfolio'"
    )
    benchmarks = {
        # every branch of the portfolio, not only those shown
        "outstanding_amount": (
            all_branches["outstanding_amount"].astype(float).mean(),
            "Average branch",
        ),
        "default_rate": (
            portfolio["default_rate"].iloc[0] if not portfolio.empty else None,
            "Whole portfolio",
        ),
    }
    st.caption(
        "Grey bar: the portfolio benchmark (the average branch's outstanding; the default "
        "rate of all loans)."
    )
    left, right = st.columns(2)
    for column, slot, name in (
        ("outstanding_amount", left, "branch_outstanding"),
        ("default_rate", right, "branch_default_rate"),
    ):
        value, benchmark_name = benchmarks[column]
        frame, order = with_benchmark(branches, column, value, benchmark_name)
        colour = alt.Color(
            "kind:N",
            title=None,
            scale=alt.Scale(domain=["Branch", BENCHMARK], range=["#1f77b4", "#9e9e9e"]),
            legend=alt.Legend(orient="top"),
        )
        with slot:
            ui.chart(ui.bars(frame, "branch_name", column, order=order, colour=colour), key=name)

st.subheader("Regions")
st.caption(
    "Every region, for comparison. Ranks are within the portfolio: 1 = the largest "
    "outstanding, the highest default rate."
)
kpi_tables(regions, ["region", "branches_count"], key="regions")

st.subheader("Behind schedule, by region")
st.caption(
    "Share of each region's active loans paid less than their amortisation schedule "
    "expects by the as-of date (behind ÷ active loans; a region without active loans has "
    "no bar). The branch tables above give it per branch."
)
behind = regions[["region", "behind_schedule_share", "behind_schedule_loans_count"]]
behind = behind.assign(active_loans_count=regions["active_loans_count"]).dropna(
    subset=["behind_schedule_share"]
)
behind = behind.sort_values(["behind_schedule_share", "region"], ascending=[False, True])
ui.chart(
    ui.bars(
        behind,
        "region",
        "behind_schedule_share",
        order=list(behind["region"]),
        title="Region",
        details=("behind_schedule_loans_count", "active_loans_count"),
    ),
    key="region_behind_schedule",
)
