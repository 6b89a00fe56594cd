"""The published snapshot: readers never see a half-built or failed build, and its
manifest says what it was built from.

Each test publishes into its own temporary folder with scripts/publish.py, from
warehouses built by dbt in temporary folders.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import PROJECT_DIR, SAMPLE_DIR, DbtBuild, SinglePortfolioBuilds, project_copy, run_dbt
from test_compatibility import read_with_old_duckdb

from scripts.publish import PublishError, publish

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
    assert on_disk["built_from"]["kind"] == "bundled sample"
    assert on_disk["built_from"]["label"] == "bundled sample"
    assert on_disk["built_from"]["raw_dir"] is None
    assert on_disk["built_from"]["files"] == expected_files(SAMPLE_DIR, SIX_FEEDS)
    assert on_disk["vars_overridden"] == {}
    assert on_disk["vars"]["segment_tolerance"] == 0.05
    assert on_disk["currency"] == {"code": "", "label": "currency units"}


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
            "-m",
            "scripts.publish",
            "--warehouse",
            str(sample_build.warehouse),
            "--published-dir",
            str(published),
            "--run-results",
            str(run_results(failed)),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
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


SIX_FEEDS = ["orders", "plan", "payments", "dim_branch", "dim_customer", "fact_loans"]
FAMILY_A_FEEDS = SIX_FEEDS[:3]
FAMILY_B_FEEDS = SIX_FEEDS[3:]


def expected_files(folder: Path, feeds: list[str]) -> list[dict[str, object]]:
    """The manifest's files entry, computed here from the files themselves."""
    expected = []
    for feed in feeds:
        path = folder / f"{feed}.csv"
        stat = os.stat(path)
        expected.append(
            {
                "feed": feed,
                "file": f"{feed}.csv",
                "bytes": len(path.read_bytes()),
                "modified_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(stat.st_mtime)),
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
        )
    return expected


def copy_feeds(folder: Path, feeds: list[str]) -> Path:
    folder.mkdir(parents=True)
    for feed in feeds:
        shutil.copy(SAMPLE_DIR / f"{feed}.csv", folder / f"{feed}.csv")
    return folder


@pytest.fixture(scope="module")
def family_b_only(single_portfolio: SinglePortfolioBuilds) -> tuple[Path, DbtBuild]:
    """A raw_dir `lender_b` holding only the star-schema feeds (the sample's), built as is
    (`dbt build` with var raw_dir, nothing excluded): the session's loan-book-only build."""
    build = single_portfolio.build("family_b")
    raw_dir = single_portfolio.raw_dir("family_b")
    assert sorted(path.stem for path in raw_dir.iterdir()) == sorted(FAMILY_B_FEEDS)
    return raw_dir, build


def test_a_raw_dir_build_loads_no_sample_seed(family_b_only: tuple[Path, DbtBuild]) -> None:
    _, build = family_b_only
    raw_tables = build.query(
        "select table_name from information_schema.tables where table_schema = 'raw'"
    )
    assert not {name for (name,) in raw_tables} & set(SIX_FEEDS)
    assert build.scalar("select count(*) from marts.fct_loans") > 0


def test_manifest_of_a_single_portfolio_raw_dir_build(
    family_b_only: tuple[Path, DbtBuild], sample_build: DbtBuild, tmp_path: Path
) -> None:
    raw_dir, build = family_b_only
    published = tmp_path / "published"
    publish(build.warehouse, published, run_results(build), keep=1)
    text = (published / "manifest.json").read_text()
    manifest = json.loads(text)

    assert manifest["built_from"]["kind"] == "raw_dir"
    assert manifest["built_from"]["raw_dir"] == str(raw_dir.resolve())
    assert manifest["built_from"]["files"] == expected_files(raw_dir, FAMILY_B_FEEDS)
    # the same rows as the sample's Family B, so the same reporting date
    family_b_date = str(
        sample_build.scalar(
            "select as_of_date from marts.rpt_reporting_dates where portfolio = 'family_b'"
        )
    )
    assert manifest["built_from"]["label"] == f"lender_b as of {family_b_date}"
    assert manifest["as_of_dates"] == {"family_a": None, "family_b": family_b_date}
    assert '"family_a": null' in text and "None" not in text
    assert manifest["portfolios"]["family_a"] == {
        "label": "instalment loans (schedule and payments)",
        "has_data": False,
        "as_of_date": None,
        "warning": None,
    }
    assert manifest["portfolios"]["family_b"]["has_data"] is True
    assert manifest["portfolios"]["family_b"]["label"] == "loan book (branches, customers, loans)"
    assert manifest["vars"]["raw_dir"] == str(raw_dir)
    assert manifest["vars_overridden"] == {"raw_dir": str(raw_dir)}
    assert manifest["warnings"] == []


def test_one_outlier_date_does_not_move_the_reporting_date(
    sample_build: DbtBuild, tmp_path: Path
) -> None:
    """One payment typed 2099-01-01 in the sample's Family A feeds: the reporting date and
    the figures stay those of the sample, and the build and manifest warn about it."""
    raw_dir = copy_feeds(tmp_path / "lender_a", FAMILY_A_FEEDS)
    with (raw_dir / "orders.csv").open() as orders:
        open_loan = next(
            row["order_id"]
            for row in csv.DictReader(orders)
            if row["put_at"] and not row["closed_at"]
        )
    with (raw_dir / "payments.csv").open("a") as payments:
        payments.write(f"{open_loan},2099-01-01 10:00:00,100.00\n")

    build = run_dbt(["build"], tmp_path / "wh", {"raw_dir": str(raw_dir), "currency_code": "EUR"})
    assert build.success, build.log[-3000:]
    sample_date = sample_build.scalar(
        "select as_of_date from marts.rpt_reporting_dates where portfolio = 'family_a'"
    )
    as_of_date, warning = build.query(
        "select as_of_date, as_of_warning from marts.rpt_reporting_dates "
        "where portfolio = 'family_a'"
    )[0]
    assert as_of_date == sample_date
    assert "1 event(s) dated 2099-01-01 to 2099-01-01" in warning
    # the outlier payment is staged, yet no as-of figure counts it
    assert (
        build.scalar(
            "select count(*) from staging.stg_family_a__payments where paid_date = '2099-01-01'"
        )
        == 1
    )
    assert build.query(PROBE_SQL) == sample_build.query(PROBE_SQL)
    assert "WARNING reporting date of family_a: 1 event(s) dated 2099-01-01" in build.log

    published = tmp_path / "published"
    manifest = publish(build.warehouse, published, run_results(build), keep=1, label="lender a")
    assert manifest["built_from"]["label"] == "lender a"
    assert manifest["as_of_dates"]["family_a"] == str(sample_date)
    assert manifest["portfolios"]["family_a"]["warning"] == warning
    assert len(manifest["warnings"]) == 1 and "2099-01-01" in manifest["warnings"][0]
    assert manifest["currency"] == {"code": "EUR", "label": "EUR"}
    assert manifest["vars_overridden"] == {"raw_dir": str(raw_dir), "currency_code": "EUR"}


def yaml_column_meta(marts: set[str]) -> dict[str, dict[str, dict[str, str]]]:
    """{mart: {column: {label, format[, help]}}} read straight from the mart YAML files."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted((PROJECT_DIR / "models" / "marts").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
            if model["name"] not in marts:
                continue
            for column in model.get("columns") or []:
                meta = column.get("meta") or {}
                if meta:
                    exported = {"label": meta["label"], "format": meta["format"]}
                    if meta.get("help"):
                        exported["help"] = meta["help"]
                    found.setdefault(model["name"], {})[column["name"]] = exported
    return found


def test_column_labels_from_the_yaml_reach_the_snapshot_manifest(
    sample_build: DbtBuild, tmp_path: Path
) -> None:
    published = tmp_path / "published"
    dbt_manifest = run_results(sample_build).with_name("manifest.json")
    manifest = publish(
        sample_build.warehouse, published, run_results(sample_build), 1, dbt_manifest=dbt_manifest
    )
    on_disk = json.loads((published / "manifest.json").read_text())
    expected = yaml_column_meta(set(on_disk["row_counts"]))
    # one label typed in the YAML, by hand, so an empty or shifted export fails too
    score = {"label": "Score", "format": "score"}
    assert expected["fct_loan_repayment"]["repayment_score"] == score
    assert on_disk["columns"]["fct_loan_repayment"]["repayment_score"]["label"] == "Score"
    # and one hover definition (meta help), typed here by hand
    paid_ratio = on_disk["columns"]["fct_loan_repayment"]["paid_ratio"]
    assert paid_ratio["help"] == "Paid to date ÷ planned to date."
    assert on_disk["columns"] == expected
    assert manifest["columns"] == expected


def test_publish_without_a_dbt_manifest_writes_no_columns(
    sample_build: DbtBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = tmp_path / "published"
    absent = tmp_path / "target" / "manifest.json"
    publish(sample_build.warehouse, published, run_results(sample_build), 1, dbt_manifest=absent)
    assert json.loads((published / "manifest.json").read_text())["columns"] == {}
    assert f"{absent} not found" in capsys.readouterr().err
