"""scripts.benchmark_stats: the per-layer and credit-loss figures of the benchmark report, on a
hand-made target folder (a four-node build whose times are summed here by hand)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.benchmark_stats import (
    build_times,
    data_work_ratio,
    fixed_cost_shares,
    repeated_ratio,
)

NODES = {
    "model.p.stg_orders": {"resource_type": "model", "original_file_path": "models/staging/x.sql"},
    "model.p.int_pd": {
        "resource_type": "model",
        "original_file_path": "models/intermediate/credit_loss/int_pd.sql",
    },
    "test.p.not_null_int_pd": {
        "resource_type": "test",
        "depends_on": {"nodes": ["model.p.int_pd"]},
    },
    "test.p.unique_stg_orders": {
        "resource_type": "test",
        "depends_on": {"nodes": ["model.p.stg_orders"]},
    },
}
SECONDS = {
    "model.p.stg_orders": 6.0,
    "model.p.int_pd": 1.5,
    "test.p.not_null_int_pd": 0.5,
    "test.p.unique_stg_orders": 2.0,
}


def write_target(folder: Path) -> Path:
    results = [
        {"unique_id": node, "execution_time": seconds, "status": "success"}
        for node, seconds in SECONDS.items()
    ]
    (folder / "run_results.json").write_text(json.dumps({"results": results, "elapsed_time": 7}))
    (folder / "manifest.json").write_text(json.dumps({"nodes": NODES}))
    return folder


def test_credit_loss_nodes_and_their_tests_are_counted_against_the_rest(tmp_path: Path) -> None:
    times = build_times(write_target(tmp_path), slowest=2)
    # credit loss: the model (1.5) and its test (0.5) = 2.0 of 10.0 node seconds;
    # the rest of the build is 8.0, so credit loss adds 2.0 / 8.0 = 25 % to it.
    assert times["credit_loss_seconds"] == 2.0
    assert times["credit_loss_share"] == 0.2
    assert times["credit_loss_added"] == 0.25
    assert times["layer_seconds"] == {"staging": 6.0, "intermediate": 1.5, "data tests": 2.5}
    assert [row["node"] for row in times["slowest"]] == [
        "model.p.stg_orders",
        "test.p.unique_stg_orders",
    ]


def test_a_build_of_only_credit_loss_nodes_has_no_ratio_to_the_rest(tmp_path: Path) -> None:
    target = write_target(tmp_path)
    results = json.loads((target / "run_results.json").read_text())
    results["results"] = [r for r in results["results"] if "int_pd" in r["unique_id"]]
    (target / "run_results.json").write_text(json.dumps(results))
    times = build_times(target, slowest=1)
    assert times["credit_loss_share"] == pytest.approx(1.0)
    assert times["credit_loss_added"] is None


# dbt's fixed cost: a 150 s build (130 s of nodes) against a 30 s run of the same nodes on the
# sample (26 s of nodes) and a 26 s hand-written script.
BUILD = {"seconds": 150.0, "execution_seconds": 130.0}
FIXED = {"seconds": 30.0, "execution_seconds": 26.0}


def test_the_fixed_cost_is_a_share_of_the_node_time_and_the_floor_of_the_wall_time() -> None:
    # 26 / 130 = 0.2 of the node time; the floor is the build's 20 s of start-up plus the 26 s
    # of nodes: 46 / 150 = 0.3067 (the sample run's own 30 s, parse included, is not used)
    assert fixed_cost_shares(BUILD, FIXED) == {
        "build_data_work_seconds": 104.0,  # 130 - 26
        "share_of_build_execution": 0.2,
        "floor_share_of_build_wall": 0.307,
    }


def test_the_data_work_ratio_leaves_the_fixed_cost_out() -> None:
    # (130 - 26) / 26 = 4.0, where the whole node time gives 130 / 26 = 5.0
    assert data_work_ratio(BUILD, FIXED, {"seconds": 26.0}) == 4.0


def test_repeated_runs_report_the_median_of_their_ratios() -> None:
    # ratios 100/40 = 2.5, 120/30 = 4.0, 90/30 = 3.0: the median is 3.0, not the ratio of the
    # summed seconds (310 / 100 = 3.1) nor the first run's 2.5
    result = repeated_ratio([(100.0, 40.0), (120.0, 30.0), (90.0, 30.0)])
    assert result["median_ratio"] == 3.0
    assert [run["ratio"] for run in result["runs"]] == [2.5, 4.0, 3.0]
    # an even count takes the mean of the middle two: (2.5 + 3.0) / 2
    assert repeated_ratio([(100.0, 40.0), (90.0, 30.0)])["median_ratio"] == 2.75
    assert repeated_ratio([(96.0, 32.0)])["median_ratio"] == 3.0
