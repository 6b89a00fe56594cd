"""Every threshold is a var a user may override; doing so must not break the unit tests.

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
    "behind_schedule_tolerance_amount": 50,
    "reconciliation_tolerance_amount": 5,
    "min_segment_size": 2,
    "risk_segment_rate_multiplier": 3,
    "risk_tier_points": {"defaulted_loan": 5, "behind_schedule_loan": 1, "high_default_segment": 2},
    "risk_tier_min_points": {"high": 5, "medium": 2},
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
