"""Command line: ``.venv/bin/python -m scripts.validate [--warehouse FILE] [--docs-dir DIR]``."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from great_expectations.core.run_identifier import RunIdentifier
from tqdm import tqdm

from scripts.contract import feeds
from scripts.gx_suites.marts import MART_DERIVED_COLUMNS, MART_SUITES
from scripts.gx_suites.raw_feeds import RAW_FEED_SUITES
from scripts.settings import TARGET_DIR, warehouse_path
from scripts.validate.gx_run import (
    UsageError,
    build_docs,
    new_context,
    prepare_docs_dir,
    validate_target,
)
from scripts.validate.report import RunReport, TargetReport, print_summary
from scripts.validate.warehouse import (
    WarehouseError,
    connect,
    mart_targets,
    raw_targets,
    read_facts,
)

DEFAULT_DOCS_DIR = TARGET_DIR / "gx_data_docs"


def run(args: argparse.Namespace) -> RunReport:
    began = time.perf_counter()
    con = connect(args.warehouse)
    try:
        facts = read_facts(con)
        raw, absent_feeds = raw_targets(con, facts, RAW_FEED_SUITES)
        marts, absent_marts = mart_targets(con, MART_SUITES, MART_DERIVED_COLUMNS)
        targets = raw + marts
        prepare_docs_dir(args.docs_dir)
        context = new_context(args.docs_dir)
        for layer in {target.layer for target in targets}:
            context.data_sources.add_pandas(layer)
        label = re.sub(r"[^\w.-]+", "_", args.warehouse.resolve().stem)
        run_id = RunIdentifier(run_name=label, run_time=datetime.now(UTC))
        reports = [TargetReport("raw", name, None, "absent") for name in absent_feeds]
        reports += [TargetReport("mart", name, None, "absent") for name in absent_marts]
        progress = tqdm(
            targets, desc="validating", unit="table", disable=args.quiet, file=sys.stderr
        )
        for target in progress:
            progress.set_postfix_str(f"{target.layer}.{target.name}")
            try:
                reports.append(validate_target(context, con, target, facts, run_id))
            except duckdb.Error as error:  # e.g. a mart whose derived column does not compute
                reports.append(
                    TargetReport(
                        target.layer, target.name, target.relation, "unreadable", error=str(error)
                    )
                )
        progress.close()
    finally:
        con.close()
    order = {name: index for index, name in enumerate([*feeds(), *MART_SUITES])}
    reports.sort(key=lambda report: (report.layer != "raw", order.get(report.name, 0)))
    remote = build_docs(context, args.docs_dir, reports)
    return RunReport(
        warehouse=str(args.warehouse),
        as_of={family: None if day is None else str(day) for family, day in facts.as_of.items()},
        as_of_source=facts.as_of_source,
        targets=reports,
        docs_index=str(args.docs_dir / "index.html"),
        remote_assets_left=sorted(remote),
        seconds=round(time.perf_counter() - began, 2),
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.validate",
        description="Validate what dbt built (raw feeds as loaded, marts) with Great "
        "Expectations; write Data Docs.",
        epilog="exit status: 0 = no critical failure (warnings are printed), 1 = a critical "
        "expectation failed, 2 = usage error (e.g. no warehouse yet)\n\n"
        "The warehouse is validated as built: build it on your feeds first, e.g.\n"
        "  dbt build --vars '{raw_dir: /data/lender_x}'   (or make build RAW_DIR=...)\n\n"
        "examples (from the repository root):\n"
        "  .venv/bin/python -m scripts.validate\n"
        "  .venv/bin/python -m scripts.validate --warehouse /tmp/w.duckdb --json gx.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        metavar="FILE",
        help="DuckDB file dbt built, opened read-only ($LOANS_WAREHOUSE or warehouse/loans.duckdb)",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=DEFAULT_DOCS_DIR,
        metavar="DIR",
        help="where Data Docs are written; emptied first (default: target/gx_data_docs)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the report as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.warehouse is None:
        args.warehouse = warehouse_path()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    try:
        report = run(args)
    except (WarehouseError, UsageError) as error:
        print(f"validate: {error}", file=sys.stderr)
        return 2
    print_summary(report)
    if args.json:
        payload = {**asdict(report), "exit_code": report.exit_code}
        args.json.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
