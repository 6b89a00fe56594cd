"""A second, deliberately plain implementation of the Family A metrics of docs/metrics.md.

It reads the raw feed files (CSV or Parquet, as the generator wrote them), leaves out the
rows the generator's manifest says it injected for quarantine, and computes each loan's
state at a date with loops over that loan's own rows: no SQL, no ASOF join, no window.
The pytests compare the warehouse's marts with it, so a number is only trusted when two
independent methods agree.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pyarrow.parquet as pq

ARREARS_TOLERANCE = Decimal("1.00")
SEGMENT_TOLERANCE = 0.05
WEIGHTS = {"paid_ratio": 0.5, "current_dpd": 0.3, "max_dpd": 0.2}
CURRENT_DPD_CAP = 90
MAX_DPD_CAP = 180


@dataclass
class Loan:
    loan_id: str
    principal: Decimal
    disbursed: date
    closed: date | None
    plan: list[tuple[date, Decimal]] = field(default_factory=list)  # (plan_at, plan_sum_total)
    payments: list[tuple[date, Decimal]] = field(default_factory=list)  # (paid_at, paid_sum)


@dataclass
class LoanState:
    loan_id: str
    day: date
    is_closed: bool
    planned: Decimal
    paid: Decimal
    arrears: Decimal
    dpd: int
    max_dpd: int
    outstanding: Decimal
    paid_ratio: float | None
    payments_count: int


def _rows(folder: Path, feed: str) -> Iterator[tuple[int, dict[str, str | None]]]:
    """(1-based data row number, row) of a feed file, values as text (None = empty)."""
    parquet = folder / f"{feed}.parquet"
    if parquet.exists():
        for number, row in enumerate(pq.read_table(parquet).to_pylist(), start=1):
            yield number, {key: value or None for key, value in row.items()}
        return
    with (folder / f"{feed}.csv").open(newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=1):
            yield number, {key: value or None for key, value in row.items()}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def load(folder: Path) -> tuple[dict[str, Loan], date]:
    """Disbursed loans of a generated folder and the as-of date (latest event date)."""
    manifest = json.loads((folder / "_manifest.json").read_text())
    quarantined = {
        (entry["feed"], entry["row_number"])
        for entry in manifest["injected"]
        if entry["kind"] == "quarantine"
    }
    events: list[date] = []
    loans: dict[str, Loan] = {}
    for number, row in _rows(folder, "orders"):
        if ("orders", number) in quarantined:
            continue
        created, disbursed, closed = (
            _day(row["created_at"]),
            _day(row["put_at"]),
            _day(row["closed_at"]),
        )
        events += [day for day in (created, disbursed, closed) if day]
        if disbursed:
            loans[row["order_id"]] = Loan(
                row["order_id"], Decimal(row["issued_sum"]), disbursed, closed
            )
    for number, row in _rows(folder, "plan"):
        if ("plan", number) not in quarantined and row["order_id"] in loans:
            loans[row["order_id"]].plan.append(
                (_day(row["plan_at"]), Decimal(row["plan_sum_total"]))
            )
    for number, row in _rows(folder, "payments"):
        if ("payments", number) in quarantined:
            continue
        events.append(_day(row["paid_at"]))
        if row["order_id"] in loans:
            loans[row["order_id"]].payments.append((_day(row["paid_at"]), Decimal(row["paid_sum"])))
    for loan in loans.values():
        loan.plan.sort()
        loan.payments.sort()
    return loans, max(events)


def running_maximum(loan: Loan) -> list[tuple[date, Decimal]]:
    result, highest = [], Decimal(0)
    for plan_at, total in loan.plan:
        highest = max(highest, total)
        result.append((plan_at, highest))
    return result


def has_plan_step_down(loan: Loan) -> bool:
    return any(later < earlier for (_, earlier), (_, later) in pairwise(loan.plan))


def covered_dates(loan: Loan) -> list[date | None]:
    """First day cumulative payments reach each point's running maximum minus the tolerance.

    A point that needs nothing (threshold <= 0) is covered from the start: date.min.
    """
    result: list[date | None] = []
    for _, total in running_maximum(loan):
        threshold = total - ARREARS_TOLERANCE
        if threshold <= 0:
            result.append(date.min)
            continue
        cumulative, covered = Decimal(0), None
        for paid_at, amount in loan.payments:
            cumulative += amount
            if cumulative >= threshold:
                covered = paid_at
                break
        result.append(covered)
    return result


def state_at(loan: Loan, day: date) -> LoanState:
    """The loan's state at the end of `day`, each metric written as docs/metrics.md words it."""
    schedule = running_maximum(loan)
    covered = covered_dates(loan)
    is_closed = loan.closed is not None and loan.closed <= day
    planned = max((total for plan_at, total in schedule if plan_at <= day), default=Decimal(0))
    paid = sum((amount for paid_at, amount in loan.payments if paid_at <= day), Decimal(0))
    payments_count = sum(1 for paid_at, _ in loan.payments if paid_at <= day)
    arrears = max(planned - paid, Decimal(0))
    dpd = 0
    if not is_closed and arrears > ARREARS_TOLERANCE:
        earliest = min(plan_at for plan_at, total in schedule if total > paid + ARREARS_TOLERANCE)
        dpd = (day - earliest).days
    # worst days late of any point due by `day`; a closed loan's uncovered points stop
    # ageing at its closure
    ageing_end = loan.closed if is_closed else day
    max_dpd = 0
    for (plan_at, _), covered_on in zip(schedule, covered, strict=True):
        if plan_at > day:
            continue
        if covered_on is not None and covered_on <= day:
            late = (covered_on - plan_at).days if covered_on != date.min else 0
        else:
            late = (ageing_end - plan_at).days
        max_dpd = max(max_dpd, late)
    final_total = schedule[-1][1] if schedule else Decimal(0)
    outstanding = Decimal(0) if is_closed else max(final_total - paid, Decimal(0))
    paid_ratio = float(paid / planned) if planned > 0 else None
    return LoanState(
        loan.loan_id,
        day,
        is_closed,
        planned,
        paid,
        arrears,
        dpd,
        max_dpd,
        outstanding,
        paid_ratio,
        payments_count,
    )


def segment(state: LoanState) -> str:
    if state.planned == 0:
        return "Not Yet Due"
    assert state.paid_ratio is not None
    if state.paid_ratio < 1 - SEGMENT_TOLERANCE:
        return "Underpaid"
    if state.paid_ratio > 1 + SEGMENT_TOLERANCE:
        return "Overpaid"
    return "On Track"


def score(paid_ratio: float | None, dpd: int, max_dpd: int) -> float | None:
    if paid_ratio is None:
        return None
    if paid_ratio == 0 and dpd >= CURRENT_DPD_CAP:
        return 0.0
    return 100 * (
        WEIGHTS["paid_ratio"] * min(paid_ratio, 1)
        + WEIGHTS["current_dpd"] * (1 - min(dpd, CURRENT_DPD_CAP) / CURRENT_DPD_CAP)
        + WEIGHTS["max_dpd"] * (1 - min(max_dpd, MAX_DPD_CAP) / MAX_DPD_CAP)
    )


def month_ends(first: date, last: date) -> list[date]:
    """Every month-end from the month of `first` up to `last`, then `last` if not one."""
    result = []
    month = date(first.year, first.month, 1)
    while True:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        month_end = following - timedelta(days=1)
        if month_end >= last:
            result.append(last)
            return result
        result.append(month_end)
        month = following


def portfolio_by_month(loans: dict[str, Loan], as_of: date) -> dict[date, list[LoanState]]:
    """States of every loan disbursed by each reporting date (month-ends, then as_of)."""
    in_book = [loan for loan in loans.values() if loan.disbursed <= as_of]
    first = min(loan.disbursed for loan in in_book)
    states: dict[date, list[LoanState]] = defaultdict(list)
    for day in month_ends(first, as_of):
        for loan in in_book:
            if loan.disbursed <= day:
                states[day].append(state_at(loan, day))
    return states
