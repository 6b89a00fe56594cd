"""The learned default model and pricing sections of the score page (dashboard/views/score.py)
in Streamlit's AppTest: the numbers shown are the marts' (read here with duckdb on the build's
own warehouse), the verdict is the mart's, and a snapshot without those marts (older, or
built on another engine) says so in words instead of failing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import DbtBuild
from dashboard_helpers import app_on, mart, open_page, table
from dashboard_helpers import repo_on_path as repo_on_path  # noqa: F401  (autouse)
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

MODEL_MARTS = ["rpt_default_model_performance", "rpt_pricing_tiers"]


@pytest.fixture(scope="module")
def without_model(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the snapshot whose warehouse lacks the model and pricing marts."""
    folder = tmp_path_factory.mktemp("dashboard_no_model") / "published"
    shutil.copytree(published, folder, symlinks=True)
    current = (folder / "current").resolve()
    if not current.is_relative_to(folder.resolve()):  # an absolute link: follow it in the copy
        current = folder / "snapshots" / current.name
    with duckdb.connect(str(current / "loans.duckdb")) as con:
        for name in MODEL_MARTS:
            con.execute(f"drop table marts.{name}")
    return folder


def score_page(published: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return open_page(app_on(published, monkeypatch), "score")


def test_model_table_and_verdict_are_the_marts(
    published: Path, monkeypatch: pytest.MonkeyPatch, sample_build: DbtBuild
) -> None:
    app = score_page(published, monkeypatch)
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
    app = score_page(published, monkeypatch)
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
    app = score_page(without_model, monkeypatch)
    notices = " ".join(info.value for info in app.info)
    assert "no learned default model" in notices
    assert "no pricing tiers" in notices
    with pytest.raises(KeyError):
        app.get_by_key("table-default_model_performance")
    assert app.get_by_key("table-score_tiers")  # the rest of the page is still there
