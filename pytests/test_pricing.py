"""Risk-based pricing (issue 15 §3): rpt_pricing_tiers on the bundled sample equals a second
computation (outcomes re-derived here from the month-end snapshots, the documented formula
with the declared vars and the credit-loss LGD), and the pricing chart draws exactly the mart's
rows with the vocabulary's tier bounds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from chart_helpers import bars, draw, sidecar
from chart_tiny_marts import TINY_MARTS, make_warehouse
from chart_tiny_pricing import PRICING_MARTS, TIERS
from conftest import PROJECT_DIR, DbtBuild

from scripts.charts.catalogue import CHARTS

BREAK_EVEN = "break-even annual rate"


def frame(build: DbtBuild, sql: str) -> pd.DataFrame:
    import duckdb

    with duckdb.connect(str(build.warehouse), read_only=True) as con:
        return con.execute(sql).df()


def test_score_tier_rates_equal_outcomes_derived_again_from_the_snapshots(
    sample_build: DbtBuild,
) -> None:
    months = frame(
        sample_build,
        "select loan_id, reporting_month, days_past_due, is_active, is_month_to_date "
        "from intermediate.int_loan_months_snapshotted order by loan_id, reporting_month",
    )
    tiers = frame(
        sample_build,
        "select loan_id, reporting_month, score_tier "
        "from intermediate.int_loan_month_end_outcomes where score_tier is not null",
    )
    by_loan = months.groupby("loan_id")
    ahead = pd.concat(
        [by_loan["days_past_due"].shift(-k).rename(f"dpd_{k}") for k in (1, 2, 3)], axis=1
    )
    months = months.join(ahead)
    third_is_month_end = by_loan["is_month_to_date"].shift(-3).eq(False)
    months = months[months["is_active"] & third_is_month_end & (months["days_past_due"] <= 90)]
    worst = months[["dpd_1", "dpd_2", "dpd_3"]].max(axis=1)
    months = months.assign(late_30=worst > 30, late_90=worst > 90).merge(
        tiers, on=["loan_id", "reporting_month"], validate="one_to_one"
    )
    expected = months.groupby("score_tier").agg(
        n=("late_30", "size"), r30=("late_30", "mean"), r90=("late_90", "mean")
    )
    mart = frame(
        sample_build,
        "select * from marts.rpt_pricing_tiers where pricing_basis = 'score_tier'",
    ).set_index("tier_code")
    assert sorted(mart.index) == sorted(expected.index) == ["A", "B", "C", "D"]
    for tier, row in expected.iterrows():
        assert mart.loc[tier, "observations_count"] == row["n"]
        assert mart.loc[tier, "observed_30_plus_rate"] == pytest.approx(row["r30"], abs=1e-12)
        assert mart.loc[tier, "observed_90_plus_rate"] == pytest.approx(row["r90"], abs=1e-12)


def test_break_even_is_the_documented_formula_with_the_declared_vars(
    sample_build: DbtBuild,
) -> None:
    declared = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    funding = declared["pricing_funding_cost_rate"]
    opex = declared["pricing_operating_cost_rate"]
    margin = declared["pricing_target_margin_rate"]
    lgd = frame(
        sample_build,
        "select lgd from marts.rpt_lgd_estimate where row_level = 'portfolio' and is_as_of_date",
    )["lgd"].iloc[0]
    mart = frame(sample_build, "select * from marts.rpt_pricing_tiers")
    assert set(mart["pricing_basis"]) == {"score_tier", "probability_decile"}
    assert sorted(mart.loc[mart["pricing_basis"] == "probability_decile", "tier_sort_order"]) == (
        list(range(1, 11))
    )
    for _, row in mart.iterrows():
        loss = (1 - (1 - row["observed_90_plus_rate"]) ** 4) * lgd
        assert row["expected_loss_rate"] == pytest.approx(loss, abs=1e-12)
        rate = (funding + opex + loss) / (1 - loss) + margin
        assert row["break_even_annual_rate"] == pytest.approx(rate, abs=1e-12)
    # riskier tiers cost more on the sample: A is the cheapest, D the dearest
    tiers = mart[mart["pricing_basis"] == "score_tier"].set_index("tier_code")
    assert tiers["break_even_annual_rate"].idxmin() == "A"
    assert tiers["break_even_annual_rate"].idxmax() == "D"


# --- the chart ------------------------------------------------------------------------------


def test_the_chart_is_catalogued_on_the_pricing_mart() -> None:
    assert CHARTS["pricing_tiers"].data_marts == ("rpt_pricing_tiers",)


def test_the_chart_draws_the_mart_rows_capped_with_the_vocabulary_bounds(tmp_path: Path) -> None:
    code, out = draw(
        tmp_path, make_warehouse(tmp_path / "tiny.duckdb", TINY_MARTS), "--only", "pricing_tiers"
    )
    assert code == 0
    drawn = sidecar(out, "pricing_tiers")
    assert drawn["status"] == "drawn", drawn["reason"]
    by_tier, by_decile = drawn["axes"]
    tiers = sorted((t for t in TIERS if t[0] == "score_tier"), key=lambda t: t[2])
    shown = bars(by_tier, BREAK_EVEN)
    assert [value for _, value in shown] == pytest.approx([min(t[6], 1.0) for t in tiers])
    # the tiny vocabulary's bounds ([75, 100], ...), not the default floors
    assert str(shown[0][0]).startswith("A [75, 100]")
    deciles = sorted((t for t in TIERS if t[0] == "probability_decile"), key=lambda t: t[2])
    assert [str(c) for c, _ in bars(by_decile, BREAK_EVEN)] == [t[1] for t in deciles]
    assert [v for _, v in bars(by_decile, "observed 30+ rate (3 months)")] == pytest.approx(
        [t[4] for t in deciles]
    )


def test_without_decile_rows_the_chart_says_the_model_is_not_built(tmp_path: Path) -> None:
    columns, rows = PRICING_MARTS["rpt_pricing_tiers"]
    tiers_only = (columns, [row for row in rows if row[0] == "score_tier"])
    warehouse = make_warehouse(
        tmp_path / "tiny.duckdb", {**TINY_MARTS, "rpt_pricing_tiers": tiers_only}
    )
    code, out = draw(tmp_path, warehouse, "--only", "pricing_tiers")
    assert code == 0
    titles = [axes["title"] for axes in sidecar(out, "pricing_tiers")["axes"]]
    assert any("not built" in title for title in titles), titles
