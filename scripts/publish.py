"""Publish the BI-facing marts as a read-only snapshot that readers never see half-built.

After a successful ``dbt build``, copy every ``fct_`` / ``dim_`` / ``rpt_`` table of the
``marts`` schema into a new snapshot folder, then switch readers to it with one atomic
rename. The layout under the published folder (default ``warehouse/published``)::

    snapshots/<snapshot_id>/loans.duckdb     the marts, in a storage format DuckDB >= 1.1 opens
    snapshots/<snapshot_id>/parquet/*.parquet one file per mart
    snapshots/<snapshot_id>/manifest.json    built from, as-of dates, vars, warnings, row counts
    current -> snapshots/<snapshot_id>       swapped atomically (os.replace of a symlink)
    loans.duckdb -> current/loans.duckdb     what BI tools and the dashboard open (read-only)
    parquet -> current/parquet
    manifest.json -> current/manifest.json

A reader that opened the old snapshot keeps reading it (its files are not touched);
a new connection sees the new one. The last ``--keep`` snapshots are kept.
Publishing refuses unless the last dbt invocation was a ``build`` with no error or
failure (``target/run_results.json``), so a failed build never publishes.

The manifest says what the snapshot was built from, for people and for the dashboard:
``built_from`` (bundled sample or raw_dir, a label, each feed file's size, modification
time and SHA-256), ``as_of_dates`` and ``portfolios`` (JSON null for a portfolio with
no data), the ``vars`` the build used (dbt_project.yml defaults overlaid by the build's
``--vars``, read from run_results.json) and ``vars_overridden``, ``currency`` and
``warnings`` (a doubtful reporting date, from marts.rpt_reporting_dates; an empty feed
file or a plan mostly below the principal lent, from marts.rpt_build_warnings), and
``columns``: each published mart's column labels, formats and hover definitions for people, from
the column ``meta`` ({label, format, help}) of the mart YAML as dbt's ``target/manifest.json``
holds it
(``{}`` with a log line when that file is missing).
Run it as ``python -m scripts.publish`` from the repository root.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from scripts.settings import PROJECT_DIR, SAMPLE_DIR, dbt_target_dir, published_dir, warehouse_path

MART_PREFIXES = ("fct_", "dim_", "rpt_")
STORAGE_VERSION = "v1.1.0"  # the oldest DuckDB the snapshot must open in
FAILED_STATUSES = {"error", "fail", "runtime error"}
PORTFOLIOS = ("family_a", "family_b")
# Names for people when the snapshot has no rpt_reference_categories (an older build).
PORTFOLIO_LABELS = {
    "family_a": "instalment loans (schedule and payments)",
    "family_b": "loan book (branches, customers, loans)",
}
FEED_SUFFIXES = (".parquet", ".csv", ".csv.gz")  # as macro raw_feed_files() accepts them


class PublishError(Exception):
    """Publishing was refused or failed; the current snapshot is unchanged."""


def check_run_results(run_results: Path) -> dict[str, Any]:
    """Refuse unless the last dbt invocation was a successful `dbt build`; return its results."""
    if not run_results.exists():
        raise PublishError(f"{run_results} not found: run `dbt build` before publishing")
    results = json.loads(run_results.read_text())
    command = results.get("args", {}).get("which")
    if command != "build":
        raise PublishError(f"the last dbt command was `{command}`, not a successful `build`")
    failed = [r["unique_id"] for r in results["results"] if r["status"] in FAILED_STATUSES]
    if failed:
        raise PublishError(f"the last dbt build had {len(failed)} failures, e.g. {failed[0]}")
    return results


def build_vars(run_args: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The vars the build used (project defaults overlaid by its --vars) and those overridden."""
    project_dir = Path(run_args.get("project_dir") or PROJECT_DIR)
    project_file = project_dir / "dbt_project.yml"
    if not project_file.exists():
        project_file = PROJECT_DIR / "dbt_project.yml"
    defaults = yaml.safe_load(project_file.read_text()).get("vars", {})
    cli_vars = run_args.get("vars") or {}
    if isinstance(cli_vars, str):  # older dbt versions wrote the YAML text
        cli_vars = yaml.safe_load(cli_vars) or {}
    effective = {**defaults, **cli_vars}
    overridden = {name: value for name, value in cli_vars.items() if defaults.get(name) != value}
    return effective, overridden


def resolve_raw_dir(raw_dir: str, project_dir: Path) -> Path:
    """raw_dir as dbt read it: relative to where dbt ran (the working or project directory)."""
    path = Path(raw_dir).expanduser()
    if path.is_absolute():
        return path
    for base in (Path.cwd(), project_dir):
        if (base / path).is_dir():
            return (base / path).resolve()
    return path.resolve()


def feed_files(folder: Path, feed_names: list[str]) -> list[dict[str, Any]]:
    """Name, size, modification time and SHA-256 of each feed file found in folder."""
    files = []
    for feed in feed_names:
        for suffix in FEED_SUFFIXES:
            path = folder / f"{feed}{suffix}"
            if not path.is_file():
                continue
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            stat = path.stat()
            files.append(
                {
                    "feed": feed,
                    "file": path.name,
                    "bytes": stat.st_size,
                    "modified_at": datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(
                        timespec="seconds"
                    ),
                    "sha256": digest.hexdigest(),
                }
            )
    return files


def built_from(
    effective_vars: dict[str, Any], run_args: dict[str, Any], label: str | None, as_of: list[str]
) -> dict[str, Any]:
    """What the build read: the bundled sample or a raw_dir, with its feed files."""
    feed_names = list(effective_vars.get("feed_contract", {}))
    raw_dir = effective_vars.get("raw_dir")
    if raw_dir is None:
        return {
            "kind": "bundled sample",
            "raw_dir": None,
            "label": label or "bundled sample",
            "files": feed_files(SAMPLE_DIR, feed_names),
        }
    folder = resolve_raw_dir(str(raw_dir), Path(run_args.get("project_dir") or PROJECT_DIR))
    as_of_text = f" as of {max(as_of)}" if as_of else ""
    return {
        "kind": "raw_dir",
        "raw_dir": str(folder),
        "label": label or f"{folder.name}{as_of_text}",
        "files": feed_files(folder, feed_names),
    }


def portfolios(
    reporting_dates: list[tuple[Any, ...]], labels: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Each portfolio's label, whether it has data, its as-of date (or None) and warning."""
    by_portfolio = {row[0]: row for row in reporting_dates}
    result = {}
    for portfolio in PORTFOLIOS:
        _, as_of_date, latest_event_date, warning = by_portfolio.get(
            portfolio, (portfolio, None, None, None)
        )
        has_data = latest_event_date is not None
        result[portfolio] = {
            "label": labels.get(portfolio, PORTFOLIO_LABELS[portfolio]),
            "has_data": has_data,
            "as_of_date": as_of_date.isoformat() if has_data and as_of_date else None,
            "warning": warning,
        }
    return result


def reporting_dates_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """(portfolio, as_of_date, latest_event_date, as_of_warning) from the reporting-dates mart."""
    rows = optional_rows(
        con,
        "select portfolio, as_of_date, latest_event_date, as_of_warning "
        "from source.marts.rpt_reporting_dates",
    )
    if rows:
        return rows
    # a snapshot built before as_of_warning existed
    return [
        (*row, None)
        for row in optional_rows(
            con,
            "select portfolio, as_of_date, latest_event_date from source.marts.rpt_reporting_dates",
        )
    ]


def portfolio_labels(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = optional_rows(
        con,
        "select code, category_label from source.marts.rpt_reference_categories "
        "where category_set = 'portfolio'",
    )
    return {code: label[:1].lower() + label[1:] for code, label in rows}


def build_description(
    run_results: dict[str, Any],
    reporting_dates: list[tuple[Any, ...]],
    labels: dict[str, str],
    label: str | None,
    feed_warnings: list[tuple[Any, ...]] = (),
) -> dict[str, Any]:
    """The manifest fields that say what the snapshot was built from and how. The warnings:
    each portfolio's doubtful reporting date, then each (source_feed, warning_message) of
    marts.rpt_build_warnings."""
    run_args = run_results.get("args", {})
    effective_vars, overridden = build_vars(run_args)
    portfolio_fields = portfolios(reporting_dates, labels)
    as_of = [p["as_of_date"] for p in portfolio_fields.values() if p["as_of_date"]]
    currency_code = effective_vars.get("currency_code") or ""
    warnings = [
        f"{fields['label']} ({portfolio}): {fields['warning']}"
        for portfolio, fields in portfolio_fields.items()
        if fields["warning"]
    ] + [f"feed {feed}: {message}" for feed, message in feed_warnings]
    return {
        "built_from": built_from(effective_vars, run_args, label, as_of),
        "as_of_dates": {
            portfolio: fields["as_of_date"] for portfolio, fields in portfolio_fields.items()
        },
        "portfolios": portfolio_fields,
        "vars": effective_vars,
        "vars_overridden": overridden,
        "currency": {"code": currency_code, "label": currency_code or "currency units"},
        "warnings": warnings,
    }


def column_meta(dbt_manifest: Path, marts: list[str]) -> dict[str, dict[str, dict[str, str]]]:
    """{mart: {column: {"label", "format", "help"}}} from the column meta of dbt's manifest.

    Only the published marts, only columns whose meta has a label, a format or a help (the
    hover definition the dashboard shows); {} (and a
    line on stderr) when the manifest is missing, so publishing never depends on it.
    """
    if not dbt_manifest.is_file():
        print(
            f"publish: {dbt_manifest} not found: the snapshot's manifest gets columns: {{}} "
            "(no column labels/formats; run `dbt parse` or `dbt build` first to have them)",
            file=sys.stderr,
        )
        return {}
    nodes = json.loads(dbt_manifest.read_text()).get("nodes", {})
    wanted = set(marts)
    columns: dict[str, dict[str, dict[str, str]]] = {}
    for node in nodes.values():
        if node.get("resource_type") != "model" or node.get("name") not in wanted:
            continue
        found = {}
        for name, column in (node.get("columns") or {}).items():
            meta = column.get("meta") or (column.get("config") or {}).get("meta") or {}
            fields = {key: str(meta[key]) for key in ("label", "format", "help") if meta.get(key)}
            if fields:
                found[name] = fields
        if found:
            columns[node["name"]] = dict(sorted(found.items()))
    return dict(sorted(columns.items()))


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


def write_snapshot(
    warehouse: Path,
    snapshot: Path,
    snapshot_id: str,
    run_results: dict[str, Any],
    label: str | None = None,
    dbt_manifest: Path | None = None,
) -> dict[str, Any]:
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
        reporting_dates = reporting_dates_rows(con)
        labels = portfolio_labels(con)
        feeds = optional_rows(
            con,
            "select source_feed, loaded_rows, staged_rows, quarantined_rows "
            "from source.marts.rpt_feed_reconciliation",
        )
        feed_warnings = optional_rows(
            con,
            "select source_feed, warning_message from source.marts.rpt_build_warnings "
            "order by warning_code, source_feed",
        )
        con.execute("detach source")
    return {
        "snapshot_id": snapshot_id,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_revision": git_revision(),
        "source_warehouse": str(warehouse),
        **build_description(run_results, reporting_dates, labels, label, feed_warnings),
        "source_feeds": {
            feed: {"loaded": loaded, "staged": staged, "quarantined": quarantined}
            for feed, loaded, staged, quarantined in feeds
        },
        "row_counts": row_counts,
        "columns": column_meta(dbt_manifest or dbt_target_dir() / "manifest.json", tables),
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


def publish(
    warehouse: Path,
    published: Path,
    run_results: Path,
    keep: int,
    label: str | None = None,
    dbt_manifest: Path | None = None,
) -> dict[str, Any]:
    results = check_run_results(run_results)
    if not warehouse.exists():
        raise PublishError(f"warehouse {warehouse} not found")
    snapshot_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    snapshots = published / "snapshots"
    building = snapshots / f".{snapshot_id}.building"
    snapshots.mkdir(parents=True, exist_ok=True)
    try:
        # the build's own dbt manifest: beside its run_results.json unless given
        dbt_manifest = dbt_manifest or run_results.with_name("manifest.json")
        manifest = write_snapshot(warehouse, building, snapshot_id, results, label, dbt_manifest)
        (building / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
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
        default=warehouse_path(),
        help="the working warehouse dbt built ($LOANS_WAREHOUSE or warehouse/loans.duckdb)",
    )
    parser.add_argument(
        "--published-dir",
        type=Path,
        default=published_dir(),
        help="where snapshots go (default: $LOANS_PUBLISHED_DIR or warehouse/published)",
    )
    parser.add_argument(
        "--run-results",
        type=Path,
        default=dbt_target_dir() / "run_results.json",
        help="dbt's run_results.json of the build to publish (default: target/run_results.json)",
    )
    parser.add_argument(
        "--dbt-manifest",
        type=Path,
        help="dbt's manifest.json, for the column labels/formats (default: the manifest.json "
        "beside --run-results, i.e. target/manifest.json)",
    )
    parser.add_argument(
        "--label",
        help="the snapshot's name for people (default: 'bundled sample', or the raw_dir "
        "folder's name and as-of date)",
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
            args.warehouse.resolve(),
            args.published_dir,
            args.run_results,
            args.keep,
            args.label,
            args.dbt_manifest,
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
    print(f"built from: {manifest['built_from']['label']}")
    for warning in manifest["warnings"]:
        print(f"WARNING: {warning}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
