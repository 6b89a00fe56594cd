"""Charts of what the warehouse added (issue 11 §4, §5): the loan book by start month, the risk
tiers with their AUC, and PAR / vintage labels that follow the build's var par_thresholds.

Drawn from the tiny hand-made warehouse of chart_tiny_marts.py (expected values written out by
hand from its rows), and from variants of it whose PAR columns carry other thresholds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from chart_helpers import bars, draw, figures, sidecar, texts_outside
from chart_tiny_marts import TINY_MARTS, make_warehouse

from scripts.charts.loan_book import tier_separation

MONTHS = ["2024-01-01", "2024-02-01", "2024-03-01"]


def tiny_warehouse(path: Path, **changes: tuple[str, list[tuple[Any, ...]]]) -> Path:
    return make_warehouse(path, {**TINY_MARTS, **changes})


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("tiny_loan_book")
    names = ("loan_book_monthly", "risk_tiers")
    code, out = draw(workdir, tiny_warehouse(workdir / "tiny.duckdb"), "--only", *names)
    assert code == 0
    return out


def series(axes: dict[str, Any]) -> dict[str, list[list[Any]]]:
    return {line["series"]: line["points"] for line in axes["lines"]}


def test_loan_book_monthly_draws_each_start_month_cohort(tiny: Path) -> None:
    drawn = sidecar(tiny, "loan_book_monthly")
    assert drawn["status"] == "drawn", drawn["reason"]
    title = " ".join(drawn["title"].split())
    assert "disbursements, repayments and defaults by start month" in title
    assert "as of 2024-02-29" in title
    amounts, rates = drawn["axes"]
    # the tiny mart's rows, in month order (February: no loan started)
    assert series(amounts) == {
        "disbursed": [list(p) for p in zip(MONTHS, [1500, 0, 2000], strict=True)],
        "repaid by the cohort": [list(p) for p in zip(MONTHS, [1100, 0, 50], strict=True)],
        "defaulted (amount lent)": [list(p) for p in zip(MONTHS, [500, 0, 0], strict=True)],
    }
    assert series(rates) == {
        "default rate (defaulted / loans started)": [
            ["2024-01-01", 0.5],
            ["2024-02-01", None],  # no loan started: no rate, not 0
            ["2024-03-01", 0.0],
        ],
        "behind schedule (share of active loans)": [
            ["2024-01-01", None],  # no active loan
            ["2024-02-01", None],
            ["2024-03-01", 1.0],
        ],
    }
    assert amounts["ylabel"] == "amount (currency units)"
    assert amounts["xlabel"] == rates["xlabel"] == "start month"


def test_loan_book_monthly_says_repayments_are_the_cohorts_outcome_at_the_extract(
    tmp_path: Path,
) -> None:
    names = ["loan_book_monthly", "risk_tiers", "risk_amount_trend", "branch_kpis"]
    for name, fig, status in figures(tiny_warehouse(tmp_path / "w.duckdb"), names):
        assert status == "drawn" and texts_outside(fig) == [], name
        notes = " ".join(text.get_text() for text in fig.texts)
        if name == "loan_book_monthly":
            assert "cohort's outcome as reported at the extract" in notes
            assert "the feed has no payment or default dates" in notes
        if name == "risk_amount_trend":  # arrears at 0 DPD said in words
            assert "Loans in arrears = those at 0 days past due" in notes


def test_risk_tiers_show_the_default_rate_per_tier_and_the_auc(tiny: Path) -> None:
    drawn = sidecar(tiny, "risk_tiers")
    assert drawn["status"] == "drawn", drawn["reason"]
    (axes,) = drawn["axes"]
    assert bars(axes) == [("high", 0.5), ("medium", pytest.approx(1 / 3)), ("low", 0.0)]
    assert axes["texts"] == ["50.0%: 2 of 4 loans", "33.3%: 1 of 3 loans", "0.0%: 0 of 5 loans"]
    # AUC 22 / 27 = 0.8148, Gini 17 / 27 = 0.6296 (by hand, see the tiny mart)
    assert axes["title"] == (
        "the tiers rank defaults with AUC 0.81 (0.5 is chance, 1 perfect), Gini 0.63"
    )
    assert "origination" in axes["xlabel"]


def test_an_undefined_auc_is_said_in_words() -> None:
    assert tier_separation(None, None).startswith("AUC undefined")
    assert tier_separation(float("nan"), float("nan")).startswith("AUC undefined")
    assert tier_separation(0.5, 0.0) == (
        "the tiers rank defaults with AUC 0.50 (0.5 is chance, 1 perfect), Gini 0.00"
    )


def test_par_and_vintage_labels_follow_the_thresholds_of_the_build(tmp_path: Path) -> None:
    """A build with var par_thresholds [45, 120]: columns par_45, par_120 and
    share_ever_45_plus_dpd; no label may still say 30 or 90."""
    columns, rows = TINY_MARTS["rpt_risk_trend_monthly"]
    columns = columns.replace("par_30", "par_45").replace("par_90", "par_120")
    vintage_columns, vintage_rows = TINY_MARTS["rpt_vintage_curves"]
    vintage_columns = vintage_columns.replace("share_ever_30_plus_dpd", "share_ever_45_plus_dpd")
    warehouse = tiny_warehouse(
        tmp_path / "w.duckdb",
        rpt_risk_trend_monthly=(columns, rows),
        rpt_vintage_curves=(vintage_columns, vintage_rows),
    )
    code, out = draw(tmp_path, warehouse, "--only", "par_trend", "vintage_curves")
    assert code == 0
    (par,) = sidecar(out, "par_trend")["axes"]
    assert [(line["series"], line["points"]) for line in par["lines"]] == [
        (
            "PAR45 (> 45 days past due)",
            [[m, v] for m, v in zip(MONTHS, [0.0, 0.1, 0.35], strict=True)],
        ),
        (
            "PAR120 (> 120 days past due)",
            [[m, v] for m, v in zip(MONTHS, [0.0, 0.0, 0.2], strict=True)],
        ),
    ]
    _, late = sidecar(out, "vintage_curves")["axes"]
    assert late["title"] == "Share of the cohort ever > 45 days past due"
    assert late["legend"][0] == "median: 2023-12 (10 loans), 20%"  # the same rows, drawn
    drawn_texts = " ".join(par["legend"] + late["legend"] + [late["title"]])
    assert "30" not in drawn_texts.replace("2023", "") and "90" not in drawn_texts
