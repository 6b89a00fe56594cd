"""The dashboard in a real browser: `streamlit run` served to headless Chromium.

Starts the app on a free port against a snapshot published from the bundled-sample
build, opens every page in Debian's /usr/bin/chromium through Playwright, fails on a
Streamlit exception box, a "page not found" dialog, a browser-side error, a failed
request or an empty chart, checks a number known from the marts is on the page, and
saves one full-page screenshot per page in target/dashboard_screenshots/. Every page is
opened by its own URL (a deep link, /overview included). It also picks a region and
downloads the intervention CSV the way a person would.

Marked `browser`: `pytest -m browser` runs it alone. Without chromium it skips with
the reason (`make test-browser` installs chromium first); with LOANS_REQUIRE_BROWSER=1
(CI, which installs chromium in .ci/run) a missing chromium fails instead.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_DIR, DbtBuild
from test_publish import run_results

from scripts.publish import publish

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("LOANS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = PROJECT_DIR / "target" / "dashboard_screenshots"
WIDTH, HEIGHT = 1440, 900
# (url path, title): every page of dashboard/app.py, in the sidebar's order; the app's
# root shows the overview too (tested as well).
PAGES = [
    ("", "Portfolio overview"),
    ("overview", "Portfolio overview"),
    ("risk", "Repayment risk"),
    ("branches", "Branches & regions"),
    ("demographics", "Demographics vs default"),
    ("score", "Repayment score & segments"),
    ("credit-loss", "Credit loss"),
    ("interventions", "Intervention list"),
    ("quality", "Data quality"),
]
# Streamlit's frontend first probes <page>/_stcore/... before the app root: expected 404s.
PROBE = re.compile(r"/[^/]+/_stcore/(health|host-config)$")


if not CHROMIUM.exists() and os.environ.get("LOANS_REQUIRE_BROWSER") != "1":
    pytest.skip(
        f"chromium not found at {CHROMIUM}: the real-browser dashboard test is skipped "
        "(`make test-browser` installs it with apt-get; CI installs it in .ci/run)",
        allow_module_level=True,
    )


def require_chromium() -> None:
    """Where the test must run (LOANS_REQUIRE_BROWSER=1, as in CI), no chromium is a failure."""
    if not CHROMIUM.exists():
        pytest.fail(f"LOANS_REQUIRE_BROWSER=1 but chromium is not at {CHROMIUM}")


# --- the server ------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen[bytes]
    published: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"streamlit exited early:\n{server.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit not healthy after {timeout} s:\n{server.log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(sample_build: DbtBuild, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_chromium()
    folder = tmp_path_factory.mktemp("dashboard_browser")
    published = folder / "published"
    publish(sample_build.warehouse, published, run_results(sample_build), keep=3)
    port = free_port()
    log = folder / "streamlit.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard/app.py",  # from the repository root, as `make dashboard` runs it
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=PROJECT_DIR,
            env={**os.environ, "LOANS_PUBLISHED_DIR": str(published)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(f"http://127.0.0.1:{port}", log, process, published)
    try:
        wait_until_healthy(running)
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- the browser -----------------------------------------------------------------------


@dataclass
class Browser:
    """One headless Chromium tab, with what went wrong in it since the last check."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def check_no_errors(self) -> None:
        errors, self.errors[:] = list(self.errors), []
        assert not errors, errors


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Browser]:
    sync_api = pytest.importorskip("playwright.sync_api")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.set_default_timeout(30_000)
        tab = Browser(page)
        page.on("pageerror", lambda error: tab.errors.append(f"page error: {error}"))
        page.on(
            "response",
            lambda response: (
                tab.errors.append(f"HTTP {response.status} {response.url}")
                if response.status >= 400 and not PROBE.search(response.url)
                else None
            ),
        )
        page.on("requestfailed", lambda request: tab.errors.append(f"failed: {request.url}"))
        try:
            yield tab
        finally:
            chromium.close()


def wait_for_app(page: Any) -> None:
    """Until the script run is over and every element, chart included, has rendered."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')")
    page.wait_for_function(
        "[...document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]')]"
        ".every(chart => chart.querySelector('svg, canvas'))"
    )
    page.wait_for_timeout(500)  # let the last charts and grids paint


def open_page(tab: Browser, server: Server, path: str) -> Any:
    page = tab.page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)
    return page


def screenshot(page: Any, name: str) -> Path:
    """The whole page: the viewport grows to the app's scroll height first."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": max(HEIGHT, int(height))})
    page.wait_for_timeout(500)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def mart(build: DbtBuild, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(build.warehouse), read_only=True) as con:
        return con.execute(sql).df()


def known_numbers(build: DbtBuild) -> dict[str, str]:
    """Per page, one number from the marts, as the page prints it."""
    total = mart(build, "select * from marts.rpt_portfolio_overview where is_portfolio_total")
    trend = mart(
        build, "select * from marts.rpt_risk_trend_monthly order by reporting_month desc limit 1"
    )
    branches = mart(build, "select branch_name from marts.rpt_branch_kpis order by branch_id")
    baseline = mart(
        build,
        "select default_rate from marts.rpt_demographic_segments "
        "where segment_dimension = 'portfolio'",
    )
    segments = mart(build, "select sum(loans) as loans from marts.rpt_repayment_segments")
    listed = mart(build, "select count(*) as n from marts.rpt_intervention_list")
    allowance = mart(build, "select sum(allowance_amount) as amount from marts.rpt_ecl_by_stage")
    quarantined = mart(
        build,
        "select sum(rows_count) as n from marts.rpt_data_quality_summary "
        "where category = 'quarantined'",
    )
    return {
        "": f"{total['disbursed_amount'].iloc[0]:,.2f}",
        "overview": f"{total['disbursed_amount'].iloc[0]:,.2f}",
        "risk": f"{trend['par_30'].iloc[0] * 100:,.2f} %",
        "branches": str(branches["branch_name"].iloc[0]),
        "demographics": f"{baseline['default_rate'].iloc[0] * 100:,.2f} %",
        "score": f"{int(segments['loans'].iloc[0]):,}",
        "credit-loss": f"{allowance['amount'].iloc[0]:,.2f}",
        "interventions": f"{int(listed['n'].iloc[0]):,}",
        "quality": f"{int(quarantined['n'].iloc[0]):,}",
    }


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[title for _, title in PAGES])
def test_every_page_renders_in_chromium(
    browser: Browser, server: Server, sample_build: DbtBuild, path: str, title: str
) -> None:
    page = open_page(browser, server, path)
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.all_inner_texts()
    assert page.get_by_text("Page not found").count() == 0, f"/{path} is not a page"
    assert page.url.rstrip("/") == f"{server.url}/{path}".rstrip("/"), "redirected elsewhere"
    assert page.locator('[data-testid="stMainBlockContainer"] h1').inner_text() == title
    assert page.get_by_text(known_numbers(sample_build)[path], exact=False).count() > 0
    empty = page.evaluate(
        "[...document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]')]"
        ".filter(chart => !chart.querySelector('g.role-mark > path')).length"
    )
    assert empty == 0, f"{empty} chart(s) without a mark on {title}"
    number = [p for p, _ in PAGES].index(path)
    shot = screenshot(page, f"{number:02d}_{path or 'root'}")
    assert shot.stat().st_size > 20_000, "the screenshot is (nearly) blank"
    browser.check_no_errors()


def test_region_filter_in_the_browser(
    browser: Browser, server: Server, sample_build: DbtBuild
) -> None:
    regions = mart(sample_build, "select * from marts.rpt_region_kpis order by loans_count desc")
    region = regions.iloc[0]
    page = open_page(browser, server, "branches")
    page.get_by_role("combobox", name="Region").click()
    page.get_by_role("option", name=region["region"], exact=True).click()
    page.wait_for_timeout(300)
    wait_for_app(page)
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert values[0] == f"{int(region['loans_count']):,}"
    shown = page.locator(".st-key-table-branches td").all_inner_texts()
    assert region["region"] in shown
    assert not set(regions["region"].iloc[1:]) & set(shown), "other regions still listed"
    browser.check_no_errors()


def test_intervention_csv_downloads_in_the_browser(
    browser: Browser, server: Server, sample_build: DbtBuild
) -> None:
    listed = mart(sample_build, "select * from marts.rpt_intervention_list order by priority_rank")
    page = open_page(browser, server, "interventions")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Download these")).click()
    assert download.value.suggested_filename.endswith(".csv")
    csv = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()), dtype=str)
    assert list(csv["loan_id"]) == list(listed["loan_id"].astype(str))
    browser.check_no_errors()


def test_server_log_has_no_traceback(server: Server) -> None:
    log = server.log.read_text()
    assert "Traceback" not in log, log[-3000:]
