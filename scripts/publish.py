"""Publish the BI-facing marts as a read-only snapshot that readers never see half-built.

After a successful ``dbt build``, copy every ``fct_`` / ``dim_`` / ``rpt_`` table of the
``marts`` schema into a new snapshot folder, then switch readers to it with one atomic
rename. The layout under the published folder (default ``warehouse/published``)::

    snapshots/<snapshot_id>/loans.duckdb     the marts, in a storage format DuckDB >= 1.1 opens
    snapshots/<snapshot_id>/parquet/*.parquet one file per mart
    snapshots/<snapshot_id>/manifest.json    build time, as-of dates, row counts, feeds, git rev
    current -> snapshots/<snapshot_id>       swapped atomically (os.replace of a symlink)
    loans.duckdb -> current/loans.duckdb     what BI tools and the dashboard open (read-only)
    parquet -> current/parquet
    manifest.json -> current/manifest.json

A reader that opened the old snapshot keeps reading it (its files are not touched);
a new connection sees the new one. The last ``--keep`` snapshots are kept.
Publishing refuses unless the last dbt invocation was a ``build`` with no error or
failure (``target/run_results.json``), so a failed build never publishes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
MART_PREFIXES = ("fct_", "dim_", "rpt_")
STORAGE_VERSION = "v1.1.0"  # the oldest DuckDB the snapshot must open in
FAILED_STATUSES = {"error", "fail", "runtime error"}


class PublishError(Exception):
    """Publishing was refused or failed; the current snapshot is unchanged."""


def check_run_results(run_results: Path) -> None:
    """Refuse unless the last dbt invocation was a successful `dbt build`."""
    if not run_results.exists():
        raise PublishError(f"{run_results} not found: run `dbt build` before publishing")
    results = json.loads(run_results.read_text())
    command = results.get("args", {}).get("which")
    if command != "build":
        raise PublishError(f"the last dbt command was `{command}`, not a successful `build`")
    failed = [r["unique_id"] for r in results["results"] if r["status"] in FAILED_STATUSES]
    if failed:
        raise PublishError(f"the last dbt build had {len(failed)} failures, e.g. {failed[0]}")


def git_revision() -> str:
    try:
        revision = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return revision


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = 'source' and table_schema = 'marts' "
        "and table_type = 'BASE TABLE' order by table_name"
    ).fetchall()
    return [name for (name,) in rows if name.startswith(MART_PREFIXES)]


def optional_rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a metadata query, or none when the model is not in the warehouse."""
    try:
        return con.execute(sql).fetchall()
    except duckdb.CatalogException:
        return []


def write_snapshot(warehouse: Path, snapshot: Path, snapshot_id: str) -> dict[str, Any]:
    """Copy the marts of warehouse into the folder snapshot and return the manifest."""
    (snapshot / "parquet").mkdir(parents=True)
    database = snapshot / "loans.duckdb"
    with duckdb.connect(
        str(database), config={"storage_compatibility_version": STORAGE_VERSION}
    ) as con:
        con.execute(f"attach '{warehouse}' as source (read_only)")
        tables = mart_tables(con)
        if not tables:
            raise PublishError(f"{warehouse} has no fct_/dim_/rpt_ tables in schema marts")
        con.execute("create schema marts")
        row_counts: dict[str, int] = {}
        for table in tables:
            con.execute(f"create table marts.{table} as select * from source.marts.{table}")
            (count,) = con.execute(f"select count(*) from marts.{table}").fetchone()
            row_counts[table] = count
            con.execute(
                f"copy marts.{table} to '{snapshot / 'parquet' / table}.parquet' (format parquet)"
            )
        as_of_dates = optional_rows(
            con, "select portfolio, as_of_date from source.marts.rpt_reporting_dates"
        )
        feeds = optional_rows(
            con,
            "select source_feed, loaded_rows, staged_rows, quarantined_rows "
            "from source.marts.rpt_feed_reconciliation",
        )
        con.execute("detach source")
    return {
        "snapshot_id": snapshot_id,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_revision": git_revision(),
        "source_warehouse": str(warehouse),
        "as_of_dates": {portfolio: str(day) for portfolio, day in as_of_dates},
        "source_feeds": {
            feed: {"loaded": loaded, "staged": staged, "quarantined": quarantined}
            for feed, loaded, staged, quarantined in feeds
        },
        "row_counts": row_counts,
    }


def swap_symlink(link: Path, target: str) -> None:
    """Point link at target with one atomic rename (readers never see a missing link)."""
    temporary = link.with_name(f".{link.name}.new")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    os.replace(temporary, link)


def ensure_stable_links(published: Path) -> None:
    for name in ("loans.duckdb", "parquet", "manifest.json"):
        link = published / name
        if not link.is_symlink():
            if link.exists():
                raise PublishError(f"{link} exists and is not a symlink; move it away")
            link.symlink_to(f"current/{name}")


def prune(published: Path, keep: int) -> list[str]:
    snapshots = sorted(
        p for p in (published / "snapshots").iterdir() if p.is_dir() and not p.name.startswith(".")
    )
    current = (published / "current").resolve()
    removed = []
    for old in snapshots[:-keep]:
        if old.resolve() != current:
            shutil.rmtree(old)
            removed.append(old.name)
    return removed


def publish(warehouse: Path, published: Path, run_results: Path, keep: int) -> dict[str, Any]:
    check_run_results(run_results)
    if not warehouse.exists():
        raise PublishError(f"warehouse {warehouse} not found")
    snapshot_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    snapshots = published / "snapshots"
    building = snapshots / f".{snapshot_id}.building"
    snapshots.mkdir(parents=True, exist_ok=True)
    try:
        manifest = write_snapshot(warehouse, building, snapshot_id)
        (building / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        building.rename(snapshots / snapshot_id)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    swap_symlink(published / "current", f"snapshots/{snapshot_id}")
    ensure_stable_links(published)
    manifest["pruned"] = prune(published, keep)
    return manifest


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("LOANS_WAREHOUSE", PROJECT_DIR / "warehouse/loans.duckdb")),
        help="the working warehouse dbt built ($LOANS_WAREHOUSE or warehouse/loans.duckdb)",
    )
    parser.add_argument(
        "--published-dir",
        type=Path,
        default=Path(os.environ.get("LOANS_PUBLISHED_DIR", PROJECT_DIR / "warehouse/published")),
        help="where snapshots go (default: $LOANS_PUBLISHED_DIR or warehouse/published)",
    )
    parser.add_argument(
        "--run-results",
        type=Path,
        default=PROJECT_DIR / "target" / "run_results.json",
        help="dbt's run_results.json of the build to publish (default: target/run_results.json)",
    )
    parser.add_argument(
        "--keep", type=int, default=3, help="snapshots to keep, the current one included (3)"
    )
    args = parser.parse_args(argv)
    if args.keep < 1:
        parser.error("--keep must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        manifest = publish(
            args.warehouse.resolve(), args.published_dir, args.run_results, args.keep
        )
    except PublishError as error:
        print(f"publish: refused, the published snapshot is unchanged: {error}", file=sys.stderr)
        return 1
    tables = manifest["row_counts"]
    print(
        f"published snapshot {manifest['snapshot_id']}: {len(tables)} marts, "
        f"{sum(tables.values()):,} rows -> {args.published_dir / 'loans.duckdb'} "
        f"and {args.published_dir / 'parquet'}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
