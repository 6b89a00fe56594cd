"""scripts/charts.py: what is drawn is what the marts hold, every chart has its exposure.

The main tests build a tiny warehouse by hand (the real mart and column names, a few rows each,
values chosen so that a wrong column, order, filter or orientation shows) and compare the values
the script read back from its matplotlib artists (the JSON sidecar) with those rows. One smoke
test draws every chart from the bundled sample's real marts.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import charts
import duckdb
import pytest
import yaml
from conftest import PROJECT_DIR, DbtBuild

EXPOSURES = PROJECT_DIR / "models" / "marts" / "_charts__exposures.yml"

# mart -> (column definitions, rows): the columns the charts read, as the marts name and type them
TINY_MARTS: dict[str, tuple[str, list[tuple[Any, ...]]]] = {
    "rpt_score_distribution": (
        "bucket_kind varchar, bucket_order integer, bucket varchar, loans bigint, "
        "share_of_loans double",
        [
            ("tier", 2, "B", 1, 0.1),
            ("band", 2, "50-100", 6, 0.6),
            ("unscored", 1, "nothing due yet", 2, 0.2),
            ("tier", 1, "A", 5, 0.5),
            ("band", 1, "0-50", 2, 0.2),
            ("tier", 4, "D", 2, 0.2),
            ("tier", 3, "C", 0, 0.0),
        ],
    ),
    "rpt_repayment_segments": (
        "segment varchar, segment_order integer, loans bigint, share_of_loans double",
        [
            ("Overpaid", 3, 1, 0.1),
            ("Underpaid", 1, 3, 0.3),
            ("Not Yet Due", 4, 1, 0.1),
            ("On Track", 2, 5, 0.5),
        ],
    ),
    "rpt_risk_trend_monthly": (
        "reporting_month date, loans_in_arrears bigint, "
        "dpd_1_30_outstanding_amount decimal(38, 2), dpd_31_60_outstanding_amount "
        "decimal(38, 2), dpd_61_90_outstanding_amount decimal(38, 2), "
        "dpd_90_plus_outstanding_amount decimal(38, 2), par_30 double, par_90 double",
        [
            ("2024-03-01", 4, 0, 60, 70, 80, 0.35, 0.2),
            ("2024-01-01", 1, 100, 0, 0, 0, 0.0, 0.0),
            ("2024-02-01", 3, 200, 50, 0, 0, 0.1, 0.0),
        ],
    ),
    "rpt_planned_vs_actual_distribution": (
        "bin_number integer, bin_label varchar, plan_side varchar, lower_amount decimal(28, 6), "
        "upper_amount decimal(28, 6), loans bigint, share_of_loans double",
        [
            (3, ">= 100", "ahead of plan", 100, None, 1, 0.1),
            (1, "< -100", "behind plan", None, -100, 4, 0.4),
            (2, "-100 to 100", "around plan", -100, 100, 5, 0.5),
        ],
    ),
    "rpt_repayment_correlations": (
        "feature_x varchar, feature_y varchar, r double, n bigint",
        [
            ("score", "score", None, 10),
            ("issued_sum", "score", -0.5, 10),
            ("score", "issued_sum", -0.5, 10),
            ("issued_sum", "issued_sum", 1.0, 10),
        ],
    ),
    "rpt_vintage_curves": (
        "disbursal_month date, months_on_book bigint, paid_to_issued_ratio double, "
        "share_ever_30_plus_dpd double",
        [
            ("2024-02-01", 1, 0.6, 0.0),
            ("2024-01-01", 0, 0.1, 0.0),
            ("2024-01-01", 2, 0.9, 0.5),
            ("2024-02-01", 0, 0.2, 0.0),
            ("2024-01-01", 1, 0.5, 0.25),
        ],
    ),
    "rpt_roll_rates": (
        "reporting_month date, from_state varchar, to_state varchar, from_state_order integer, "
        "to_state_order integer, loans bigint, from_state_loans bigint, "
        "share_of_from_state double, is_month_to_date boolean",
        [
            ("2024-02-01", "current", "current", 1, 1, 3, 4, 0.75, False),
            ("2024-02-01", "current", "1-30", 1, 2, 1, 4, 0.25, False),
            ("2024-02-01", "1-30", "closed", 2, 6, 1, 1, 1.0, False),
            ("2024-02-01", "closed", "closed", 6, 6, 2, 2, 1.0, False),
            # the month to date is left out: the matrix shows the latest complete month
            ("2024-03-01", "current", "31-60", 1, 3, 4, 4, 1.0, True),
        ],
    ),
    "rpt_branch_kpis": (
        "branch_name varchar, region varchar, disbursed_amount decimal(38, 2), "
        "repaid_amount decimal(38, 2), outstanding_amount decimal(38, 2), default_rate double, "
        "collection_rate double, disbursed_amount_rank bigint",
        [
            ("B1", "North", 1000, 600, 400, 0.1, 0.6, 2),
            ("B2", "South", 2000, 500, 1500, 0.2, 0.25, 1),
        ],
    ),
    "rpt_region_kpis": (
        "region varchar, loans_count bigint, default_rate double, resolved_default_rate double, "
        "amount_default_rate double, default_rate_rank bigint",
        [("North", 40, 0.05, 0.1, 0.04, 2), ("South", 60, 0.25, 0.5, 0.3, 1)],
    ),
    "rpt_demographic_segments": (
        "segment_dimension varchar, segment_value varchar, dimensions_count integer, "
        "is_small_sample boolean, loans_count bigint, default_rate double",
        [
            ("portfolio", "All loans", 0, False, 100, 0.1),
            ("age_band", "25-34", 1, False, 90, 0.05),
            ("age_band", "18-24", 1, False, 10, 0.2),
            ("income_band", "<25k", 1, True, 5, 0.3),
            ("income_band", "100k+", 1, False, 95, 0.05),
            ("employment_status", "Unemployed", 1, False, 20, 0.2),
            ("employment_status", "Employed", 1, False, 80, 0.08),
            ("age_band+income_band", "18-24 / <25k", 2, True, 5, 0.9),
        ],
    ),
    "dim_customers": (
        "customer_id bigint, age_band varchar, age_band_order integer, income_band varchar, "
        "income_band_order integer",
        [(1, "18-24", 1, "<25k", 1), (2, "25-34", 2, "100k+", 5), (3, "25-34", 2, "100k+", 5)],
    ),
    "rpt_portfolio_overview": (
        "loan_status varchar, is_portfolio_total boolean, loans_count_share double, "
        "disbursed_amount_share double",
        [
            ("All loans", True, 1.0, 1.0),
            ("Defaulted", False, 0.1, 0.2),
            ("Paid", False, 0.5, 0.4),
            ("Approved", False, 0.1, 0.1),
            ("In Progress", False, 0.3, 0.3),
        ],
    ),
    "rpt_data_quality_summary": (
        "source_feed varchar, family varchar, category varchar, issue_code varchar, "
        "rows_count bigint, share_of_loaded double, loaded_rows bigint, is_reconciled boolean",
        [
            ("fact_loans", "family_b", "loaded", "all rows", 10, 1.0, 10, False),
            ("fact_loans", "family_b", "staged", "all rows", 10, 1.0, 10, False),
            ("fact_loans", "family_b", "flagged", "paid_with_outstanding", 1, 0.1, 10, False),
            ("orders", "family_a", "flagged", "plan_step_down", 4, 0.04, 100, True),
            ("orders", "family_a", "quarantined", "non_positive_amount", 2, 0.02, 100, True),
            ("orders", "family_a", "loaded", "all rows", 100, 1.0, 100, True),
            ("orders", "family_a", "quarantined", "duplicate_key", 3, 0.03, 100, True),
            ("orders", "family_a", "staged", "all rows", 95, 0.95, 100, True),
        ],
    ),
}


def make_warehouse(path: Path, marts: dict[str, tuple[str, list[tuple[Any, ...]]]]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for mart, (columns, rows) in marts.items():
            con.execute(f"create table marts.{mart} ({columns})")
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                con.executemany(f"insert into marts.{mart} values ({marks})", rows)
    return path


def draw(workdir: Path, warehouse: Path, *args: str) -> tuple[int, Path]:
    out = workdir / "charts"
    code = charts.main(["--quiet", "--warehouse", str(warehouse), "--out", str(out), *args])
    return code, out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The charts of the tiny warehouse, drawn once; returns their folder."""
    workdir = tmp_path_factory.mktemp("tiny_charts")
    code, out = draw(workdir, make_warehouse(workdir / "tiny.duckdb", TINY_MARTS))
    assert code == 0
    return out


def sidecar(out: Path, chart: str) -> dict[str, Any]:
    return json.loads((out / f"{chart}.json").read_text())


def bars(axes: dict[str, Any], series: str | None = None) -> list[tuple[Any, float]]:
    """(category, value) of the bars of one series (the only one when series is None)."""
    found = [s for s in axes["bars"] if series is None or s["series"] == series]
    assert len(found) == 1, [s["series"] for s in axes["bars"]]
    return [(bar["category"], bar["value"]) for bar in found[0]["bars"]]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


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
    for name, chart in charts.CHARTS.items():
        drawn = sidecar(tiny, name)
        assert drawn["marts"] == list(chart.marts)
        assert png_size(tiny / f"{name}.png") == (1200, 675)
        assert drawn["title"] and drawn["axes"][0]["title"], name
        for axes in drawn["axes"]:  # every panel that draws says what its axes measure
            if axes["bars"] or axes["lines"] or axes["heatmaps"]:
                assert axes["xlabel"] or axes["ylabel"], (name, axes["title"])


def test_score_distribution(tiny: Path) -> None:
    band, tier = sidecar(tiny, "score_distribution")["axes"]
    assert bars(band) == [("0-50", 2), ("50-100", 6)]
    assert band["texts"] == ["20.0%", "60.0%"]
    assert bars(tier) == [("A", 5), ("B", 1), ("C", 0), ("D", 2), ("nothing due\nyet", 2)]
    assert band["ylabel"] == "loans (count)"


def test_segment_barplot(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "segment_barplot")["axes"]
    assert bars(axes) == [("Underpaid", 3), ("On Track", 5), ("Overpaid", 1), ("Not Yet Due", 1)]
    assert axes["texts"] == ["30.0%", "50.0%", "10.0%", "10.0%"]


def test_risk_amount_trend(tiny: Path) -> None:
    amounts, loans = sidecar(tiny, "risk_amount_trend")["axes"]
    months = ["2024-01-01", "2024-02-01", "2024-03-01"]
    expected = {
        "1-30 days past due": [100, 200, 0],
        "31-60 days past due": [0, 50, 60],
        "61-90 days past due": [0, 0, 70],
        "90+ days past due": [0, 0, 80],
    }
    for series, values in expected.items():
        assert bars(amounts, series) == list(zip(months, values, strict=True)), series
    assert loans["lines"] == [
        {
            "series": "loans in arrears",
            "points": [[m, n] for m, n in zip(months, [1, 3, 4], strict=True)],
        }
    ]
    assert amounts["ylabel"] == "amount (currency units)"


def test_planned_vs_actual_histogram(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "planned_vs_actual_histogram")["axes"]
    assert bars(axes) == [("< -100", 4), ("-100 to 100", 5), (">= 100", 1)]


def test_correlation_heatmap(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "correlation_heatmap")["axes"]
    (cells,) = axes["heatmaps"]
    assert cells["rows"] == cells["columns"] == ["issued_sum", "score"]
    assert cells["cells"] == [[1.0, -0.5], [-0.5, None]]  # undefined r stays blank
    assert axes["texts"] == ["1.00", "-0.50", "-0.50"]


def test_par_trend(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "par_trend")["axes"]
    months = ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert axes["lines"] == [
        {
            "series": "PAR30 (> 30 days past due)",
            "points": [[m, v] for m, v in zip(months, [0.0, 0.1, 0.35], strict=True)],
        },
        {
            "series": "PAR90 (> 90 days past due)",
            "points": [[m, v] for m, v in zip(months, [0.0, 0.0, 0.2], strict=True)],
        },
    ]


def test_vintage_curves(tiny: Path) -> None:
    paid, late = sidecar(tiny, "vintage_curves")["axes"]
    assert paid["lines"] == [
        {"series": "2024-01", "points": [[0, 0.1], [1, 0.5], [2, 0.9]]},
        {"series": "2024-02", "points": [[0, 0.2], [1, 0.6]]},
    ]
    assert late["lines"] == [
        {"series": "2024-01", "points": [[0, 0.0], [1, 0.25], [2, 0.5]]},
        {"series": "2024-02", "points": [[0, 0.0], [1, 0.0]]},
    ]


def test_roll_rate_matrix_shows_the_latest_complete_month(tiny: Path) -> None:
    drawn = sidecar(tiny, "roll_rate_matrix")
    assert "2024-02" in drawn["title"]
    (cells,) = drawn["axes"][0]["heatmaps"]
    assert cells["rows"] == cells["columns"] == ["current", "1-30", "31-60", "closed"]
    assert cells["cells"] == [
        [0.75, 0.25, None, None],
        [None, None, None, 1.0],
        [None, None, None, None],
        [None, None, None, 1.0],
    ]


def test_branch_kpis(tiny: Path) -> None:
    amounts, rates = sidecar(tiny, "branch_kpis")["axes"]
    order = ["B2 (South)", "B1 (North)"]  # by disbursed_amount_rank
    assert bars(amounts, "disbursed") == list(zip(order, [2000, 1000], strict=True))
    assert bars(amounts, "repaid") == list(zip(order, [500, 600], strict=True))
    assert bars(amounts, "outstanding") == list(zip(order, [1500, 400], strict=True))
    assert bars(rates, "default rate (loans)") == list(zip(order, [0.2, 0.1], strict=True))
    assert bars(rates, "collection rate") == list(zip(order, [0.25, 0.6], strict=True))


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


def test_default_rate_by_segment(tiny: Path) -> None:
    age, income, employment = sidecar(tiny, "default_rate_by_segment")["axes"]
    assert bars(age) == [("18-24", 0.2), ("25-34", 0.05)]
    assert bars(income) == [("<25k", 0.3), ("100k+", 0.05)]  # band order, not alphabetical
    assert bars(employment) == [("Employed", 0.08), ("Unemployed", 0.2)]  # most loans first
    for axes in (age, income, employment):
        assert axes["lines"] == [{"series": "portfolio default rate", "y": 0.1}]
    assert income["texts"] == ["n=5", "n=95"]


def test_status_shares(tiny: Path) -> None:
    (axes,) = sidecar(tiny, "status_shares")["axes"]
    kinds = ["by count (loans)", "by amount (LoanAmount)"]
    expected = {"Paid": [0.5, 0.4], "In Progress": [0.3, 0.3], "Approved": [0.1, 0.1]}
    expected["Defaulted"] = [0.1, 0.2]
    assert [s["series"] for s in axes["bars"]] == list(expected)  # the total row is not drawn
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
    assert bars(issues, "quarantined rows") == [
        ("orders: duplicate_key", 3),
        ("orders: non_positive_amount", 2),
    ]
    assert bars(issues, "flagged loans") == [
        ("orders: plan_step_down", 4),
        ("fact_loans: paid_with_outstanding", 1),
    ]
    assert issues["texts"] == ["3 (3.0%)", "2 (2.0%)", "4 (4.0%)", "1 (10.0%)"]


def test_the_sidecar_is_what_the_figure_draws() -> None:
    """The sidecar reads the artists: a bar changed after drawing shows up in it."""
    con = duckdb.connect()
    con.execute("create schema marts")
    columns, rows = TINY_MARTS["rpt_repayment_segments"]
    con.execute(f"create table marts.rpt_repayment_segments ({columns})")
    con.executemany("insert into marts.rpt_repayment_segments values (?, ?, ?, ?)", rows)
    fig = charts.segment_barplot(charts.Marts(con, ["rpt_repayment_segments"]))
    fig.axes[0].containers[0].patches[0].set_height(42)
    (axes,) = charts.plotted(fig)
    assert bars(axes)[0] == ("Underpaid", 42)


# --- what the script may read, and what it does without data ---------------------------------


def test_a_chart_may_read_only_the_marts_it_declares(tmp_path: Path) -> None:
    with (
        duckdb.connect(
            str(make_warehouse(tmp_path / "w.duckdb", TINY_MARTS)), read_only=True
        ) as con,
        pytest.raises(ValueError, match="rpt_branch_kpis"),
    ):
        charts.Marts(con, ["rpt_region_kpis"]).rows("rpt_branch_kpis")


def test_an_empty_mart_draws_an_empty_chart_and_a_missing_one_fails(tmp_path: Path) -> None:
    marts = {mart: (columns, []) for mart, (columns, _) in TINY_MARTS.items()}
    del marts["rpt_data_quality_summary"]
    code, out = draw(tmp_path, make_warehouse(tmp_path / "empty.duckdb", marts))
    assert code == 1  # the data-quality mart is missing
    assert not (out / "data_quality_summary.png").exists()
    drawn = sidecar(out, "par_trend")
    assert drawn["axes"][0]["texts"][0].startswith("No data: marts.rpt_risk_trend_monthly")
    assert len(list(out.glob("*.png"))) == len(charts.CHARTS) - 1


def test_the_default_warehouse_is_the_published_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOANS_PUBLISHED_DIR", str(tmp_path / "published"))
    monkeypatch.setenv("LOANS_WAREHOUSE", str(tmp_path / "working.duckdb"))
    assert charts.default_warehouse() == tmp_path / "working.duckdb"
    (tmp_path / "published").mkdir()
    (tmp_path / "published" / "loans.duckdb").touch()
    assert charts.default_warehouse() == tmp_path / "published" / "loans.duckdb"


def test_help_names_every_chart(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        charts.main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "--warehouse" in text and all(name in text for name in charts.CHARTS)


# --- exposures -------------------------------------------------------------------------------


def test_every_chart_has_its_exposure_and_every_chart_exposure_a_chart() -> None:
    exposures = yaml.safe_load(EXPOSURES.read_text())["exposures"]
    declared = {exposure["name"].removeprefix("chart_"): exposure for exposure in exposures}
    assert all(exposure["name"].startswith("chart_") for exposure in exposures)
    assert set(declared) == set(charts.CHARTS)
    for name, chart in charts.CHARTS.items():
        exposure = declared[name]
        assert exposure["url"] == f"target/charts/{name}.png"
        assert f"{name}.png" in exposure["description"]
        assert exposure["depends_on"] == [f"ref('{mart}')" for mart in chart.marts], name


# --- the bundled sample's real marts ---------------------------------------------------------


def test_every_chart_draws_from_the_sample_marts(
    tmp_path: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "README_IMAGES", tmp_path / "images")
    code, out = draw(tmp_path, sample_build.warehouse, "--readme-images")
    assert code == 0
    readme = sorted(p.name for p in (tmp_path / "images").iterdir())
    assert readme == sorted(f"{name}.png" for name in charts.README_CHARTS)
    assert sorted(p.stem for p in out.glob("*.png")) == sorted(charts.CHARTS)
    exposures = yaml.safe_load(EXPOSURES.read_text())["exposures"]
    assert {f"chart_{p.stem}" for p in out.glob("*.png")} == {e["name"] for e in exposures}
    for name in charts.CHARTS:
        drawn = sidecar(out, name)
        assert png_size(out / f"{name}.png") == (1200, 675)
        marks = [a["bars"] or a["lines"] or a["heatmaps"] for a in drawn["axes"]]
        assert any(marks), f"{name} drew nothing from the sample"
