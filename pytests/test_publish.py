"""The published snapshot: readers never see a half-built or failed build.

Each test publishes into its own temporary folder with scripts/publish.py, from
warehouses built by dbt in temporary folders.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, DbtBuild, project_copy, run_dbt
from publish import PublishError, publish
from test_compatibility import read_with_old_duckdb

# A mart whose rows depend on the as-of date, so two builds at different dates differ.
PROBE_SQL = "select count(*), sum(paid_to_date_amount) from marts.fct_loan_repayment"


def run_results(build: DbtBuild) -> Path:
    return build.warehouse.parent / "target" / "run_results.json"


def current_snapshot(published: Path) -> str:
    return os.readlink(published / "current")


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory: pytest.TempPathFactory) -> DbtBuild:
    """The bundled sample built as of an earlier date: same marts, other numbers."""
    build = run_dbt(["build"], tmp_path_factory.mktemp("earlier"), {"as_of_date": "2024-12-31"})
    assert build.success, build.log[-3000:]
    return build


def test_reader_keeps_its_snapshot_while_a_new_one_is_published(
    sample_build: DbtBuild, earlier_build: DbtBuild, tmp_path: Path
) -> None:
    published = tmp_path / "published"
    publish(earlier_build.warehouse, published, run_results(earlier_build), keep=3)
    old_expected = earlier_build.query(PROBE_SQL)

    with duckdb.connect(str(published / "loans.duckdb"), read_only=True) as reader:
        assert reader.execute(PROBE_SQL).fetchall() == old_expected
        publish(sample_build.warehouse, published, run_results(sample_build), keep=3)
        # the open reader still sees the old snapshot, consistently
        assert reader.execute(PROBE_SQL).fetchall() == old_expected

    new_expected = sample_build.query(PROBE_SQL)
    assert new_expected != old_expected, "the two builds should differ for this test to bite"
    with duckdb.connect(str(published / "loans.duckdb"), read_only=True) as fresh:
        assert fresh.execute(PROBE_SQL).fetchall() == new_expected


def test_snapshot_holds_only_bi_marts_with_parquet_and_manifest(
    sample_build: DbtBuild, tmp_path: Path
) -> None:
    published = tmp_path / "published"
    manifest = publish(sample_build.warehouse, published, run_results(sample_build), keep=3)

    with duckdb.connect(str(published / "loans.duckdb"), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables order by all"
        ).fetchall()
    assert tables, "the snapshot has no tables"
    assert {schema for schema, _ in tables} == {"marts"}
    names = [name for _, name in tables]
    assert all(name.startswith(("fct_", "dim_", "rpt_")) for name in names)
    expected_marts = sample_build.query(
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "and table_type = 'BASE TABLE' and regexp_matches(table_name, '^(fct|dim|rpt)_') "
        "order by 1"
    )
    assert names == [name for (name,) in expected_marts]

    parquet_files = sorted(path.stem for path in (published / "parquet").glob("*.parquet"))
    assert parquet_files == sorted(names)
    for name in names:
        (rows,) = duckdb.execute(
            f"select count(*) from read_parquet('{published / 'parquet' / name}.parquet')"
        ).fetchone()
        assert (
            rows
            == manifest["row_counts"][name]
            == sample_build.scalar(f"select count(*) from marts.{name}")
        )

    on_disk = json.loads((published / "manifest.json").read_text())
    assert on_disk["snapshot_id"] == current_snapshot(published).split("/")[-1]
    assert set(on_disk["as_of_dates"]) == {"family_a", "family_b"}
    assert on_disk["source_feeds"]["orders"]["loaded"] > 0
    assert on_disk["git_revision"]


def test_published_file_opens_with_duckdb_1_1(sample_build: DbtBuild, tmp_path: Path) -> None:
    published = tmp_path / "published"
    publish(sample_build.warehouse, published, run_results(sample_build), keep=1)
    expected = sample_build.scalar("select count(*) from marts.fct_loan_repayment")
    output = read_with_old_duckdb(
        published / "loans.duckdb", "select count(*) from marts.fct_loan_repayment"
    )
    assert f"[({expected},)]" in output


def test_only_the_last_snapshots_are_kept(sample_build: DbtBuild, tmp_path: Path) -> None:
    published = tmp_path / "published"
    for _ in range(3):
        publish(sample_build.warehouse, published, run_results(sample_build), keep=2)
    kept = sorted(path.name for path in (published / "snapshots").iterdir())
    assert len(kept) == 2
    assert current_snapshot(published) == f"snapshots/{kept[-1]}"


def test_a_failed_build_does_not_publish(sample_build: DbtBuild, tmp_path: Path) -> None:
    published = tmp_path / "published"
    publish(sample_build.warehouse, published, run_results(sample_build), keep=3)
    before = current_snapshot(published)

    project = project_copy(tmp_path / "project")
    (project / "tests" / "a_rule_the_data_breaks.sql").write_text(
        "select 1 as broken_rule from {{ ref('stg_family_b__loans') }}"
    )
    failed = run_dbt(["build"], tmp_path / "failed", project_dir=project)
    assert not failed.success
    statuses = {r.status for r in failed.result.result.results}
    assert "fail" in statuses, "the build should fail a test, not crash"
    with pytest.raises(PublishError):
        publish(sample_build.warehouse, published, run_results(failed), keep=3)
    assert current_snapshot(published) == before

    # the command line says so and exits non-zero
    refused = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "publish.py"),
            "--warehouse",
            str(sample_build.warehouse),
            "--published-dir",
            str(published),
            "--run-results",
            str(run_results(failed)),
        ],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "refused, the published snapshot is unchanged" in refused.stderr
    assert current_snapshot(published) == before


def test_a_build_killed_mid_run_leaves_the_snapshot_and_the_next_build_succeeds(
    sample_build: DbtBuild, tmp_path: Path
) -> None:
    published = tmp_path / "published"
    publish(sample_build.warehouse, published, run_results(sample_build), keep=3)
    before = current_snapshot(published)
    with duckdb.connect(str(published / "loans.duckdb"), read_only=True) as reader:
        before_numbers = reader.execute(PROBE_SQL).fetchall()

    workdir = tmp_path / "killed"
    log = workdir / "logs" / "dbt.log"
    dbt = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dbt"),
            "build",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(workdir / "target"),
            "--log-path",
            str(workdir / "logs"),
        ],
        env={**os.environ, "LOANS_WAREHOUSE": str(workdir / "loans.duckdb")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and dbt.poll() is None:
        if log.exists() and "OK created sql table model" in log.read_text():
            break
        time.sleep(0.2)
    assert dbt.poll() is None, "dbt finished before it could be killed"
    os.killpg(dbt.pid, signal.SIGKILL)
    dbt.wait()

    assert current_snapshot(published) == before
    with duckdb.connect(str(published / "loans.duckdb"), read_only=True) as reader:
        assert reader.execute(PROBE_SQL).fetchall() == before_numbers

    rebuilt = run_dbt(["build"], workdir)
    assert rebuilt.success, rebuilt.log[-3000:]
    publish(rebuilt.warehouse, published, run_results(rebuilt), keep=3)
    assert current_snapshot(published) != before


def test_marts_use_types_every_bi_driver_reads(sample_build: DbtBuild) -> None:
    """No 128-bit integers (a bare sum of counts in DuckDB) reach BI tools."""
    exotic = sample_build.query(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and data_type in ('HUGEINT', 'UHUGEINT', 'UUID', 'INTERVAL')"
    )
    assert exotic == []
