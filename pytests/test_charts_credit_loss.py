"""The credit-loss charts (scripts/charts/credit_loss.py): what is drawn is what the marts hold.

On the tiny warehouse (chart_tiny_credit_loss.py: rows out of order, a second evaluation date
with other values) the values read back from the drawn artists equal the rows written there by
hand; on the bundled sample they equal the marts' rows read here with duckdb. The waterfall's
bars float where the previous line ended and the last one ends at the closing allowance; no
text runs off a figure; a book with no active loan is said in words.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import matplotlib
import matplotlib.pyplot as plt
import pytest
from chart_helpers import bars, draw, every_text, figures, sidecar, texts_outside
from chart_tiny_credit_loss import AS_OF, MOVEMENT_LINES, MOVEMENTS, PD_CURVES
from chart_tiny_marts import TINY_MARTS, make_warehouse
from conftest import DbtBuild

from scripts.charts.catalogue import CHARTS
from scripts.charts.credit_loss import allowance_movement
from scripts.charts.marts import Marts
from scripts.charts.style import STYLE

CREDIT_LOSS_CHARTS = ["ecl_by_stage", "pd_term_structure", "allowance_movement"]
MOVEMENT_WORDS = [
    "Opening",
    "New loans",
    "Derecognised",
    "Transfer to stage 1",
    "Transfer to stage 2",
    "Transfer to stage 3",
    "Remeasurement",
    "Closing",
]


@pytest.fixture(scope="module")
def tiny_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("tiny_credit_loss") / "tiny.duckdb", TINY_MARTS)


@pytest.fixture(scope="module")
def tiny(tiny_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, out = draw(
        tmp_path_factory.mktemp("tiny_cl"), tiny_warehouse, "--only", *CREDIT_LOSS_CHARTS
    )
    assert code == 0
    return out


# --- the tiny warehouse --------------------------------------------------------------------


def test_the_charts_are_catalogued_on_the_credit_loss_marts() -> None:
    assert CHARTS["ecl_by_stage"].data_marts == ("rpt_ecl_by_stage",)
    assert CHARTS["pd_term_structure"].data_marts == (
        "rpt_pd_term_structure",
        "rpt_transition_matrix",
    )
    assert CHARTS["allowance_movement"].data_marts == ("rpt_allowance_movement",)
    assert all(CHARTS[name].portfolio == "family_a" for name in CREDIT_LOSS_CHARTS)


def test_ecl_by_stage(tiny: Path) -> None:
    drawn = sidecar(tiny, "ecl_by_stage")
    assert drawn["status"] == "drawn"
    assert f"as of {AS_OF}" in " ".join(drawn["title"].split())
    allowance, coverage = drawn["axes"]
    stages = ["Stage 1\n(5 loans)", "Stage 2\n(1 loan)", "Stage 3\n(2 loans)"]
    assert bars(allowance) == list(zip(stages, [50.0, 100.0, 600.0], strict=True))
    assert bars(coverage) == list(zip(stages, [0.0100004, 0.25, 0.600004], strict=True))
    assert coverage["texts"] == ["1.0%", "25.0%", "60.0%"]
    assert allowance["ylabel"] == "loss allowance (currency units)"


def test_pd_term_structure_draws_the_as_of_date_and_leaves_out_absorbing_states(
    tiny: Path,
) -> None:
    (axes,) = sidecar(tiny, "pd_term_structure")["axes"]
    lines = {line["series"].split(":")[0]: line["points"] for line in axes["lines"]}
    # the vocabulary's names (roll states), in its order; 90+ and closed are absorbing
    assert list(lines) == ["current", "1-30 DPD"]
    assert lines["current"] == [[1, 0.01], [2, 0.03], [3, 0.06]]
    assert lines["1-30 DPD"] == [[h, v] for h, v in enumerate(PD_CURVES["1-30"], start=1)]
    assert axes["legend"][0] == "current: 6.0% at 3 months"
    assert axes["ylim"] == [0.0, 1.0]


def test_allowance_movement_is_a_waterfall_per_stage(tiny: Path) -> None:
    drawn = sidecar(tiny, "allowance_movement")
    assert [axes["title"] for axes in drawn["axes"]] == ["Stage 1", "Stage 2", "Stage 3"]
    for axes, (stage, lines) in zip(drawn["axes"], MOVEMENT_LINES.items(), strict=True):
        assert bars(axes, f"stage {stage}") == list(zip(MOVEMENT_WORDS, lines, strict=True))
    assert drawn["axes"][0]["texts"] == ["100", "20", "-10", "0", "-30", "0", "5", "85"]


def test_the_waterfall_bars_float_and_end_at_the_closing_allowance(tiny_warehouse: Path) -> None:
    with (
        duckdb.connect(str(tiny_warehouse), read_only=True) as con,
        matplotlib.rc_context(STYLE),
    ):
        fig = allowance_movement(Marts(con, CHARTS["allowance_movement"].marts))
    try:
        for ax, lines in zip(fig.axes, MOVEMENT_LINES.values(), strict=True):
            (container,) = ax.containers
            patches = container.patches
            assert [p.get_height() for p in patches] == pytest.approx(lines)
            assert patches[0].get_y() == 0 and patches[-1].get_y() == 0  # opening, closing
            level = lines[0]
            for patch, amount in zip(patches[1:-1], lines[1:-1], strict=True):
                assert patch.get_y() == pytest.approx(level)  # starts where the last ended
                level += amount
            assert level == pytest.approx(lines[-1])  # ... and the last ends at closing
    finally:
        plt.close(fig)
    assert MOVEMENTS[0] == "opening" and MOVEMENTS[-1] == "closing"


def test_no_active_loan_is_said_in_words(tmp_path: Path) -> None:
    columns, rows = TINY_MARTS["rpt_ecl_by_stage"]
    empty = [(stage, 0, 0, 0, 0, None, day) for stage, *_, day in rows]
    warehouse = make_warehouse(
        tmp_path / "w.duckdb", {**TINY_MARTS, "rpt_ecl_by_stage": (columns, empty)}
    )
    code, out = draw(tmp_path, warehouse, "--only", "ecl_by_stage")
    assert code == 0
    drawn = sidecar(out, "ecl_by_stage")
    assert drawn["status"] == "empty"
    assert drawn["reason"] == f"marts.rpt_ecl_by_stage counts no active loan as of {AS_OF}"
    assert not any(a["bars"] for a in drawn["axes"])


def test_no_text_of_a_tiny_credit_loss_chart_lies_outside_its_figure(
    tiny_warehouse: Path,
) -> None:
    for name, fig, status in figures(tiny_warehouse, CREDIT_LOSS_CHARTS):
        assert status == "drawn", name
        assert texts_outside(fig) == [], name


# --- the bundled sample ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_charts(sample_build: DbtBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, out = draw(
        tmp_path_factory.mktemp("sample_cl"), sample_build.warehouse, "--only", *CREDIT_LOSS_CHARTS
    )
    assert code == 0
    return out


def test_sample_charts_draw_the_mart_rows(sample_charts: Path, sample_build: DbtBuild) -> None:
    by_stage = sample_build.query(
        "select stage, loans, allowance_amount, coverage_ratio from marts.rpt_ecl_by_stage "
        "order by stage"
    )
    allowance, coverage = sidecar(sample_charts, "ecl_by_stage")["axes"]
    assert [v for _, v in bars(allowance)] == pytest.approx([float(r[2]) for r in by_stage])
    assert [v for _, v in bars(coverage)] == pytest.approx([r[3] for r in by_stage])
    assert [c for c, _ in bars(allowance)] == [f"Stage {r[0]}\n({r[1]:,} loans)" for r in by_stage]

    (axes,) = sidecar(sample_charts, "pd_term_structure")["axes"]
    codes = dict(
        sample_build.query(
            "select category_label, code from marts.rpt_reference_categories "
            "where category_set = 'roll_state'"
        )
    )
    for line in axes["lines"]:
        state = codes[line["series"].split(":")[0]]
        expected = sample_build.query(
            "select horizon_months, cumulative_pd from marts.rpt_pd_term_structure "
            "where is_as_of_date and from_state = ? order by horizon_months",
            [state],
        )
        assert [p[0] for p in line["points"]] == [h for h, _ in expected]
        assert [p[1] for p in line["points"]] == pytest.approx([v for _, v in expected])
    assert len(axes["lines"]) == 4  # current, 1-30, 31-60, 61-90

    movement = sample_build.query(
        "select stage, allowance_amount from marts.rpt_allowance_movement "
        "order by stage, movement_order"
    )
    drawn = sidecar(sample_charts, "allowance_movement")["axes"]
    for axes, stage in zip(drawn, (1, 2, 3), strict=True):
        assert [v for _, v in bars(axes)] == pytest.approx(
            [float(amount) for s, amount in movement if s == stage]
        )
    assert not any(
        "nan" in text.lower() for text in every_text(sidecar(sample_charts, "ecl_by_stage"))
    )


def test_no_text_of_a_sample_credit_loss_chart_lies_outside_its_figure(
    sample_build: DbtBuild,
) -> None:
    for name, fig, status in figures(sample_build.warehouse, CREDIT_LOSS_CHARTS):
        assert status == "drawn", name
        assert texts_outside(fig) == [], name
