"""scripts.validate: GX on what dbt built - the raw feeds as loaded (base models), severities apart
in the Data Docs, offline pages.

The runs read warehouses the session already built (the bundled sample, a generated dirty folder)
or a small copy of one with a table changed the way a broken feed would change it, so the module
builds nothing of its own.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import great_expectations.expectations as gxe
import pytest
from conftest import PROJECT_DIR, DbtBuild
from validate_helpers import Run, copy_tables, run_validate

import scripts.validate.__main__ as validate
from scripts.contract import feeds
from scripts.gx_suites.checks import Facts, warning
from scripts.gx_suites.raw_feeds import (
    KEY_REASONS,
    PARENT_REASONS,
    PARSE_REASONS,
    RAW_FEED_SUITES,
    ROW_OUTCOME,
    base_model,
)
from scripts.validate.gx_run import mark_warning_suites
from scripts.validate.warehouse import expectation_columns, needed_columns

END_DATE = "2025-06-30"  # the generator's default data cut
BETWEEN = "expect_column_values_to_be_between"
NOT_IN_SET = "expect_column_values_to_not_be_in_set"
IN_SET = "expect_column_values_to_be_in_set"
ROW_COUNT = "expect_table_row_count_to_be_between"
FACT_MARTS = ("rpt_reporting_dates", "rpt_reference_categories")  # what every run reads


def raw_copy(build: DbtBuild, workdir: Path, *updates: str) -> Path:
    """The base models of every feed and the marts the facts come from."""
    relations = [f"staging.{base_model(feed)}" for feed in feeds()]
    return copy_tables(
        build.warehouse, workdir, relations + [f"marts.{m}" for m in FACT_MARTS], *updates
    )


@pytest.fixture(scope="module")
def sample_run(sample_validation: Run) -> Run:
    """The sample build validated once per session (conftest.py; test_validate_marts reads
    the same run)."""
    return sample_validation


# --- the suites themselves -------------------------------------------------------------------


def test_every_feed_has_a_suite_naming_only_columns_its_base_model_has(
    sample_build: DbtBuild,
) -> None:
    assert list(RAW_FEED_SUITES) == list(feeds())
    facts = Facts(as_of={"family_a": None, "family_b": None}, disbursed_orders=100)
    for name, suite in RAW_FEED_SUITES.items():
        columns = {
            column
            for (column,) in sample_build.query(
                "select column_name from information_schema.columns "
                "where table_schema = 'staging' and table_name = ?",
                [base_model(name)],
            )
        }
        assert {"quarantine_reason", "source_row_number"} <= columns, name
        for expectation in suite(facts):
            assert needed_columns([expectation]) <= columns | {ROW_OUTCOME}, expectation
            assert expectation.severity.value in ("critical", "warning"), expectation
            assert expectation.description.startswith(expectation.severity.value.upper())


def test_no_python_twin_of_the_dbt_feed_reader_is_left() -> None:
    assert not (PROJECT_DIR / "scripts" / "feed_reader.py").exists()
    # Three tools read feed files on purpose, none a validator: the benchmark's hand-written
    # lower bound (the independent second computation the warehouse is timed and checked
    # against), the Spark leg, which copies generated CSV feeds to all-text Parquet, and
    # feeds_cut, which derives last month's delivery from this month's, every value as text.
    readers = {
        PROJECT_DIR / "scripts" / name
        for name in ("benchmark_lower_bound.py", "spark_leg.py", "feeds_cut.py")
    }
    for source in (PROJECT_DIR / "scripts").rglob("*.py"):
        if source in readers:
            continue
        text = source.read_text()
        assert "try_cast" not in text and "read_csv" not in text, source  # no parsing of feeds


def test_help_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scripts.validate", "--help"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "--warehouse" in done.stdout


# --- what dbt built --------------------------------------------------------------------------


def test_the_sample_validates_with_warnings_only(sample_run: Run) -> None:
    assert sample_run.code == 0
    raw = [t["status"] for t in sample_run.report["targets"] if t["layer"] == "raw"]
    assert raw == ["validated"] * 6
    assert sample_run.failures("critical") == []
    assert sample_run.failures("warning")  # the sample is generated --dirty
    assert sample_run.report["as_of"]["family_a"] == END_DATE


GROUPS = {"parse": PARSE_REASONS, "keys": KEY_REASONS, "parents": PARENT_REASONS}


def group_of(reason: str) -> str:
    return next((group for group, reasons in GROUPS.items() if reason in reasons), "values")


def test_the_injected_quirks_are_the_warnings(
    tmp_path: Path, dirty_build: DbtBuild, dirty_feeds: tuple[Path, dict[str, Any]]
) -> None:
    _, manifest = dirty_feeds
    run = run_validate(tmp_path, dirty_build.warehouse)
    assert run.code == 0 and run.failures("critical") == []
    injected = Counter(
        (e["feed"], group_of(e["reason"]))
        for e in manifest["injected"]
        if e["kind"] == "quarantine"
    )
    found: Counter[tuple[str, str]] = Counter()
    for target in run.report["targets"]:
        for failure in target["failures"]:
            assert failure["column"] == ROW_OUTCOME, failure  # clean data: no other warning
            reasons = re.findall(r"'(\w+)'", failure["expected"])
            group = "values" if failure["expectation"] == IN_SET else group_of(reasons[0])
            found[target["name"], group] += failure["unexpected_count"]
    for key, count in injected.items():
        if key[1] == "parents":  # plus the children of quarantined parents
            assert found[key] >= count, key
        else:
            assert found[key] == count, key
    assert set(found) == set(injected)
    # the rows GX samples are the rows the generator broke
    (parse,) = [
        f
        for f in run.target("payments")["failures"]
        if f["expectation"] == NOT_IN_SET and "unparseable_date" in f["expected"]
    ]
    broken = {e["row_number"] for e in manifest["injected"] if e["feed"] == "payments"}
    assert parse["sample_rows"] and set(parse["sample_rows"]) <= broken


def test_a_mostly_unreadable_feed_fails_critically(tmp_path: Path, sample_build: DbtBuild) -> None:
    payments = f"staging.{base_model('payments')}"
    warehouse = raw_copy(
        sample_build,
        tmp_path,
        f"update {payments} set quarantine_reason = 'unparseable_number' "
        "where source_row_number % 3 <> 0 returning 1",
    )
    run = run_validate(tmp_path, warehouse)
    assert run.code == 1
    assert run.failures("critical") == [
        (
            "payments",
            ROW_OUTCOME,
            NOT_IN_SET,
            sample_build.scalar(
                f"select count(*) from {payments} where source_row_number % 3 <> 0 "
                "or quarantine_reason like 'unparseable%'"
            ),
        )
    ]
    statuses = index_statuses(run.docs)
    assert statuses["raw.payments.critical"] == "Failed"
    assert [suite for suite, status in statuses.items() if status == "Failed"] == [
        "raw.payments.critical"
    ]


def test_a_feed_of_which_no_row_stages_fails_critically(
    tmp_path: Path, sample_build: DbtBuild
) -> None:
    """Every row parses but none stages (keys that match no order): below the half-parse rule,
    so only the at-least-one-staged check catches it, with every row unexpected."""
    payments = f"staging.{base_model('payments')}"
    warehouse = raw_copy(
        sample_build,
        tmp_path,
        f"update {payments} set quarantine_reason = 'orphan_foreign_key' returning 1",
    )
    run = run_validate(tmp_path, warehouse)
    assert run.code == 1
    assert run.failures("critical") == [
        ("payments", ROW_OUTCOME, IN_SET, sample_build.scalar(f"select count(*) from {payments}"))
    ]


def test_a_cut_plan_fails_the_row_count_bound(tmp_path: Path, sample_build: DbtBuild) -> None:
    plan = f"staging.{base_model('plan')}"
    warehouse = raw_copy(
        sample_build, tmp_path, f"delete from {plan} where source_row_number > 10 returning 1"
    )
    run = run_validate(tmp_path, warehouse)
    assert run.code == 1
    assert run.failures("critical") == [("plan", None, ROW_COUNT, None)]


def test_a_staged_event_after_the_as_of_date_is_a_warning(
    tmp_path: Path, sample_build: DbtBuild
) -> None:
    payments = f"staging.{base_model('payments')}"
    warehouse = raw_copy(
        sample_build,
        tmp_path,
        "update marts.rpt_reporting_dates set as_of_date = date '2025-06-01' "
        "where portfolio = 'family_a' returning 1",
    )
    later = sample_build.scalar(
        f"select count(*) from {payments} "
        "where quarantine_reason is null and paid_at >= timestamp '2025-06-02'"
    )
    assert later > 0
    run = run_validate(tmp_path, warehouse)
    assert run.code == 0  # the warehouse computes as of the date and ignores later rows
    assert ("payments", "paid_at", BETWEEN, later) in run.failures("warning")
    assert run.report["as_of"]["family_a"] == "2025-06-01"


def test_a_feed_without_rows_is_absent_not_failed(tmp_path: Path, sample_build: DbtBuild) -> None:
    branch = f"staging.{base_model('dim_branch')}"
    warehouse = raw_copy(sample_build, tmp_path, f"delete from {branch} returning 1")
    run = run_validate(tmp_path, warehouse)
    assert run.target("dim_branch")["status"] == "absent"
    assert run.code == 0


def test_usage_errors_exit_2_and_touch_nothing(tmp_path: Path, sample_build: DbtBuild) -> None:
    docs = tmp_path / "docs"
    assert validate.main(["--quiet", "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    precious = tmp_path / "not_docs" / "keep.txt"
    precious.parent.mkdir()
    precious.write_text("mine")
    argv = ["--quiet", "--warehouse", str(sample_build.warehouse), "--docs-dir"]
    assert validate.main([*argv, str(precious.parent)]) == 2
    assert precious.read_text() == "mine" and not docs.exists()


# --- Data Docs -------------------------------------------------------------------------------


def index_statuses(docs: Path) -> dict[str, str]:
    """Suite name -> the status text of its row in the Data Docs index."""
    html = (docs / "index.html").read_text(encoding="utf-8")
    rows = html.split("{'validation_success':")[1:]
    statuses = {}
    for row in rows:
        suite = re.search(r"'_expectation_suite_name_sort': '([^']*)'", row)[1]
        statuses[suite] = re.search(r"'_validation_success_text': '([^']*)'", row)[1]
        icon = re.search(r"ge-(success|failed|warning)-icon", row)[1]
        assert icon == {"Success": "success", "Failed": "failed"}.get(statuses[suite], "warning")
    return statuses


def test_the_index_tells_critical_failures_from_warnings(sample_run: Run) -> None:
    statuses = index_statuses(sample_run.docs)
    assert "Failed" not in statuses.values()  # 0 critical: no red cross anywhere
    with_warnings = {
        f"{t['layer']}.{t['name']}.warnings" for t in sample_run.report["targets"] if t["failures"]
    }
    assert with_warnings and {s for s, v in statuses.items() if v == "Passed with warnings"} == (
        with_warnings
    )
    for feed in feeds():
        assert statuses[f"raw.{feed}.critical"] == "Success"


def test_only_a_failed_warnings_suite_is_relabelled() -> None:
    def row(suite: str, icon: str, text: str) -> str:
        return (
            f"{{'validation_success': '<i class=\"fas {icon}\" ></i>', "
            f"'_expectation_suite_name_sort': '{suite}', '_validation_success_text': '{text}'}}"
        )

    failed, success = "fa-times text-danger ge-failed-icon", "fa-check-circle text-success"
    html = "<html>" + ", ".join(
        [
            row("raw.orders.critical", failed, "Failed"),
            row("raw.orders.warnings", failed, "Failed"),
            row("raw.plan.warnings", success, "Success"),
        ]
    )
    marked = mark_warning_suites(html)
    assert marked.count("ge-failed-icon") == 1 and marked.count("ge-warning-icon") == 1
    assert marked.count("'Passed with warnings'") == 1 and marked.count("'Success'") == 1


class AssetLinks(HTMLParser):
    """The href / src of every <link>, <script> and <img> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("link", "script", "img"):
            self.urls += [v for k, v in attrs if k in ("href", "src") and v]


def test_data_docs_have_a_page_per_suite_and_no_remote_assets(sample_run: Run) -> None:
    docs = sample_run.docs
    assert sample_run.report["docs_index"] == str(docs / "index.html")
    for feed in feeds():
        pages = sample_run.target(feed)["pages"]
        assert set(pages) == {"critical", "warning"}
        for severity, folder in (("critical", "critical"), ("warning", "warnings")):
            assert Path(pages[severity]).is_relative_to(
                docs / "validations" / "raw" / feed / folder
            )
    for html in sorted(docs.rglob("*.html")):
        parser = AssetLinks()
        parser.feed(html.read_text(encoding="utf-8"))
        assert parser.urls, html
        for url in parser.urls:
            assert not url.startswith(("http:", "https:", "//")), (html, url)
            assert (html.parent / url.split("?")[0]).exists(), (html, url)
    for sheet in (docs / "static").rglob("*.css"):
        assert "url('http" not in sheet.read_text(encoding="utf-8"), sheet
    assert sample_run.report["remote_assets_left"] == []


# --- the recipe for a mart suite -------------------------------------------------------------


def test_a_registered_mart_suite_validates_the_mart(
    tmp_path: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = copy_tables(sample_build.warehouse, tmp_path, [f"marts.{m}" for m in FACT_MARTS])
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table marts.fct_demo (id integer, score double)")
        con.execute("insert into marts.fct_demo values (1, 55.0), (2, 120.0)")

    def fct_demo(facts: Facts) -> list[Any]:
        score = gxe.ExpectColumnValuesToBeBetween(column="score", min_value=0, max_value=100)
        return [warning(score, "the score is 0-100")]

    monkeypatch.setattr(validate, "MART_SUITES", {"fct_demo": fct_demo, "fct_missing": fct_demo})
    run = run_validate(tmp_path, warehouse)
    assert run.code == 0
    assert run.failures("warning") == [("fct_demo", "score", BETWEEN, 1)]
    assert run.target("fct_missing", layer="mart")["status"] == "absent"
    assert Path(run.target("fct_demo", layer="mart")["pages"]["warning"]).exists()
    assert expectation_columns(fct_demo(Facts())[0]) == ["score"]


def test_the_published_family_b_data_validates_with_warnings_only(
    tmp_path: Path, published_build: DbtBuild
) -> None:
    run = run_validate(tmp_path, published_build.warehouse)
    assert run.code == 0 and run.failures("critical") == []
    status = {t["name"]: t["status"] for t in run.report["targets"] if t["layer"] == "raw"}
    assert status == {
        **dict.fromkeys(["orders", "plan", "payments"], "absent"),
        **dict.fromkeys(["dim_branch", "dim_customer", "fact_loans"], "validated"),
    }
    assert run.target("fact_loans")["rows"] == 1000
    assert run.report["as_of"]["family_a"] is None
