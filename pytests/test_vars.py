"""Every threshold is a var a user may override; doing so must not break the unit tests,
and a wrong var stops the build before anything is built, with a message naming it.

Unit tests hold hand-computed expectations for the default thresholds, so each one
pins the vars it relies on (`overrides: vars:`). Otherwise
`dbt build --vars '{arrears_tolerance: 5}'` would fail its unit tests and dbt
would skip the models. This test runs every unit test with every var moved away
from its default at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from conftest import PROJECT_DIR, DbtBuild, run_dbt

# Valid values, each different from the default in dbt_project.yml.
PERTURBED: dict[str, Any] = {
    "as_of_date": "2020-01-01",
    "keep_exact_duplicate_payments": True,
    "plausible_date_range": ["1995-01-01", "2090-12-31"],
    "plausible_age_range": [21, 99],
    "arrears_tolerance": 7,
    "segment_tolerance": 0.2,
    "repayment_score_weights": {"paid_ratio": 0.4, "current_dpd": 0.4, "max_dpd": 0.2},
    "repayment_score_dpd_caps": {"current_dpd": 60, "max_dpd": 120},
    "score_tier_floors": {"A": 85, "B": 65, "C": 45},
    "score_band_width": 20,
    "planned_vs_actual_bin_edges": [-100, 0, 100],
    "par_thresholds": [15, 60],
    "behind_schedule_tolerance_amount": 50,
    "reconciliation_tolerance_amount": 5,
    "min_segment_size": 2,
    "risk_loan_to_income_threshold": 0.8,
    "risk_interest_rate_threshold_pct": 9.5,
    "risk_tier_points": {"high_loan_to_income": 3, "high_interest_rate": 1, "unemployed": 1},
    "risk_tier_min_points": {"high": 5, "medium": 2},
    "reporting_date_horizon_days": 200,
    "currency_code": "EUR",
    "raw_csv_encoding": "latin-1",
    "pd_lookback_months": 6,
    "ecl_max_horizon_months": 60,
    "stage_probation_months": 1,
    "lgd_workout_months": 6,
    "lgd_min_defaults": 5,
    "lgd_fallback": 0.6,
    "ecl_discount_rate_annual": 0.24,
    "provision_matrix_bands": [
        {"band": "current", "max_days_past_due": 0, "loss_rate": 0.02},
        {"band": "overdue", "max_days_past_due": 90, "loss_rate": 0.3},
        {"band": "defaulted", "max_days_past_due": None, "loss_rate": 1},
    ],
    "default_model_evaluation_months": 4,
    "default_model_max_sample_rows": 1000,
    "pricing_funding_cost_rate": 0.07,
    "pricing_operating_cost_rate": 0.04,
    "pricing_target_margin_rate": 0.01,
}
# raw_dir switches unit tests off (they mock the seeds); the contract is not a threshold.
NOT_PERTURBED = {"raw_dir", "feed_contract"}


def test_every_var_is_perturbed_here() -> None:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    assert set(project["vars"]) - NOT_PERTURBED == set(PERTURBED)
    for name, value in PERTURBED.items():
        assert value != project["vars"][name], name


def test_unit_tests_pass_whatever_vars_the_user_sets(sample_build: DbtBuild) -> None:
    workdir: Path = sample_build.warehouse.parent
    run = run_dbt(
        ["test", "--select", "test_type:unit"], workdir, PERTURBED, target_name="vars_target"
    )
    unit_tests = [r for r in run.result.result.results if r.node.resource_type == "unit_test"]
    assert len(unit_tests) > 30
    failed = [r.node.name for r in unit_tests if r.status != "pass"]
    assert run.success and failed == [], failed


def failed_run_message(build: DbtBuild) -> str:
    """The error dbt reported for a run stopped by on-run-start (exception or log)."""
    assert not build.success, "the build should have been stopped"
    assert "Compilation Error in operation loans_warehouse-on-run-start" in build.log
    assert "Traceback" not in build.log, "the user should read a sentence, not a stack trace"
    assert "OK created" not in build.log, "nothing may be built"
    return build.log


def test_an_unknown_var_stops_the_build_and_suggests_the_declared_one(tmp_path: Path) -> None:
    build = run_dbt(["build"], tmp_path, {"raw_dri": "/data/lender_x"})
    log = failed_run_message(build)
    assert "unknown var 'raw_dri' — did you mean 'raw_dir'?" in log


def test_an_impossible_as_of_date_stops_the_build_first(tmp_path: Path) -> None:
    # also set out-of-range thresholds: the date is reported first, alone
    build = run_dbt(["build"], tmp_path, {"as_of_date": "2023-13-45", "min_segment_size": 0})
    log = failed_run_message(build)
    assert "var as_of_date must be a calendar date written YYYY-MM-DD" in log
    assert "got '2023-13-45'" in log
    assert "min_segment_size" not in log.split("Compilation Error")[1]


BAD_THRESHOLDS: dict[str, Any] = {
    "arrears_tolerance": -1,
    "segment_tolerance": -0.05,
    "behind_schedule_tolerance_amount": -2,
    "reconciliation_tolerance_amount": -0.01,
    "score_tier_floors": {"A": 60, "B": 80, "C": 40},
    "repayment_score_dpd_caps": {"current_dpd": 0, "max_dpd": 180},
    "planned_vs_actual_bin_edges": [-100, 100, 50],
    "plausible_date_range": ["2099-12-31", "1970-01-01"],
    "plausible_age_range": [120, 18],
    "min_segment_size": 0,
    "currency_code": "EURO",
    "raw_csv_encoding": "cp1252",
    "reporting_date_horizon_days": 0,
    "risk_tier_min_points": {"high": 1, "medium": 1},
    "default_model_evaluation_months": 0,
    "default_model_max_sample_rows": 10,
    "pricing_funding_cost_rate": 1.5,
    "pricing_operating_cost_rate": -0.01,
    "pricing_target_margin_rate": "two",
}


def test_every_out_of_range_threshold_stops_the_build_naming_the_var(tmp_path: Path) -> None:
    build = run_dbt(["build"], tmp_path, BAD_THRESHOLDS)
    message = failed_run_message(build).split("Compilation Error")[1]
    for name in BAD_THRESHOLDS:
        assert f"var {name} must" in message, name
