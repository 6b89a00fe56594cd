"""What every suite is made of: severity, the facts of a run, and the helpers the suites share.

Severity, decided per expectation as a data engineer would:

* ``critical`` - the table is structurally unusable (most of a feed's rows are in a format the
  warehouse cannot read, none of a delivered feed's rows stages, a feed's size makes no sense
  next to the orders feed, a mart's numbers
  are impossible by definition). The runner exits non-zero.
* ``warning`` - a data-quality share a human should look at: the warehouse quarantines or flags
  the rows and builds anyway. The runner prints them and exits 0.

Each table gets one GX suite per severity (``<layer>.<table>.critical`` and
``<layer>.<table>.warnings``), so the Data Docs index tells a critical failure from warnings.

Each expectation carries its severity (GX 1.x ``severity``) and the reason for the check (in
``meta``). Data Docs does not show either (and its ``meta_properties`` columns break on GX 1.x
expectations), so each expectation's ``description``, which Data Docs shows instead of its own
sentence, is that sentence prefixed with the severity and followed by the reason:
"WARNING: issued_sum values must be greater than 0 ... (principal above 0; ...)".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.metadata_types import FailureSeverity

Severity = Literal["critical", "warning"]

# At most 1 row in 1,000 may fail a data-quality share before a human is asked to look.
SHARE = 0.999
# Below this share of parseable cells a column is in a format the warehouse cannot read.
READABLE = 0.5


@dataclass(frozen=True)
class Band:
    """A category's bounds as the build used them (a row of marts.rpt_reference_categories)."""

    code: str
    lower: float | None
    upper: float | None
    strict_lower: bool = False
    strict_upper: bool = False
    label: str = ""


@dataclass(frozen=True)
class Facts:
    """What a suite may depend on, read once per run from the warehouse dbt built.

    Nothing here is re-derived: the reporting dates come from marts.rpt_reporting_dates and the
    thresholds (score tiers, repayment segments) from marts.rpt_reference_categories, so they are
    the values of the build's vars, whatever was passed on its command line."""

    # reporting date per portfolio (contract family); None when the family has no events
    as_of: dict[str, date | None] = field(default_factory=dict)
    as_of_source: str = "latest event date"
    # staged orders with a disbursal date; None when the orders feed is absent
    disbursed_orders: int | None = None
    # rows dbt loaded per feed (staged + quarantined)
    loaded_rows: dict[str, int] = field(default_factory=dict)
    score_tiers: tuple[Band, ...] = ()
    repayment_segments: tuple[Band, ...] = ()


SuiteBuilder = Callable[[Facts], list[Expectation]]


def suites_by_name(*builders: SuiteBuilder) -> dict[str, SuiteBuilder]:
    """{mart: its suite builder}: a builder is named after the mart it checks."""
    return {builder.__name__: builder for builder in builders}


def show(value: Any) -> str:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def fill(template: str, params: dict[str, Any]) -> str:
    """Substitute GX's $name placeholders (unknown names are left as they are)."""
    return re.sub(r"\$(\w+)", lambda m: show(params[m[1]]) if m[1] in params else m[0], template)


def sentence(expectation: Expectation) -> str:
    """GX's own one-line rendering of the expectation, as plain text."""
    expectation.render()
    for content in expectation.rendered_content or []:
        if content.name == "atomic.prescriptive.summary":
            params = content.value.params or {}
            values = {name: param.get("value") for name, param in params.items()}
            return fill(content.value.template or "", values).rstrip(".")
    return expectation.expectation_type


def tag(expectation: Expectation, severity: Severity, why: str, says: str | None) -> Expectation:
    """Set severity and reason; says replaces GX's sentence where that one misleads."""
    expectation.severity = FailureSeverity(severity)
    expectation.meta = {"severity": severity, "why": why}
    expectation.description = f"{severity.upper()}: {says or sentence(expectation)} ({why})"
    return expectation


def critical(expectation: Expectation, why: str, says: str | None = None) -> Expectation:
    return tag(expectation, "critical", why, says)


def warning(expectation: Expectation, why: str, says: str | None = None) -> Expectation:
    return tag(expectation, "warning", why, says)


# --- critical checks the mart suites (marts.py, credit_loss.py) share -----------------------


def between(
    column: str, low: float | None, high: float | None, why: str, **kwargs: Any
) -> Expectation:
    """Critical: every value of column within [low, high] (an open end when None)."""
    return critical(
        gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high, **kwargs),
        why,
    )


def is_zero(column: str, why: str, says: str, tolerance: float = 0.0) -> Expectation:
    """Critical: every value of the derived column column (a difference that must vanish) is 0."""
    return critical(
        gxe.ExpectColumnValuesToBeBetween(column=column, min_value=-tolerance, max_value=tolerance),
        why,
        says=says,
    )


def at_least(column_a: str, column_b: str, why: str) -> Expectation:
    """Critical: column_a >= column_b on every row where both are present."""
    return critical(
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=column_a,
            column_B=column_b,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        why,
    )


def amount_range(
    column: str, low: float | None, high: float | None, why: str, strict_low: bool = False
) -> Expectation:
    return warning(
        gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=low, max_value=high, strict_min=strict_low, mostly=SHARE
        ),
        why,
    )


def no_event_after(
    columns: Sequence[str], facts: Facts, family: str, row_condition: Any = None
) -> list[Expectation]:
    """No event dated after the as-of date (every row matching row_condition; nothing to do
    when the date is unknown)."""
    as_of = facts.as_of.get(family)
    if as_of is None:
        return []
    next_midnight = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    return [
        warning(
            gxe.ExpectColumnValuesToBeBetween(
                column=column, max_value=next_midnight, strict_max=True, row_condition=row_condition
            ),
            f"no event after the as-of date {as_of} ({facts.as_of_source})",
        )
        for column in columns
    ]


def row_count_between(low: int, high: int, why: str) -> Expectation:
    """Critical: the table's row count in [low, high]."""
    return critical(gxe.ExpectTableRowCountToBeBetween(min_value=low, max_value=high), why)
