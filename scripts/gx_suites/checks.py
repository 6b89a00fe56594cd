"""What every suite is made of: severity, the facts of a run, and the checks every raw feed shares.

Severity, decided per expectation as a data engineer would:

* ``critical`` - the table is structurally unusable (a required column is missing, a column is
  mostly in a format the warehouse cannot read, a feed's size makes no sense next to the orders
  feed). The runner exits non-zero.
* ``warning`` - a data-quality share a human should look at: the warehouse quarantines or flags
  the rows and builds anyway. The runner prints them and exits 0.

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
from contract import Feed, project_vars
from feed_reader import unparseable_column
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.metadata_types import FailureSeverity

Severity = Literal["critical", "warning"]

# At most 1 row in 1,000 may fail a data-quality share before a human is asked to look.
SHARE = 0.999
# Below this share of parseable cells a column is in a format the warehouse cannot read.
READABLE = 0.5


@dataclass(frozen=True)
class Facts:
    """What a suite may depend on besides the contract, fixed once per run."""

    # reporting date per portfolio (contract family); None when the family has no events
    as_of: dict[str, date | None] = field(default_factory=dict)
    as_of_source: str = "latest event date"
    # orders whose put_at parses (disbursed loans); None when the orders feed is absent
    disbursed_orders: int | None = None


SuiteBuilder = Callable[[Facts], list[Expectation]]


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


def column_checks(feed: Feed) -> list[Expectation]:
    """The published header: every contract column present (critical), in published order."""
    checks = [
        critical(
            gxe.ExpectTableColumnsToMatchSet(column_set=list(feed.columns), exact_match=False),
            "dbt's feed reader stops the build when a contract column is missing",
        )
    ]
    for index, column in enumerate(feed.columns):
        checks.append(
            warning(
                gxe.ExpectColumnToExist(column=column, column_index=index),
                "the published order; dbt reads the columns by name, so this is only a warning",
                says=f"{column} must be column {index + 1} of {len(feed.columns)}",
            )
        )
    return checks


def parse_checks(feed: Feed) -> list[Expectation]:
    """Each typed column's text parses as its contract type (blank cells count as parsed)."""
    checks = []
    for column, kind in feed.columns.items():
        if kind == "text":
            continue
        says = (
            f"{column} parses as {kind} in at least {{:.1%}} of rows (blank cells count as parsed)"
        )
        checks += [
            warning(
                gxe.ExpectColumnValuesToBeNull(column=unparseable_column(column), mostly=SHARE),
                "dbt quarantines the rows that do not parse",
                says=says.format(SHARE),
            ),
            critical(
                gxe.ExpectColumnValuesToBeNull(column=unparseable_column(column), mostly=READABLE),
                "below that, the column is in a format the warehouse cannot read",
                says=says.format(READABLE),
            ),
        ]
    return checks


def unique_check(columns: Sequence[str], why: str) -> Expectation:
    if len(columns) == 1:
        expectation: Expectation = gxe.ExpectColumnValuesToBeUnique(column=columns[0], mostly=SHARE)
    else:
        expectation = gxe.ExpectCompoundColumnsToBeUnique(column_list=list(columns), mostly=SHARE)
    return warning(expectation, why)


def accepted_values_checks(feed: Feed) -> list[Expectation]:
    return [
        warning(
            gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values), mostly=SHARE),
            f"contract accepted_values; dbt quarantines other {column} values as invalid_category",
        )
        for column, values in feed.accepted_values.items()
    ]


def plausible_date_checks(feed: Feed) -> list[Expectation]:
    """Dates inside var plausible_date_range (dbt quarantines the others as implausible_date)."""
    low, high = (datetime.fromisoformat(day) for day in project_vars()["plausible_date_range"])
    return [
        warning(
            gxe.ExpectColumnValuesToBeBetween(
                column=column, min_value=low, max_value=high, mostly=SHARE
            ),
            "var plausible_date_range; dbt quarantines dates outside it as implausible_date",
        )
        for column, kind in feed.columns.items()
        if kind in ("date", "timestamp")
    ]


def contract_checks(feed: Feed, unique: Sequence[str] | None = None) -> list[Expectation]:
    """The checks every raw feed gets from the contract alone; unique defaults to its key."""
    key = tuple(unique or feed.key)
    return [
        warning(
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            "a file with a header and no rows builds like an absent feed: was it cut?",
        ),
        *column_checks(feed),
        *parse_checks(feed),
        unique_check(key, f"one row per {', '.join(key)}; dbt quarantines the repeats"),
        *accepted_values_checks(feed),
        *plausible_date_checks(feed),
    ]


def amount_range(
    column: str, low: float | None, high: float | None, why: str, strict_low: bool = False
) -> Expectation:
    return warning(
        gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=low, max_value=high, strict_min=strict_low, mostly=SHARE
        ),
        why,
    )


def no_event_after(columns: Sequence[str], facts: Facts, family: str) -> list[Expectation]:
    """No event dated after the as-of date (every row; nothing to do when it is unknown)."""
    as_of = facts.as_of.get(family)
    if as_of is None:
        return []
    next_midnight = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    return [
        warning(
            gxe.ExpectColumnValuesToBeBetween(
                column=column, max_value=next_midnight, strict_max=True
            ),
            f"no event after the as-of date {as_of} ({facts.as_of_source})",
        )
        for column in columns
    ]


def row_count_between(low: int, high: int, why: str) -> Expectation:
    return critical(gxe.ExpectTableRowCountToBeBetween(min_value=low, max_value=high), why)
