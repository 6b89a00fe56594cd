"""Loan analytics dashboard on the published marts (Streamlit).

    .venv/bin/python -m streamlit run dashboard/app.py      (or: make dashboard)

Run from the repository root, as a module, so that ``dashboard`` and ``scripts``
import as packages. Reads the read-only snapshot that `make build` publishes
(``$LOANS_PUBLISHED_DIR``, default warehouse/published, see scripts/settings.py) and
never the working warehouse, so a rebuild can run while it is up. It selects and
filters mart rows; every metric comes from the marts.

This file is the frame around the pages: the page list, the snapshot picker and the
filters a page uses, all in the sidebar so their values survive page switches.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from dashboard.published import Snapshot, list_snapshots, published_dir
from dashboard.ui import context, filters

CURRENT = "current"

# An emoji favicon is drawn locally. Pages have no icon: a Material icon becomes the
# page's favicon, which the browser fetches from Google's CDN (offline here, and it phones home).
st.set_page_config(page_title="Loan analytics", page_icon="📊", layout="wide")

OVERVIEW = "views/overview.py"
PAGES = [
    st.Page(OVERVIEW, title="Portfolio overview", url_path="overview"),
    st.Page("views/risk.py", title="Repayment risk", url_path="risk"),
    st.Page("views/branches.py", title="Branches & regions", url_path="branches"),
    st.Page("views/demographics.py", title="Demographics vs default", url_path="demographics"),
    st.Page("views/score.py", title="Repayment score & segments", url_path="score"),
    st.Page("views/credit_loss.py", title="Credit loss", url_path="credit-loss"),
    st.Page("views/interventions.py", title="Intervention list", url_path="interventions"),
    st.Page("views/quality.py", title="Data quality", url_path="quality"),
]
# The app's root URL shows the overview too. Streamlit serves its default page at "/"
# only, so /overview would be "page not found" if the overview were the default: the
# default is this hidden twin, and every page, the overview included, keeps its own URL.
HOME = st.Page(
    OVERVIEW, title="Portfolio overview", url_path="home", default=True, visibility="hidden"
)
# Which sidebar filters apply on which page (by url_path); the snapshot applies everywhere.
FILTERS = {"branches": ("region",), "interventions": ("region",), "score": ("segment",)}


def pick_snapshot(snapshots: list[Snapshot]) -> Snapshot:
    """The sidebar's snapshot: the current one, or an older one that is still kept."""
    current = next((s for s in snapshots if s.is_current), snapshots[0])
    older = {s.snapshot_id: s for s in snapshots if s is not current}
    options = [CURRENT, *older]
    if st.session_state.get("snapshot_choice") not in options:
        st.session_state["snapshot_choice"] = CURRENT  # a kept snapshot was pruned since
    choice = st.sidebar.radio(
        "Snapshot",
        options,
        key="snapshot_choice",
        format_func=lambda o: f"**Latest**: {current.label}" if o == CURRENT else older[o].label,
        help="Each build publishes a snapshot; the last few are kept. Each says what it was "
        "built from (the bundled sample or a folder of your feeds), the as-of date of each "
        "portfolio and when it was built; the page header lists its files and vars.",
    )
    return current if choice == CURRENT else older[choice]


def main() -> None:
    current_page = st.navigation([HOME, *PAGES])
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
    st.session_state[context.SNAPSHOT_KEY] = snapshot
    page_filters = FILTERS.get(current_page.url_path, ())  # HOME's is "": no filter
    if "region" in page_filters:
        filters.region_filter(snapshot)
    if "segment" in page_filters:
        filters.segment_filter()
    st.sidebar.caption(f"Read-only snapshot `{snapshot.snapshot_id}` in `{published}`.")
    try:
        current_page.run()
    except duckdb.CatalogException as error:
        st.warning(
            "This snapshot lacks a mart this page reads (it was published before the mart "
            f"existed): pick a newer snapshot or run `make build`.\n\n{error}"
        )


main()
