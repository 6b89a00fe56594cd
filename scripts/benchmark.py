"""Benchmark the warehouse build on generated data of a given size.

Generates the six feeds with our own generator (Parquet by default), builds the
warehouse on them through raw_dir into a scratch folder, and measures (wall
time, peak RSS, machine load before and after each step):

- the full dbt build (every model and test), with dbt's own start-up apart,
  the time per layer, the slowest nodes and the credit-loss models' share;
- the hand-written DuckDB lower bound (scripts/benchmark_lower_bound.py) on
  the same files, checked to give the same loan-month states, trend and roll
  rates as the warehouse, and the ratio build / lower bound;
- dbt's fixed cost: the same models and data tests built on the bundled sample
  (next to no data work), i.e. what running these nodes through dbt costs at any
  size, and the build's data work (nodes less that) against the lower bound;
- Great Expectations validation (python -m scripts.validate) of the build.

It writes benchmarks/results/<loans>_loans.md and .json, and redraws the cost
curve (benchmarks/results/cost_curve.md) from every <loans>_loans.json there.
Performance is measured here, never asserted by a timed test. The DuckDB
settings are the profile's (env vars LOANS_MEMORY_LIMIT, LOANS_DUCKDB_THREADS,
LOANS_PRESERVE_INSERTION_ORDER, LOANS_TEMP_DIRECTORY, LOANS_DBT_THREADS).

With --engine spark the same feeds are built by `dbt build --target spark`
(dbt-spark's session method: a local Spark in a Java child process of dbt; needs
Java and requirements-spark.txt) into <workdir>/spark (LOANS_SPARK_DIR, emptied
first), with the profile's LOANS_SPARK_DRIVER_MEMORY and
LOANS_SPARK_SHUFFLE_PARTITIONS. Its peak memory is the summed resident set of
dbt's process tree (Python and the JVM). The lower bound and GX read the DuckDB
file, so they are not run; rows per feed and mart are read from the Spark
tables' Parquet files. It writes <loans>_loans_spark.md and .json. Either engine
then redraws benchmarks/results/engines.md from every size measured on both.

With --monthly (DuckDB), it also times the run a lender makes every month
(scripts/benchmark_monthly.py): last month's delivery, derived from these feeds by
cutting Family A a month earlier, is built into its own file, then this month's
`dbt build` runs on that file, the month history updating incrementally; the report
gives its wall time and node seconds against the full build, and checks its month
history equals the full build's.

Example: python -m scripts.benchmark --loans 1000000 [--engine spark] [--monthly]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from scripts.benchmark_monthly import monthly
from scripts.benchmark_report import cost_curve, engines, markdown
from scripts.benchmark_stats import (
    Measured,
    build_times,
    data_work_ratio,
    fixed_cost_shares,
    measure,
    repeated_ratio,
)
from scripts.compare_engines import Mart, disabled_models, marts_from_manifest, spark_table_dir
from scripts.settings import PROJECT_DIR

RESULTS_DIR = PROJECT_DIR / "benchmarks" / "results"
SETTINGS = {
    "duckdb": (
        "LOANS_MEMORY_LIMIT",
        "LOANS_DUCKDB_THREADS",
        "LOANS_DBT_THREADS",
        "LOANS_PRESERVE_INSERTION_ORDER",
        "LOANS_TEMP_DIRECTORY",
    ),
    "spark": ("LOANS_SPARK_DRIVER_MEMORY", "LOANS_SPARK_SHUFFLE_PARTITIONS"),
}
SPARK_MODULES = ("pyspark", "dbt.adapters.spark")
NOT_ON_SPARK = {
    "lower_bound": "not run: the hand-written lower bound is a DuckDB script compared with "
    "the DuckDB warehouse file (see the DuckDB report of the same size)",
    "validate": "not run: Great Expectations validates the DuckDB warehouse file",
}


def generate(args: argparse.Namespace, feeds: Path, family_b_loans: int) -> Measured | None:
    """Write the feeds (or reuse those made with the same arguments, --reuse-feeds)."""
    manifest = feeds / "_manifest.json"
    if args.reuse_feeds and manifest.exists():
        made = json.loads(manifest.read_text())
        wanted = {"loans": args.loans, "family_b_loans": family_b_loans, "seed": args.seed}
        if all(made.get(key) == value for key, value in {**wanted, "format": args.format}.items()):
            return None
    command = [
        sys.executable, "-m", "scripts.generator", "--out", str(feeds),
        "--loans", str(args.loans), "--family-b-loans", str(family_b_loans),
        "--format", args.format, "--seed", str(args.seed), "--quiet",
    ]  # fmt: skip
    return measure(command, PROJECT_DIR)


def spark_missing() -> str | None:
    """Why a Spark build cannot run here (one line), or None."""
    if shutil.which("java") is None:
        return (
            "benchmark: --engine spark needs a Java 17 runtime and `java` is not on PATH "
            "(Debian: apt-get install -y --no-install-recommends openjdk-17-jre-headless)"
        )
    missing = []
    for module in SPARK_MODULES:
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            missing.append(module)
    if missing:
        return (
            f"benchmark: --engine spark needs dbt-spark and pyspark in {sys.prefix}, and "
            f"{', '.join(missing)} cannot be imported: run `make spark-venv` "
            "(installs requirements-spark.txt)"
        )
    return None


def dbt_build(
    feeds: Path | None,
    workdir: Path,
    env: dict[str, str],
    engine: str,
    name: str = "",
    fresh: bool = True,
) -> tuple[Measured, Path]:
    """A dbt build of the warehouse from the feeds into a fresh file (DuckDB) or an empty Spark
    folder (env LOANS_SPARK_DIR), or, fresh=False, into the existing one (incremental models
    update); returns its measure and its target folder (target<name>, logs in logs<name>).
    feeds None: the bundled sample, without the unit tests (only the sample route has them), so
    the same models and data tests run as in a build of feeds."""
    suffix = ("_spark" if engine == "spark" else "") + name
    target = workdir / f"target{suffix}"
    if fresh and engine == "spark":
        shutil.rmtree(env["LOANS_SPARK_DIR"], ignore_errors=True)
    elif fresh:
        Path(env["LOANS_WAREHOUSE"]).unlink(missing_ok=True)
    source = (
        ["--exclude", "tag:sample", "--vars", json.dumps({"raw_dir": str(feeds)})]
        if feeds
        else ["--exclude-resource-type", "unit_test"]
    )
    command = [
        str(Path(sys.executable).parent / "dbt"), "build", *source,
        "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(target), "--log-path", str(workdir / f"logs{suffix}"),
    ]  # fmt: skip
    if engine == "spark":
        command += ["--target", "spark"]
    return measure(command, PROJECT_DIR, env), target


def warehouse_facts(warehouse: Path) -> dict[str, Any]:
    """Rows per feed and per mart, the as-of date and the file's size."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        feeds = con.execute(
            "select source_feed, loaded_rows, quarantined_rows "
            "from intermediate.int_feeds_reconciled order by 1"
        ).fetchall()
        marts = con.execute(
            "select table_name, estimated_size from duckdb_tables() "
            "where schema_name = 'marts' order by 1"
        ).fetchall()
        as_of = con.execute(
            "select as_of_date from marts.rpt_reporting_dates where portfolio = 'family_a'"
        ).fetchall()[0][0]
        loan_months = con.execute(
            "select count(*) from intermediate.int_loan_months_snapshotted"
        ).fetchall()[0][0]
    return {
        "as_of_date": str(as_of),
        "feeds": {feed: {"loaded": loaded, "quarantined": bad} for feed, loaded, bad in feeds},
        "mart_rows": dict(marts),
        "loan_months": loan_months,
        "warehouse_mib": round(warehouse.stat().st_size / 2**20, 1),
    }


def spark_facts(spark_dir: Path, target: Path) -> dict[str, Any]:
    """The facts of warehouse_facts, from the Spark build's Parquet tables (read by DuckDB;
    every row is counted, where the DuckDB report gives DuckDB's estimated table sizes)."""
    manifest = json.loads((target / "manifest.json").read_text())
    tables = {
        node["name"]: Mart(node.get("alias") or node["name"], node["schema"], ())
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"].get("materialized") in ("table", "incremental")
    }

    def relation(model: str) -> str:
        # **: a table partitioned on Spark (int_loan_months_snapshotted) keeps its files in
        # one folder per partition value
        return (
            f"read_parquet('{spark_table_dir(spark_dir, tables[model]).as_posix()}/**/*.parquet')"
        )

    marts = sorted(mart.name for mart in marts_from_manifest(manifest))
    not_built = sorted(disabled_models(manifest, under="models/marts/"))
    with duckdb.connect() as con:
        feeds = con.execute(
            "select source_feed, loaded_rows, quarantined_rows "
            f"from {relation('int_feeds_reconciled')} order by 1"
        ).fetchall()
        mart_rows = {
            mart: con.execute(f"select count(*) from {relation(mart)}").fetchall()[0][0]
            for mart in marts
        }
        as_of = con.execute(
            f"select as_of_date from {relation('rpt_reporting_dates')} where portfolio = 'family_a'"
        ).fetchall()[0][0]
        loan_months = con.execute(
            f"select count(*) from {relation('int_loan_months_snapshotted')}"
        ).fetchall()[0][0]
    warehouse = spark_dir / "spark-warehouse"
    size = sum(path.stat().st_size for path in warehouse.rglob("*") if path.is_file())
    return {
        "as_of_date": str(as_of),
        "feeds": {feed: {"loaded": loaded, "quarantined": bad} for feed, loaded, bad in feeds},
        "mart_rows": mart_rows,
        "marts_not_built": not_built,
        "loan_months": loan_months,
        "warehouse_mib": round(size / 2**20, 1),
    }


def lower_bound(
    feeds: Path, workdir: Path, warehouse: Path, as_of_date: str, env: dict[str, str]
) -> dict[str, Any]:
    """Run the hand-written script with the build's DuckDB settings, and compare its results."""
    out = workdir / "lower_bound.json"
    command = [
        sys.executable, "-m", "scripts.benchmark_lower_bound", "--feeds", str(feeds),
        "--database", str(workdir / "lower_bound.duckdb"), "--as-of-date", as_of_date,
        "--memory-limit", env.get("LOANS_MEMORY_LIMIT", "2GB"),
        "--threads", env.get("LOANS_DUCKDB_THREADS", "2"),
        "--compare", str(warehouse), "--json", str(out),
    ]  # fmt: skip
    measured = measure(command, PROJECT_DIR, env)
    result = json.loads(out.read_text())
    (workdir / "lower_bound.duckdb").unlink(missing_ok=True)
    return {**measured.summary(), **result}


def repeat_build_and_lower_bound(
    args: argparse.Namespace,
    feeds: Path,
    warehouse: Path,
    env: dict[str, str],
    as_of_date: str,
    first: tuple[float, float],
) -> dict[str, Any]:
    """args.repeat - 1 more full builds, each followed by the script, and the median of all the
    runs' ratios (the first run's figures are the report's other tables). Each build goes
    into the same warehouse file afresh, its artefacts into target_repeat<n>."""
    runs = [first]
    for run in range(2, args.repeat + 1):
        print(f"benchmark: run {run} of {args.repeat}: dbt build, then the lower bound", flush=True)
        _, target = dbt_build(feeds, args.workdir, env, "duckdb", name=f"_repeat{run}")
        build_seconds = build_times(target, 1)["execution_seconds"]
        script = lower_bound(feeds, args.workdir, warehouse, as_of_date, env)
        runs.append((build_seconds, script["seconds"]))
    return repeated_ratio(runs)


def fixed_cost(workdir: Path, env: dict[str, str], build: dict[str, Any]) -> dict[str, Any]:
    """dbt's own cost of running the build's nodes, whatever the data size: the same models and
    data tests built on the bundled sample (about 3,000 loans, next to no data work) into a file
    of their own. A monthly `dbt build` runs every node, so it cannot cost less than this."""
    warehouse = workdir / "fixed_cost.duckdb"
    built, target = dbt_build(
        None, workdir, {**env, "LOANS_WAREHOUSE": str(warehouse)}, "duckdb", name="_fixed_cost"
    )
    times = build_times(target, 5)
    warehouse.unlink(missing_ok=True)
    shutil.rmtree(f"{warehouse}.tmp", ignore_errors=True)  # the profile's spill folder
    fixed = {
        **built.summary(),
        "nodes": times["nodes"],
        "execution_seconds": times["execution_seconds"],
        "dbt_startup_seconds": round(built.seconds - times["execution_seconds"], 1),
        "failed": times["failed"],
    }
    return {**fixed, **fixed_cost_shares(build, fixed)}


def validate(workdir: Path, warehouse: Path, env: dict[str, str]) -> dict[str, Any]:
    """Great Expectations on the build (the step `make build` runs after dbt)."""
    command = [
        sys.executable, "-m", "scripts.validate", "--warehouse", str(warehouse),
        "--docs-dir", str(workdir / "gx_data_docs"), "--quiet",
    ]  # fmt: skip
    measured = measure(command, PROJECT_DIR, env, check=False)
    summary = measured.summary()
    summary["passed"] = "exit 0" if measured.output and "Traceback" not in measured.output else None
    summary["tail"] = measured.output.strip().splitlines()[-3:]
    return summary


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loans", type=int, default=100_000, help="Family A orders (100000)")
    parser.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default="duckdb",
        help="duckdb (default) or spark (dbt-spark session method; needs Java, make spark-venv)",
    )
    parser.add_argument(
        "--family-b-loans", type=int, help="Family B loans (default: loans // 2, as the generator)"
    )
    parser.add_argument("--format", choices=["csv", "parquet"], default="parquet")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/loans-benchmark"), help="scratch folder"
    )
    parser.add_argument(
        "--reuse-feeds", action="store_true", help="keep feeds made with these arguments"
    )
    parser.add_argument("--skip-lower-bound", action="store_true", help="no hand-written script")
    parser.add_argument("--skip-validate", action="store_true", help="no GX validation")
    parser.add_argument(
        "--skip-fixed-cost",
        action="store_true",
        help="no build of the same nodes on the bundled sample (dbt's fixed cost)",
    )
    parser.add_argument(
        "--monthly",
        action="store_true",
        help="also time a monthly run: last month's delivery (these feeds cut a month earlier) "
        "built, then this month's build on it (DuckDB)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="DuckDB: run the full build and the lower bound this many times, alternately, and "
        "report the median of the runs' ratios (1; a single run's ratio moves by about 10 %%)",
    )
    parser.add_argument("--slowest", type=int, default=15, help="slowest nodes to list (15)")
    parser.add_argument(
        "--results-dir", type=Path, default=RESULTS_DIR, help="where the report goes"
    )
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    spark = args.engine == "spark"
    if spark and (reason := spark_missing()):
        print(reason, file=sys.stderr)
        return 1
    family_b_loans = args.family_b_loans or args.loans // 2
    feeds = args.workdir / "feeds"
    warehouse = args.workdir / "loans.duckdb"
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "LOANS_WAREHOUSE": str(warehouse),
        "LOANS_SPARK_DIR": str(args.workdir / "spark"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }

    # the revision the build parses, taken before it starts
    revision = subprocess.run(
        ["git", "-C", str(PROJECT_DIR), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"benchmark: {args.loans:,} loans in {args.workdir} ({args.engine})", flush=True)
    generated = generate(args, feeds, family_b_loans)
    print(f"benchmark: dbt build on {args.engine}", flush=True)
    built, target = dbt_build(feeds, args.workdir, env, args.engine)
    times = build_times(target, args.slowest)
    facts = (
        spark_facts(Path(env["LOANS_SPARK_DIR"]), target) if spark else warehouse_facts(warehouse)
    )
    report: dict[str, Any] = {
        "engine": args.engine,
        "loans": args.loans,
        "family_b_loans": family_b_loans,
        "format": args.format,
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "git_revision": revision,
        "settings": {name: os.environ.get(name) for name in SETTINGS[args.engine]},
        "generate": generated.summary() if generated else None,
        "build": {
            **built.summary(),
            "dbt_startup_seconds": round(built.seconds - times["execution_seconds"], 1),
            **times,
        },
        **facts,
    }
    if spark:
        report["not_run"] = NOT_ON_SPARK
    if not args.skip_lower_bound and not spark:
        print("benchmark: hand-written lower bound", flush=True)
        report["lower_bound"] = lower_bound(
            feeds, args.workdir, warehouse, facts["as_of_date"], env
        )
        report["ratio_build_to_lower_bound"] = round(
            times["execution_seconds"] / report["lower_bound"]["seconds"], 2
        )
        if args.repeat > 1:
            report["repeated"] = repeat_build_and_lower_bound(
                args, feeds, warehouse, env, facts["as_of_date"],
                (times["execution_seconds"], report["lower_bound"]["seconds"]),
            )  # fmt: skip
            report["ratio_build_to_lower_bound"] = report["repeated"]["median_ratio"]
    if not args.skip_fixed_cost and not spark:
        print("benchmark: dbt's fixed cost (the same nodes on the bundled sample)", flush=True)
        report["fixed_cost"] = fixed_cost(args.workdir, env, report["build"])
        if "lower_bound" in report:
            report["ratio_data_work_to_lower_bound"] = data_work_ratio(
                report["build"], report["fixed_cost"], report["lower_bound"]
            )
    if not args.skip_validate and not spark:
        print("benchmark: GX validation", flush=True)
        report["validate"] = validate(args.workdir, warehouse, env)
    if args.monthly and not spark:
        report["monthly"] = monthly(
            feeds, args.workdir, env, facts["as_of_date"], built, target, dbt_build
        )

    args.results_dir.mkdir(parents=True, exist_ok=True)
    stem = args.results_dir / f"{args.loans}_loans{'_spark' if spark else ''}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(report))
    (args.results_dir / "cost_curve.md").write_text(cost_curve(args.results_dir))
    if any(args.results_dir.glob("*_loans_spark.json")):
        (args.results_dir / "engines.md").write_text(engines(args.results_dir))
    print(
        f"build {built.seconds:.1f} s, peak {built.peak_rss_mib} MiB (largest process), "
        f"{built.peak_tree_rss_mib} MiB (process tree summed); report: {stem}.md"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
