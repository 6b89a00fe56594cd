"""Family A repayment marts: every number checked against a second, independent method.

The expectations come from pytests/repayment_reference.py, a plain-Python reading of
docs/metrics.md over the raw feed files (quarantined rows left out by the generator's manifest),
never from the warehouse's own output. The builds are the shared session fixtures of
conftest.py; the extra dbt runs here are compiles (bad score weights, PAR thresholds out of
order). The portfolio marts are checked in test_repayment_marts.py, a build as of an earlier
date in test_repayment_as_of.py; shared helpers in repayment_helpers.py.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import repayment_reference as reference
from conftest import SAMPLE_DIR, DbtBuild, run_dbt
from repayment_helpers import (
    FIXED_ROW_MARTS,
    MARTS,
    Reference,
    bucket,
    close,
    keyed,
    rows,
    tier,
)

# --- the as-of mart, loan by loan ---------------------------------------------------------


def assert_as_of_loans_match(build: DbtBuild, expected: Reference) -> None:
    actual = {row["loan_id"]: row for row in rows(build, "select * from marts.fct_loan_repayment")}
    assert set(actual) == set(expected.at_as_of), "one row per loan disbursed by as_of_date"
    mismatches = []
    for loan_id, state in expected.at_as_of.items():
        row, loan = actual[loan_id], expected.loans[loan_id]
        score = reference.score(state.paid_ratio, state.dpd, state.max_dpd)
        wanted = {
            "as_of_date": expected.as_of,
            "principal_amount": loan.principal,
            "disbursed_date": loan.disbursed,
            "closed_date": loan.closed if state.is_closed else None,
            "loan_status": "closed" if state.is_closed else "active",
            "planned_to_date_amount": state.planned,
            "paid_to_date_amount": state.paid,
            "payment_gap_amount": state.planned - state.paid,
            "arrears_amount": state.arrears,
            "delta_amount": state.paid - state.planned,
            "days_past_due": state.dpd,
            "max_days_past_due": state.max_dpd,
            "dpd_bucket": bucket(state.dpd),
            "outstanding_amount": state.outstanding,
            "payments_count": state.payments_count,
            "segment": reference.segment(state),
            "score_tier": tier(None if score is None else round(score, 2)),
            "is_zero_payment_open": (not state.is_closed and state.planned > 0 and state.paid == 0),
            "has_plan_step_down": reference.has_plan_step_down(loan),
            "has_payment_before_disbursal": any(
                paid_at < loan.disbursed for paid_at, _ in loan.payments
            ),
        }
        for column, value in wanted.items():
            if row[column] != value:
                mismatches.append((loan_id, column, row[column], value))
        if not close(row["paid_ratio"], state.paid_ratio):
            mismatches.append((loan_id, "paid_ratio", row["paid_ratio"], state.paid_ratio))
        if not close(row["repayment_score"], None if score is None else round(score, 2), 1e-6):
            mismatches.append((loan_id, "repayment_score", row["repayment_score"], score))
    assert not mismatches, mismatches[:20]


def test_as_of_loans_match_an_independent_computation(
    sample_build: DbtBuild, sample_reference: Reference
) -> None:
    assert_as_of_loans_match(sample_build, sample_reference)


def test_every_loan_month_matches_an_independent_computation(
    sample_build: DbtBuild, sample_reference: Reference
) -> None:
    actual = keyed(
        sample_build,
        "select loan_id, snapshot_date, planned_to_date_amount, paid_to_date_amount, "
        "arrears_amount, days_past_due, max_days_past_due, outstanding_amount, is_closed "
        "from intermediate.int_loan_months_snapshotted",
        keys=2,
    )
    expected = {
        (state.loan_id, day): (
            state.planned,
            state.paid,
            state.arrears,
            state.dpd,
            state.max_dpd,
            state.outstanding,
            state.is_closed,
        )
        for day, states in sample_reference.by_month.items()
        for state in states
    }
    assert set(actual) == set(expected)
    wrong = [(key, actual[key], value) for key, value in expected.items() if actual[key] != value]
    assert not wrong, wrong[:10]


def test_month_snapshots_are_the_active_loan_months(
    sample_build: DbtBuild, sample_reference: Reference
) -> None:
    actual = set(
        sample_build.query("select loan_id, snapshot_date from marts.fct_loan_month_snapshots")
    )
    expected = {
        (state.loan_id, day)
        for day, states in sample_reference.by_month.items()
        for state in states
        if not state.is_closed
    }
    assert actual == expected


# --- data-quality flags against what the generator injected ---------------------------


def injected_flags(manifest: dict[str, Any]) -> dict[str, set[str]]:
    flags: dict[str, set[str]] = defaultdict(set)
    for entry in manifest["injected"]:
        if entry["kind"] == "flag" and entry["feed"] in {"plan", "payments"}:
            flags[entry["reason"]].add(entry["key"])
    return flags


def assert_injected_flags_found(build: DbtBuild, manifest: dict[str, Any]) -> None:
    flags = injected_flags(manifest)
    assert set(flags) == {"plan_step_down", "payment_before_disbursal"}
    for reason, column in [
        ("plan_step_down", "has_plan_step_down"),
        ("payment_before_disbursal", "has_payment_before_disbursal"),
    ]:
        flagged = {
            row[0]
            for row in build.query(f"select loan_id from marts.fct_loan_repayment where {column}")
        }
        # the clean generator never steps a plan down nor pays before disbursal: the flags
        # find exactly the injected loans
        assert flagged == flags[reason], reason


def test_injected_family_a_flags_are_found_in_the_sample(sample_build: DbtBuild) -> None:
    manifest = json.loads((SAMPLE_DIR / "_manifest.json").read_text())
    assert_injected_flags_found(sample_build, manifest)


# --- other inputs: a generated raw_dir, the published Family B data, an earlier date --------


def test_generated_raw_dir_builds_non_empty_marts_that_match(
    dirty_build: DbtBuild, dirty_feeds: tuple[Path, dict[str, Any]]
) -> None:
    folder, manifest = dirty_feeds
    for mart in MARTS:
        assert dirty_build.scalar(f"select count(*) from marts.{mart}") > 0, mart
    assert_as_of_loans_match(dirty_build, Reference(folder))
    assert_injected_flags_found(dirty_build, manifest)


def test_family_a_marts_build_empty_on_the_published_family_b_data(
    published_build: DbtBuild,
) -> None:
    for mart in MARTS:
        if mart in FIXED_ROW_MARTS:
            # bins, segments, feature pairs and score buckets are listed, with no loan in them
            loans = "n" if mart == "rpt_repayment_correlations" else "loans"
            assert published_build.scalar(f"select count(*) from marts.{mart}") > 0, mart
            assert published_build.scalar(f"select sum({loans}) from marts.{mart}") == 0, mart
        else:
            assert published_build.scalar(f"select count(*) from marts.{mart}") == 0, mart


# --- the score weights are validated --------------------------------------------------------


def test_score_weights_that_do_not_sum_to_one_fail_compilation(tmp_path: Path) -> None:
    build = run_dbt(
        ["compile", "--select", "fct_loan_repayment"],
        tmp_path,
        {"repayment_score_weights": {"paid_ratio": 0.6, "current_dpd": 0.3, "max_dpd": 0.2}},
    )
    assert not build.success
    message = str(build.result.exception) + build.log
    assert "var repayment_score_weights must be between 0 and 1 and sum to 1" in message
    assert "sum 1.1" in message


def test_par_thresholds_out_of_order_fail_compilation_naming_the_var(tmp_path: Path) -> None:
    build = run_dbt(
        ["compile", "--select", "rpt_risk_trend_monthly"], tmp_path, {"par_thresholds": [90, 30]}
    )
    assert not build.success
    message = str(build.result.exception) + build.log
    assert "var par_thresholds must be strictly ascending" in message
