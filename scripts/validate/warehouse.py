"""What the runner reads from the warehouse dbt built: the facts of the run and the tables to check.

Everything is read from relations dbt wrote, opened read-only: the raw feeds as dbt loaded them
(``staging.base_<family>__<feed>``: every row as read, its parsed values, ``quarantine_reason``,
``source_row_number``) and the marts. Nothing is parsed or derived again here: the reporting
dates come from ``marts.rpt_reporting_dates`` and the thresholds from
``marts.rpt_reference_categories`` (the values of the build's vars).

Memory stays bounded by the columns a suite names: DuckDB computes the counts the facts need and
the derived columns (one window or row expression each), and only the columns the suite's
expectations read (plus the row number) are turned into a pandas frame for GX; the row outcome is
a DuckDB ENUM, so pandas holds it as a categorical of one byte per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from great_expectations.expectations.expectation import Expectation

from scripts.contract import feeds
from scripts.gx_suites.checks import Band, Facts, SuiteBuilder
from scripts.gx_suites.raw_feeds import ROW_NUMBER, ROW_OUTCOME, STAGED, base_model

WAREHOUSE = "wh"  # the alias the warehouse file is attached under, read-only
RAW_DERIVED = {ROW_OUTCOME: f"cast(coalesce(quarantine_reason, '{STAGED}') as row_outcome)"}


class WarehouseError(Exception):
    """The warehouse cannot be read or lacks what a dbt build always writes."""


@dataclass
class Target:
    """One table to validate: a raw feed (its base model) or a mart."""

    layer: str  # "raw" or "mart"
    name: str
    relation: str  # schema.table in the warehouse
    suite: SuiteBuilder
    rows: int
    derived: dict[str, str]
    index_column: str | None = None  # reported with each unexpected row (a row number)

    def read(self, con: duckdb.DuckDBPyConnection, expectations: list[Expectation]) -> pd.DataFrame:
        """The rows with only the columns the expectations read (and the index column)."""
        names = needed_columns(expectations) | ({self.index_column} if self.index_column else set())
        present = table_columns(con, self.relation) | set(self.derived)
        selected = [
            f"{self.derived[name]} as {quote(name)}" if name in self.derived else quote(name)
            for name in sorted(names & present)
        ]
        if not selected:  # table-level expectations only (row count): one narrow column
            selected = ["1 as _row"]
        relation = ".".join(map(quote, (WAREHOUSE, *self.relation.split("."))))
        return con.execute(f"select {', '.join(selected)} from {relation}").df()


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def expectation_columns(expectation: Expectation) -> list[str]:
    columns = [getattr(expectation, key, None) for key in ("column", "column_A", "column_B")]
    return [c for c in columns if isinstance(c, str)] + list(
        getattr(expectation, "column_list", None) or []
    )


def condition_columns(condition: Any) -> set[str]:
    """The columns a GX row_condition reads (comparisons, nullity, and/or of those)."""
    if condition is None or isinstance(condition, str):
        return set()
    found = set()
    column = getattr(condition, "column", None)
    if column is not None:
        found.add(getattr(column, "name", column))
    for part in getattr(condition, "conditions", None) or []:
        found |= condition_columns(part)
    return found


def needed_columns(expectations: list[Expectation]) -> set[str]:
    names: set[str] = set()
    for expectation in expectations:
        names |= set(expectation_columns(expectation))
        names |= condition_columns(getattr(expectation, "row_condition", None))
    return names


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the warehouse attached read-only (the ENUM lives in memory)."""
    if not warehouse.exists():
        raise WarehouseError(
            f"no warehouse at {warehouse}: build it first (make build, or dbt build); "
            "validation checks what dbt built"
        )
    con = duckdb.connect()
    try:
        con.execute(f"attach '{warehouse}' as {WAREHOUSE} (read_only)")
    except duckdb.Error as error:
        con.close()
        raise WarehouseError(f"cannot open the warehouse {warehouse}: {error}") from error
    return con


def tables(con: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    return {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = ? and table_schema = ?",
            [WAREHOUSE, schema],
        ).fetchall()
    }


def table_columns(con: duckdb.DuckDBPyConnection, relation: str) -> set[str]:
    schema, table = relation.split(".")
    return {
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_catalog = ? and table_schema = ? and table_name = ?",
            [WAREHOUSE, schema, table],
        ).fetchall()
    }


def count(con: duckdb.DuckDBPyConnection, relation: str, where: str = "") -> int:
    schema, table = relation.split(".")
    sql = f"select count(*) from {WAREHOUSE}.{quote(schema)}.{quote(table)}"
    (rows,) = con.execute(sql + (f" where {where}" if where else "")).fetchone()
    return int(rows)


def band(code: str, lower: float | None, upper: float | None, label: str) -> Band:
    """A category's bounds; bounds_label says which are strict ('[60, 80)', '< 0.95', '> 1.05')."""
    label = label or ""
    return Band(
        code=code,
        lower=lower,
        upper=upper,
        strict_lower=lower is not None and (">" in label or bool(re.search(r"\(\s*-?\d", label))),
        strict_upper=upper is not None and ("<" in label or label.rstrip().endswith(")")),
        label=label,
    )


def read_bands(con: duckdb.DuckDBPyConnection, category_set: str) -> tuple[Band, ...]:
    rows = con.execute(
        f"select code, lower_bound, upper_bound, bounds_label "
        f"from {WAREHOUSE}.marts.rpt_reference_categories "
        f"where category_set = ? order by sort_order",
        [category_set],
    ).fetchall()
    return tuple(band(*row) for row in rows)


def read_facts(con: duckdb.DuckDBPyConnection) -> Facts:
    marts = tables(con, "marts")
    missing = {"rpt_reporting_dates", "rpt_reference_categories"} - marts
    if missing:
        raise WarehouseError(
            f"the warehouse lacks marts.{', marts.'.join(sorted(missing))}: "
            "rebuild it with this version of the project (dbt build)"
        )
    rows = con.execute(
        f"select portfolio, as_of_date, as_of_date_source "
        f"from {WAREHOUSE}.marts.rpt_reporting_dates order by portfolio"
    ).fetchall()
    as_of: dict[str, date | None] = {portfolio: day for portfolio, day, _ in rows}
    sources = sorted({source for _, day, source in rows if day is not None and source})
    staging = tables(con, "staging")
    loaded = {
        feed: count(con, f"staging.{base_model(feed)}")
        for feed in feeds()
        if base_model(feed) in staging
    }
    disbursed = None
    if loaded.get("orders"):
        disbursed = count(
            con,
            f"staging.{base_model('orders')}",
            "quarantine_reason is null and disbursed_at is not null",
        )
    return Facts(
        as_of=as_of,
        as_of_source=", ".join(sources) or "no events",
        disbursed_orders=disbursed,
        loaded_rows=loaded,
        score_tiers=read_bands(con, "score_tier"),
        repayment_segments=read_bands(con, "repayment_segment"),
    )


def raw_targets(
    con: duckdb.DuckDBPyConnection, facts: Facts, suites: dict[str, SuiteBuilder]
) -> tuple[list[Target], list[str]]:
    """A target per feed dbt loaded rows for; the names of the feeds it loaded none for."""
    reasons = [
        reason
        for (reason,) in con.execute(
            " union ".join(
                f"select distinct quarantine_reason from {WAREHOUSE}.staging.{base_model(feed)}"
                for feed in facts.loaded_rows
            )
            or "select null where false"
        ).fetchall()
        if reason is not None
    ]
    levels = ", ".join("'" + v.replace("'", "''") + "'" for v in sorted({STAGED, *reasons}))
    con.execute(f"create or replace type row_outcome as enum ({levels})")
    targets, absent = [], []
    for feed, suite in suites.items():
        if not facts.loaded_rows.get(feed):
            absent.append(feed)
            continue
        targets.append(
            Target(
                layer="raw",
                name=feed,
                relation=f"staging.{base_model(feed)}",
                suite=suite,
                rows=facts.loaded_rows[feed],
                derived=RAW_DERIVED,
                index_column=ROW_NUMBER,
            )
        )
    return targets, absent


def mart_targets(
    con: duckdb.DuckDBPyConnection,
    suites: dict[str, SuiteBuilder],
    derived: dict[str, dict[str, str]],
) -> tuple[list[Target], list[str]]:
    """A target per registered mart found in the warehouse; the names of those it lacks."""
    present = tables(con, "marts")
    targets = [
        Target(
            layer="mart",
            name=name,
            relation=f"marts.{name}",
            suite=suite,
            rows=count(con, f"marts.{name}"),
            derived=derived.get(name, {}),
        )
        for name, suite in suites.items()
        if name in present
    ]
    return targets, [name for name in suites if name not in present]
