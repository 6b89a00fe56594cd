"""Shared fixtures: build the warehouse with dbt (through dbtRunner) on a given input.

Each scenario builds into its own temporary DuckDB file and dbt target folder, so
tests never touch warehouse/ or target/ of the work tree, and a scenario is built
once per session however many tests read it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner, dbtRunnerResult

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_DIR.parent / "shared"
PUBLISHED_DIR = SHARED_DIR / "datasets" / "loan_performance"
GENERATOR = ["-m", "scripts.generator"]  # run from PROJECT_DIR
SAMPLE_DIR = PROJECT_DIR / "seeds" / "sample"


@dataclass
class DbtBuild:
    """The outcome of one dbt invocation on one warehouse file."""

    result: dbtRunnerResult
    warehouse: Path
    log: str

    @property
    def success(self) -> bool:
        return bool(self.result.success)

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        rows = self.query(sql, params)
        assert len(rows) == 1 and len(rows[0]) == 1, rows
        return rows[0][0]


def run_dbt(
    args: list[str],
    workdir: Path,
    dbt_vars: dict[str, Any] | None = None,
    project_dir: Path = PROJECT_DIR,
    target_name: str = "target",
) -> DbtBuild:
    """Run one dbt command (of this project, or a copy) against a warehouse file in workdir.

    Its artefacts go to workdir/<target_name>: give a later command on the same
    warehouse another target_name to keep the build's run_results.json.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = workdir / "loans.duckdb"
    log_dir = workdir / "logs"
    command = [
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(workdir / target_name),
        "--log-path",
        str(log_dir),
        "--quiet",
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    previous = os.environ.get("LOANS_WAREHOUSE")
    os.environ["LOANS_WAREHOUSE"] = str(warehouse)
    try:
        result = dbtRunner().invoke(command)
    finally:
        release_duckdb()
        if previous is None:
            os.environ.pop("LOANS_WAREHOUSE", None)
        else:
            os.environ["LOANS_WAREHOUSE"] = previous
    log_file = log_dir / "dbt.log"
    log = log_file.read_text() if log_file.exists() else ""
    return DbtBuild(result=result, warehouse=warehouse, log=log)


def release_duckdb() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open in this process after a run.

    Without this, opening the same file read-only from the test fails with
    "Can't open a connection to same database file with a different configuration".
    """
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def project_copy(destination: Path) -> Path:
    """A copy of the dbt project (no venv, build outputs or git), to change in a test."""
    shutil.copytree(
        PROJECT_DIR,
        destination,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", ".cache", "target", "logs", "warehouse", "__pycache__"
        ),
    )
    return destination


def generate(out: Path, *extra: str) -> dict[str, Any]:
    """Run our data generator into out and return its manifest."""
    subprocess.run(
        [sys.executable, *GENERATOR, "--out", str(out), *extra],
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
    )
    return json.loads((out / "_manifest.json").read_text())


def require_published_data() -> Path:
    if not (PUBLISHED_DIR / "fact_loans.csv").exists():
        pytest.skip(f"published data set not found at {PUBLISHED_DIR} (it lives in ../shared/)")
    return PUBLISHED_DIR


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> DbtBuild:
    """The bundled sample (seeds/sample), built with every test."""
    build = run_dbt(["build"], tmp_path_factory.mktemp("sample"))
    assert build.success, build.log[-5000:]
    return build


@pytest.fixture(scope="session")
def published_build(tmp_path_factory: pytest.TempPathFactory) -> DbtBuild:
    """The real published Family B data set, read unchanged through raw_dir."""
    raw_dir = require_published_data()
    build = run_dbt(
        ["build", "--exclude", "tag:sample"],
        tmp_path_factory.mktemp("published"),
        {"raw_dir": str(raw_dir)},
    )
    assert build.success, build.log[-5000:]
    return build


# The sample's feeds of each portfolio, for builds where only one portfolio has data.
PORTFOLIO_FEEDS = {
    "family_a": ("orders", "plan", "payments"),
    "family_b": ("dim_branch", "dim_customer", "fact_loans"),
}


class SinglePortfolioBuilds:
    """dbt builds (data tests included) on a raw_dir holding only one portfolio's sample
    feeds, and their published snapshots: each built on first use, once per session, for
    the chart and dashboard tests that read them (read only: copy before changing)."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.builds: dict[str, DbtBuild] = {}
        self.published: dict[str, Path] = {}

    @staticmethod
    def raw_dir(portfolio: str, workdir: Path) -> Path:
        """workdir/lender_a (family_a) or lender_b: the folder the build reads (its name is
        the published snapshot's label)."""
        raw_dir = workdir / f"lender_{portfolio[-1]}"
        if not raw_dir.exists():
            raw_dir.mkdir(parents=True)
            for feed in PORTFOLIO_FEEDS[portfolio]:
                shutil.copy(SAMPLE_DIR / f"{feed}.csv", raw_dir / f"{feed}.csv")
        return raw_dir

    def build(self, portfolio: str) -> DbtBuild:
        """The portfolio's build; its raw_dir is build.warehouse.parent.parent / lender_<a|b>."""
        if portfolio not in self.builds:
            workdir = self.factory.mktemp(f"{portfolio}_only")
            raw_dir = self.raw_dir(portfolio, workdir)
            # no --exclude: with raw_dir set, the build loads no sample seed by itself
            build = run_dbt(["build"], workdir / "build", {"raw_dir": str(raw_dir)})
            assert build.success, build.log[-5000:]
            self.builds[portfolio] = build
        return self.builds[portfolio]

    def published_dir(self, portfolio: str) -> Path:
        """A published folder holding one snapshot of the portfolio's build."""
        if portfolio not in self.published:
            from scripts.publish import publish

            build = self.build(portfolio)
            folder = build.warehouse.parent.parent / "published"
            publish(
                build.warehouse,
                folder,
                build.warehouse.parent / "target" / "run_results.json",
                keep=3,
            )
            self.published[portfolio] = folder
        return self.published[portfolio]


@pytest.fixture(scope="session")
def single_portfolio(tmp_path_factory: pytest.TempPathFactory) -> SinglePortfolioBuilds:
    return SinglePortfolioBuilds(tmp_path_factory)


@pytest.fixture(scope="session")
def published(sample_build: DbtBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published folder holding one snapshot of the bundled-sample build, published once
    for every dashboard test module (they read it; a test that changes it copies it first)."""
    from scripts.publish import publish

    folder = tmp_path_factory.mktemp("published_sample") / "published"
    run_results = sample_build.warehouse.parent / "target" / "run_results.json"
    publish(sample_build.warehouse, folder, run_results, keep=3)
    return folder


@pytest.fixture(scope="session")
def sample_reference() -> Any:
    """The independent Family A computation over the bundled sample (repayment_reference.py),
    computed once for every repayment test module."""
    from repayment_helpers import Reference

    return Reference(SAMPLE_DIR)


@pytest.fixture(scope="session")
def sample_validation(tmp_path_factory: pytest.TempPathFactory, sample_build: DbtBuild) -> Any:
    """scripts.validate run once on the sample build (validate_helpers.Run), for the raw-feed
    and the mart suites' tests alike."""
    from validate_helpers import run_validate

    return run_validate(tmp_path_factory.mktemp("sample_validation"), sample_build.warehouse)


@pytest.fixture(scope="session")
def dirty_feeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A generated --dirty folder, as Parquet, different in seed and size from the sample."""
    out = tmp_path_factory.mktemp("dirty_feeds")
    manifest = generate(out, "--seed", "7", "--loans", "1500", "--dirty", "--format", "parquet")
    return out, manifest


@pytest.fixture(scope="session")
def dirty_build(
    tmp_path_factory: pytest.TempPathFactory, dirty_feeds: tuple[Path, dict[str, Any]]
) -> DbtBuild:
    raw_dir, _ = dirty_feeds
    build = run_dbt(
        ["build", "--exclude", "tag:sample"],
        tmp_path_factory.mktemp("dirty"),
        {"raw_dir": str(raw_dir)},
    )
    assert build.success, build.log[-5000:]
    return build


@pytest.fixture()
def scratch_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)
