"""Find the published snapshots and read their marts, read-only.

The dashboard never opens the working warehouse: it reads the snapshots that
scripts/publish.py writes under ``$LOANS_PUBLISHED_DIR`` (default
``warehouse/published``, from scripts/settings.py)::

    snapshots/<snapshot_id>/loans.duckdb   the marts (schema ``marts``)
    snapshots/<snapshot_id>/manifest.json  what it was built from, as-of dates, vars, currency
    current -> snapshots/<snapshot_id>     the snapshot readers get by default

A snapshot folder never changes once published (a new build writes a new
one), so query results are cached per snapshot file. Every query opens the
file read-only and closes it at once, so a rebuild and publish can run while
the dashboard is up. A manifest written before a field existed (an older
snapshot) still reads: every field has a fallback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from scripts.settings import published_dir

__all__ = ["Snapshot", "SnapshotUnavailable", "has_mart", "list_snapshots", "published_dir", "read"]

PORTFOLIOS = ("family_a", "family_b")
# Short names for people, used where a whole sentence does not fit (the snapshot picker).
SHORT_NAMES = {"family_a": "instalment loans", "family_b": "loan book"}


class SnapshotUnavailable(Exception):
    """No snapshot is published yet, or the chosen one was removed."""


def as_date(value: Any) -> str | None:
    """A manifest date, or None for JSON null, "" and the string "None" older publishes wrote."""
    text = "" if value is None else str(value).strip()
    return None if text in ("", "None", "null", "NaT") else text


@dataclass(frozen=True)
class Snapshot:
    """One published snapshot folder and what its manifest says about it."""

    snapshot_id: str
    folder: Path
    is_current: bool
    manifest: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def database(self) -> Path:
        return self.folder / "loans.duckdb"

    @property
    def built_at(self) -> str:
        return str(self.manifest.get("built_at", ""))

    @property
    def as_of_dates(self) -> dict[str, str | None]:
        """Portfolio -> as-of date (None when the portfolio has no data)."""
        dates = {p: as_date(d) for p, d in dict(self.manifest.get("as_of_dates") or {}).items()}
        for portfolio, facts in self.portfolios.items():
            dates.setdefault(portfolio, as_date(facts.get("as_of_date")))
        return dates

    @property
    def portfolios(self) -> dict[str, dict[str, Any]]:
        return {p: dict(f or {}) for p, f in dict(self.manifest.get("portfolios") or {}).items()}

    @property
    def built_from(self) -> dict[str, Any]:
        return dict(self.manifest.get("built_from") or {})

    @property
    def source_label(self) -> str | None:
        """What the snapshot was built from, for people ("bundled sample", "lender_x ...")."""
        label = self.built_from.get("label")
        return str(label) if label else None

    @property
    def vars(self) -> dict[str, Any]:
        return dict(self.manifest.get("vars") or {})

    @property
    def vars_overridden(self) -> dict[str, Any]:
        return dict(self.manifest.get("vars_overridden") or {})

    @property
    def currency(self) -> str:
        """The amounts' currency for people: manifest currency.label, else "currency units"."""
        currency = dict(self.manifest.get("currency") or {})
        return str(currency.get("label") or currency.get("code") or "currency units")

    @property
    def warnings(self) -> list[str]:
        return [str(w) for w in self.manifest.get("warnings") or []]

    @property
    def built(self) -> str:
        try:
            return datetime.fromisoformat(self.built_at).strftime("%Y-%m-%d %H:%M UTC")
        except ValueError:
            return self.built_at or self.snapshot_id

    @property
    def label(self) -> str:
        """E.g. `lender_x as of 2025-03-31 · instalment loans 2025-03-31, loan book none ·
        built 2026-11-26 15:02 UTC` (older manifests: without what it was built from)."""
        dates = self.as_of_dates
        known = [p for p in PORTFOLIOS if p in dates] + sorted(set(dates) - set(PORTFOLIOS))
        parts = [f"{SHORT_NAMES.get(p, p)} {dates[p] or 'no data'}" for p in known if p in dates]
        as_of = "as of " + (", ".join(parts) if parts else "unknown")
        source = self.source_label
        return " · ".join([*([source] if source else []), as_of, f"built {self.built}"])


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
            manifest = json.loads(manifest_file.read_text())
        except (OSError, ValueError):
            manifest = {}
        found.append(
            Snapshot(
                snapshot_id=folder.name,
                folder=folder,
                is_current=folder.name == current,
                manifest=manifest if isinstance(manifest, dict) else {},
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
