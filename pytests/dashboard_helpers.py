"""What the dashboard tests share: the app in Streamlit's AppTest and reading what it shows.

The app runs against the session's published bundled-sample snapshot (fixture `published`
in conftest.py); every number it shows is checked against the mart queried with duckdb on
the build's own warehouse (`mart`), never against the dashboard's own code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_DIR, DbtBuild
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

APP = PROJECT_DIR / "dashboard" / "app.py"
PAGES = sorted(path.stem for path in (PROJECT_DIR / "dashboard" / "views").glob("*.py"))
TIMEOUT = 60  # seconds per script run; a run takes well under one here


@pytest.fixture(autouse=True)
def repo_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app imports `dashboard` and `scripts` as packages, as `python -m streamlit run
    dashboard/app.py` from the repository root does (make dashboard)."""
    monkeypatch.syspath_prepend(str(PROJECT_DIR))
    monkeypatch.chdir(PROJECT_DIR)


@pytest.fixture()
def app(published: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return app_on(published, monkeypatch)


def app_on(published: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app on a published folder (not yet run)."""
    monkeypatch.setenv("LOANS_PUBLISHED_DIR", str(published))
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def open_page(app: AppTest, page: str) -> AppTest:
    """Run the app, go to a page (views/<page>.py) and check that nothing raised."""
    app.run()
    if page != "overview":
        app.switch_page(f"views/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def mart(build: DbtBuild, sql: str, *params: Any) -> pd.DataFrame:
    """Rows of the build's marts, read here independently of the app."""
    with duckdb.connect(str(build.warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def table(app: AppTest, key: str) -> pd.DataFrame:
    """The data of the table the app shows in the container `table-<key>`."""
    return app.get_by_key(f"table-{key}").dataframe[0].value


def shown_number(text: str) -> float:
    """A number as a person reads it on the page: 1,234.56 or 50.42 % (-> 0.5042)."""
    number = float(text.replace(",", "").replace("%", "").strip())
    return number / 100 if text.strip().endswith("%") else number


def assert_shown(text: str, value: Any, kind: str) -> None:
    """The metric text shows the mart value to the precision it is displayed at."""
    if kind == "count":
        assert text == f"{int(value):,}", (text, value)
    elif kind == "amount":
        assert shown_number(text) == pytest.approx(float(value), abs=0.0051), (text, value)
    elif kind == "share":
        assert shown_number(text) == pytest.approx(float(value), abs=0.000051), (text, value)
    else:
        raise ValueError(kind)


def assert_same_rows(
    shown: pd.DataFrame, expected: pd.DataFrame, key: list[str], columns: list[str]
) -> None:
    """The table shows exactly the expected rows (matched on key), value for value."""
    assert len(shown) == len(expected), (len(shown), len(expected))
    left = shown.set_index(key)[columns].sort_index()
    right = expected.set_index(key)[columns].sort_index()
    assert list(left.index) == list(right.index)
    for column in columns:
        if pd.api.types.is_numeric_dtype(right[column]) and not pd.api.types.is_bool_dtype(
            right[column]
        ):
            assert left[column].astype(float).to_numpy() == pytest.approx(
                right[column].astype(float).to_numpy(), rel=1e-9, abs=1e-9, nan_ok=True
            ), column
        else:
            assert list(left[column].astype(object)) == list(right[column].astype(object)), column


def vega_charts(app: AppTest) -> list[dict[str, Any]]:
    """The Vega-Lite spec of every chart on the page, with its data rows (first dataset)."""
    found = []
    for chart in app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        spec["rows"] = convert_arrow_bytes_to_pandas_df(chart.proto.datasets[0].data.data)
        found.append(spec)
    return found
