"""scripts/validate.py: the GX suites of the raw feeds, their severities and the offline Data Docs.

What a run should find comes from outside the validator: the generator's manifest (every quirk
it injected, with its row number), files edited here, and the published data set's shape.
Each run validates a small folder in-process (GX is imported once), so the module takes seconds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import great_expectations.expectations as gxe
import pytest
import validate
from conftest import PROJECT_DIR, generate, require_published_data
from contract import feeds
from feed_reader import unparseable_column
from gx_suites.checks import Facts, warning
from gx_suites.raw_feeds import DERIVED_COLUMNS, RAW_FEED_SUITES

SCRIPT = PROJECT_DIR / "scripts" / "validate.py"
END_DATE = "2025-06-30"  # the generator's default data cut
NULL = "expect_column_values_to_be_null"
BETWEEN = "expect_column_values_to_be_between"
UNIQUE = "expect_column_values_to_be_unique"
COMPOUND_UNIQUE = "expect_compound_columns_to_be_unique"


@dataclass
class Run:
    code: int
    report: dict[str, Any]
    docs: Path

    def target(self, name: str, layer: str = "raw") -> dict[str, Any]:
        (found,) = [t for t in self.report["targets"] if (t["layer"], t["name"]) == (layer, name)]
        return found

    def failures(self, severity: str) -> list[tuple[str, str | None, str, int | None]]:
        return [
            (t["name"], f["column"], f["expectation"], f["unexpected_count"])
            for t in self.report["targets"]
            for f in t["failures"]
            if f["severity"] == severity
        ]


def run_validate(workdir: Path, *args: str) -> Run:
    """validate.py in this process, its report read back from --json.

    Without --warehouse the marts are read from a file that does not exist (reported absent), so
    a run never depends on the warehouse a developer last built in the work tree."""
    docs, report = workdir / "docs", workdir / "report.json"
    if "--warehouse" not in args:
        args = ("--warehouse", str(workdir / "no_warehouse.duckdb"), *args)
    code = validate.main(["--quiet", "--docs-dir", str(docs), "--json", str(report), *args])
    return Run(code=code, report=json.loads(report.read_text()), docs=docs)


@pytest.fixture(scope="module")
def clean_feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean_feeds")
    generate(out, "--seed", "3", "--loans", "400")
    return out


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory, clean_feeds: Path) -> Run:
    return run_validate(tmp_path_factory.mktemp("clean_run"), "--raw-dir", str(clean_feeds))


@pytest.fixture()
def edited_feeds(tmp_path: Path, clean_feeds: Path) -> Path:
    """A copy of the clean folder to break in one test."""
    return Path(shutil.copytree(clean_feeds, tmp_path / "feeds"))


# --- the suites themselves -------------------------------------------------------------------


def test_every_feed_has_a_suite_naming_only_columns_it_can_have() -> None:
    assert list(RAW_FEED_SUITES) == list(feeds())
    facts = Facts(as_of={"family_a": None, "family_b": None}, disbursed_orders=100)
    for name, suite in RAW_FEED_SUITES.items():
        feed = feeds()[name]
        allowed = {
            *feed.columns,
            *map(unparseable_column, feed.columns),
            *DERIVED_COLUMNS.get(name, {}),
        }
        for expectation in suite(facts):
            assert set(validate.expectation_columns(expectation)) <= allowed, expectation
            assert expectation.severity.value in ("critical", "warning"), expectation
            assert expectation.description.startswith(expectation.severity.value.upper())


def test_help_describes_the_runner(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        validate.main(["--help"])
    assert exit_info.value.code == 0
    assert "--raw-dir" in capsys.readouterr().out


# --- clean, dirty and broken feeds -----------------------------------------------------------


def test_clean_feeds_pass_every_expectation(clean_run: Run) -> None:
    assert clean_run.code == 0
    raw = [t["status"] for t in clean_run.report["targets"] if t["layer"] == "raw"]
    assert raw == ["validated"] * 6
    assert clean_run.failures("critical") == []
    assert clean_run.failures("warning") == []
    assert clean_run.report["as_of_source"] == "latest event date"


# (feed, column, expectation) -> (the manifest reason it must count, failing rows per quirk:
# both copies of a duplicate fail a uniqueness check)
DIRTY_WARNINGS = {
    ("orders", "order_id", UNIQUE): ("duplicate_key", 2),
    ("orders", "issued_sum", BETWEEN): ("non_positive_amount", 1),
    ("orders", "created_at__unparseable", NULL): ("unparseable_date", 1),
    ("plan", None, COMPOUND_UNIQUE): ("duplicate_key", 2),
    ("plan", "plan_sum_total", BETWEEN): ("non_positive_amount", 1),
    ("plan", "plan_sum_total__step", BETWEEN): ("plan_step_down", 1),
    ("payments", None, COMPOUND_UNIQUE): ("exact_duplicate", 2),
    ("payments", "paid_sum", BETWEEN): ("non_positive_amount", 1),
    ("payments", "paid_at__unparseable", NULL): ("unparseable_date", 1),
    ("payments", "paid_sum__unparseable", NULL): ("unparseable_number", 1),
    ("dim_customer", "CustomerID", UNIQUE): ("duplicate_key", 2),
    ("dim_customer", "Age", BETWEEN): ("out_of_range_value", 1),
    ("fact_loans", "LoanAmount", BETWEEN): ("non_positive_amount", 1),
    ("fact_loans", "AmountPaid", BETWEEN): ("negative_amount", 1),
    ("fact_loans", "Status", "expect_column_values_to_be_in_set"): ("invalid_category", 1),
    ("fact_loans", "StartDate__unparseable", NULL): ("unparseable_date", 1),
}


def test_dirty_feeds_raise_the_injected_quirks_as_warnings(
    tmp_path: Path, dirty_feeds: tuple[Path, dict[str, Any]]
) -> None:
    folder, manifest = dirty_feeds
    run = run_validate(tmp_path, "--raw-dir", str(folder))
    assert run.code == 0, run.failures("critical")
    assert run.failures("critical") == []
    injected = Counter((e["feed"], e["reason"]) for e in manifest["injected"])
    found = {(feed, column, kind): count for feed, column, kind, count in run.failures("warning")}
    expected = {
        (feed, column, kind): per_quirk * injected[feed, reason]
        for (feed, column, kind), (reason, per_quirk) in DIRTY_WARNINGS.items()
    }
    assert found == expected
    # the sampled rows GX reports are the rows the generator says it broke
    step_rows = {e["row_number"] for e in manifest["injected"] if e["reason"] == "plan_step_down"}
    (step,) = [f for f in run.target("plan")["failures"] if f["column"] == "plan_sum_total__step"]
    assert step["sample_rows"] and set(step["sample_rows"]) <= step_rows


def test_a_renamed_column_fails_critically_and_sets_the_exit_status(
    tmp_path: Path, edited_feeds: Path
) -> None:
    orders = edited_feeds / "orders.csv"
    header, rest = orders.read_text().split("\n", 1)
    orders.write_text(header.replace("put_at", "disbursed_at") + "\n" + rest)
    report = tmp_path / "report.json"
    command = [sys.executable, str(SCRIPT), "--raw-dir", str(edited_feeds), "--quiet"]
    command += ["--warehouse", str(tmp_path / "no_warehouse.duckdb")]
    done = subprocess.run(
        [*command, "--docs-dir", str(tmp_path / "docs"), "--json", str(report)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "missing column(s): put_at" in done.stdout
    run = Run(done.returncode, json.loads(report.read_text()), tmp_path / "docs")
    assert run.failures("critical") == [("orders", None, "expect_table_columns_to_match_set", None)]
    assert any("put_at" in skipped for skipped in run.target("orders")["skipped"])


def test_a_cut_plan_fails_the_row_count_bound(tmp_path: Path, edited_feeds: Path) -> None:
    plan = edited_feeds / "plan.csv"
    plan.write_text("".join(plan.read_text().splitlines(keepends=True)[:11]))  # header + 10
    run = run_validate(tmp_path, "--raw-dir", str(edited_feeds))
    assert run.code == 1
    assert run.failures("critical") == [
        ("plan", None, "expect_table_row_count_to_be_between", None)
    ]


def test_an_unreadable_file_is_critical(tmp_path: Path, edited_feeds: Path) -> None:
    (edited_feeds / "fact_loans.csv").unlink()
    (edited_feeds / "fact_loans.parquet").write_bytes(b"not a parquet file")
    run = run_validate(tmp_path, "--raw-dir", str(edited_feeds))
    assert run.code == 1
    assert run.target("fact_loans")["status"] == "unreadable"
    assert "fact_loans.parquet" in run.target("fact_loans")["error"]


def test_usage_errors_exit_2_and_touch_nothing(tmp_path: Path, edited_feeds: Path) -> None:
    shutil.copy(edited_feeds / "plan.csv", edited_feeds / "plan.csv.gz")
    assert validate.main(["--quiet", "--raw-dir", str(edited_feeds)]) == 2  # two plan files
    precious = tmp_path / "not_docs" / "keep.txt"
    precious.parent.mkdir()
    precious.write_text("mine")
    docs = ["--docs-dir", str(precious.parent)]
    assert validate.main(["--quiet", "--raw-dir", str(edited_feeds / "nothing"), *docs]) == 2
    (edited_feeds / "plan.csv.gz").unlink()
    assert validate.main(["--quiet", "--raw-dir", str(edited_feeds), *docs]) == 2
    assert precious.read_text() == "mine"


def test_an_event_after_the_as_of_date_is_caught(tmp_path: Path, edited_feeds: Path) -> None:
    with (edited_feeds / "payments.csv").open("a") as payments:
        payments.write("100005,2025-07-02 10:00:00,50.00\n")
    run = run_validate(tmp_path / "as_of", "--raw-dir", str(edited_feeds), "--as-of-date", END_DATE)
    assert run.code == 0  # a warning: the warehouse computes as of the date and ignores later rows
    assert run.failures("warning") == [("payments", "paid_at", BETWEEN, 1)]
    assert run.report["as_of"] == {"family_a": END_DATE, "family_b": END_DATE}
    # without the option the as-of date is the latest event, that payment, and nothing is after it
    latest = run_validate(tmp_path / "latest", "--raw-dir", str(edited_feeds))
    assert latest.report["as_of"]["family_a"] == "2025-07-02"
    assert latest.failures("warning") == []


def test_the_published_family_b_data_validates_with_warnings_only(tmp_path: Path) -> None:
    run = run_validate(tmp_path, "--raw-dir", str(require_published_data()))
    assert run.code == 0
    assert run.failures("critical") == []
    status = {t["name"]: t["status"] for t in run.report["targets"] if t["layer"] == "raw"}
    assert status == {
        **dict.fromkeys(["orders", "plan", "payments"], "absent"),
        **dict.fromkeys(["dim_branch", "dim_customer", "fact_loans"], "validated"),
    }
    assert run.target("fact_loans")["rows"] == 1000
    assert run.report["as_of"]["family_a"] is None


# --- Data Docs -------------------------------------------------------------------------------


class AssetLinks(HTMLParser):
    """The href / src of every <link>, <script> and <img> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("link", "script", "img"):
            self.urls += [v for k, v in attrs if k in ("href", "src") and v]


def test_data_docs_have_a_page_per_feed_and_no_remote_assets(clean_run: Run) -> None:
    docs = clean_run.docs
    assert (docs / "index.html").exists()
    assert clean_run.report["docs_index"] == str(docs / "index.html")
    pages = sorted((docs / "validations").rglob("*.html"))
    assert len(pages) == 6
    for target in [t for t in clean_run.report["targets"] if t["layer"] == "raw"]:
        page = Path(target["page"])
        assert page.exists() and page.is_relative_to(docs / "validations" / "raw" / target["name"])
    html_files = sorted(docs.rglob("*.html"))
    assert len(html_files) == 1 + 6 + 6  # index, a validation page and a suite page per feed
    for html in html_files:
        parser = AssetLinks()
        parser.feed(html.read_text(encoding="utf-8"))
        assert parser.urls, html
        for url in parser.urls:
            assert not url.startswith(("http:", "https:", "//")), (html, url)
            assert (html.parent / url.split("?")[0]).exists(), (html, url)
    for sheet in (docs / "static").rglob("*.css"):
        assert "url('http" not in sheet.read_text(encoding="utf-8"), sheet
    assert clean_run.report["remote_assets_left"] == []


# --- the recipe for a mart suite -------------------------------------------------------------


def test_a_registered_mart_suite_validates_the_mart(
    tmp_path: Path, clean_feeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "loans.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_demo (id integer, score double)")
        con.execute("insert into marts.fct_demo values (1, 55.0), (2, 120.0)")

    def fct_demo(facts: Facts) -> list[Any]:
        score = gxe.ExpectColumnValuesToBeBetween(column="score", min_value=0, max_value=100)
        return [warning(score, "the score is 0-100")]

    monkeypatch.setattr(validate, "MART_SUITES", {"fct_demo": fct_demo, "fct_missing": fct_demo})
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(clean_feeds / "dim_branch.csv", raw)
    run = run_validate(tmp_path, "--raw-dir", str(raw), "--warehouse", str(warehouse))
    assert run.code == 0
    assert run.failures("warning") == [("fct_demo", "score", BETWEEN, 1)]
    assert run.target("fct_missing", layer="mart")["status"] == "absent"
    assert Path(run.target("fct_demo", layer="mart")["page"]).exists()
