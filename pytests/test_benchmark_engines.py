"""The Spark side of the benchmark: the process-tree memory sampler (scripts.benchmark_stats),
the Spark facts read from Parquet (scripts.benchmark), and engines.md / the cost curve
(scripts.benchmark_report), on hand-made inputs whose expected figures are worked out here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from scripts import benchmark
from scripts.benchmark import spark_facts
from scripts.benchmark_report import cost_curve, engines, markdown
from scripts.benchmark_stats import (
    GNU_TIME,
    PAGE_KIB,
    TreePeakSampler,
    measure,
    summed_rss_kib,
    tree_pids,
    tree_rss_kib,
)

MIB = 1024  # KiB

# --- the process tree and its summed memory -----------------------------------------------

# pid -> parent pid: 10 is the command; 11 and 12 its children, 13 a grandchild under 12;
# 20 (child of 1) and 21 (its child) are another tree that must not be counted.
PARENTS = {1: 0, 10: 1, 11: 10, 12: 10, 13: 12, 20: 1, 21: 20}
RSS_KIB = {1: 5, 10: 100, 11: 1_000, 12: 2_000, 13: 30_000, 20: 400_000, 21: 7}


def test_the_tree_is_the_root_and_every_descendant_and_nothing_else() -> None:
    assert tree_pids(PARENTS, 10) == {10, 11, 12, 13}
    assert tree_pids(PARENTS, 12) == {12, 13}
    assert tree_pids(PARENTS, 13) == {13}
    # a root already gone from the table is still its own tree (its memory then counts 0)
    assert tree_pids(PARENTS, 99) == {99}


def test_the_summed_memory_adds_every_process_of_the_tree() -> None:
    # 100 + 1,000 + 2,000 + 30,000 by hand; the other tree's 400,007 KiB stays out
    assert summed_rss_kib(RSS_KIB, tree_pids(PARENTS, 10)) == 33_100
    # a process that exited between the two reads counts 0
    assert summed_rss_kib({10: 100}, {10, 11}) == 100


def _fake_process(proc: Path, pid: int, command: str, parent: int, rss_pages: int) -> None:
    folder = proc / str(pid)
    folder.mkdir(parents=True)
    (folder / "stat").write_text(f"{pid} ({command}) S {parent} {pid} {pid} 0 -1 4194560\n")
    (folder / "statm").write_text(f"{rss_pages * 3} {rss_pages} 10 1 0 50 0\n")


def test_the_tree_is_read_from_proc_even_with_spaces_and_brackets_in_a_command_name(
    tmp_path: Path,
) -> None:
    _fake_process(tmp_path, 1, "init", 0, 1_000)
    _fake_process(tmp_path, 500, "time", 1, 10)  # GNU time, the wrapper
    _fake_process(tmp_path, 501, "dbt", 500, 2_000)  # dbt, the Python process
    _fake_process(tmp_path, 502, "java) S 1 (x", 501, 30_000)  # the JVM, a tricky name
    _fake_process(tmp_path, 600, "other", 1, 50_000)
    (tmp_path / "self").mkdir()  # not a pid: ignored
    # dbt + the JVM, in pages, without the wrapper: (2,000 + 30,000) pages
    assert tree_rss_kib(500, include_root=False, proc=tmp_path) == 32_000 * PAGE_KIB
    assert tree_rss_kib(500, proc=tmp_path) == 32_010 * PAGE_KIB


def test_the_sampler_keeps_the_largest_sum_seen(tmp_path: Path) -> None:
    _fake_process(tmp_path, 7, "cmd", 1, 100)
    sampler = TreePeakSampler(7, proc=tmp_path)
    sampler.sample()
    (tmp_path / "7" / "statm").write_text("0 300 0 0 0 0 0\n")
    sampler.sample()
    (tmp_path / "7" / "statm").write_text("0 50 0 0 0 0 0\n")
    sampler.sample()
    assert sampler.peak_kib == 300 * PAGE_KIB


HOLD_MIB = 100
# each child touches HOLD_MIB MiB (b"x" * n writes every page) and keeps it for 2 s
HOLDER = f"import time; block = b'x' * ({HOLD_MIB} * 2**20); time.sleep(2)"
PARENT = (
    "import subprocess, sys; "
    f"children = [subprocess.Popen([sys.executable, '-c', {HOLDER!r}]) for _ in range(2)]; "
    "[child.wait() for child in children]"
)


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux /proc")
def test_two_children_holding_memory_count_twice_in_the_tree_peak_and_once_in_gnu_time(
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    measured = measure([sys.executable, "-c", PARENT], tmp_path)
    assert time.monotonic() - started < 10
    assert measured.peak_tree_rss_mib is not None
    # both children hold 100 MiB at once (plus a Python interpreter each, and the parent)
    assert measured.peak_tree_rss_mib > 2 * HOLD_MIB
    if GNU_TIME.exists():
        # GNU time reports the largest single process: one child, 100 MiB and an interpreter
        assert measured.peak_rss_mib is not None
        assert HOLD_MIB < measured.peak_rss_mib < 1.5 * HOLD_MIB
        assert measured.peak_tree_rss_mib > measured.peak_rss_mib + 0.8 * HOLD_MIB


# --- engines.md and the cost curve ----------------------------------------------------------


def _report(engine: str, loans: int, build: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "engine": engine,
        "loans": loans,
        "family_b_loans": loans // 2,
        "format": "parquet",
        "run_at": f"2026-11-28T18:00:00+00:00 {engine}",
        "machine": "x86_64, 2 cores",
        "git_revision": "abc1234",
        "settings": {},
        "generate": None,
        "build": {
            "load_before": 0.5,
            "load_after": 1.5,
            "failed": [],
            "slowest": [],
            "credit_loss_seconds": 1.0,
            "credit_loss_share": 0.1,
            "credit_loss_added": 0.11,
            **build,
        },  # fmt: skip
        "as_of_date": "2025-06-30",
        "feeds": {"orders": {"loaded": loans, "quarantined": 0}},
        "mart_rows": {"fct_loans": loans},
        "loan_months": loans * 10,
        "warehouse_mib": 12.5,
        **more,
    }


DUCK_3K = _report(
    "duckdb",
    3000,
    {"seconds": 60.0, "dbt_startup_seconds": 15.0, "execution_seconds": 40.0,
     "node_seconds": 100.0, "layer_seconds": {"base": 10.0, "marts": 20.0, "data tests": 70.0},
     "nodes": 500, "peak_rss_mib": 1024.0, "peak_tree_rss_mib": 1030.0},
)  # fmt: skip
SPARK_3K = _report(
    "spark",
    3000,
    {"seconds": 300.0, "dbt_startup_seconds": 30.0, "execution_seconds": 240.0,
     "node_seconds": 400.0,
     "layer_seconds": {"base": 25.0, "data tests": 350.0, "unit tests": 25.0},
     "nodes": 480, "peak_rss_mib": 1536.0, "peak_tree_rss_mib": 2048.0},
    settings={"LOANS_SPARK_DRIVER_MEMORY": "3g", "LOANS_SPARK_SHUFFLE_PARTITIONS": None},
    not_run={"lower_bound": "not run: DuckDB only", "validate": "not run: DuckDB only"},
    marts_not_built=["fct_loan_default_probability"],
)  # fmt: skip
DUCK_1K = _report(
    "duckdb",
    1000,
    {"seconds": 20.0, "dbt_startup_seconds": 15.0, "execution_seconds": 5.0,
     "node_seconds": 10.0, "layer_seconds": {"base": 10.0}, "nodes": 500,
     "peak_rss_mib": 512.0},
)  # fmt: skip
SPARK_500 = _report(
    "spark",
    500,
    {"seconds": 100.0, "dbt_startup_seconds": 30.0, "execution_seconds": 70.0,
     "node_seconds": 90.0, "layer_seconds": {"base": 90.0}, "nodes": 480,
     "peak_rss_mib": 900.0, "peak_tree_rss_mib": 1000.0},
)  # fmt: skip
DUCK_500 = _report(
    "duckdb",
    500,
    {"seconds": 25.0, "dbt_startup_seconds": 15.0, "execution_seconds": 10.0,
     "node_seconds": 18.0, "layer_seconds": {"base": 18.0}, "nodes": 500,
     "peak_rss_mib": 256.0},
)  # fmt: skip


def _results(folder: Path) -> Path:
    for name, report in {
        "3000_loans.json": DUCK_3K,
        "3000_loans_spark.json": SPARK_3K,
        "1000_loans.json": DUCK_1K,  # no Spark report of this size: not in engines.md
        "500_loans.json": DUCK_500,
        "500_loans_spark.json": SPARK_500,
    }.items():
        (folder / name).write_text(json.dumps(report))
    return folder


def test_engines_puts_each_size_measured_on_both_side_by_side(tmp_path: Path) -> None:
    text = engines(_results(tmp_path))
    lines = text.splitlines()
    # summary, smallest first: 100 / 25 = 4.00x; 1000 MiB tree / 256 MiB = 3.91x;
    # 300 / 60 = 5.00x; Spark's tree 2048 MiB / DuckDB's 1024 MiB = 2.00x
    summary = [line for line in lines if line.startswith(("| 500 |", "| 3,000 |", "| 1,000 |"))]
    assert summary == [
        "| 500 | 25.0 | 100.0 | 4.00× | 0.25 GiB | 0.98 GiB | 3.91× |",
        "| 3,000 | 60.0 | 300.0 | 5.00× | 1.00 GiB | 2.00 GiB | 2.00× |",
    ]
    assert "## 1,000 loans" not in text
    section = text[text.index("## 3,000 loans") :]
    for row in (
        "| build, wall time (s) | 60.0 | 300.0 | 5.00× |",
        "| … dbt start-up (s) | 15.0 | 30.0 | 2.00× |",
        "| … running the nodes, dbt execution (s) | 40.0 | 240.0 | 6.00× |",
        "| summed node seconds | 100.0 | 400.0 | 4.00× |",
        "| … base (node s) | 10.0 | 25.0 | 2.50× |",
        "| … marts (node s) | 20.0 | 0.0 | 0.00× |",  # no marts time on Spark's side
        "| … data tests (node s) | 70.0 | 350.0 | 5.00× |",
        "| … unit tests (node s) | 0.0 | 25.0 | n/a |",  # none on DuckDB: no ratio
        "| nodes run | 500 | 480 | 0.96× |",
        "| peak memory (DuckDB: dbt process; Spark: JVM + Python summed) | 1.00 GiB "
        "| 2.00 GiB | 2.00× |",
        "| peak RSS, largest process (GNU time; on Spark dbt's Python process, not the JVM) "
        "| 1.00 GiB | 1.50 GiB | |",
        "| peak RSS, process tree summed | 1.01 GiB | 2.00 GiB | |",
    ):
        assert row in section.splitlines(), row
    # layers in the build's order (base before marts before data tests before unit tests)
    layer_rows = [line for line in section.splitlines() if line.endswith("|") and "node s)" in line]
    assert [row.split(" (node s)")[0] for row in layer_rows] == [
        "| … base", "| … marts", "| … data tests", "| … unit tests",
    ]  # fmt: skip
    assert "LOANS_SPARK_DRIVER_MEMORY': '3g'" in section


def test_engines_says_so_when_no_size_has_both(tmp_path: Path) -> None:
    (tmp_path / "1000_loans.json").write_text(json.dumps(DUCK_1K))
    assert "No size has been measured on both engines yet." in engines(tmp_path)


def test_engines_flags_a_pair_built_from_different_feeds(tmp_path: Path) -> None:
    (tmp_path / "500_loans.json").write_text(json.dumps({**DUCK_500, "format": "csv"}))
    (tmp_path / "500_loans_spark.json").write_text(json.dumps(SPARK_500))
    assert "**Not the same feeds**" in engines(tmp_path)
    # the same feeds (the hand-made reports of _results): no such warning
    assert "Not the same feeds" not in engines(_results(tmp_path))


def test_the_cost_curve_reads_the_duckdb_reports_only(tmp_path: Path) -> None:
    curve = cost_curve(_results(tmp_path))
    rows = [line.split(" | ")[:3] for line in curve.splitlines() if line.startswith("| ")]
    # sizes 500, 1,000, 3,000 with DuckDB's build seconds; Spark's 100.0 and 300.0 nowhere
    assert ["| 500", "5,000", "25.0"] in rows
    assert ["| 1,000", "10,000", "20.0"] in rows
    assert ["| 3,000", "30,000", "60.0"] in rows
    assert "300.0" not in curve and "100.0" not in curve


def test_the_spark_report_says_what_was_not_run_and_which_memory_is_which() -> None:
    text = markdown(SPARK_3K)
    assert text.startswith("# Benchmark on Spark: 3,000 Family A loans")
    assert "| dbt build, all models and tests (480 nodes) | 300.0 | 1.50 GiB | 2.00 GiB |" in text
    assert "- lower_bound: not run: DuckDB only" in text
    assert "Spark warehouse folder (Parquet tables): 12.5 MiB" in text
    assert "Marts not built on Spark (disabled for this engine in the project): " \
        "fct_loan_default_probability." in text  # fmt: skip
    assert "## Against the hand-written lower bound" not in text


def test_the_duckdb_report_gives_dbts_fixed_cost_and_the_data_work_ratio() -> None:
    # build: 60 s wall, 40 s of nodes; the same nodes on the sample: 20 s wall, 12 s of nodes;
    # lower bound 10 s. Shares and ratio worked by hand: 12 / 40 = 30 %, 20 / 60 = 33 %,
    # (40 - 12) / 10 = 2.8x.
    report = {
        **DUCK_3K,
        "lower_bound": {
            "seconds": 10.0, "differences": {}, "step_seconds": {}, "peak_rss_mib": 900.0,
            "load_before": 1.0, "load_after": 1.0,
        },
        "ratio_build_to_lower_bound": 4.0,
        "fixed_cost": {
            "seconds": 20.0, "dbt_startup_seconds": 8.0, "execution_seconds": 12.0,
            "nodes": 502, "build_data_work_seconds": 28.0, "share_of_build_execution": 0.3,
            "floor_share_of_build_wall": 0.333,
        },
        "ratio_data_work_to_lower_bound": 2.8,
        "monthly": None,
    }  # fmt: skip
    text = markdown(report)
    assert "## dbt's fixed cost" in text
    assert "bundled sample (502 nodes;" in text
    assert "took 20.0 s: 8.0 s of start-up and 12.0 s running the nodes" in text
    assert "**30%** of this build's node time" in text
    assert "(nodes less that fixed cost, 28.0 s) ÷ lower bound = **2.8×**" in text
    assert "less than about **33%** of this full build's wall time" in text
    assert "## dbt's fixed cost" not in markdown(DUCK_3K)


# --- the Spark build's facts, from its Parquet tables ---------------------------------------


def _table(spark_dir: Path, schema: str, name: str, select: str) -> None:
    folder = spark_dir / "spark-warehouse" / f"{schema}.db" / name
    folder.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(f"copy ({select}) to '{folder / 'part-00000.parquet'}' (format parquet)")


def _model(name: str, schema: str, folder: str, materialized: str = "table") -> dict[str, Any]:
    return {
        "resource_type": "model",
        "name": name,
        "schema": schema,
        "alias": name,
        "original_file_path": f"models/{folder}/{name}.sql",
        "config": {"materialized": materialized},
    }


def test_spark_facts_count_the_rows_of_the_parquet_tables(tmp_path: Path) -> None:
    spark_dir, target = tmp_path / "spark", tmp_path / "target"
    target.mkdir()
    models = [
        _model("int_feeds_reconciled", "intermediate", "intermediate/quality"),
        _model("int_loan_months_snapshotted", "intermediate", "intermediate"),
        _model("rpt_reporting_dates", "marts", "marts/core"),
        _model("fct_loans", "marts", "marts/core"),
        _model("stg_orders", "staging", "staging", materialized="view"),
    ]
    manifest = {
        "nodes": {f"model.p.{model['name']}": model for model in models},
        "disabled": {
            "model.p.fct_loan_default_probability": [
                _model("fct_loan_default_probability", "marts", "marts/credit_loss")
            ]
        },
    }
    (target / "manifest.json").write_text(json.dumps(manifest))
    _table(spark_dir, "intermediate", "int_feeds_reconciled",
           "select * from (values ('orders', 10, 2), ('dim_branch', 3, 0)) "
           "as t(source_feed, loaded_rows, quarantined_rows)")  # fmt: skip
    # partitioned on Spark by reporting_month: one folder per month
    months = spark_dir / "spark-warehouse" / "intermediate.db" / "int_loan_months_snapshotted"
    for month, rows in (("2025-05-01", 1), ("2025-06-01", 3)):
        folder = months / f"reporting_month={month}"
        folder.mkdir(parents=True)
        with duckdb.connect() as con:
            con.execute(
                f"copy (select * from range({rows})) to '{folder / 'part-0.parquet'}' "
                "(format parquet)"
            )
    _table(spark_dir, "marts", "rpt_reporting_dates",
           "select * from (values ('family_a', date '2025-06-30'), ('family_b', null)) "
           "as t(portfolio, as_of_date)")  # fmt: skip
    _table(spark_dir, "marts", "fct_loans", "select * from range(3)")
    facts = spark_facts(spark_dir, target)
    assert facts["as_of_date"] == "2025-06-30"
    assert facts["feeds"] == {
        "dim_branch": {"loaded": 3, "quarantined": 0},
        "orders": {"loaded": 10, "quarantined": 2},
    }
    assert facts["mart_rows"] == {"fct_loans": 3, "rpt_reporting_dates": 2}
    assert facts["loan_months"] == 4
    assert facts["marts_not_built"] == ["fct_loan_default_probability"]
    parquet_bytes = sum(p.stat().st_size for p in spark_dir.rglob("*.parquet"))
    assert facts["warehouse_mib"] == round(parquet_bytes / 2**20, 1)


def test_without_java_the_spark_benchmark_stops_with_one_line(tmp_path: Path) -> None:
    # a PATH holding only python: no `java`
    (tmp_path / "python").symlink_to(sys.executable)
    env = {**os.environ, "PATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "scripts.benchmark", "--engine", "spark", "--loans", "10",
         "--workdir", str(tmp_path / "work"), "--results-dir", str(tmp_path / "results")],
        cwd=Path(__file__).resolve().parents[1], env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "needs a Java 17 runtime" in done.stderr
    assert not (tmp_path / "work").exists()


def test_without_pyspark_the_message_names_the_module_and_make_spark_venv(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(benchmark.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(benchmark, "SPARK_MODULES", ("json", "no_such_module.spark"))
    reason = benchmark.spark_missing()
    assert reason is not None and "\n" not in reason
    assert "no_such_module.spark cannot be imported" in reason
    assert "make spark-venv" in reason
    monkeypatch.setattr(benchmark, "SPARK_MODULES", ("json",))
    assert benchmark.spark_missing() is None
