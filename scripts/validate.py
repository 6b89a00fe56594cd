"""Validate the raw feeds and the marts with Great Expectations (GX Core 1.x); write Data Docs.

Reads the six raw feeds exactly as dbt reads them (``feed_reader``: the bundled sample, or
``--raw-dir``), runs one suite per feed (``gx_suites/raw_feeds.py``; and one per mart registered
in ``gx_suites/marts.py``, read from ``--warehouse``), prints a summary and writes Data Docs
(``--docs-dir``, default ``target/gx_data_docs/``) that read the same offline.

What the suites check is what dbt's tests do not: the published header (names, order), the share
of each column's cells that parse as the contract type, the cumulative plan never stepping down,
no event after the as-of date, plausible amounts, row counts relative to the orders feed, unique
ids, accepted values; on the marts, shares summing to 1, a score within 0-100 and in its tier,
PAR90 <= PAR30, vintage curves that do not step down, no event after the mart's as-of date (a
mart's checks over several rows read derived columns, ``gx_suites/marts.py``).

The as-of date is ``--as-of-date`` or, per portfolio, the latest event date in its feeds (model
``int_reporting_dates``' rule: Family A created / put / closed / paid dates, Family B StartDate;
dates outside var plausible_date_range are ignored; never today's date).

Exit status: 0 when no critical expectation fails (warnings are printed, feed by feed, with what
was observed and what was expected); 1 when one does, or a feed file cannot be read at all; 2 on
a usage error (no such folder, two files for one feed, ...). An absent feed is reported, not a
failure.

The GX context is ephemeral, on purpose. The suites are code generated from the contract
(``dbt_project.yml``), so a stored copy (a file context's JSON suites and great_expectations.yml)
would be a second contract to keep in step; the values a suite depends on (as-of date, disbursed
orders) change with every input; and the one output worth keeping, Data Docs, is written to a
folder we choose, under the git-ignored ``target/``. Nothing else is written, nothing is fetched.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import pandas as pd
from contract import feeds, project_vars
from feed_reader import (
    ROW_NUMBER,
    FeedError,
    LoadedFeed,
    find_feed_files,
    quote,
    register_feed,
    typed_columns,
    unparseable_column,
)
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations.expectation import Expectation
from gx_suites.checks import Facts, SuiteBuilder
from gx_suites.marts import MART_DERIVED_COLUMNS, MART_SUITES
from gx_suites.raw_feeds import DERIVED_COLUMNS, EVENT_COLUMNS, RAW_FEED_SUITES
from offline_docs import make_offline
from tqdm import tqdm

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DOCS_DIR = PROJECT_DIR / "target" / "gx_data_docs"
SITE = "gx_data_docs"
DOCS_MARKER = ".validate-data-docs"  # the docs folder is emptied on each run only if it holds this
EXAMPLES = 5  # unexpected values quoted per failure in the printed summary


class SuiteError(Exception):
    """A suite names a column that no feed or mart can have: a bug in the suite."""


class UsageError(Exception):
    """The command line asks for something that cannot be done."""


@dataclass
class Target:
    """One table to validate: a raw feed or a mart."""

    layer: str  # "raw" or "mart"
    name: str
    source: str  # file or table, for messages
    suite: SuiteBuilder
    read: Callable[[], pd.DataFrame]
    # columns a suite may name although this file lacks them (the critical column check says
    # so); None = no such leniency, every named column must exist
    known_columns: frozenset[str] | None = None
    index_column: str | None = None  # reported with each unexpected row (a row number)


@dataclass
class Failure:
    severity: str
    expectation: str
    column: str | None
    observed: str
    expected: str
    why: str
    unexpected_count: int | None = None
    element_count: int | None = None
    sample_rows: list[int] = field(default_factory=list)  # index values of sampled rows


@dataclass
class TargetReport:
    layer: str
    name: str
    source: str | None
    status: str  # validated | absent | unreadable
    rows: int | None = None
    evaluated: int = 0
    failures: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    error: str | None = None
    page: str | None = None

    def failed(self, severity: str) -> list[Failure]:
        return [failure for failure in self.failures if failure.severity == severity]

    @property
    def critical(self) -> bool:
        return self.status == "unreadable" or bool(self.failed("critical"))


@dataclass
class RunReport:
    raw_source: str
    as_of: dict[str, str | None]
    as_of_source: str
    targets: list[TargetReport]
    docs_index: str | None = None
    remote_assets_left: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 1 if any(target.critical for target in self.targets) else 0


# --------------------------------------------------------------------------------------------
# Reading: the raw feeds, the facts of the run, the marts
# --------------------------------------------------------------------------------------------
def load_raw_feeds(
    con: duckdb.DuckDBPyConnection, raw_dir: Path | None
) -> tuple[dict[str, LoadedFeed], list[TargetReport]]:
    """Register a view per present feed; report absent and unreadable feeds."""
    files = find_feed_files(raw_dir)
    loaded: dict[str, LoadedFeed] = {}
    reports = []
    for name in feeds():
        if name not in files:
            reports.append(TargetReport("raw", name, None, "absent"))
            continue
        try:
            loaded[name] = register_feed(con, name, files[name], DERIVED_COLUMNS.get(name))
        except FeedError as error:
            reports.append(
                TargetReport("raw", name, str(files[name]), "unreadable", error=str(error))
            )
    return loaded, reports


def latest_event_dates(
    con: duckdb.DuckDBPyConnection, loaded: dict[str, LoadedFeed]
) -> dict[str, date | None]:
    """Per family, the latest event date in its feeds within var plausible_date_range."""
    low, high = project_vars()["plausible_date_range"]
    latest: dict[str, date | None] = {feed.family: None for feed in feeds().values()}
    for family in latest:
        selects = [
            f"select cast({quote(column)} as date) as event_date from {quote(feed.view)}"
            for name, columns in EVENT_COLUMNS.items()
            if name in loaded and (feed := loaded[name]).feed.family == family
            for column in columns
            if feed.has(column)
        ]
        if selects:
            (latest[family],) = con.execute(
                f"select max(event_date) from ({' union all '.join(selects)}) "
                f"where event_date between ? and ?",
                [low, high],
            ).fetchone()
    return latest


def run_facts(
    con: duckdb.DuckDBPyConnection, loaded: dict[str, LoadedFeed], as_of_date: date | None
) -> Facts:
    if as_of_date is None:
        as_of, source = latest_event_dates(con, loaded), "latest event date"
    else:
        as_of = {feed.family: as_of_date for feed in feeds().values()}
        source = "--as-of-date"
    disbursed = None
    orders = loaded.get("orders")
    if orders is not None and orders.has("put_at"):
        (disbursed,) = con.execute(
            f'select count(*) from {quote(orders.view)} where "put_at" is not null'
        ).fetchone()
    return Facts(as_of=as_of, as_of_source=source, disbursed_orders=disbursed)


def raw_targets(con: duckdb.DuckDBPyConnection, loaded: dict[str, LoadedFeed]) -> list[Target]:
    targets = []
    for name, feed in loaded.items():
        known = {*feed.feed.columns, *map(unparseable_column, typed_columns(feed.feed))}
        targets.append(
            Target(
                layer="raw",
                name=name,
                source=str(feed.path),
                suite=RAW_FEED_SUITES[name],
                read=lambda view=feed.view: con.execute(f"select * from {quote(view)}").df(),
                known_columns=frozenset(known | set(DERIVED_COLUMNS.get(name, {}))),
                index_column=ROW_NUMBER,
            )
        )
    return targets


def mart_select(name: str, derived: dict[str, str] | None = None) -> str:
    """The mart's rows, with the derived columns its suite reads (checks over several rows)."""
    extra = [f"{expression} as {quote(column)}" for column, expression in (derived or {}).items()]
    return f"select {', '.join(['*', *extra])} from marts.{quote(name)}"


def mart_targets(
    warehouse: Path, suites: dict[str, SuiteBuilder], derived: dict[str, dict[str, str]]
) -> tuple[list[Target], list[TargetReport], duckdb.DuckDBPyConnection | None]:
    """One target per registered mart found in the warehouse; the others are absent."""
    if not suites:
        return [], [], None
    absent = [TargetReport("mart", name, None, "absent") for name in suites]
    if not warehouse.exists():
        return [], absent, None
    con = duckdb.connect(str(warehouse), read_only=True)
    tables = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    targets = [
        Target(
            layer="mart",
            name=name,
            source=f"{warehouse}: marts.{name}",
            suite=suite,
            read=lambda name=name: con.execute(mart_select(name, derived.get(name))).df(),
        )
        for name, suite in suites.items()
        if name in tables
    ]
    return targets, [report for report in absent if report.name not in tables], con


# --------------------------------------------------------------------------------------------
# Validating with GX
# --------------------------------------------------------------------------------------------
def new_context(docs_dir: Path) -> Any:
    """An ephemeral GX context whose one Data Docs site is docs_dir."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # nothing leaves the machine
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        SITE,
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    return context


def expectation_columns(expectation: Expectation) -> list[str]:
    columns = [getattr(expectation, key, None) for key in ("column", "column_A", "column_B")]
    return [c for c in columns if isinstance(c, str)] + list(
        getattr(expectation, "column_list", None) or []
    )


def applicable(
    target: Target, expectations: list[Expectation], columns: set[str]
) -> tuple[list[Expectation], list[str]]:
    """Leave out the checks of contract columns the file lacks (the critical check names them)."""
    kept, skipped = [], []
    for expectation in expectations:
        missing = [c for c in expectation_columns(expectation) if c not in columns]
        if not missing:
            kept.append(expectation)
        elif target.known_columns is not None and set(missing) <= target.known_columns:
            skipped.append(f"{expectation.expectation_type} on {', '.join(missing)}")
        elif target.known_columns is not None:
            raise SuiteError(
                f"suite {target.layer}.{target.name}: {expectation.expectation_type} names "
                f"{', '.join(missing)}, which is neither a contract nor a derived column"
            )
        else:
            kept.append(expectation)  # a mart lacking a column fails the expectation in GX
    return kept, skipped


def short(value: Any) -> str:
    text = "|".join(map(str, value.values())) if isinstance(value, dict) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def sample_rows(result: dict[str, Any], index: str | None) -> list[dict[str, Any]]:
    """The sampled unexpected rows, each with its index column (e.g. source_row_number)."""
    rows = result.get("partial_unexpected_index_list") or []
    return [row for row in rows if index and isinstance(row, dict) and index in row]


def describe_observed(result: dict[str, Any], exception: dict[str, Any], index: str | None) -> str:
    if exception.get("raised_exception"):
        return f"error: {exception.get('exception_message')}"
    if "unexpected_count" in result:
        rows = sample_rows(result, index)[:EXAMPLES]
        examples = [
            f"{short({k: v for k, v in row.items() if k != index})} (row {row[index]})"
            for row in rows
        ] or [short(value) for value in result.get("partial_unexpected_list", [])[:EXAMPLES]]
        checked = (result.get("element_count") or 0) - (result.get("missing_count") or 0)
        share = result.get("unexpected_percent") or 0.0
        return f"{result['unexpected_count']:,} of {checked:,} rows checked ({share:.2f} %)" + (
            f", e.g. {', '.join(examples)}" if examples else ""
        )
    missing = result.get("details", {}).get("mismatched", {}).get("missing")
    if missing:
        return f"missing column(s): {', '.join(missing)}"
    return short(result.get("observed_value"))


def describe_expected(kwargs: dict[str, Any]) -> str:
    hidden = {"column", "batch_id", "meta_properties_to_render", "result_format"}
    parts = [
        f"{key}={value}"
        for key, value in kwargs.items()
        if key not in hidden and value is not None and value is not False
    ]
    return ", ".join(parts)


def failures_of(result: Any, index: str | None) -> list[Failure]:
    failures = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        kwargs = dict(config.kwargs)
        failures.append(
            Failure(
                severity=str(getattr(config.severity, "value", config.severity)),
                expectation=config.type,
                column=kwargs.get("column"),
                observed=describe_observed(dict(item.result), dict(item.exception_info), index),
                expected=describe_expected(kwargs),
                why=(config.meta or {}).get("why", ""),
                unexpected_count=item.result.get("unexpected_count"),
                element_count=item.result.get("element_count"),
                sample_rows=[int(row[index]) for row in sample_rows(dict(item.result), index)],
            )
        )
    return failures


def suite_name(layer: str, name: str) -> str:
    return f"{layer}.{name}"  # GX files the pages in folders: validations/raw/orders/...


def validate_target(
    context: Any, target: Target, facts: Facts, run_id: RunIdentifier
) -> TargetReport:
    frame = target.read()
    expectations, skipped = applicable(target, target.suite(facts), set(frame.columns))
    source = context.data_sources.get(target.layer)
    asset = source.add_dataframe_asset(name=target.name)
    batch = asset.add_batch_definition_whole_dataframe("all rows")
    suite = gx.ExpectationSuite(name=suite_name(target.layer, target.name))
    for expectation in expectations:
        suite.add_expectation(expectation)
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
    )
    result_format: dict[str, Any] = {"result_format": "SUMMARY"}
    if target.index_column:
        result_format["unexpected_index_column_names"] = [target.index_column]
    result = definition.run(
        batch_parameters={"dataframe": frame}, result_format=result_format, run_id=run_id
    )
    return TargetReport(
        layer=target.layer,
        name=target.name,
        source=target.source,
        status="validated",
        rows=len(frame),
        evaluated=len(result.results),
        failures=failures_of(result, target.index_column),
        skipped=skipped,
    )


# --------------------------------------------------------------------------------------------
# Data Docs
# --------------------------------------------------------------------------------------------
def prepare_docs_dir(docs_dir: Path) -> None:
    """Start from an empty folder; wipe only one this script wrote (it holds DOCS_MARKER)."""
    if docs_dir.exists() and any(docs_dir.iterdir()):
        if not (docs_dir / DOCS_MARKER).exists():
            raise UsageError(
                f"--docs-dir {docs_dir} is not empty and was not written by validate.py"
            )
        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / DOCS_MARKER).write_text("Data Docs written by scripts/validate.py\n")


def build_docs(context: Any, docs_dir: Path, reports: list[TargetReport]) -> set[str]:
    context.build_data_docs(site_names=[SITE])
    for report in reports:
        if report.status == "validated":
            suite = suite_name(report.layer, report.name)
            pages = sorted((docs_dir / "validations" / suite.replace(".", "/")).rglob("*.html"))
            report.page = str(pages[-1]) if pages else None
    return make_offline(docs_dir)


# --------------------------------------------------------------------------------------------
# The run and its summary
# --------------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> RunReport:
    began = time.perf_counter()
    con = duckdb.connect()
    loaded, reports = load_raw_feeds(con, args.raw_dir)
    facts = run_facts(con, loaded, args.as_of_date)
    marts, absent_marts, mart_con = mart_targets(args.warehouse, MART_SUITES, MART_DERIVED_COLUMNS)
    targets = raw_targets(con, loaded) + marts
    prepare_docs_dir(args.docs_dir)
    context = new_context(args.docs_dir)
    for layer in {target.layer for target in targets}:
        context.data_sources.add_pandas(layer)
    label = "sample" if args.raw_dir is None else args.raw_dir.resolve().name
    run_id = RunIdentifier(run_name=re.sub(r"[^\w.-]+", "_", label), run_time=datetime.now(UTC))
    progress = tqdm(targets, desc="validating", unit="table", disable=args.quiet, file=sys.stderr)
    try:
        for target in progress:
            progress.set_postfix_str(f"{target.layer}.{target.name}")
            try:
                reports.append(validate_target(context, target, facts, run_id))
            except duckdb.Error as error:  # e.g. a CSV row further down that does not scan
                reports.append(
                    TargetReport(
                        target.layer, target.name, target.source, "unreadable", error=str(error)
                    )
                )
    finally:
        progress.close()
        if mart_con is not None:
            mart_con.close()
    reports += absent_marts
    order = {name: index for index, name in enumerate([*feeds(), *MART_SUITES])}
    reports.sort(key=lambda report: (report.layer != "raw", order.get(report.name, 0)))
    remote = build_docs(context, args.docs_dir, reports)
    return RunReport(
        raw_source="seeds/sample (the bundled sample)"
        if args.raw_dir is None
        else str(args.raw_dir),
        as_of={family: None if day is None else str(day) for family, day in facts.as_of.items()},
        as_of_source=facts.as_of_source,
        targets=reports,
        docs_index=str(args.docs_dir / "index.html"),
        remote_assets_left=sorted(remote),
        seconds=round(time.perf_counter() - began, 2),
    )


def status_line(report: TargetReport) -> str:
    name = f"{report.layer}.{report.name}"
    if report.status == "absent":
        return f"  {name:<40} absent (no file / table; not a failure)"
    if report.status == "unreadable":
        return f"  {name:<40} CRITICAL: {report.error}"
    counts = [
        f"{len(report.failed(level))} {level}{'s' * (len(report.failed(level)) > 1)}"
        for level in ("critical", "warning")
        if report.failed(level)
    ]
    verdict = ", ".join(counts) if counts else "all passed"
    skipped = f"; {len(report.skipped)} skipped (column missing)" if report.skipped else ""
    checks = f"{report.rows:>10,} rows  {report.evaluated:>3} checks"
    return f"  {name:<40} {checks}  {verdict}{skipped}"


def print_failures(report: RunReport, severity: str, heading: str) -> None:
    lines = []
    for target in report.targets:
        for failure in target.failed(severity):
            where = f"{target.layer}.{target.name}" + (
                f".{failure.column}" if failure.column else ""
            )
            lines += [
                f"  {where}: {failure.expectation}",
                f"      observed: {failure.observed}",
                f"      expected: {failure.expected}",
                f"      why:      {failure.why}",
            ]
    if lines:
        print(f"\n{heading}")
        print("\n".join(lines))


def print_summary(report: RunReport) -> None:
    as_of = ", ".join(f"{family} {day or 'n/a'}" for family, day in report.as_of.items())
    print(f"GX validation of {report.raw_source}; as of {as_of} ({report.as_of_source})")
    for target in report.targets:
        print(status_line(target))
    print_failures(report, "warning", "WARNINGS (data-quality shares to look at; not a failure):")
    print_failures(report, "critical", "CRITICAL (the table is unusable; exit status 1):")
    if report.remote_assets_left:
        print(
            f"\nnote: Data Docs still load {', '.join(report.remote_assets_left)} from the network"
        )
    criticals = sum(len(t.failed("critical")) + (t.status == "unreadable") for t in report.targets)
    warnings = sum(len(t.failed("warning")) for t in report.targets)
    print(
        f"\n{'FAILED' if report.exit_code else 'OK'}: {criticals} critical, "
        f"{warnings} warning{'s' * (warnings != 1)} "
        f"in {report.seconds:.1f}s"
    )
    print(f"Data Docs: {report.docs_index}")


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from error


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="exit status: 0 = no critical failure (warnings are printed), 1 = a critical "
        "expectation failed or a file is unreadable, 2 = usage error\n\n"
        "examples:\n"
        "  validate.py                                  # the bundled sample (seeds/sample)\n"
        "  validate.py --raw-dir ../shared/datasets/loan_performance\n"
        "  validate.py --raw-dir /data/lender_x --as-of-date 2022-12-08 --json gx.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        metavar="DIR",
        help="folder of <feed>.csv / .csv.gz / .parquet files, as dbt's var raw_dir "
        "(default: the bundled sample in seeds/sample)",
    )
    parser.add_argument(
        "--as-of-date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="reporting date: no event may be later (default: each portfolio's latest event date)",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=DEFAULT_DOCS_DIR,
        metavar="DIR",
        help="where Data Docs are written; emptied first (default: target/gx_data_docs)",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("LOANS_WAREHOUSE", PROJECT_DIR / "warehouse/loans.duckdb")),
        metavar="FILE",
        help="DuckDB file holding the marts that have a suite, opened read-only "
        "($LOANS_WAREHOUSE or warehouse/loans.duckdb); a mart it lacks is reported absent",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the report as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    try:
        report = run(args)
    except (FeedError, SuiteError, UsageError) as error:
        print(f"validate: {error}", file=sys.stderr)
        return 2
    print_summary(report)
    if args.json:
        payload = {**asdict(report), "exit_code": report.exit_code}
        args.json.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
