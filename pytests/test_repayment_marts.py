"""Family A portfolio marts (risk trend, zero-payment liabilities, roll rates, vintage curves,
segments, histogram, score bands, correlations) against the independent computation of
repayment_reference.py over the raw sample files, never the warehouse's own output.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import repayment_reference as reference
from conftest import DbtBuild
from repayment_helpers import (
    Reference,
    bucket,
    close,
    keyed,
    month_start,
    rows,
    tier,
)

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


def test_correlations_of_amounts_in_a_large_denomination_currency(
    sample_build: DbtBuild,
) -> None:
    """The mart's own SQL (as dbt compiled it for the sample) on 300 loans of up to 10^13 (a
    currency of large denominations): squared deviations of such amounts, summed, pass the 26
    digits a decimal(38, 12) keeps before the point, so the exact sums must work on deviations
    scaled into [-1, 1]. Expected: numpy's Pearson r on the same values, to 1e-12."""
    compiled = next(
        (sample_build.warehouse.parent / "target" / "compiled").rglob(
            "rpt_repayment_correlations.sql"
        )
    ).read_text()
    rng = np.random.default_rng(7)
    amounts = rng.uniform(1e11, 1e13, size=(300, 4))
    counts = rng.integers(0, 400, size=(300, 5)).astype(float)
    frame = pd.DataFrame(
        {
            "loan_id": [f"L{i}" for i in range(300)],
            "principal_amount": amounts[:, 0],
            "term_days": counts[:, 0],
            "scheduled_total_amount": amounts[:, 1],
            "paid_to_date_amount": amounts[:, 2],
            "paid_ratio": amounts[:, 2] / amounts[:, 1],
            "delta_amount": amounts[:, 2] - amounts[:, 3],
            "days_past_due": counts[:, 1],
            "max_days_past_due": counts[:, 1] + counts[:, 2],
            "payments_count": counts[:, 3],
            "repayment_score": counts[:, 4] / 4,
        }
    )
    columns = {  # feature name -> column, as macro correlation_features() maps them
        "issued_sum": "principal_amount",
        "term_days": "term_days",
        "planned_total": "scheduled_total_amount",
        "paid_to_date": "paid_to_date_amount",
        "paid_ratio": "paid_ratio",
        "delta": "delta_amount",
        "current_dpd": "days_past_due",
        "max_dpd": "max_days_past_due",
        "payments_count": "payments_count",
        "score": "repayment_score",
    }
    database = sample_build.warehouse.stem  # the compiled SQL names <database>.marts.<table>
    with duckdb.connect() as con:
        con.execute(f"attach ':memory:' as {database}")
        con.execute(f"create schema {database}.marts")
        con.register("frame", frame)
        con.execute(f"create table {database}.marts.fct_loan_repayment as select * from frame")
        actual = con.execute(f"select feature_x, feature_y, r, n from ({compiled})").fetchall()
    expected = np.corrcoef(frame[list(columns.values())].to_numpy(), rowvar=False)
    names = list(columns)
    assert len(actual) == len(names) ** 2
    for feature_x, feature_y, r, n in actual:
        assert n == 300
        assert close(r, float(expected[names.index(feature_x), names.index(feature_y)]), 1e-12), (
            feature_x,
            feature_y,
            r,
        )
