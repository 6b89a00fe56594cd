"""Benchmark the warehouse build on generated data of a given size.

Generates the six feeds with our own generator (Parquet by default), builds the
warehouse on them through raw_dir into a scratch folder, and writes the timings
(generation, whole dbt build, the slowest models and tests, rows per feed and per
mart) to benchmarks/results/<loans>_loans.md and .json. Performance is measured
here, never asserted by a timed test.

Example: python scripts/benchmark.py --loans 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from tqdm import tqdm

PROJECT_DIR = Path(__file__).resolve().parents[1]
RESULTS_DIR = PROJECT_DIR / "benchmarks" / "results"


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    """Run a command to completion and return its wall-clock seconds."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"benchmark: {' '.join(command[:3])} … failed:\n{done.stdout[-3000:]}")
    return time.perf_counter() - started


def build_stats(target: Path, warehouse: Path, slowest: int) -> dict[str, Any]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    timings = sorted(
        ((r["unique_id"], r["execution_time"]) for r in results), key=lambda item: -item[1]
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        feeds = con.execute(
            "select source_feed, loaded_rows, quarantined_rows "
            "from intermediate.int_feeds_reconciled order by 1"
        ).fetchall()
        marts = con.execute(
            "select table_name, estimated_size from duckdb_tables() "
            "where schema_name = 'marts' order by 1"
        ).fetchall()
    return {
        "nodes": len(results),
        "slowest": [{"node": node, "seconds": round(sec, 2)} for node, sec in timings[:slowest]],
        "feeds": {feed: {"loaded": loaded, "quarantined": bad} for feed, loaded, bad in feeds},
        "mart_rows": dict(marts),
        "warehouse_mb": round(warehouse.stat().st_size / 2**20, 1),
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Benchmark: {report['loans']:,} Family A loans, "
        f"{report['family_b_loans']:,} Family B loans ({report['format']})",
        "",
        f"Run {report['run_at']} on {report['machine']}; git {report['git_revision']}.",
        "",
        "| step | seconds |",
        "|---|---|",
        f"| generate feeds | {report['generate_seconds']:.1f} |",
        f"| dbt build (all models and tests, {report['build']['nodes']} nodes) "
        f"| {report['build_seconds']:.1f} |",
        "",
        f"Warehouse file: {report['build']['warehouse_mb']} MB.",
        "",
        "## Slowest nodes",
        "",
        "| node | seconds |",
        "|---|---|",
        *[f"| `{row['node']}` | {row['seconds']} |" for row in report["build"]["slowest"]],
        "",
        "## Rows",
        "",
        "| feed | loaded | quarantined |",
        "|---|---|---|",
        *[
            f"| {feed} | {row['loaded']:,} | {row['quarantined']:,} |"
            for feed, row in report["build"]["feeds"].items()
        ],
        "",
        "| mart | rows |",
        "|---|---|",
        *[f"| {mart} | {rows:,} |" for mart, rows in report["build"]["mart_rows"].items()],
        "",
    ]
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loans", type=int, default=100_000, help="Family A orders (100000)")
    parser.add_argument(
        "--family-b-loans", type=int, help="Family B loans (default: loans // 2, as the generator)"
    )
    parser.add_argument("--format", choices=["csv", "parquet"], default="parquet")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/loans-benchmark"), help="scratch folder"
    )
    parser.add_argument("--slowest", type=int, default=15, help="slowest nodes to list (15)")
    parser.add_argument(
        "--results-dir", type=Path, default=RESULTS_DIR, help="where the report goes"
    )
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    family_b_loans = args.family_b_loans or args.loans // 2
    feeds, target = args.workdir / "feeds", args.workdir / "target"
    warehouse = args.workdir / "loans.duckdb"
    args.workdir.mkdir(parents=True, exist_ok=True)
    warehouse.unlink(missing_ok=True)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "LOANS_WAREHOUSE": str(warehouse)}

    steps = tqdm(total=2, desc="benchmark", unit="step")
    steps.set_postfix_str("generating feeds")
    generate_seconds = timed(
        [
            sys.executable,
            "-m",
            "scripts.generator",
            "--out",
            str(feeds),
            "--loans",
            str(args.loans),
            "--family-b-loans",
            str(family_b_loans),
            "--format",
            args.format,
            "--seed",
            str(args.seed),
            "--quiet",
        ]
    )
    steps.update()
    steps.set_postfix_str("dbt build")
    build_seconds = timed(
        [
            str(bin_dir / "dbt"),
            "build",
            "--exclude",
            "tag:sample",
            "--vars",
            json.dumps({"raw_dir": str(feeds)}),
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(args.workdir / "logs"),
        ],
        env,
    )
    steps.update()
    steps.close()

    revision = subprocess.run(
        ["git", "-C", str(PROJECT_DIR), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    report = {
        "loans": args.loans,
        "family_b_loans": family_b_loans,
        "format": args.format,
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "git_revision": revision,
        "generate_seconds": round(generate_seconds, 1),
        "build_seconds": round(build_seconds, 1),
        "build": build_stats(target, warehouse, args.slowest),
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stem = args.results_dir / f"{args.loans}_loans"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(report))
    print(f"build {build_seconds:.1f} s; report: {stem.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
