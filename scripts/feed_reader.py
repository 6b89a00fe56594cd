"""Read the raw feeds the way dbt reads them, for the tools that run outside dbt (the GX runner).

The Python twin of ``macros/feeds/read_feed.sql`` and ``macros/staging/parse_feed_columns.sql``:

* no ``raw_dir``: the bundled sample ``seeds/sample/<feed>.csv`` (dbt seeds it with every column
  declared as text, which is what ``read_csv(..., all_varchar = true)`` gives);
* a ``raw_dir``: the files directly inside it named ``<feed>.parquet``, ``<feed>.csv`` or
  ``<feed>.csv.gz``, read by DuckDB with ``read_parquet`` / ``read_csv(header = true,
  all_varchar = true)``; two files for one feed, or a folder holding none of the feeds, is an
  error, as in dbt; a feed without a file is absent (not an error);
* header names are matched to the contract case-insensitively and renamed to its spelling; extra
  columns are kept (as text) so that a check can see them;
* every contract column is parsed to its contract type exactly as staging parses it (``trim``,
  blank to null, ``try_cast``), so a cell the warehouse would quarantine as unparseable is null
  here, and its raw text is kept in ``<column>__unparseable`` (null when the cell parses or is
  blank);
* ``source_row_number`` is the 1-based data row in the file, as in the warehouse's quarantine.

Each feed becomes a DuckDB view; nothing is materialized until a caller asks for rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
from contract import Feed, feeds

PROJECT_DIR = Path(__file__).resolve().parents[1]
SAMPLE_DIR = PROJECT_DIR / "seeds" / "sample"
FILE_SUFFIXES = (".parquet", ".csv", ".csv.gz")
UNPARSEABLE_SUFFIX = "__unparseable"
ROW_NUMBER = "source_row_number"

# contract type -> DuckDB expression over the cleaned text {value} (parse_feed_column in SQL)
PARSERS = {
    "text": "{value}",
    "integer": "try_cast({value} as bigint)",
    "decimal": "try_cast({value} as decimal(18, 2))",
    "timestamp": "try_cast({value} as timestamp)",
    "date": "cast(try_cast({value} as timestamp) as date)",
}


class FeedError(Exception):
    """The feeds cannot be located or a file cannot be read at all."""


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def unparseable_column(column: str) -> str:
    return column + UNPARSEABLE_SUFFIX


def typed_columns(feed: Feed) -> list[str]:
    """The contract columns that are parsed (everything but text)."""
    return [column for column, kind in feed.columns.items() if kind != "text"]


def find_feed_files(raw_dir: Path | None) -> dict[str, Path]:
    """Feed name -> file, for the feeds present (the bundled sample when raw_dir is None)."""
    if raw_dir is None:
        return {name: SAMPLE_DIR / f"{name}.csv" for name in feeds()}
    if not raw_dir.is_dir():
        raise FeedError(f"raw_dir {raw_dir} is not a folder")
    found: dict[str, Path] = {}
    for path in sorted(raw_dir.iterdir()):
        for name in feeds():
            if path.is_file() and path.name in {name + suffix for suffix in FILE_SUFFIXES}:
                if name in found:
                    raise FeedError(
                        f"feed {name} has two files in {raw_dir}: {found[name]} and {path}"
                    )
                found[name] = path
    if not found:
        expected = ", ".join(feeds())
        raise FeedError(
            f"{raw_dir} holds none of the feeds; expected <feed>.csv, <feed>.csv.gz or "
            f"<feed>.parquet for: {expected}"
        )
    return found


def file_relation(path: Path) -> str:
    if path.name.endswith(".parquet"):
        return f"read_parquet({literal(str(path))})"
    return f"read_csv({literal(str(path))}, header = true, all_varchar = true)"


@dataclass(frozen=True)
class LoadedFeed:
    """One feed file, exposed as a DuckDB view of typed rows."""

    feed: Feed
    path: Path
    view: str
    header: tuple[str, ...]  # the file's columns in file order, contract spelling where matched

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(column for column in self.feed.columns if column not in self.header)

    def has(self, *columns: str) -> bool:
        return all(column in self.header for column in columns)


def register_feed(
    con: duckdb.DuckDBPyConnection, name: str, path: Path, derived: Mapping[str, str] | None = None
) -> LoadedFeed:
    """Create the view ``feed__<name>`` over the file; ``derived`` adds column -> SQL expression
    (over the typed columns) for checks that need more than one row, e.g. a step vs the previous
    row. Derived columns whose inputs are missing from the file are left out."""
    feed = feeds()[name]
    relation = file_relation(path)
    try:
        file_header = [
            column for column, *_ in con.execute(f"describe select * from {relation}").fetchall()
        ]
    except duckdb.Error as error:
        raise FeedError(f"feed {name}: cannot read {path}: {error}") from error
    spelling = {column.lower(): column for column in feed.columns}
    header = tuple(spelling.get(column.lower(), column) for column in file_header)
    as_text = ",\n        ".join(
        f"cast({quote(original)} as varchar) as {quote(column)}"
        for original, column in zip(file_header, header, strict=True)
    )
    parsed, unparseable = [], []
    for column in header:
        value = f"nullif(trim({quote(column)}), '')"
        kind = feed.columns.get(column, "text")
        parser = PARSERS[kind].format(value=value)
        parsed.append(f"{parser} as {quote(column)}")
        if kind != "text":
            unparseable.append(
                f"case when {value} is not null and {parser} is null then {quote(column)} end "
                f"as {quote(unparseable_column(column))}"
            )
    extra = [
        f"{expression} as {quote(column)}"
        for column, expression in (derived or {}).items()
        if all(quote(needed) not in expression or needed in header for needed in feed.columns)
    ]
    view = f"feed__{name}"
    con.execute(
        f"""
        create or replace temp view {quote(view)} as
        with file_rows as (
            select
                {as_text},
                row_number() over () as {ROW_NUMBER}
            from {relation}
        ),
        typed as (
            select
                {", ".join([*parsed, ROW_NUMBER, *unparseable])}
            from file_rows
        )
        select {", ".join(["*", *extra])} from typed
        """
    )
    return LoadedFeed(feed=feed, path=path, view=view, header=header)
