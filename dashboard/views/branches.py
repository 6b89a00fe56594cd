"""Branches & regions of the Family B portfolio: rpt_region_kpis and rpt_branch_kpis,
narrowed by the sidebar's region and branch."""

import pandas as pd
import streamlit as st
import ui

VOLUMES = [
    "loans_count",
    "active_loans_count",
    "disbursed_amount",
    "repaid_amount",
    "outstanding_amount",
    "avg_loan_amount",
]
RATES = [
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
    config = {rank: st.column_config.NumberColumn(title) for rank, title in RANKS.items()}
    ui.table(frame[[*names, *VOLUMES]], key=key)
    ui.table(frame[[names[0], *RATES, *RANKS]], key=f"{key}_rates", config=config)


st.title("Branches & regions")
ui.as_of_caption("family_b")
region, branch = ui.region_and_branch()

regions = ui.mart("select * from marts.rpt_region_kpis order by disbursed_amount_rank, region")
branches = ui.mart(
    "select * exclude (region), coalesce(region, 'Unknown') as region "
    "from marts.rpt_branch_kpis order by branch_id"
)
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
    ui.metric_row(chosen, ["collection_rate", "weighted_interest_rate_pct", "avg_loan_amount"])

st.subheader("Branches" + (f" in {region}" if region else ""))
kpi_tables(branches, ["branch_name", "city", "region"], key="branches")
if not branches.empty:
    left, right = st.columns(2)
    for column, slot, name in (
        ("outstanding_amount", left, "branch_outstanding"),
        ("default_rate", right, "branch_default_rate"),
    ):
        with slot:
            ordered = branches.sort_values(column, ascending=False)["branch_name"]
            ui.chart(ui.bars(branches, "branch_name", column, order=list(ordered)), key=name)

st.subheader("Regions")
st.caption(
    "Every region, for comparison. Ranks are within the portfolio: 1 = the largest "
    "outstanding, the highest default rate."
)
kpi_tables(regions, ["region", "branches_count"], key="regions")
