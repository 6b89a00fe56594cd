"""The Spark leg (`make test-spark`): both engines on the same inputs, marts compared.

For each input -- the bundled sample, then one raw_dir folder of generated dirty data (CSV
feeds, payments as Parquet so both file readers are exercised) -- it runs `dbt build` on DuckDB
(a warehouse file of its own; models and seeds only, as its tests already ran in `make
dbt-test`) and on Spark (target spark_small: the local session tuned for tiny inputs, in a
folder of its own, LOANS_SPARK_DIR), so every model, data test and (sample route) unit test
runs on Spark; then it compares every mart (scripts/compare_engines.py) and, row by row, each
feed's base model (every raw row's parsed values, quarantine reason and raw-row JSON).
Everything is written under --work-dir (default target/spark_leg); warehouse/ is untouched.

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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from scripts.compare_engines import compare, feed_rows_from_manifest, summary
from scripts.settings import PROJECT_DIR, TARGET_DIR

RAW_DIR_LOANS = 300
RAW_DIR_SEED = 7
PARQUET_FEEDS = ("payments",)
# profiles.yml: the local Spark tuned for tiny inputs (in-memory catalog, no code generation)
SPARK_TARGET = "spark_small"
PRINT_LOCK = threading.Lock()


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


def dbt_build(
    engine: str, case_dir: Path, raw_dir: Path | None, report: list[str]
) -> tuple[bool, float]:
    """One `dbt build` of the project on engine ('duckdb' or 'spark'), artefacts in case_dir;
    what to print is appended to report."""
    target_path = case_dir / f"target_{engine}"
    command = [
        str(Path(sys.executable).parent / "dbt"), "build",
        "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(target_path), "--log-path", str(case_dir / f"logs_{engine}"),
    ]  # fmt: skip
    if engine == "spark":
        command += ["--target", SPARK_TARGET]
    else:
        # the reference side: its data and unit tests already ran in `make dbt-test` / pytest
        command += ["--exclude-resource-type", "test", "unit_test"]
    if raw_dir is not None:
        command += ["--vars", json.dumps({"raw_dir": str(raw_dir)})]
    env = dict(
        os.environ,
        LOANS_WAREHOUSE=str(case_dir / "loans.duckdb"),
        LOANS_SPARK_DIR=str(case_dir / "spark"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
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
    ok = finished.returncode == 0
    report.append(
        f"spark_leg: {engine} build {'passed' if ok else 'FAILED'} in {elapsed:.0f} s (log {log})"
    )
    report.extend(f"    {line}" for line in summary[-25:])
    return ok, elapsed


def run_case(
    name: str, case_dir: Path, raw_dir: Path | None, loans: int
) -> tuple[bool, dict[str, float]]:
    """Build one input on both engines and compare; prints its report in one block at the end
    (the two inputs run at once)."""
    if case_dir.exists():
        shutil.rmtree(case_dir)
    case_dir.mkdir(parents=True)
    print(f"spark_leg: {name}: building on DuckDB, then on Spark ({case_dir})", flush=True)
    if raw_dir is not None:
        generate_raw_dir(raw_dir, loans)
    report: list[str] = []
    timings: dict[str, float] = {}
    duck_ok, timings["duckdb"] = dbt_build("duckdb", case_dir, raw_dir, report)
    spark_ok, timings["spark"] = dbt_build("spark", case_dir, raw_dir, report)
    ok = duck_ok and spark_ok
    if ok:
        ok = compare_case(name, case_dir, report, timings)
    with PRINT_LOCK:
        print(f"spark_leg: {name}: {'OK' if ok else 'FAILED'}")
        print("\n".join(report), flush=True)
    return ok, timings


def compare_case(name: str, case_dir: Path, report: list[str], timings: dict[str, float]) -> bool:
    """Every mart, then each feed's rows, of the two builds in case_dir."""
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
    report.append(f"spark_leg: {name}: DuckDB and Spark marts compared")
    report.extend(f"    {result.render()}" for result in results)
    report.append(f"spark_leg: {name}: {summary(results)}")
    report.append(f"spark_leg: {name}: feed rows (parsed values, quarantine reason) compared")
    report.extend(f"    {result.render()}" for result in feed_rows)
    differing = [r.mart.name for r in results + feed_rows if not r.matches]
    identical = sum(r.matches for r in feed_rows)
    report.append(f"spark_leg: {name}: {identical} of {len(feed_rows)} feeds identical row by row")
    return bool(results) and bool(feed_rows) and not differing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, default=TARGET_DIR / "spark_leg")
    parser.add_argument("--loans", type=int, default=RAW_DIR_LOANS, help="loans in the raw_dir")
    parser.add_argument("--only", choices=("sample", "raw_dir"), default=None)
    args = parser.parse_args(argv)
    work_dir = args.work_dir.resolve()
    started = time.monotonic()
    cases = {
        "sample": (work_dir / "sample", None),
        "raw_dir": (work_dir / "raw_dir", work_dir / "raw"),
    }
    chosen = [name for name in cases if args.only in (None, name)]
    # The two inputs run at once: each Spark build is mostly one busy driver thread (per-query
    # planning), so two of them share two cores far better than they take turns.
    with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
        futures = {name: pool.submit(run_case, name, *cases[name], args.loans) for name in chosen}
        outcomes = {name: future.result() for name, future in futures.items()}
    print("spark_leg: summary")
    for name, (ok, timings) in outcomes.items():
        times = ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
        print(f"    {name}: {'OK' if ok else 'FAILED'} ({times})")
    print(f"spark_leg: total {time.monotonic() - started:.0f} s")
    return 0 if all(ok for ok, _ in outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
