"""Family A repayment marts: every number checked against a second, independent method.

The expectations come from pytests/repayment_reference.py, a plain-Python reading of
docs/metrics.md over the raw feed files (quarantined rows left out by the generator's manifest),
never from the warehouse's own output. The builds are the shared session fixtures of
conftest.py; the two extra dbt runs here are a compile (bad score weights) and one build as
of an earlier date.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import repayment_reference as reference
from conftest import SAMPLE_DIR, DbtBuild, project_copy, run_dbt

MARTS = [
    "fct_loan_repayment",
    "fct_loan_month_snapshots",
    "rpt_risk_trend_monthly",
    "rpt_zero_payment_liabilities",
    "rpt_planned_vs_actual_distribution",
    "rpt_repayment_segments",
    "rpt_repayment_correlations",
    "rpt_roll_rates",
    "rpt_vintage_curves",
    "rpt_score_distribution",
]
# marts whose rows are fixed lists (bins, segments, feature pairs, score buckets)
FIXED_ROW_MARTS = {
    "rpt_planned_vs_actual_distribution",
    "rpt_repayment_segments",
    "rpt_repayment_correlations",
    "rpt_score_distribution",
}


class Reference:
    """The independent computation for one folder of raw feeds."""

    def __init__(self, folder: Path) -> None:
        self.loans, self.as_of = reference.load(folder)
        self.by_month = reference.portfolio_by_month(self.loans, self.as_of)
        self.at_as_of = {state.loan_id: state for state in self.by_month[self.as_of]}


def rows(build: DbtBuild, sql: str) -> list[dict[str, Any]]:
    """Rows of a query as dicts keyed by column name."""
    with duckdb.connect(str(build.warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def keyed(build: DbtBuild, sql: str, keys: int) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Rows of a query keyed by their first `keys` columns."""
    return {tuple(row[:keys]): tuple(row[keys:]) for row in build.query(sql)}


def close(actual: float | None, expected: float | None, tolerance: float = 1e-9) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=tolerance, abs_tol=tolerance)


def bucket(days_past_due: int) -> str:
    for upper, label in [(0, "current"), (30, "1-30"), (60, "31-60"), (90, "61-90")]:
        if days_past_due <= upper:
            return label
    return "90+"


def tier(score: float | None) -> str | None:
    if score is None:
        return None
    return "A" if score >= 80 else "B" if score >= 60 else "C" if score >= 40 else "D"


def month_start(day: date) -> date:
    return day.replace(day=1)


@pytest.fixture(scope="session")
def sample_reference() -> Reference:
    return Reference(SAMPLE_DIR)


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


# --- portfolio marts ------------------------------------------------------------------------


def test_risk_trend_matches_an_independent_computation(
    sample_build: DbtBuild, sample_reference: Reference
) -> None:
    actual = {
        row["snapshot_date"]: row
        for row in rows(sample_build, "select * from marts.rpt_risk_trend_monthly")
    }
    assert set(actual) == set(sample_reference.by_month)
    collected: dict[date, Decimal] = defaultdict(Decimal)
    for loan in sample_reference.loans.values():
        for paid_at, amount in loan.payments:
            for day in sample_reference.by_month:
                if month_start(day) <= paid_at <= day:
                    collected[day] += amount
    for day, states in sample_reference.by_month.items():
        active = [state for state in states if not state.is_closed]
        outstanding = sum((state.outstanding for state in active), Decimal(0))
        in_arrears = [state for state in active if state.arrears > reference.ARREARS_TOLERANCE]
        disbursed = [
            loan
            for loan in sample_reference.loans.values()
            if month_start(day) <= loan.disbursed <= day
        ]
        row = actual[day]
        assert row["active_loans"] == len(active), day
        assert row["outstanding_amount"] == outstanding, day
        assert row["loans_in_arrears"] == len(in_arrears), day
        # in arrears at 0 DPD: an instalment due that very day (bucket current)
        at_zero_dpd = [state for state in in_arrears if state.dpd == 0]
        assert row["loans_in_arrears_at_zero_dpd"] == len(at_zero_dpd), day
        past_due = sum(1 for state in active if state.dpd > 0)  # buckets 1-30 .. 90+
        assert past_due + len(at_zero_dpd) == len(in_arrears), day
        assert row["arrears_amount"] == sum((state.arrears for state in in_arrears), Decimal(0))
        counts = Counter(bucket(state.dpd) for state in active)
        for label, column in [
            ("current", "dpd_current"),
            ("1-30", "dpd_1_30"),
            ("31-60", "dpd_31_60"),
            ("61-90", "dpd_61_90"),
            ("90+", "dpd_90_plus"),
        ]:
            assert row[f"{column}_loans"] == counts[label], (day, label)
        for threshold, column in [(30, "par_30"), (90, "par_90")]:
            at_risk = sum((s.outstanding for s in active if s.dpd > threshold), Decimal(0))
            assert close(row[column], float(at_risk / outstanding) if outstanding else None)
        assert row["disbursed_loans"] == len(disbursed), day
        assert row["disbursed_amount"] == sum((loan.principal for loan in disbursed), Decimal(0))
        assert row["collected_amount"] == collected[day], day


def test_zero_payment_liabilities_total_the_exposure(
    sample_build: DbtBuild, sample_reference: Reference
) -> None:
    zero_paid = [
        state.loan_id
        for state in sample_reference.at_as_of.values()
        if not state.is_closed and state.planned > 0 and state.paid == 0
    ]
    assert zero_paid, "the sample should have zero-payment loans"
    listed = sample_build.query(
        "select loan_id, zero_payment_loans, total_exposure_amount "
        "from marts.rpt_zero_payment_liabilities"
    )
    assert {row[0] for row in listed} == set(zero_paid)
    exposure = sum((sample_reference.loans[loan_id].principal for loan_id in zero_paid), Decimal(0))
    assert {(row[1], row[2]) for row in listed} == {(len(zero_paid), exposure)}


def test_roll_rates_match_an_independent_computation(
    sample_build: DbtBuild, sample_reference: Reference
) -> None:
    days = sorted(sample_reference.by_month)
    moves: Counter[tuple[date, str, str]] = Counter()
    for previous, current in pairwise(days):
        before = {s.loan_id: s for s in sample_reference.by_month[previous]}
        for state in sample_reference.by_month[current]:
            if state.loan_id in before:
                old = before[state.loan_id]
                moves[
                    (
                        month_start(current),
                        "closed" if old.is_closed else bucket(old.dpd),
                        "closed" if state.is_closed else bucket(state.dpd),
                    )
                ] += 1
    actual = keyed(
        sample_build,
        "select reporting_month, from_state, to_state, loans, share_of_from_state "
        "from marts.rpt_roll_rates",
        keys=3,
    )
    assert {key: value[0] for key, value in actual.items()} == dict(moves)
    from_totals = Counter()
    for (month, from_state, _), count in moves.items():
        from_totals[(month, from_state)] += count
    for (month, from_state, to_state), (_, share) in actual.items():
        assert close(share, moves[(month, from_state, to_state)] / from_totals[(month, from_state)])
    assert all(to == "closed" for (_, frm, to) in moves if frm == "closed")


def test_vintage_curves_match_an_independent_computation(
    sample_build: DbtBuild, sample_reference: Reference
) -> None:
    expected: dict[tuple[date, int], list[Any]] = {}
    for day, states in sample_reference.by_month.items():
        for state in states:
            loan = sample_reference.loans[state.loan_id]
            months = (day.year - loan.disbursed.year) * 12 + day.month - loan.disbursed.month
            entry = expected.setdefault(
                (month_start(loan.disbursed), months), [0, Decimal(0), Decimal(0), 0]
            )
            entry[0] += 1
            entry[1] += loan.principal
            entry[2] += state.paid
            entry[3] += state.max_dpd > 30
    actual = keyed(
        sample_build,
        "select disbursal_month, months_on_book, cohort_loans, issued_amount, "
        "cumulative_paid_amount, loans_ever_30_plus_dpd, paid_to_issued_ratio, "
        "share_ever_30_plus_dpd from marts.rpt_vintage_curves",
        keys=2,
    )
    assert set(actual) == set(expected)
    for key, (loans, issued, paid, ever_30) in expected.items():
        got = actual[key]
        assert got[:4] == (loans, issued, paid, ever_30), key
        assert close(got[4], float(paid / issued)) and close(got[5], ever_30 / loans), key


def test_segments_histogram_and_score_bands_count_the_loans(
    sample_build: DbtBuild, sample_reference: Reference
) -> None:
    states = list(sample_reference.at_as_of.values())
    segments = Counter(reference.segment(state) for state in states)
    assert dict(sample_build.query("select segment, loans from marts.rpt_repayment_segments")) == {
        segment: segments[segment]
        for segment in ["Underpaid", "On Track", "Overpaid", "Not Yet Due"]
    }

    edges = [-2000, -1000, -500, -250, -100, -50, -1, 1, 50, 100, 250, 500, 1000, 2000]
    bins = Counter(
        sum(1 for edge in edges if state.paid - state.planned >= edge) for state in states
    )
    histogram = sample_build.query(
        "select bin_number, loans from marts.rpt_planned_vs_actual_distribution"
    )
    assert dict(histogram) == {number: bins[number - 1] for number in range(1, len(edges) + 2)}

    scores = [
        round(score, 2)
        for state in states
        if (score := reference.score(state.paid_ratio, state.dpd, state.max_dpd)) is not None
    ]
    bands = Counter(min(int(score // 10), 9) for score in scores)
    tiers = Counter(tier(score) for score in scores)
    distribution = {
        (kind, label): loans
        for kind, label, loans in sample_build.query(
            "select bucket_kind, bucket, loans from marts.rpt_score_distribution"
        )
    }
    for band in range(10):
        assert distribution[("band", f"{band * 10}-{band * 10 + 10}")] == bands[band]
    for label in "ABCD":
        assert distribution[("tier", label)] == tiers[label]
    assert distribution[("unscored", "nothing due yet")] == len(states) - len(scores)


def test_correlations_match_pandas_on_independent_features(
    sample_build: DbtBuild, sample_reference: Reference
) -> None:
    records = []
    for loan_id, state in sample_reference.at_as_of.items():
        loan = sample_reference.loans[loan_id]
        schedule = reference.running_maximum(loan)
        records.append(
            {
                "issued_sum": float(loan.principal),
                "term_days": (loan.plan[-1][0] - loan.disbursed).days if loan.plan else None,
                "planned_total": float(schedule[-1][1]) if schedule else 0.0,
                "paid_to_date": float(state.paid),
                "paid_ratio": state.paid_ratio,
                "delta": float(state.paid - state.planned),
                "current_dpd": float(state.dpd),
                "max_dpd": float(state.max_dpd),
                "payments_count": float(state.payments_count),
                "score": (
                    None
                    if (score := reference.score(state.paid_ratio, state.dpd, state.max_dpd))
                    is None
                    else round(score, 2)
                ),
            }
        )
    features = pd.DataFrame.from_records(records).astype(float)
    expected_r = features.corr(method="pearson")
    present = features.notna().astype(int)
    expected_n = present.T @ present
    actual = sample_build.query(
        "select feature_x, feature_y, r, n from marts.rpt_repayment_correlations"
    )
    assert len(actual) == len(features.columns) ** 2
    for feature_x, feature_y, r, n in actual:
        assert n == expected_n.loc[feature_x, feature_y], (feature_x, feature_y)
        assert close(r, float(expected_r.loc[feature_x, feature_y]), 1e-9), (feature_x, feature_y)


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


# --- an earlier as_of_date, on the portable fallbacks of the engine macros ---------------


def test_portable_macros_as_of_an_earlier_date_match_and_ignore_later_events(
    tmp_path: Path,
) -> None:
    """One build checks two things at the cost of one.

    Without the duckdb__ implementations, dispatch falls back to the default__ ASOF join and
    month series (what Spark would get); and as of 15 Mar 2024 the sample still holds
    15 months of later events, which must not leak into any state.
    """
    project = project_copy(tmp_path / "project")
    for macro_file, name in [
        ("asof_join.sql", "asof_left_join"),
        ("month_end_series.sql", "month_end_series"),
    ]:
        path = project / "macros" / "engine" / macro_file
        text = path.read_text()
        assert f"macro duckdb__{name}(" in text
        path.write_text(text.replace(f"macro duckdb__{name}(", f"macro unused_duckdb__{name}("))
    as_of = date(2024, 3, 15)
    build = run_dbt(
        ["build", "--select", "+fct_loan_repayment", "+rpt_risk_trend_monthly"]
        + ["--resource-type", "seed", "--resource-type", "model"],
        tmp_path / "warehouse",
        {"as_of_date": as_of.isoformat()},
        project_dir=project,
    )
    assert build.success, build.log[-3000:]
    compiled = (
        tmp_path
        / "warehouse/target/compiled/loans_warehouse/models/intermediate/repayment"
        / "int_loan_months_snapshotted.sql"
    ).read_text()
    assert "asof left join" not in compiled.lower() and "asof_neighbour_key" in compiled

    loans, _ = reference.load(SAMPLE_DIR)
    states = reference.portfolio_by_month(loans, as_of)
    assert max(states) == as_of
    actual = keyed(
        build,
        "select loan_id, snapshot_date, planned_to_date_amount, paid_to_date_amount, "
        "days_past_due, max_days_past_due, outstanding_amount, is_closed "
        "from intermediate.int_loan_months_snapshotted",
        keys=2,
    )
    assert actual == {
        (s.loan_id, day): (s.planned, s.paid, s.dpd, s.max_dpd, s.outstanding, s.is_closed)
        for day, month in states.items()
        for s in month
    }
    last = build.query(
        "select snapshot_date, is_month_to_date from marts.rpt_risk_trend_monthly "
        "order by reporting_month desc limit 1"
    )
    assert last == [(as_of, True)]
    assert build.scalar("select max(as_of_date) from marts.fct_loan_repayment") == as_of
