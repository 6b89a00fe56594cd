"""The charts package (python -m scripts.charts): what is drawn is what the marts hold.

The main tests build a tiny warehouse by hand (the real mart and column names, a few rows each,
values chosen so that a wrong column, order, filter or orientation shows) and compare the values
read back from the drawn matplotlib artists (the JSON sidecar) with those rows. Its vocabulary
(rpt_reference_categories) differs from the project's defaults (tier floors 75 / 55 / 35, a
segment tolerance of 0.1), so a label typed in Python instead of read from the mart shows. One
smoke test draws every chart from the bundled sample's real marts; the single-portfolio builds
are in test_charts_single_portfolio.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import matplotlib
import matplotlib.pyplot as plt
import pytest
import yaml
from chart_helpers import bars, draw, every_text, figures, png_size, sidecar, texts_outside
from chart_tiny_marts import TINY_MARTS, make_warehouse
from conftest import PROJECT_DIR, DbtBuild

from scripts.charts import run as runner
from scripts.charts.catalogue import CHARTS, README_CHARTS
from scripts.charts.marts import Marts, currency_label, snapshot_manifest
from scripts.charts.repayment import segment_barplot
from scripts.charts.sidecar import plotted

EXPOSURES = PROJECT_DIR / "models" / "marts" / "_charts__exposures.yml"


def tiny_warehouse(path: Path, **changes: tuple[str, list[tuple[Any, ...]]] | None) -> Path:
    """The tiny warehouse with some marts replaced (a tuple) or left out (None)."""
    marts = {**TINY_MARTS, **changes}
    return make_warehouse(path, {name: mart for name, mart in marts.items() if mart is not None})


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The charts of the tiny warehouse, drawn once; returns their folder."""
    workdir = tmp_path_factory.mktemp("tiny_charts")
    code, out = draw(workdir, tiny_warehouse(workdir / "tiny.duckdb"))
    assert code == 0
    return out


# --- the tiny warehouse: each chart draws exactly its mart's values -------------------------


def test_tiny_marts_use_the_real_mart_and_column_names(sample_build: DbtBuild) -> None:
    for mart, (columns, _) in TINY_MARTS.items():
        real = {
            name
            for (name,) in sample_build.query(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ?",
                [mart],
            )
        }
        names = {definition.split()[0] for definition in columns.split(", ")}
        names = {name for name in names if not name[0].isdigit()}  # decimal(38, 2) splits
        assert names <= real, (mart, names - real)


def test_every_chart_is_written_with_its_sidecar_at_1200_px(tiny: Path) -> None:
    for name, chart in CHARTS.items():
        drawn = sidecar(tiny, name)
        assert drawn["marts"] == list(chart.marts)
        assert drawn["status"] == "drawn", (name, drawn["reason"])
        assert png_size(tiny / f"{name}.png") == (1200, 675)
        assert drawn["title"] and drawn["axes"][0]["title"], name
        for axes in drawn["axes"]:  # every panel that draws says what its axes measure
            if axes["bars"] or axes["lines"] or axes["heatmaps"]:
                assert axes["xlabel"] or axes["ylabel"], (name, axes["title"])


def test_charts_name_the_portfolio_for_people_and_its_as_of_date(tiny: Path) -> None:
    for name, chart in CHARTS.items():
        title = " ".join(sidecar(tiny, name)["title"].split()).lower()
        assert "family" not in title, name
        if chart.portfolio == "family_a":
            assert "instalment loans (schedule and payments)" in title, name
        if chart.portfolio == "family_b":
            assert "loan book (branches, customers, loans)" in title, name
    assert "as of 2024-02-29" in sidecar(tiny, "status_shares")["title"]
    assert "2024-03-15" in sidecar(tiny, "score_distribution")["title"]


def test_score_distribution_shows_tier_bounds_from_the_vocabulary(tiny: Path) -> None:
    band, tier = sidecar(tiny, "score_distribution")["axes"]
    assert bars(band) == [("0-50", 2), ("50-100", 6)]
    assert band["texts"] == ["20.0%", "60.0%"]
    assert bars(tier) == [
        ("Tier A\n[75, 100]", 5),
        ("Tier B\n[55, 75)", 1),
        ("Tier C\n[35, 55)", 0),
        ("Tier D\n[0, 35)", 2),
        ("nothing\ndue yet", 2),
    ]
    assert band["ylabel"] == "loans (count)"


def test_segment_barplot(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "segment_barplot")["axes"]
    assert bars(axes) == [
        ("Underpaid\npaid ratio < 0.9", 3),
        ("On Track\npaid ratio in [0.9, 1.1]", 5),
        ("Overpaid\npaid ratio > 1.1", 1),
        ("Not Yet Due\nnothing planned", 1),
    ]
    assert axes["texts"] == ["30.0%", "50.0%", "10.0%", "10.0%"]


def test_risk_amount_trend(tiny: Path) -> None:
    amounts, loans = sidecar(tiny, "risk_amount_trend")["axes"]
    months = ["2024-01-01", "2024-02-01", "2024-03-01"]
    expected = {  # the past-due buckets in the vocabulary's order, named by their bounds
        "1–30 days past due": [100, 200, 0],
        "31–60 days past due": [0, 50, 60],
        "61–90 days past due": [0, 0, 70],
        "91+ days past due": [0, 0, 80],
    }
    assert [s["series"] for s in amounts["bars"]] == list(expected)
    for series, values in expected.items():
        assert bars(amounts, series) == list(zip(months, values, strict=True)), series
    line, at_zero = loans["lines"]
    assert line["series"] == "loans in arrears"
    assert line["points"] == [[m, n] for m, n in zip(months, [1, 3, 4], strict=True)]
    assert at_zero["series"] == "of which at 0 days past due (due that day)"
    assert at_zero["points"] == [[m, n] for m, n in zip(months, [1, 2, 0], strict=True)]
    assert amounts["ylabel"] == "outstanding (currency units)"  # no manifest: no currency


def test_planned_vs_actual_histogram(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "planned_vs_actual_histogram")["axes"]
    assert bars(axes) == [("< -100", 4), ("-100 to 100", 5), (">= 100", 1)]
    assert axes["xlabel"] == "delta = paid - planned to date (currency units)"


def test_correlation_heatmap_one_diverging_scale_and_no_negative_zero(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "correlation_heatmap")["axes"]
    (cells,) = axes["heatmaps"]
    # in the vocabulary's order (category set repayment_feature of the tiny marts)
    assert cells["rows"] == cells["columns"] == ["term_days", "issued_sum", "score"]
    assert cells["cells"] == [
        [1.0, -0.004, 0.3],
        [-0.004, 1.0, -0.5],
        [0.3, -0.5, None],  # undefined r stays blank
    ]
    assert axes["texts"] == ["1.00", "0.00", "0.30", "0.00", "1.00", "-0.50", "0.30", "-0.50"]
    assert cells["colormap"] == "RdBu" and cells["range"] == [-1.0, 1.0]
    colours = matplotlib.colormaps[cells["colormap"]]
    red, _, blue, _ = colours(1.0)  # r = +1 (top of the range) is blue, as on the dashboard
    assert blue > 0.3 > red
    red, _, blue, _ = colours(0.0)  # r = -1 is red
    assert red > 0.3 > blue


def test_par_trend(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "par_trend")["axes"]
    months = ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert [(line["series"], line["points"]) for line in axes["lines"]] == [
        (
            "PAR30 (> 30 days past due)",
            [list(p) for p in zip(months, [0.0, 0.1, 0.35], strict=True)],
        ),
        (
            "PAR90 (> 90 days past due)",
            [list(p) for p in zip(months, [0.0, 0.0, 0.2], strict=True)],
        ),
    ]


def test_vintage_curves_highlight_the_latest_worst_and_median_cohorts(tiny: Path) -> None:
    paid, late = sidecar(tiny, "vintage_curves")["axes"]
    drawn = [(line["series"], line["points"], line["width"]) for line in paid["lines"]]
    assert drawn == [  # the others first (thin), then the highlighted, over them (thick)
        ("2023-11", [[0, 0.0], [1, 0.0], [2, 0.0]], 0.8),
        ("2023-12", [[0, 0.1], [1, 0.4], [2, 0.7], [3, 0.95]], 2.6),
        ("2024-01", [[0, 0.1], [1, 0.5], [2, 0.9]], 2.6),
        ("2024-02", [[0, 0.2], [1, 0.6]], 2.6),
    ]
    assert [line["points"] for line in late["lines"]] == [
        [[0, 0.0], [1, 1.0], [2, 1.0]],
        [[0, 0.0], [1, 0.1], [2, 0.2], [3, 0.3]],
        [[0, 0.0], [1, 0.25], [2, 0.5]],
        [[0, 0.0], [1, 0.0]],
    ]
    assert late["legend"] == [
        "median: 2023-12 (10 loans), 20%",
        "worst: 2024-01 (10 loans), 50%",
        "latest: 2024-02 (10 loans)",
        "the 1 other cohort",
    ]
    grey = {line["colour"] for line in late["lines"] if line["width"] < 1}
    highlighted = [line["colour"] for line in late["lines"] if line["width"] > 2]
    assert len(set(highlighted)) == 3 and not grey & set(highlighted)


def test_roll_rate_matrix_shows_the_latest_complete_month_and_its_denominators(
    tiny: Path,
) -> None:
    drawn = sidecar(tiny, "roll_rate_matrix")
    assert "2024-02" in drawn["title"]
    (cells,) = drawn["axes"][0]["heatmaps"]
    states = ["current", "1-30 DPD", "31-60 DPD", "61-90 DPD", "90+ DPD", "closed"]
    assert cells["columns"] == states
    assert cells["rows"] == [
        "current\n(4 loans)",
        "1-30 DPD\n(1 loan)",
        "31-60 DPD",
        "61-90 DPD",
        "90+ DPD",
        "closed\n(2 loans)",
    ]
    blank = [None] * 6
    assert cells["cells"] == [
        [0.75, 0.25, None, None, None, None],
        [None, None, None, None, None, 1.0],
        blank,
        blank,
        blank,
        [None, None, None, None, None, 1.0],
    ]


def test_branch_kpis(tiny: Path) -> None:
    amounts, rates = sidecar(tiny, "branch_kpis")["axes"]
    order = ["B2 (South)", "B1 (North)"]  # by disbursed_amount_rank
    assert bars(amounts, "disbursed") == list(zip(order, [2000, 1000], strict=True))
    assert bars(amounts, "repaid") == list(zip(order, [500, 600], strict=True))
    assert bars(amounts, "outstanding") == list(zip(order, [1500, 400], strict=True))
    assert bars(rates, "default rate (loans)") == list(zip(order, [0.2, 0.1], strict=True))
    assert bars(rates, "collection rate") == list(zip(order, [0.25, 0.6], strict=True))
    behind = bars(rates, "behind schedule (share of active loans)")
    assert behind == [("B2 (South)", None), ("B1 (North)", 0.5)]  # B2: no active loan
    assert amounts["xlabel"] == "amount (currency units)"


def test_region_default_rates(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "region_default_rates")["axes"]
    order = ["South (60 loans)", "North (40 loans)"]
    assert [s["series"].split(" (")[0] for s in axes["bars"]] == [
        "default rate",
        "resolved default rate",
        "amount default rate",
    ]
    values = [[bar["value"] for bar in s["bars"]] for s in axes["bars"]]
    assert values == [[0.25, 0.05], [0.5, 0.1], [0.3, 0.04]]
    assert all([bar["category"] for bar in s["bars"]] == order for s in axes["bars"])
    assert len(axes["legend"]) == 3


def test_default_rate_by_segment(tiny: Path) -> None:
    age, income, employment = sidecar(tiny, "default_rate_by_segment")["axes"]
    assert bars(age) == [("18-24", 0.2), ("25-34", 0.05)]
    assert bars(income) == [("<25k", 0.3), ("100k+", 0.05)]  # band order, not alphabetical
    assert bars(employment) == [("Employed", 0.08), ("Unemployed", 0.2)]  # most loans first
    for axes in (age, income, employment):
        assert [(line["series"], line["y"]) for line in axes["lines"]] == [
            ("portfolio default rate", 0.1)
        ]
    assert income["texts"] == ["n=5", "n=95"]


def test_status_shares(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "status_shares")["axes"]
    kinds = ["by count (loans)", "by amount disbursed (currency units)"]
    # stacked in the vocabulary's order (Approved, In Progress, Paid), then the status it
    # does not list; the total row is not drawn
    expected = {"Approved": [0.1, 0.1], "In Progress": [0.3, 0.3], "Paid": [0.5, 0.4]}
    expected["Defaulted"] = [0.1, 0.2]
    assert [s["series"] for s in axes["bars"]] == list(expected)
    for status, shares in expected.items():
        assert bars(axes, status) == list(zip(kinds, shares, strict=True)), status


def test_data_quality_summary(tiny: Path) -> None:
    split, issues = sidecar(tiny, "data_quality_summary")["axes"]
    orders, fact_loans = "orders\n100 rows loaded", "fact_loans\n10 rows loaded - NOT RECONCILED"
    assert [
        (s["series"], s["bars"][0]["category"], s["bars"][0]["value"]) for s in split["bars"]
    ] == [
        ("staged: orders: all rows", orders, 0.95),
        ("quarantined: orders: duplicate_key", orders, 0.03),
        ("quarantined: orders: non_positive_amount", orders, 0.02),
        ("staged: fact_loans: all rows", fact_loans, 1.0),
    ]
    # the feed with no row is named and says so; nothing is drawn for it
    assert split["yticks"] == [orders, "payments\nno rows (feed absent or empty)", fact_loans]
    assert bars(issues, "quarantined rows") == [
        ("orders: duplicate_key", 3),
        ("orders: non_positive_amount", 2),
    ]
    assert bars(issues, "flagged loans") == [
        ("orders: plan_step_down", 4),
        ("fact_loans: paid_with_outstanding", 1),
    ]
    assert issues["texts"] == ["3 (3.0%)", "2 (2.0%)", "4 (4.0%)", "1 (10.0%)"]
    assert issues["xlim"][0] == 0


def test_the_sidecar_is_what_the_figure_draws() -> None:
    """The sidecar reads the artists: a bar changed after drawing shows up in it."""
    con = duckdb.connect()
    con.execute("create schema marts")
    for mart in ("rpt_repayment_segments", "rpt_reference_categories", "rpt_reporting_dates"):
        columns, rows = TINY_MARTS[mart]
        con.execute(f"create table marts.{mart} ({columns})")
        con.executemany(f"insert into marts.{mart} values ({', '.join('?' * len(rows[0]))})", rows)
    fig = segment_barplot(Marts(con, CHARTS["segment_barplot"].marts))
    fig.axes[0].containers[0].patches[0].set_height(42)
    (axes,) = plotted(fig)
    plt.close(fig)
    assert bars(axes)[0] == ("Underpaid\npaid ratio < 0.9", 42)


# --- what the package may read, and what it does without data --------------------------------


def test_a_chart_may_read_only_the_marts_it_declares(tmp_path: Path) -> None:
    with (
        duckdb.connect(str(tiny_warehouse(tmp_path / "w.duckdb")), read_only=True) as con,
        pytest.raises(ValueError, match="rpt_branch_kpis"),
    ):
        Marts(con, ["rpt_region_kpis"]).rows("rpt_branch_kpis")


def test_an_absent_portfolio_is_said_in_words_and_reported_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loan_book = ("rpt_branch_kpis", "rpt_region_kpis", "rpt_demographic_segments")
    loan_book += ("dim_customers", "rpt_portfolio_overview")
    empty = {mart: (TINY_MARTS[mart][0], []) for mart in loan_book}
    dates = (TINY_MARTS["rpt_reporting_dates"][0], [("family_a", "2024-03-15"), ("family_b", None)])
    warehouse = tiny_warehouse(tmp_path / "a_only.duckdb", rpt_reporting_dates=dates, **empty)
    names = [name for name, chart in CHARTS.items() if chart.portfolio == "family_b"]
    code, out = draw(tmp_path, warehouse, "--only", "score_distribution", *names)
    assert code == 0
    printed = capsys.readouterr().out
    for name in ["score_distribution", *names]:
        chart, drawn = CHARTS[name], sidecar(out, name)
        if chart.portfolio != "family_b":
            assert drawn["status"] == "drawn", name
            continue
        reason = "no loan book (branches, customers, loans) in this warehouse"
        assert (drawn["status"], drawn["reason"]) == ("empty", reason), name
        assert f"{name:<30} empty ({reason})" in printed
        (axes,) = drawn["axes"]
        assert not (axes["bars"] or axes["lines"] or axes["heatmaps"]), name
        assert axes["texts"][0] == "No loan book (branches, customers, loans) in this warehouse"
        assert "feeds dim_branch, dim_customer, fact_loans" in " ".join(axes["texts"][1].split())


def test_nothing_to_count_is_empty_not_nan(tmp_path: Path) -> None:
    columns, rows = TINY_MARTS["rpt_score_distribution"]
    no_loans = [(*row[:3], 0, None) for row in rows]  # every bucket listed, with 0 loans
    columns_r, rows_r = TINY_MARTS["rpt_repayment_correlations"]
    undefined = [(*row[:2], None, 1) for row in rows_r]
    warehouse = tiny_warehouse(
        tmp_path / "w.duckdb",
        rpt_score_distribution=(columns, no_loans),
        rpt_repayment_correlations=(columns_r, undefined),
        rpt_roll_rates=(TINY_MARTS["rpt_roll_rates"][0], []),
    )
    expected = {
        "score_distribution": "marts.rpt_score_distribution counts no loan as of 2024-03-15",
        "correlation_heatmap": "marts.rpt_repayment_correlations has no defined correlation",
        "roll_rate_matrix": "marts.rpt_roll_rates has no rows as of 2024-03-15",
    }
    code, out = draw(tmp_path, warehouse, "--only", *expected)
    assert code == 0
    for name, reason in expected.items():
        drawn = sidecar(out, name)
        assert drawn["status"] == "empty" and drawn["reason"].startswith(reason), drawn
        assert not any(a["bars"] or a["heatmaps"] for a in drawn["axes"])
        assert not any("nan" in text.lower() for text in every_text(drawn)), name


def test_a_missing_mart_skips_its_chart_and_fails(tmp_path: Path) -> None:
    warehouse = tiny_warehouse(tmp_path / "w.duckdb", rpt_data_quality_summary=None)
    code, out = draw(tmp_path, warehouse, "--only", "data_quality_summary", "par_trend")
    assert code == 1
    assert sorted(p.name for p in out.glob("*.png")) == ["par_trend.png"]


def test_amounts_carry_the_snapshot_currency(tmp_path: Path) -> None:
    snapshot = tmp_path / "published" / "snapshots" / "s1"
    snapshot.mkdir(parents=True)
    tiny_warehouse(snapshot / "loans.duckdb")
    manifest = {"currency": {"code": "EUR", "label": "EUR"}}
    (snapshot / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "published" / "loans.duckdb").symlink_to("snapshots/s1/loans.duckdb")
    amounts = ("risk_amount_trend", "branch_kpis", "planned_vs_actual_histogram", "status_shares")
    code, out = draw(tmp_path, tmp_path / "published" / "loans.duckdb", "--only", *amounts)
    assert code == 0
    assert sidecar(out, "risk_amount_trend")["axes"][0]["ylabel"] == "outstanding (EUR)"
    assert sidecar(out, "branch_kpis")["axes"][0]["xlabel"] == "amount (EUR)"
    assert sidecar(out, "planned_vs_actual_histogram")["axes"][0]["xlabel"].endswith("(EUR)")
    (status,) = sidecar(out, "status_shares")["axes"]
    assert [bar["category"] for bar in status["bars"][0]["bars"]][1].endswith("(EUR)")
    assert all(sidecar(out, name)["currency"] == "EUR" for name in amounts)


def test_without_a_currency_amounts_are_in_currency_units(tmp_path: Path) -> None:
    assert snapshot_manifest(tmp_path / "loans.duckdb") == {}
    assert currency_label({}) == "currency units"  # an older snapshot: no field
    assert currency_label({"currency": {"code": "", "label": "currency units"}}) == (
        "currency units"
    )
    assert currency_label({"currency": {"code": "", "label": ""}}) == "currency units"
    assert currency_label({"currency": "EUR"}) == "currency units"  # not the agreed shape
    (tmp_path / "manifest.json").write_text("{not json")
    assert snapshot_manifest(tmp_path / "loans.duckdb") == {}


def test_the_default_warehouse_is_the_published_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOANS_PUBLISHED_DIR", str(tmp_path / "published"))
    monkeypatch.setenv("LOANS_WAREHOUSE", str(tmp_path / "working.duckdb"))
    assert runner.default_warehouse() == tmp_path / "working.duckdb"
    (tmp_path / "published").mkdir()
    (tmp_path / "published" / "loans.duckdb").touch()
    assert runner.default_warehouse() == tmp_path / "published" / "loans.duckdb"


def test_help_names_every_chart(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        draw(Path("unused"), Path("unused"), "--help")
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "--warehouse" in text and all(name in text for name in CHARTS)


# --- no text runs off a figure ---------------------------------------------------------------


def test_the_clipping_check_finds_a_clipped_text() -> None:
    fig = plt.figure(figsize=(4, 3), layout="constrained")
    fig.text(0.98, 0.5, "a label running off the right edge")
    fig.add_subplot().set_ylabel("inside")
    try:
        assert texts_outside(fig) == ["a label running off the right edge"]
    finally:
        plt.close(fig)


def test_no_text_of_a_tiny_chart_lies_outside_its_figure(tmp_path: Path) -> None:
    for name, fig, _ in figures(tiny_warehouse(tmp_path / "w.duckdb")):
        assert texts_outside(fig) == [], name


# --- exposures -------------------------------------------------------------------------------


def test_every_chart_has_its_exposure_and_every_chart_exposure_a_chart() -> None:
    exposures = yaml.safe_load(EXPOSURES.read_text())["exposures"]
    declared = {exposure["name"].removeprefix("chart_"): exposure for exposure in exposures}
    assert all(exposure["name"].startswith("chart_") for exposure in exposures)
    assert set(declared) == set(CHARTS)
    for name, chart in CHARTS.items():
        exposure = declared[name]
        assert exposure["url"] == f"target/charts/{name}.png"
        assert f"{name}.png" in exposure["description"]
        assert exposure["depends_on"] == [f"ref('{mart}')" for mart in chart.marts], name


# --- the bundled sample's real marts ---------------------------------------------------------


def test_every_chart_draws_from_the_sample_marts(
    tmp_path: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "README_IMAGES", tmp_path / "images")
    code, out = draw(tmp_path, sample_build.warehouse, "--readme-images")
    assert code == 0
    readme = sorted(p.name for p in (tmp_path / "images").iterdir())
    assert readme == sorted(f"{name}.png" for name in README_CHARTS)
    assert sorted(p.stem for p in out.glob("*.png")) == sorted(CHARTS)
    for name in CHARTS:
        drawn = sidecar(out, name)
        assert drawn["status"] == "drawn", (name, drawn["reason"])
        assert png_size(out / f"{name}.png") == (1200, 675)
        marks = [a["bars"] or a["lines"] or a["heatmaps"] for a in drawn["axes"]]
        assert any(marks), f"{name} drew nothing from the sample"
        assert not any("nan" in text.lower() for text in every_text(drawn)), name


def test_no_text_of_a_sample_chart_lies_outside_its_figure(sample_build: DbtBuild) -> None:
    for name, fig, status in figures(sample_build.warehouse):
        assert status == "drawn"
        assert texts_outside(fig) == [], name
