"""Find the published snapshots and read their marts, read-only.

The dashboard never opens the working warehouse: it reads the snapshots that
scripts/publish.py writes under ``$LOANS_PUBLISHED_DIR`` (default
``warehouse/published``)::

    snapshots/<snapshot_id>/loans.duckdb   the marts (schema ``marts``)
    snapshots/<snapshot_id>/manifest.json  build time, as-of dates, row counts
    current -> snapshots/<snapshot_id>     the snapshot readers get by default

A snapshot folder never changes once published (a new build writes a new
one), so query results are cached per snapshot file. Every query opens the
file read-only and closes it at once, so a rebuild and publish can run while
the dashboard is up.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

PROJECT_DIR = Path(__file__).resolve().parents[1]


class SnapshotUnavailable(Exception):
    """No snapshot is published yet, or the chosen one was removed."""


@dataclass(frozen=True)
class Snapshot:
    """One published snapshot folder and what its manifest says about it."""

    snapshot_id: str
    folder: Path
    built_at: str
    as_of_dates: dict[str, str]
    is_current: bool

    @property
    def database(self) -> Path:
        return self.folder / "loans.duckdb"

    @property
    def label(self) -> str:
        """E.g. `as of 2025-06-30 (A) · 2025-06-27 (B), built 2026-11-26 15:02 UTC`."""
        dates = " · ".join(
            f"{day} ({portfolio.removeprefix('family_').upper()})"
            for portfolio, day in sorted(self.as_of_dates.items())
        )
        try:
            built = datetime.fromisoformat(self.built_at).strftime("%Y-%m-%d %H:%M UTC")
        except ValueError:
            built = self.built_at or self.snapshot_id
        return f"as of {dates or 'unknown'}, built {built}"


def published_dir() -> Path:
    """$LOANS_PUBLISHED_DIR (as publish.py reads it), else warehouse/published."""
    return Path(os.environ.get("LOANS_PUBLISHED_DIR", PROJECT_DIR / "warehouse" / "published"))


def list_snapshots(published: Path) -> list[Snapshot]:
    """The complete snapshots kept under published, newest first."""
    snapshots_dir = published / "snapshots"
    if not snapshots_dir.is_dir():
        return []
    current_link = published / "current"
    current = current_link.resolve().name if current_link.is_symlink() else None
    found = []
    for folder in sorted(snapshots_dir.iterdir(), reverse=True):
        manifest_file = folder / "manifest.json"
        # ".<id>.building" folders are publishes in progress or interrupted ones
        if folder.name.startswith(".") or not (folder / "loans.duckdb").is_file():
            continue
        try:
            manifest: dict[str, Any] = json.loads(manifest_file.read_text())
        except (OSError, ValueError):
            manifest = {}
        found.append(
            Snapshot(
                snapshot_id=folder.name,
                folder=folder,
                built_at=str(manifest.get("built_at", "")),
                as_of_dates=dict(manifest.get("as_of_dates", {})),
                is_current=folder.name == current,
            )
        )
    return found


@st.cache_data(show_spinner=False, max_entries=256)  # a snapshot never changes
def _read(database: str, sql: str, params: tuple[Any, ...]) -> pd.DataFrame:
    with duckdb.connect(database, read_only=True) as con:
        return con.execute(sql, list(params)).df()


def read(snapshot: Snapshot, sql: str, *params: Any) -> pd.DataFrame:
    """Rows of one query on the snapshot's marts (cached; the file is closed at once)."""
    if not snapshot.database.is_file():
        raise SnapshotUnavailable(
            f"snapshot {snapshot.snapshot_id} is no longer published "
            "(only the last few are kept): pick another in the sidebar"
        )
    return _read(str(snapshot.database), sql, params).copy()


def has_mart(snapshot: Snapshot, table: str) -> bool:
    """Whether the snapshot has the mart (an older snapshot may predate it)."""
    rows = read(
        snapshot,
        "select count(*) as n from information_schema.tables "
        "where table_schema = 'marts' and table_name = ?",
        table,
    )
    return bool(rows["n"].iloc[0])
