"""The learned default model and pricing sections of the score page (dashboard/views/score.py)
in Streamlit's AppTest: the numbers shown are the marts' (read here with duckdb on the build's
own warehouse), the verdict is the mart's, and a snapshot without those marts (older, or
built on another engine) says so in words instead of failing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_DIR, DbtBuild
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest
from test_publish import run_results

from scripts.publish import publish

APP = PROJECT_DIR / "dashboard" / "app.py"
PAGE = "views/score.py"
TIMEOUT = 60
MODEL_MARTS = ["rpt_default_model_performance", "rpt_pricing_tiers"]


@pytest.fixture(autouse=True)
def repo_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(PROJECT_DIR))
    monkeypatch.chdir(PROJECT_DIR)


@pytest.fixture(scope="module")
def published(sample_build: DbtBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard_pricing") / "published"
    publish(sample_build.warehouse, folder, run_results(sample_build), keep=3)
    return folder


@pytest.fixture(scope="module")
def without_model(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the snapshot whose warehouse lacks the model and pricing marts."""
    folder = tmp_path_factory.mktemp("dashboard_no_model") / "published"
    shutil.copytree(published, folder, symlinks=True)
    current = (folder / "current").resolve()
    if not current.is_relative_to(folder.resolve()):  # an absolute link: follow it in the copy
        current = folder / "snapshots" / current.name
    with duckdb.connect(str(current / "loans.duckdb")) as con:
        for mart in MODEL_MARTS:
            con.execute(f"drop table marts.{mart}")
    return folder


def open_page(published: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("LOANS_PUBLISHED_DIR", str(published))
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def mart(build: DbtBuild, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(build.warehouse), read_only=True) as con:
        return con.execute(sql).df()


def table(app: AppTest, key: str) -> pd.DataFrame:
    return app.get_by_key(f"table-{key}").dataframe[0].value


def test_model_table_and_verdict_are_the_marts(
    published: Path, monkeypatch: pytest.MonkeyPatch, sample_build: DbtBuild
) -> None:
    app = open_page(published, monkeypatch)
    performance = mart(
        sample_build,
        "select model_label, auc, brier_score, evaluation_rows_count, verdict, beats_rule_score "
        "from marts.rpt_default_model_performance order by model_name",
    )
    shown = table(app, "default_model_performance")
    assert list(shown["model_label"]) == list(performance["model_label"])
    assert list(shown["auc"]) == pytest.approx(list(performance["auc"]))
    assert list(shown["brier_score"]) == pytest.approx(list(performance["brier_score"]))
    assert list(shown["evaluation_rows_count"]) == list(performance["evaluation_rows_count"])
    learned = performance[performance["model_label"].str.startswith("Learned")].iloc[0]
    boxes = app.success if learned["beats_rule_score"] else app.warning
    assert any(learned["verdict"][1:] in box.value for box in boxes)


def test_pricing_tables_and_chart_are_the_mart(
    published: Path, monkeypatch: pytest.MonkeyPatch, sample_build: DbtBuild
) -> None:
    app = open_page(published, monkeypatch)
    pricing = mart(
        sample_build,
        "select pricing_basis, tier_code, observed_30_plus_rate, break_even_annual_rate "
        "from marts.rpt_pricing_tiers order by pricing_basis desc, tier_sort_order",
    )
    tiers = pricing[pricing["pricing_basis"] == "score_tier"]
    deciles = pricing[pricing["pricing_basis"] == "probability_decile"]
    shown_tiers = table(app, "pricing_by_tier")
    assert [code.split()[0] for code in shown_tiers["tier_code"]] == list(tiers["tier_code"])
    assert "A [80, 100]" in list(shown_tiers["tier_code"])  # bounds from the vocabulary
    assert list(shown_tiers["break_even_annual_rate"]) == pytest.approx(
        list(tiers["break_even_annual_rate"])
    )
    shown_deciles = table(app, "pricing_by_decile")
    assert list(shown_deciles["tier_code"]) == [str(d) for d in range(1, 11)]
    assert list(shown_deciles["observed_30_plus_rate"]) == pytest.approx(
        list(deciles["observed_30_plus_rate"])
    )
    charts = [
        convert_arrow_bytes_to_pandas_df(chart.proto.datasets[0].data.data)
        for chart in app.get("vega_lite_chart")
        if json.loads(chart.proto.spec).get("encoding", {}).get("x", {}).get("field")
        == "break_even_annual_rate"
    ]
    assert len(charts) == 1
    assert list(charts[0]["break_even_annual_rate"]) == pytest.approx(
        list(tiers["break_even_annual_rate"])
    )


def test_a_snapshot_without_the_model_says_so(
    without_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(without_model, monkeypatch)
    notices = " ".join(info.value for info in app.info)
    assert "no learned default model" in notices
    assert "no pricing tiers" in notices
    with pytest.raises(KeyError):
        app.get_by_key("table-default_model_performance")
    assert app.get_by_key("table-score_tiers")  # the rest of the page is still there
