"""Loan analytics dashboard on the published marts (Streamlit).

    streamlit run dashboard/app.py        (or: make dashboard)

Reads the read-only snapshot that `make build` publishes (``$LOANS_PUBLISHED_DIR``,
default warehouse/published) and never the working warehouse, so a rebuild can run
while it is up. It selects and filters mart rows; every metric comes from the marts.

This file is the frame around the pages: the page list, the as-of snapshot picker
and the filters a page uses, all in the sidebar so their values survive page switches.
"""

from __future__ import annotations

import duckdb
import streamlit as st
import ui
from published import Snapshot, list_snapshots, published_dir, read

CURRENT = "current"

# An emoji favicon is drawn locally. Pages have no icon: a Material icon becomes the
# page's favicon, which the browser fetches from Google's CDN (offline here, and it phones home).
st.set_page_config(page_title="Loan analytics", page_icon="📊", layout="wide")


PAGES = [
    st.Page("views/overview.py", title="Portfolio overview", url_path="overview", default=True),
    st.Page("views/risk.py", title="Repayment risk", url_path="risk"),
    st.Page("views/branches.py", title="Branches & regions", url_path="branches"),
    st.Page("views/demographics.py", title="Demographics vs default", url_path="demographics"),
    st.Page("views/score.py", title="Repayment score & segments", url_path="score"),
    st.Page("views/interventions.py", title="Intervention list", url_path="interventions"),
    st.Page("views/quality.py", title="Data quality", url_path="quality"),
]
# Which sidebar filters apply on which page (by url_path); the snapshot applies everywhere.
FILTERS = {"branches": ("region",), "interventions": ("region",), "score": ("segment",)}


def pick_snapshot(snapshots: list[Snapshot]) -> Snapshot:
    """The sidebar's as-of snapshot: the current one, or an older one that is still kept."""
    current = next((s for s in snapshots if s.is_current), snapshots[0])
    older = {s.snapshot_id: s for s in snapshots if s is not current}
    options = [CURRENT, *older]
    if st.session_state.get("snapshot_choice") not in options:
        st.session_state["snapshot_choice"] = CURRENT  # a kept snapshot was pruned since
    choice = st.sidebar.radio(
        "As-of snapshot",
        options,
        key="snapshot_choice",
        format_func=lambda o: f"**Latest**, {current.label}" if o == CURRENT else older[o].label,
        help="Each `make build` publishes a snapshot; the last few are kept. "
        "As-of dates: A = Family A (schedule-based), B = Family B (star schema).",
    )
    return current if choice == CURRENT else older[choice]


def reset_branch() -> None:
    st.session_state[ui.BRANCH_KEY] = ui.ALL_BRANCHES


def region_filter(snapshot: Snapshot) -> None:
    branches = read(
        snapshot,
        "select cast(branch_id as varchar) as branch_id, branch_name, "
        "coalesce(region, 'Unknown') as region from marts.dim_branches order by branch_id",
    )
    regions = [ui.ALL_REGIONS, *sorted(branches["region"].unique())]
    if st.session_state.get(ui.REGION_KEY) not in regions:
        st.session_state[ui.REGION_KEY] = ui.ALL_REGIONS
    region = st.sidebar.selectbox(
        "Region", regions, key=ui.REGION_KEY, on_change=reset_branch, persist_state="session"
    )
    if region != ui.ALL_REGIONS:
        branches = branches[branches["region"] == region]
    names = dict(zip(branches["branch_id"], branches["branch_name"], strict=True))
    options = [ui.ALL_BRANCHES, *names]
    if st.session_state.get(ui.BRANCH_KEY) not in options:
        st.session_state[ui.BRANCH_KEY] = ui.ALL_BRANCHES
    st.sidebar.selectbox(
        "Branch",
        options,
        key=ui.BRANCH_KEY,
        format_func=lambda o: names.get(o, o),
        persist_state="session",
    )


def segment_filter() -> None:
    st.sidebar.multiselect(
        "Repayment segment",
        list(ui.REPAYMENT_SEGMENTS),
        key=ui.SEGMENTS_KEY,
        placeholder="All segments",
        help="Family A loans by how much of what is due they have paid (METRICS.md).",
        persist_state="session",
    )


def main() -> None:
    current_page = st.navigation(PAGES)
    published = published_dir()
    snapshots = list_snapshots(published)
    if not snapshots:
        st.title(current_page.title)
        st.warning(
            f"No published snapshot yet in `{published}`. Run `make build`: it builds the "
            "warehouse, tests it and publishes the marts here. Then reload this page."
        )
        return
    snapshot = pick_snapshot(snapshots)
    st.session_state[ui.SNAPSHOT_KEY] = snapshot
    filters = FILTERS.get(current_page.url_path, ())
    if "region" in filters:
        region_filter(snapshot)
    if "segment" in filters:
        segment_filter()
    st.sidebar.caption(f"Read-only snapshot `{snapshot.snapshot_id}` in `{published}`.")
    try:
        current_page.run()
    except duckdb.CatalogException as error:
        st.warning(
            "This snapshot lacks a mart this page reads (it was published before the mart "
            f"existed): pick a newer snapshot or run `make build`.\n\n{error}"
        )


main()
