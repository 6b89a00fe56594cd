"""Read-only access to the marts a chart declares, the warehouse's vocabulary and the snapshot's
currency.

A chart reads marts through ``Marts``, which refuses any mart the chart did not declare (its dbt
exposure lists the same ones). Category names, their order and bounds (DPD buckets, roll states,
repayment segments, score tiers, portfolio names, loan statuses, correlation features) come from
``marts.rpt_reference_categories``, never typed here; the currency comes from the published
snapshot's ``manifest.json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

VOCABULARY = "rpt_reference_categories"
REPORTING_DATES = "rpt_reporting_dates"
NO_CURRENCY = "currency units"


class NoData(Exception):
    """A chart has nothing to draw; the message says why, for people."""


@dataclass(frozen=True)
class Portfolio:
    """A portfolio as people name it, and whether the warehouse holds any of its loans."""

    code: str  # family_a / family_b: the developers' name
    name: str  # e.g. "Instalment loans (schedule and payments)"
    description: str  # what it is and which feeds feed it
    as_of_date: str | None  # None when the warehouse holds no loan of it

    @property
    def lower_name(self) -> str:
        return self.name[:1].lower() + self.name[1:]


class Marts:
    """Read-only access to the marts a chart declares, and no others."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        allowed: Sequence[str],
        currency: str = NO_CURRENCY,
    ) -> None:
        self.con = con
        self.allowed = tuple(allowed)
        self.currency = currency

    def rows(
        self,
        mart: str,
        columns: str = "*",
        where: str = "",
        order_by: str = "",
        distinct: bool = False,
    ) -> pd.DataFrame:
        """select [distinct] columns from marts.<mart> [where ...] [order by ...]."""
        if mart not in self.allowed:
            raise ValueError(f"this chart declares {self.allowed}, not {mart}")
        sql = f"select {'distinct ' if distinct else ''}{columns} from marts.{mart}"
        sql += f" where {where}" if where else ""
        sql += f" order by {order_by}" if order_by else ""
        return self.con.execute(sql).df()

    def categories(self, category_set: str) -> pd.DataFrame:
        """The categories of one set (code, category_label, bounds...), in display order."""
        found = self.rows(
            VOCABULARY,
            "code, category_label, sort_order, lower_bound, upper_bound, bounds_label, description",
            where=f"category_set = '{category_set}'",
            order_by="sort_order",
        )
        if found.empty:
            raise ValueError(f"marts.{VOCABULARY} has no category of set {category_set!r}")
        return found

    def ordered(self, category_set: str, present: Sequence[str]) -> list[str]:
        """The codes present, in the set's vocabulary order; codes the set does not list (or
        every code, for a snapshot whose vocabulary lacks the set) after them, sorted."""
        try:
            known = list(self.categories(category_set).code)
        except ValueError:
            known = []
        listed = [code for code in known if code in set(present)]
        return listed + sorted(set(present) - set(listed))

    def portfolio(self, code: str) -> Portfolio:
        """The portfolio's name for people and its reporting date (None: no loans of it)."""
        names = self.categories("portfolio").set_index("code")
        dates = self.rows(REPORTING_DATES, "portfolio, as_of_date", where=f"portfolio = '{code}'")
        day = dates.as_of_date.iloc[0] if len(dates) else None
        as_of = None if day is None or pd.isna(day) else pd.Timestamp(day).date().isoformat()
        return Portfolio(
            code=code,
            name=names.category_label[code],
            description=names.description[code],
            as_of_date=as_of,
        )


def mart_tables(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Mart -> row count, for every table of the marts schema."""
    names = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    ]
    return {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in names}


def snapshot_manifest(warehouse: Path) -> dict[str, Any]:
    """The manifest.json publish wrote beside the snapshot's DuckDB file ({} when none).

    The DuckDB file of the published folder is a symlink into the current snapshot: the
    manifest is read from the folder the file resolves to, so both come from one snapshot.
    """
    for folder in (warehouse.resolve().parent, warehouse.parent):
        path = folder / "manifest.json"
        if path.is_file():
            try:
                manifest = json.loads(path.read_text())
            except (OSError, ValueError):
                return {}
            return manifest if isinstance(manifest, dict) else {}
    return {}


def currency_label(manifest: dict[str, Any]) -> str:
    """The label amounts carry: manifest currency.label, else "currency units" (older snapshot)."""
    currency = manifest.get("currency")
    label = currency.get("label") if isinstance(currency, dict) else None
    return label.strip() if isinstance(label, str) and label.strip() else NO_CURRENCY
