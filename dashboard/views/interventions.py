"""Intervention list (the loan book): the active loans to call first (rpt_intervention_list, with
branch and region from dim_branches), filtered and downloadable as CSV."""

import streamlit as st

from dashboard import ui

SHOWN = [
    "priority_rank",
    "loan_id",
    "customer_id",
    "branch_name",
    "region",
    "reasons",
    "risk_points",
    "outstanding_amount",
    "risk_weighted_outstanding_amount",
    "schedule_gap_amount",
]
REASONS = {"behind_schedule": "Behind schedule", "high_risk_tier": "High risk tier"}

ui.page_header("Intervention list", "family_b")
ui.require_or_stop("family_b")
st.caption(
    "Active loans behind their amortisation schedule or held by a high-risk-tier customer, "
    "ranked by outstanding × the customer's risk points. Customer ids only, never names."
)
region, branch = ui.region_and_branch()

listed = ui.mart(
    "select list.*, branches.branch_name, coalesce(branches.region, 'Unknown') as region "
    "from marts.rpt_intervention_list as list "
    "left join marts.dim_branches as branches on list.branch_id = branches.branch_id "
    "order by list.priority_rank"
)
TIERS = list(
    ui.mart("select risk_tier from marts.rpt_risk_tiers order by risk_tier_order")["risk_tier"]
)
left, right = st.columns(2)
tiers = left.multiselect(
    "Risk tier",
    [tier for tier in TIERS if tier in set(listed["risk_tier"])],  # riskiest first
    key="tiers",
    placeholder="All tiers",
)
reasons = right.multiselect(
    "Why listed", list(REASONS), format_func=REASONS.get, key="reasons", placeholder="Any reason"
)

shown = listed
if region is not None:
    shown = shown[shown["region"] == region]
if branch is not None:
    shown = shown[shown["branch_id"] == branch]
if tiers:
    shown = shown[shown["risk_tier"].isin(tiers)]
if reasons:
    codes = shown["reason_codes"].str.split(",")
    shown = shown[codes.map(lambda listed_codes: bool(set(listed_codes) & set(reasons)))]
shown = shown.copy()

totals = shown[["outstanding_amount", "risk_weighted_outstanding_amount"]].sum()
ui.metric_row(
    {"loans": len(shown), **totals},
    ["loans", "outstanding_amount", "risk_weighted_outstanding_amount"],
    per_row=3,
    labels={"loans": f"Loans listed (of {len(listed):,})"},
)
shown["reasons"] = shown["reason_codes"].map(
    lambda codes: ", ".join(REASONS.get(code, code) for code in codes.split(","))
)
ui.table(shown[SHOWN], key="intervention_list", height=520)
st.caption("The CSV holds every column of the list (status, start date, amounts paid and due).")

scope = "_".join(
    part.replace(" ", "-").lower()
    for part in [region or "", f"branch-{branch}" if branch else "", *tiers, *reasons]
    if part
)
st.download_button(
    f"Download these {len(shown):,} loans as CSV",
    data=shown.drop(columns=["reasons"]).to_csv(index=False),
    file_name=f"intervention_list_{ui.snapshot().snapshot_id}{'_' + scope if scope else ''}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="download_csv",
)
