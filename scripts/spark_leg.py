"""The Spark leg (`make test-spark`): both engines on the same inputs, marts compared.

For each input -- the bundled sample, then one raw_dir folder of generated dirty data (CSV
feeds, payments as Parquet so both file readers are exercised) -- it runs `dbt build` on DuckDB
(a warehouse file of its own) and `dbt build --target spark` (a Spark folder of its own:
LOANS_SPARK_DIR), so every model, data test and (sample route) unit test runs on both
engines, then compares every mart (scripts/compare_engines.py) and, row by row, each feed's
base model (every raw row's parsed values, quarantine reason and raw-row JSON). Everything is
written under --work-dir (default target/spark_leg); the repository's warehouse/ is untouched.

Usage: python -m scripts.spark_leg [--work-dir DIR] [--loans N] [--only sample|raw_dir]
Exit status 1 when a build fails or a mart differs; timings are printed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from scripts.compare_engines import compare, feed_rows_from_manifest, summary
from scripts.settings import PROJECT_DIR, TARGET_DIR

RAW_DIR_LOANS = 300
RAW_DIR_SEED = 7
PARQUET_FEEDS = ("payments",)


def generate_raw_dir(raw_dir: Path, loans: int) -> None:
    """Dirty generated feeds in raw_dir; the PARQUET_FEEDS converted to all-text Parquet."""
    if raw_dir.exists():
        shutil.rmtree(raw_dir)
    subprocess.run(
        [sys.executable, "-m", "scripts.generator", "--out", str(raw_dir), "--loans", str(loans),
         "--seed", str(RAW_DIR_SEED), "--dirty", "--dirty-rate", "0.02", "--quiet"],
        cwd=PROJECT_DIR,
        check=True,
    )  # fmt: skip
    with duckdb.connect() as con:
        for feed in PARQUET_FEEDS:
            csv_path = raw_dir / f"{feed}.csv"
            con.execute(
                f"copy (select * from read_csv('{csv_path.as_posix()}', header = true, "
                f"all_varchar = true)) to '{(raw_dir / f'{feed}.parquet').as_posix()}' "
                "(format parquet)"
            )
            csv_path.unlink()


def dbt_build(engine: str, case_dir: Path, raw_dir: Path | None) -> tuple[bool, float]:
    """One `dbt build` of the project on engine ('duckdb' or 'spark'), artefacts in case_dir."""
    target_path = case_dir / f"target_{engine}"
    command = [
        str(Path(sys.executable).parent / "dbt"), "build",
        "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(target_path), "--log-path", str(case_dir / f"logs_{engine}"),
    ]  # fmt: skip
    if engine == "spark":
        command += ["--target", "spark"]
    if raw_dir is not None:
        command += ["--vars", json.dumps({"raw_dir": str(raw_dir)})]
    env = dict(
        os.environ,
        LOANS_WAREHOUSE=str(case_dir / "loans.duckdb"),
        LOANS_SPARK_DIR=str(case_dir / "spark"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    print(
        f"spark_leg: dbt build on {engine} ({'raw_dir ' + str(raw_dir) if raw_dir else 'sample'})"
    )
    started = time.monotonic()
    finished = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    log = case_dir / f"dbt_build_{engine}.log"
    log.write_text(finished.stdout + finished.stderr, encoding="utf-8")
    summary = [
        line for line in finished.stdout.splitlines()
        if not line.startswith("{") and (" ERROR " in line or "Failure in" in line
                                         or "Done. PASS" in line or "Error in" in line)
    ]  # fmt: skip
    for line in summary[-25:]:
        print(f"    {line}")
    ok = finished.returncode == 0
    print(
        f"spark_leg: {engine} build {'passed' if ok else 'FAILED'} in {elapsed:.0f} s (log {log})"
    )
    return ok, elapsed


def run_case(name: str, case_dir: Path, raw_dir: Path | None) -> tuple[bool, dict[str, float]]:
    if case_dir.exists():
        shutil.rmtree(case_dir)
    case_dir.mkdir(parents=True)
    timings: dict[str, float] = {}
    duck_ok, timings["duckdb"] = dbt_build("duckdb", case_dir, raw_dir)
    spark_ok, timings["spark"] = dbt_build("spark", case_dir, raw_dir)
    if not (duck_ok and spark_ok):
        return False, timings
    manifest = json.loads((case_dir / "target_duckdb" / "manifest.json").read_text("utf-8"))
    started = time.monotonic()
    spark_manifest = json.loads((case_dir / "target_spark" / "manifest.json").read_text("utf-8"))
    results = compare(case_dir / "loans.duckdb", case_dir / "spark", manifest, spark_manifest)
    # the quarantine outcome row by row: each feed's raw rows, parsed values and reasons
    feed_rows = compare(
        case_dir / "loans.duckdb", case_dir / "spark", manifest, spark_manifest,
        feed_rows_from_manifest(manifest),
    )  # fmt: skip
    timings["compare"] = time.monotonic() - started
    print(f"spark_leg: {name}: DuckDB and Spark marts compared")
    for result in results:
        print(f"    {result.render()}")
    print(f"spark_leg: {name}: {summary(results)}")
    print(f"spark_leg: {name}: feed rows (parsed values, quarantine reason) compared")
    for result in feed_rows:
        print(f"    {result.render()}")
    differing = [r.mart.name for r in results + feed_rows if not r.matches]
    identical = sum(r.matches for r in feed_rows)
    print(f"spark_leg: {name}: {identical} of {len(feed_rows)} feeds identical row by row")
    return bool(results) and bool(feed_rows) and not differing, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, default=TARGET_DIR / "spark_leg")
    parser.add_argument("--loans", type=int, default=RAW_DIR_LOANS, help="loans in the raw_dir")
    parser.add_argument("--only", choices=("sample", "raw_dir"), default=None)
    args = parser.parse_args(argv)
    work_dir = args.work_dir.resolve()
    started = time.monotonic()
    outcomes: dict[str, tuple[bool, dict[str, float]]] = {}
    if args.only in (None, "sample"):
        outcomes["sample"] = run_case("sample", work_dir / "sample", None)
    if args.only in (None, "raw_dir"):
        raw_dir = work_dir / "raw"
        generate_raw_dir(raw_dir, args.loans)
        outcomes["raw_dir"] = run_case("raw_dir", work_dir / "raw_dir", raw_dir)
    print("spark_leg: summary")
    for name, (ok, timings) in outcomes.items():
        times = ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
        print(f"    {name}: {'OK' if ok else 'FAILED'} ({times})")
    print(f"spark_leg: total {time.monotonic() - started:.0f} s")
    return 0 if all(ok for ok, _ in outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
