"""The dashboard in Streamlit's AppTest (no browser): every page runs, the snapshot picker,
the overview. The risk page is in test_dashboard_risk.py, the loan-book and quality pages in
test_dashboard_pages.py; what they share in dashboard_helpers.py.

The app runs against a snapshot published (scripts/publish.py) from the bundled-sample
build; every number it shows is checked against the mart queried here with duckdb, on
the build's own warehouse. With nothing published the app says to run `make build`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import DbtBuild
from dashboard_helpers import (
    APP,
    PAGES,
    TIMEOUT,
    assert_same_rows,
    assert_shown,
    mart,
    metrics,
    open_page,
    table,
)
from dashboard_helpers import app as app  # noqa: F401  (a fixture)
from dashboard_helpers import repo_on_path as repo_on_path  # noqa: F401  (autouse)
from streamlit.testing.v1 import AppTest

# --- every page ------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_closes_the_snapshot(app: AppTest, published: Path, page: str) -> None:
    open_page(app, page)
    assert app.title and app.title[0].value, f"{page} has no title"
    assert not app.warning, [w.value for w in app.warning]
    # No connection left open: this process can open the file read-write again.
    with duckdb.connect(str(published / "loans.duckdb")) as con:
        con.execute("select 1").fetchall()


def test_no_snapshot_says_run_make_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOANS_PUBLISHED_DIR", str(tmp_path / "nothing_published"))
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for page in ("overview", "risk", "interventions"):
        open_page(app, page)
        assert len(app.warning) == 1
        assert "No published snapshot" in app.warning[0].value
        assert "make build" in app.warning[0].value
        assert not app.dataframe and not app.metric


# --- the snapshot picker -----------------------------------------------------------------


@pytest.fixture()
def two_snapshots(published: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the published folder with an older snapshot whose total disbursed is 1,234.50."""
    folder = tmp_path / "published"
    shutil.copytree(published, folder, symlinks=True)
    (current,) = [p for p in (folder / "snapshots").iterdir() if not p.name.startswith(".")]
    older = folder / "snapshots" / "20000101T000000000000Z"
    shutil.copytree(current, older)
    with duckdb.connect(str(older / "loans.duckdb")) as con:
        con.execute(
            "update marts.rpt_portfolio_overview set disbursed_amount = 1234.5 "
            "where is_portfolio_total"
        )
    manifest = json.loads((older / "manifest.json").read_text())
    manifest.update(built_at="2000-01-01T00:00:00+00:00", as_of_dates={"family_b": "1999-12-31"})
    (older / "manifest.json").write_text(json.dumps(manifest))
    yield folder


def test_snapshot_picker_switches_and_survives_pruning(
    two_snapshots: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOANS_PUBLISHED_DIR", str(two_snapshots))
    app = open_page(AppTest.from_file(str(APP), default_timeout=TIMEOUT), "overview")
    picker = app.radio(key="snapshot_choice")
    assert len(picker.options) == 2
    assert picker.options[0].startswith("**Latest**")
    assert "loan book 1999-12-31" in picker.options[1]
    assert "built 2000-01-01 00:00 UTC" in picker.options[1]
    total = mart(
        sample_build,
        "select disbursed_amount from marts.rpt_portfolio_overview where is_portfolio_total",
    ).iloc[0, 0]
    assert_shown(metrics(app)["Disbursed"], total, "amount")

    picker.set_value("20000101T000000000000Z").run()
    assert not app.exception
    assert metrics(app)["Disbursed"] == "1,234.50"
    assert "20000101T000000000000Z" in app.caption[0].value

    # the older snapshot is pruned by a later publish while it is selected
    shutil.rmtree(two_snapshots / "snapshots" / "20000101T000000000000Z")
    app.run()
    assert not app.exception
    assert len(app.radio(key="snapshot_choice").options) == 1
    assert_shown(metrics(app)["Disbursed"], total, "amount")


# --- page by page ------------------------------------------------------------------------


def test_overview_shows_the_portfolio_marts(app: AppTest, sample_build: DbtBuild) -> None:
    open_page(app, "overview")
    overview = mart(sample_build, "select * from marts.rpt_portfolio_overview")
    total = overview[overview["is_portfolio_total"]].iloc[0]
    shown = metrics(app)
    for label, column, kind in [
        ("Disbursed", "disbursed_amount", "amount"),
        ("Repaid", "repaid_amount", "amount"),
        ("Outstanding", "outstanding_amount", "amount"),
        ("Loans", "loans_count", "count"),
        ("Repaid ÷ disbursed", "repaid_share", "share"),
        ("Outstanding ÷ disbursed", "outstanding_share", "share"),
    ]:
        assert_shown(shown[label], total[column], kind)
    assert_same_rows(
        table(app, "status_shares"),
        overview[~overview["is_portfolio_total"]],
        key=["loan_status"],
        columns=[
            "is_active",
            "loans_count",
            "loans_count_share",
            "disbursed_amount",
            "disbursed_amount_share",
            "repaid_amount",
            "outstanding_amount",
        ],
    )
    latest = mart(
        sample_build,
        "select * from marts.rpt_risk_trend_monthly order by reporting_month desc limit 1",
    ).iloc[0]
    assert_shown(shown["Active loans"], latest["active_loans"], "count")
    assert_shown(shown["Outstanding (remaining scheduled)"], latest["outstanding_amount"], "amount")
    assert_shown(shown["PAR30"], latest["par_30"], "share")
    assert_shown(shown["PAR90"], latest["par_90"], "share")
