"""Credit loss (IFRS 9 ECL): P, cPD and per-loan ECL recomputed in numpy, loan by loan.

The recomputation reads only the inputs of the credit-loss models (the Family A
loan-month states, instalment schedule, payment days and reporting date) and
follows docs/credit_loss.md month by month: P counted from consecutive month-end
snapshots, cPD from numpy.linalg.matrix_power (repeated squaring, where the
warehouse multiplies step by step), EAD_t from the schedule at each month-end, the
ECL as the plain sum over t = 1 .. H (the warehouse sums per EAD step). It must
match the marts to 1e-9, on the sample and on a build as of an earlier, mid-month
date with a 24 % discount rate.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
import yaml
from conftest import PROJECT_DIR, DbtBuild, run_dbt

STATES = ["current", "1-30", "31-60", "61-90", "90+", "closed"]
DEFAULT = STATES.index("90+")
ABSORBING = {"90+", "closed"}
TOLERANCE = 1e-9
DEFAULT_VARS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
EARLIER_VARS = {"as_of_date": "2025-03-20", "ecl_discount_rate_annual": 0.24}


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_end(index: int) -> date:
    year, month = divmod(index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def fetch(build: DbtBuild, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(build.warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def num(value: Any) -> float:
    return float(value) if value is not None else 0.0


@dataclass
class Inputs:
    """The inputs of the credit-loss models, as read from one build."""

    as_of: date
    states: list[dict[str, Any]]  # int_loan_months_snapshotted
    schedule: dict[str, list[tuple[date, float]]]  # loan -> [(due date, cumulative amount)]
    payments: dict[str, list[tuple[date, float]]]  # loan -> [(paid date, amount)]

    @classmethod
    def read(cls, build: DbtBuild) -> Inputs:
        as_of = build.scalar(
            "select as_of_date from intermediate.int_reporting_dates where portfolio = 'family_a'"
        )
        states = fetch(
            build,
            """
            select loan_id, reporting_month, snapshot_date, dpd_bucket, days_past_due,
                is_closed, is_active, is_month_to_date, principal_outstanding_amount,
                scheduled_total_amount, planned_to_date_amount
            from intermediate.int_loan_months_snapshotted
            """,
        )
        schedule: dict[str, list[tuple[date, float]]] = {}
        for row in fetch(
            build,
            "select loan_id, planned_date, scheduled_cumulative_amount"
            " from intermediate.int_loan_instalments_scheduled order by loan_id, planned_date",
        ):
            schedule.setdefault(row["loan_id"], []).append(
                (row["planned_date"], num(row["scheduled_cumulative_amount"]))
            )
        payments: dict[str, list[tuple[date, float]]] = {}
        for row in fetch(
            build,
            "select loan_id, paid_date, paid_amount from intermediate.int_loan_payments_cumulated",
        ):
            payments.setdefault(row["loan_id"], []).append(
                (row["paid_date"], num(row["paid_amount"]))
            )
        return cls(as_of, states, schedule, payments)


class Recomputation:
    """docs/credit_loss.md, month by month, for one evaluation date."""

    def __init__(self, inputs: Inputs, evaluation_date: date, dbt_vars: dict[str, Any]) -> None:
        self.inputs = inputs
        self.d = evaluation_date
        self.vars = {**DEFAULT_VARS, **dbt_vars}
        self.month_ends = [row for row in inputs.states if not row["is_month_to_date"]]
        self.P, self.counts = self.transition_matrix()
        self.horizon = int(self.vars["ecl_max_horizon_months"])
        powers = [np.linalg.matrix_power(self.P, h) for h in range(self.horizon + 1)]
        self.cpd = np.array([[power[i, DEFAULT] for power in powers] for i in range(len(STATES))])
        self.lgd, self.lgd_observations = self.portfolio_lgd()

    @staticmethod
    def state(row: dict[str, Any]) -> str:
        return "closed" if row["is_closed"] else row["dpd_bucket"]

    def transition_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        d_month = month_index(self.d)
        last = d_month if month_end(d_month) == self.d else d_month - 1
        first = last - int(self.vars["pd_lookback_months"]) + 1
        by_loan: dict[str, dict[int, str]] = {}
        for row in self.month_ends:
            by_loan.setdefault(row["loan_id"], {})[month_index(row["reporting_month"])] = (
                self.state(row)
            )
        counts = np.zeros((len(STATES), len(STATES)))
        for months in by_loan.values():
            for month, to_state in months.items():
                if first <= month <= last and month - 1 in months:
                    counts[STATES.index(months[month - 1]), STATES.index(to_state)] += 1
        matrix = np.eye(len(STATES))
        for i, name in enumerate(STATES):
            if name not in ABSORBING and counts[i].sum() > 0:
                matrix[i] = counts[i] / counts[i].sum()
        return matrix, counts

    def portfolio_lgd(self) -> tuple[float, int]:
        rate = float(self.vars["ecl_discount_rate_annual"])
        workout = int(self.vars["lgd_workout_months"])
        first_default: dict[str, dict[str, Any]] = {}
        for row in sorted(self.month_ends, key=lambda r: r["reporting_month"]):
            if row["dpd_bucket"] == "90+":
                first_default.setdefault(row["loan_id"], row)
        weighted = exposure = 0.0
        observations = 0
        for loan_id, row in first_default.items():
            default_month = month_index(row["reporting_month"])
            window_end = month_end(default_month + workout)
            ead = num(row["principal_outstanding_amount"])
            if window_end > self.d or ead <= 0:
                continue
            recovered = sum(
                amount * (1 + rate / 12) ** -(month_index(paid) - default_month)
                for paid, amount in self.inputs.payments.get(loan_id, [])
                if row["snapshot_date"] < paid <= window_end
            )
            weighted += min(max(1 - recovered / ead, 0.0), 1.0) * ead
            exposure += ead
            observations += 1
        if observations < int(self.vars["lgd_min_defaults"]):
            return float(self.vars["lgd_fallback"]), observations
        return weighted / exposure, observations

    def remaining_schedule(self, loan_id: str, at: date) -> float:
        points = self.inputs.schedule.get(loan_id, [])
        total = max((amount for _, amount in points), default=0.0)
        planned = max((amount for due, amount in points if due <= at), default=0.0)
        return total - planned

    def stage(self, loan_id: str, days_past_due: int) -> int:
        if days_past_due > 90:
            return 3
        if days_past_due > 30:
            return 2
        d_month = month_index(self.d)
        lookback = int(self.vars["stage_probation_months"])
        for row in self.month_ends:
            months_before = d_month - month_index(row["reporting_month"])
            if (
                row["loan_id"] == loan_id
                and 1 <= months_before <= lookback
                and row["days_past_due"] > 30
            ):
                return 2
        return 1

    def loan_ecl(self) -> dict[str, dict[str, float]]:
        rate = float(self.vars["ecl_discount_rate_annual"])
        d_month = month_index(self.d)
        results = {}
        for row in self.inputs.states:
            if row["snapshot_date"] != self.d or not row["is_active"]:
                continue
            loan_id = row["loan_id"]
            i = STATES.index(row["dpd_bucket"])
            ead = num(row["principal_outstanding_amount"])
            stage = self.stage(loan_id, row["days_past_due"])
            points = self.inputs.schedule.get(loan_id, [])
            last_due = max((due for due, _ in points), default=None)
            remaining_term = max(1, month_index(last_due) - d_month) if last_due else 1
            term = min(remaining_term, self.horizon)
            if stage == 3:
                results[loan_id] = {
                    "stage": 3,
                    "ecl": self.lgd * ead,
                    "pd_12m": 1.0,
                    "pd_lifetime": 1.0,
                }
                continue
            horizon = min(12, term) if stage == 1 else term
            remaining_now = num(row["scheduled_total_amount"]) - num(row["planned_to_date_amount"])
            total = 0.0
            for t in range(1, horizon + 1):
                previous_end = self.d if t == 1 else month_end(d_month + t - 1)
                if remaining_now == 0:
                    ead_t = ead
                else:
                    ead_t = ead * self.remaining_schedule(loan_id, previous_end) / remaining_now
                marginal = self.cpd[i, t] - self.cpd[i, t - 1]
                total += marginal * ead_t * (1 + rate / 12) ** -t
            results[loan_id] = {
                "stage": stage,
                "ecl": self.lgd * total,
                "pd_12m": self.cpd[i, min(12, term)],
                "pd_lifetime": self.cpd[i, term],
            }
        return results


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory: pytest.TempPathFactory) -> DbtBuild:
    """The sample as of a mid-month date with a 24 % discount rate (credit-loss models only)."""
    workdir: Path = tmp_path_factory.mktemp("credit_loss_earlier")
    build = run_dbt(
        [
            "build",
            "--select",
            "+models/marts/credit_loss",
            "--exclude",
            "test_type:unit",
            "--indirect-selection",
            "cautious",
        ],
        workdir,
        EARLIER_VARS,
    )
    assert build.success, build.log[-3000:]
    return build


@pytest.fixture(params=["sample", "earlier"])
def scenario(request: pytest.FixtureRequest) -> tuple[DbtBuild, dict[str, Any]]:
    if request.param == "sample":
        return request.getfixturevalue("sample_build"), {}
    return request.getfixturevalue("earlier_build"), EARLIER_VARS


def previous_month_end(day: date) -> date:
    return month_end(month_index(day) - 1)


def test_transition_matrix_and_pd_term_structure_match_numpy(scenario) -> None:
    build, dbt_vars = scenario
    inputs = Inputs.read(build)
    for evaluation_date in (inputs.as_of, previous_month_end(inputs.as_of)):
        reference = Recomputation(inputs, evaluation_date, dbt_vars)
        matrix = fetch(
            build,
            "select * from marts.rpt_transition_matrix"
            f" where evaluation_date = '{evaluation_date}'",
        )
        assert len(matrix) == 36
        assert reference.counts.sum() > 0
        for row in matrix:
            i, j = STATES.index(row["from_state"]), STATES.index(row["to_state"])
            assert row["transitions_count"] == reference.counts[i, j], row
            assert abs(row["transition_probability"] - reference.P[i, j]) < TOLERANCE, row
        terms = fetch(
            build,
            "select * from marts.rpt_pd_term_structure"
            f" where evaluation_date = '{evaluation_date}'",
        )
        assert len(terms) == len(STATES) * reference.horizon
        for row in terms:
            i, h = STATES.index(row["from_state"]), row["horizon_months"]
            assert abs(row["cumulative_pd"] - reference.cpd[i, h]) < TOLERANCE, row
            assert (
                abs(row["marginal_pd"] - (reference.cpd[i, h] - reference.cpd[i, h - 1]))
                < TOLERANCE
            )


def test_lgd_matches_numpy(scenario) -> None:
    build, dbt_vars = scenario
    inputs = Inputs.read(build)
    reference = Recomputation(inputs, inputs.as_of, dbt_vars)
    (row,) = fetch(
        build,
        "select * from marts.rpt_lgd_estimate where row_level = 'portfolio' and is_as_of_date",
    )
    assert row["observations_count"] == reference.lgd_observations
    assert abs(row["lgd"] - reference.lgd) < TOLERANCE
    assert row["is_fallback_used"] == (
        reference.lgd_observations < DEFAULT_VARS["lgd_min_defaults"]
    )


def test_every_loan_ecl_matches_numpy(scenario) -> None:
    build, dbt_vars = scenario
    inputs = Inputs.read(build)
    expected = Recomputation(inputs, inputs.as_of, dbt_vars).loan_ecl()
    actual = {
        row["loan_id"]: row
        for row in fetch(build, "select * from marts.fct_loan_expected_credit_loss")
    }
    assert set(actual) == set(expected) and len(expected) > 50
    assert {row["stage"] for row in expected.values()} == {1, 2, 3}
    for loan_id, want in expected.items():
        got = actual[loan_id]
        assert got["stage"] == want["stage"], loan_id
        assert abs(got["ecl_amount"] - want["ecl"]) < TOLERANCE, (loan_id, got, want)
        assert abs(got["pd_12m"] - want["pd_12m"]) < TOLERANCE, loan_id
        assert abs(got["pd_lifetime"] - want["pd_lifetime"]) < TOLERANCE, loan_id


def test_opening_allowance_uses_its_own_month_end(scenario) -> None:
    """The movement's opening = the allowance recomputed with that month-end's own P and LGD."""
    build, dbt_vars = scenario
    inputs = Inputs.read(build)
    opening = Recomputation(inputs, previous_month_end(inputs.as_of), dbt_vars).loan_ecl()
    expected = {stage: 0.0 for stage in (1, 2, 3)}
    loans = {stage: 0 for stage in (1, 2, 3)}
    for row in opening.values():
        expected[row["stage"]] += round(row["ecl"], 2)
        loans[row["stage"]] += 1
    lines = fetch(
        build,
        "select stage, loans, allowance_amount from marts.rpt_allowance_movement"
        " where movement = 'opening'",
    )
    assert sum(loans.values()) > 50
    for line in lines:
        assert line["loans"] == loans[line["stage"]], line
        # per-loan cents: a float sitting on a half cent may round the other way (one cent)
        assert abs(float(line["allowance_amount"]) - expected[line["stage"]]) <= 0.0101, line


def test_movement_reconciles_to_the_cent_and_coverage_rises_by_stage(
    sample_build: DbtBuild,
) -> None:
    lines = fetch(sample_build, "select * from marts.rpt_allowance_movement")
    for stage in (1, 2, 3):
        amounts = {
            row["movement"]: row["allowance_amount"] for row in lines if row["stage"] == stage
        }
        assert sum(v for k, v in amounts.items() if k != "closing") == amounts["closing"]
    stages = fetch(sample_build, "select * from marts.rpt_ecl_by_stage order by stage")
    coverage = [row["coverage_ratio"] for row in stages]
    assert coverage[0] < coverage[1] < coverage[2], coverage
    booked = sample_build.scalar(
        "select sum(allowance_amount) from marts.fct_loan_expected_credit_loss"
    )
    assert sum(row["allowance_amount"] for row in stages) == booked


def test_definitions_doc_block_is_docs_credit_loss_md() -> None:
    block = (PROJECT_DIR / "models/intermediate/credit_loss/_credit_loss__docs.md").read_text()
    body = re.search(r"{% docs credit_loss_definitions %}\n(.*?){% enddocs %}", block, re.S)
    assert body is not None
    assert body.group(1) == (PROJECT_DIR / "docs/credit_loss.md").read_text()
