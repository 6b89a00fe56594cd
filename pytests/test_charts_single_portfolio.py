"""Charts of a warehouse holding one portfolio only, built with dbt from a raw_dir with only the
loan-book feeds (dim_branch, dim_customer, fact_loans) or only the instalment-loan feeds
(orders, plan, payments) of the bundled sample.

The absent portfolio's charts say so in words and are reported "empty (why)"; the present one's
are drawn; nothing misleading is drawn anywhere (no "nan" label, no count axis below zero, no
blank heatmap, no text off the figure).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_helpers import draw, every_text, figures, sidecar, texts_outside
from conftest import PORTFOLIO_FEEDS as FEEDS
from conftest import DbtBuild, SinglePortfolioBuilds

from scripts.charts import run as runner
from scripts.charts.catalogue import CHARTS, README_CHARTS

NAMES = {
    "family_a": "instalment loans (schedule and payments)",
    "family_b": "loan book (branches, customers, loans)",
}


@pytest.fixture(
    scope="module", params=["family_a", "family_b"], ids=["instalment_only", "book_only"]
)
def single(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    single_portfolio: SinglePortfolioBuilds,
) -> tuple[str, DbtBuild, Path]:
    """(the portfolio present, its build, the folder of its charts drawn once)."""
    present = request.param
    build = single_portfolio.build(present)
    code, out = draw(tmp_path_factory.mktemp(f"{present}_only_charts"), build.warehouse)
    assert code == 0
    return present, build, out


def test_the_absent_portfolio_is_said_in_words_and_reported_empty(
    single: tuple[str, DbtBuild, Path],
) -> None:
    present, _, out = single
    absent = "family_b" if present == "family_a" else "family_a"
    assert NAMES[absent] not in NAMES[present]
    for name, chart in CHARTS.items():
        drawn = sidecar(out, name)
        if chart.portfolio == absent:
            assert drawn["status"] == "empty", name
            assert drawn["reason"] == f"no {NAMES[absent]} in this warehouse", name
            (axes,) = drawn["axes"]
            assert not (axes["bars"] or axes["lines"] or axes["heatmaps"]), name
            assert axes["texts"][0].lower() == f"no {NAMES[absent]} in this warehouse"
        else:
            assert drawn["status"] == "drawn", (name, drawn["reason"])


def test_nothing_misleading_is_drawn(single: tuple[str, DbtBuild, Path]) -> None:
    _, _, out = single
    for name in CHARTS:
        drawn = sidecar(out, name)
        assert not any("nan" in text.lower() for text in every_text(drawn)), name
        for axes in drawn["axes"]:
            for label, limits in ((axes["xlabel"], axes["xlim"]), (axes["ylabel"], axes["ylim"])):
                if "count" in label:  # a count axis never goes below zero
                    assert min(limits) >= 0, (name, label, limits)
            for cells in axes["heatmaps"]:
                assert any(v is not None for row in cells["cells"] for v in row), name


def test_the_data_quality_chart_names_the_feeds_that_were_not_loaded(
    single: tuple[str, DbtBuild, Path],
) -> None:
    present, _, out = single
    absent = "family_b" if present == "family_a" else "family_a"
    split = sidecar(out, "data_quality_summary")["axes"][0]
    for feed in FEEDS[absent]:
        assert f"{feed}\nno rows (feed absent or empty)" in split["yticks"], feed
    drawn_feeds = {s["series"].split(": ")[1] for s in split["bars"]}
    assert drawn_feeds == set(FEEDS[present])


def test_no_text_lies_outside_a_figure(single: tuple[str, DbtBuild, Path]) -> None:
    _, build, _ = single
    for name, fig, _ in figures(build.warehouse):
        assert texts_outside(fig) == [], name


def test_readme_images_are_not_replaced_by_an_empty_chart(
    single: tuple[str, DbtBuild, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    present, build, _ = single
    monkeypatch.setattr(runner, "README_IMAGES", tmp_path / "images")
    code, _ = draw(tmp_path, build.warehouse, "--only", *README_CHARTS, "--readme-images")
    if present == "family_a":  # the README's charts are of instalment loans and feeds
        assert code == 0
        assert sorted(p.stem for p in (tmp_path / "images").iterdir()) == sorted(README_CHARTS)
    else:
        assert code == 1
        assert not (tmp_path / "images").exists()
