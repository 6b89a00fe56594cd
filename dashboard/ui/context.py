"""The snapshot app.py chose for this script run, and queries on it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.published import Snapshot, SnapshotUnavailable, has_mart, read

SNAPSHOT_KEY = "snapshot_in_use"


def snapshot() -> Snapshot:
    """The snapshot app.py chose for this run."""
    return st.session_state[SNAPSHOT_KEY]


def mart(sql: str, *params: Any) -> pd.DataFrame:
    """Rows of a query on the snapshot in use; a removed snapshot stops the page politely."""
    try:
        return read(snapshot(), sql, *params)
    except SnapshotUnavailable as error:
        st.warning(str(error).capitalize() + ".")
        st.stop()
        raise  # st.stop() raises; this line only tells type checkers


def optional_mart(table: str, sql: str, *params: Any) -> pd.DataFrame | None:
    """Rows of a query on a mart an older snapshot may lack (None then)."""
    return mart(sql, *params) if has_mart(snapshot(), table) else None
