"""The sidebar filters and their values; in the sidebar so they survive page switches.

Region and branch narrow the loan-book pages, repayment segments the score page. The
segment names and their order come from the warehouse's vocabulary.
"""

from __future__ import annotations

import streamlit as st

from dashboard.published import Snapshot, read
from dashboard.ui.vocabulary import bounds, codes

REGION_KEY = "filter_region"
BRANCH_KEY = "filter_branch"
SEGMENTS_KEY = "filter_segments"
ALL_REGIONS = "All regions"
ALL_BRANCHES = "All branches"


def reset_branch() -> None:
    st.session_state[BRANCH_KEY] = ALL_BRANCHES


def region_filter(snapshot: Snapshot) -> None:
    """Region, then a branch of it (the branch resets when the region changes)."""
    branches = read(
        snapshot,
        "select cast(branch_id as varchar) as branch_id, branch_name, "
        "coalesce(region, 'Unknown') as region from marts.dim_branches order by branch_id",
    )
    regions = [ALL_REGIONS, *sorted(branches["region"].unique())]
    if st.session_state.get(REGION_KEY) not in regions:
        st.session_state[REGION_KEY] = ALL_REGIONS
    region = st.sidebar.selectbox(
        "Region", regions, key=REGION_KEY, on_change=reset_branch, persist_state="session"
    )
    if region != ALL_REGIONS:
        branches = branches[branches["region"] == region]
    names = dict(zip(branches["branch_id"], branches["branch_name"], strict=True))
    options = [ALL_BRANCHES, *names]
    if st.session_state.get(BRANCH_KEY) not in options:
        st.session_state[BRANCH_KEY] = ALL_BRANCHES
    st.sidebar.selectbox(
        "Branch",
        options,
        key=BRANCH_KEY,
        format_func=lambda o: names.get(o, o),
        persist_state="session",
    )


def segment_filter() -> None:
    """Repayment segments, named and ordered as marts.rpt_reference_categories has them."""
    segments = codes("repayment_segment")
    ranges = bounds("repayment_segment")
    st.sidebar.multiselect(
        "Repayment segment",
        segments,
        key=SEGMENTS_KEY,
        placeholder="All segments",
        help="Instalment loans by how much of what is due they have paid: "
        + "; ".join(f"{code}: {ranges[code]}" for code in segments if code in ranges)
        + ".",
        persist_state="session",
    )


def region_and_branch() -> tuple[str | None, int | None]:
    """The sidebar's region and branch (None = all)."""
    region = st.session_state.get(REGION_KEY, ALL_REGIONS)
    branch = st.session_state.get(BRANCH_KEY, ALL_BRANCHES)
    return (
        None if region == ALL_REGIONS else region,
        None if branch == ALL_BRANCHES else int(branch),
    )


def selected_segments() -> list[str]:
    """The sidebar's repayment segments (all of them when none is picked)."""
    chosen = st.session_state.get(SEGMENTS_KEY) or []
    return list(chosen) or codes("repayment_segment")
