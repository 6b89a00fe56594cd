"""What the Family A repayment tests share: the marts, reading rows, and the independent
computation of one folder of raw feeds (repayment_reference.py) with the bucket and tier
rules restated by hand. The sample's Reference is the session fixture `sample_reference`
of conftest.py.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import repayment_reference as reference
from conftest import DbtBuild

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
