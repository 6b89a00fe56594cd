"""Shared fixtures: build the warehouse with dbt (through dbtRunner) on a given input.

Each scenario builds into its own temporary DuckDB file and dbt target folder, so
tests never touch warehouse/ or target/ of the work tree, and a scenario is built
once per test run however many tests read it: under pytest-xdist (`make pytest` runs
2 worker processes) the first worker to need a session build makes it while the
other waits, and each worker then reads its own copy (see `made_once`).
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
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


def rows_only_in_one(left: Path, right: Path, relation: str) -> tuple[int, int, int, int]:
    """One table (schema.table) of two warehouse files, row for row: (rows in left, rows of left
    not in right, rows of right not in left, rows in right), by EXCEPT ALL both ways over left's
    columns by name (so doubles must be bit-identical)."""
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        schema, table = relation.split(".")
        columns = [
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'l' "
                "and table_schema = ? and table_name = ? order by column_name",
                [schema, table],
            ).fetchall()
        ]
        assert columns, relation
        listed = ", ".join(f'"{c}"' for c in columns)
        count = con.execute(f"select count(*) from l.{relation}").fetchone()[0]
        count_r = con.execute(f"select count(*) from r.{relation}").fetchone()[0]
        only_l = con.execute(
            f"select count(*) from (select {listed} from l.{relation} "
            f"except all select {listed} from r.{relation})"
        ).fetchone()[0]
        only_r = con.execute(
            f"select count(*) from (select {listed} from r.{relation} "
            f"except all select {listed} from l.{relation})"
        ).fetchone()[0]
    return count, only_l, only_r, count_r


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


def xdist_worker() -> str | None:
    """This process's pytest-xdist worker id (gw0, gw1...), None when the tests run serially."""
    return os.environ.get("PYTEST_XDIST_WORKER")


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder filled by make(folder), made once per test run.

    Serially: factory.mktemp(name). Under pytest-xdist: <run's temp folder>/shared/<name>,
    which every worker of the run sees; the first worker to ask makes it while the others
    wait on a lock, then all read it. Read-only for the callers: copy what a test changes.
    When make fails, the next worker to ask tries again (and reports its own failure).
    """
    if xdist_worker() is None:
        folder = factory.mktemp(name)
        make(folder)
        return folder
    root = factory.getbasetemp().parent / "shared"  # getbasetemp() is <run>/<worker id>
    root.mkdir(exist_ok=True)
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # left by a worker whose make failed
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def build_once(
    factory: pytest.TempPathFactory,
    name: str,
    args: list[str],
    dbt_vars: dict[str, Any] | None = None,
) -> DbtBuild:
    """run_dbt(args, <folder>, dbt_vars), which must succeed, made once per test run.

    Under pytest-xdist each worker gets its own copy of the built folder (warehouse,
    target/, logs/): DuckDB lets one process only open a file read-write, and some tests
    do (dbt docs generate, mf query), so two workers never share one warehouse file.
    """
    builds: list[DbtBuild] = []

    def make(folder: Path) -> None:
        build = run_dbt(args, folder, dbt_vars)
        assert build.success, build.log[-5000:]
        builds.append(build)

    folder = made_once(factory, name, make)
    if xdist_worker() is None:
        return builds[0]
    copy = factory.mktemp(name)
    shutil.copytree(folder, copy, dirs_exist_ok=True)
    log_file = copy / "logs" / "dbt.log"
    return DbtBuild(
        result=builds[0].result if builds else dbtRunnerResult(success=True),
        warehouse=copy / "loans.duckdb",
        log=log_file.read_text() if log_file.exists() else "",
    )


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> DbtBuild:
    """The bundled sample (seeds/sample), built with every test."""
    return build_once(tmp_path_factory, "sample", ["build"])


@pytest.fixture(scope="session")
def published_build(tmp_path_factory: pytest.TempPathFactory) -> DbtBuild:
    """The real published Family B data set, read unchanged through raw_dir."""
    raw_dir = require_published_data()
    return build_once(
        tmp_path_factory,
        "published",
        ["build", "--exclude", "tag:sample"],
        {"raw_dir": str(raw_dir)},
    )


# The sample's feeds of each portfolio, for builds where only one portfolio has data.
PORTFOLIO_FEEDS = {
    "family_a": ("orders", "plan", "payments"),
    "family_b": ("dim_branch", "dim_customer", "fact_loans"),
}


class SinglePortfolioBuilds:
    """dbt builds (data tests included) on a raw_dir holding only one portfolio's sample
    feeds, and their published snapshots: each built on first use, once per test run, for
    the chart and dashboard tests that read them (read only: copy before changing)."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.builds: dict[str, DbtBuild] = {}
        self.raw_dirs: dict[str, Path] = {}
        self.published: dict[str, Path] = {}

    def raw_dir(self, portfolio: str) -> Path:
        """The folder the portfolio's build reads: .../lender_a (family_a) or .../lender_b,
        holding the sample's feeds of that portfolio (its name is the snapshot's label)."""
        if portfolio not in self.raw_dirs:

            def copy_feeds(folder: Path) -> None:
                raw_dir = folder / f"lender_{portfolio[-1]}"
                raw_dir.mkdir()
                for feed in PORTFOLIO_FEEDS[portfolio]:
                    shutil.copy(SAMPLE_DIR / f"{feed}.csv", raw_dir / f"{feed}.csv")

            folder = made_once(self.factory, f"{portfolio}_feeds", copy_feeds)
            self.raw_dirs[portfolio] = folder / f"lender_{portfolio[-1]}"
        return self.raw_dirs[portfolio]

    def build(self, portfolio: str) -> DbtBuild:
        """The portfolio's build of raw_dir(portfolio)."""
        if portfolio not in self.builds:
            # no --exclude: with raw_dir set, the build loads no sample seed by itself
            self.builds[portfolio] = build_once(
                self.factory,
                f"{portfolio}_only",
                ["build"],
                {"raw_dir": str(self.raw_dir(portfolio))},
            )
        return self.builds[portfolio]

    def published_dir(self, portfolio: str) -> Path:
        """A published folder holding one snapshot of the portfolio's build."""
        if portfolio not in self.published:
            from scripts.publish import publish

            build = self.build(portfolio)
            folder = self.factory.mktemp(f"{portfolio}_only_published") / "published"
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
    out = made_once(
        tmp_path_factory,
        "dirty_feeds",
        lambda folder: generate(
            folder, "--seed", "7", "--loans", "1500", "--dirty", "--format", "parquet"
        ),
    )
    return out, json.loads((out / "_manifest.json").read_text())


@pytest.fixture(scope="session")
def dirty_build(
    tmp_path_factory: pytest.TempPathFactory, dirty_feeds: tuple[Path, dict[str, Any]]
) -> DbtBuild:
    raw_dir, _ = dirty_feeds
    return build_once(
        tmp_path_factory,
        "dirty",
        ["build", "--exclude", "tag:sample"],
        {"raw_dir": str(raw_dir)},
    )


@pytest.fixture()
def scratch_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    if xdist_worker() is not None:
        import_great_expectations_spark_probe()


def import_great_expectations_spark_probe() -> None:
    """Import Great Expectations' optional-pyspark probe with a __main__ that has a file.

    With pyspark 4 installed (requirements-spark.txt) but not Spark Connect's grpc, importing
    pyspark.sql.connect, which Great Expectations tries on import, calls sys.exit(0) when
    __main__ has neither __spec__ nor __file__ (pyspark takes that for its own doctests). A
    pytest-xdist worker's __main__ is execnet's `python -c`, so the worker died collecting
    test_validate.py. Imported once here, the probe's answer (no Spark Connect) is cached.
    """
    main = sys.modules["__main__"]
    if importlib.util.find_spec("pyspark") is None or hasattr(main, "__file__"):
        return
    main.__file__ = "<pytest-xdist worker>"
    try:
        import great_expectations.compatibility.pyspark  # noqa: F401
    finally:
        del main.__file__


# Under pytest-xdist (make pytest: --dist loadfile --no-loadscope-reorder) the workers take
# whole modules in collection order. These, slowest first (each ~1 to 2.5 min serially: they
# make their own dbt builds, or start the shared sample build), go first: one worker starts the
# sample build while the other runs the incremental builds, and no long module is left for the
# end when the other worker has nothing more to do. The order changes the wall time only.
RUN_FIRST_UNDER_XDIST = (
    "test_incremental_months.py",
    "test_charts.py",
    "test_publish.py",
    "test_portfolio_as_of.py",
    "test_vars.py",
    "test_staging.py",
    "test_credit_loss.py",
    "test_docs.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if xdist_worker() is None:
        return  # serially: file order, as collected
    rank = {name: position for position, name in enumerate(RUN_FIRST_UNDER_XDIST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest as is
