"""The suites of the six raw feeds, over the base models dbt loaded them into.

dbt reads each feed once (``macros/feeds/read_feed.sql``), parses every cell and tags each row
with the first rule it fails in ``staging.base_<family>__<feed>`` (``quarantine_reason``, null =
staged; ``source_row_number`` = the row in the file). Those rules live in dbt only: a suite here
never re-parses a cell nor re-applies a rule. It reads the outcome dbt recorded and asks how much
of a feed the warehouse had to set aside, and adds what dbt does not check at all.

Per feed (``ROW_OUTCOME`` is ``quarantine_reason``, or ``staged``):

* critical - at least half of the rows parse (``unparseable_date`` / ``unparseable_number``):
  below that the feed is in a format the warehouse cannot read; a file with rows stages at least
  one of them (keys that match no order, e.g. ``100001.0`` written for ``100001``, would
  otherwise publish marts without that feed); the plan and payments hold a
  plausible number of rows per disbursed order (the feeds do not belong together, or one was
  cut): plan 1-40 rows (a schedule has at least one point; 40 is more than three years of
  fortnightly points; the generator writes 3-12, the public export averages 7.5), payments at most
  60 (instalments plus split and duplicate payments; the public export has 2.6);
* warning - at most 1 row in 1,000 quarantined for each group of reasons (parse, keys and
  duplicates, parent rows, values); the quarantined rows are listed with their row numbers;
  plausible magnitudes on the parsed values, which no dbt rule bounds: money at most 10,000,000
  (a consumer or small-business loan above that is more likely cents written as units), a yearly
  interest rate of 0-60 % with a mean of 1-60 (a mean below 1 means rates were published as
  fractions), a term of 1-480 months; and no staged event after the portfolio's as-of date.

What dbt already stops or flags is not repeated: a missing contract column stops the build
before any model runs (``read_feed``); a plan that steps down is flagged by dbt
(``marts.rpt_data_quality_flags``); the columns' order in a file does not matter to dbt.
"""

from __future__ import annotations

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.row_conditions import Column

from scripts.contract import feeds
from scripts.gx_suites.checks import (
    SHARE,
    Facts,
    SuiteBuilder,
    amount_range,
    critical,
    no_event_after,
    row_count_between,
    warning,
)

ROW_OUTCOME = "row_outcome"  # derived: coalesce(quarantine_reason, 'staged')
STAGED = "staged"
ROW_NUMBER = "source_row_number"
READABLE = 0.5  # below this share of parseable rows the feed is in a format we cannot read
ANY_ROW = 1e-9  # a share of staged rows met by one row in a feed of up to a billion

MONEY_MAX = 10_000_000
INTEREST_RATE_PCT = (0, 60)
MEAN_INTEREST_RATE_PCT = (1, 60)
TERM_MONTHS = (1, 480)
PLAN_ROWS_PER_DISBURSED_ORDER = (1, 40)
PAYMENT_ROWS_PER_DISBURSED_ORDER = 60

# quarantine reasons by what they say about the feed (the vocabulary is dbt's: the
# accepted_values of stg_quarantine__rows.quarantine_reason); any other reason is a "value" one
PARSE_REASONS = ("unparseable_date", "unparseable_number")
KEY_REASONS = ("missing_key", "duplicate_key", "exact_duplicate")
PARENT_REASONS = ("orphan_foreign_key", "parent_quarantined")

# The events that set the as-of date (model int_reporting_dates), as base-model columns.
EVENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": ("created_at", "disbursed_at", "closed_at"),
    "payments": ("paid_at",),
    "fact_loans": ("start_date",),
}


def base_model(feed: str) -> str:
    """The base model dbt loads a feed into: staging.base_<family>__<feed>."""
    return f"base_{feeds()[feed].family}__{feed}"


def quarantine_checks() -> list[Expectation]:
    """How much of the feed dbt set aside, by group of reasons."""
    groups = {
        "parse": (PARSE_REASONS, "dbt quarantines the rows whose cells do not parse"),
        "keys": (KEY_REASONS, "one row per key; dbt quarantines missing keys and repeats"),
        "parents": (
            PARENT_REASONS,
            "dbt quarantines rows whose parent row is unknown or set aside",
        ),
    }
    checks = [
        warning(
            gxe.ExpectColumnValuesToNotBeInSet(
                column=ROW_OUTCOME, value_set=list(reasons), mostly=SHARE
            ),
            why,
            says=f"at most {1 - SHARE:.1%} of the rows quarantined as {' / '.join(reasons)}",
        )
        for reasons, why in groups.values()
    ]
    not_values = [STAGED, *PARSE_REASONS, *KEY_REASONS, *PARENT_REASONS]
    checks.append(
        warning(
            gxe.ExpectColumnValuesToBeInSet(column=ROW_OUTCOME, value_set=not_values, mostly=SHARE),
            "dbt quarantines missing, implausible, out-of-range, out-of-order and unknown values",
            says=f"at most {1 - SHARE:.1%} of the rows quarantined for a value "
            "(any other quarantine reason)",
        )
    )
    checks.append(
        critical(
            gxe.ExpectColumnValuesToNotBeInSet(
                column=ROW_OUTCOME, value_set=list(PARSE_REASONS), mostly=READABLE
            ),
            "below that, the feed is in a format the warehouse cannot read",
            says=f"at least {READABLE:.0%} of the rows parse",
        )
    )
    checks.append(
        critical(
            gxe.ExpectColumnValuesToBeInSet(column=ROW_OUTCOME, value_set=[STAGED], mostly=ANY_ROW),
            "a feed delivered with rows of which none stages leaves its marts as if the file had "
            "none (every loan unpaid, when it is the payments), whatever the reasons",
            says="at least one row staged (an empty file is a dbt warning instead)",
        )
    )
    return checks


def staged_events(facts: Facts, feed: str) -> list[Expectation]:
    return no_event_after(
        EVENT_COLUMNS[feed],
        facts,
        feeds()[feed].family,
        row_condition=Column(ROW_OUTCOME) == STAGED,
    )


def money(*columns: str) -> list[Expectation]:
    return [amount_range(column, None, MONEY_MAX, "plausible money amount") for column in columns]


def orders(facts: Facts) -> list[Expectation]:
    return [*quarantine_checks(), *money("principal_amount"), *staged_events(facts, "orders")]


def plan(facts: Facts) -> list[Expectation]:
    checks = [*quarantine_checks(), *money("planned_cumulative_amount")]
    if facts.disbursed_orders is not None:
        low, high = PLAN_ROWS_PER_DISBURSED_ORDER
        checks.append(
            row_count_between(
                low * facts.disbursed_orders,
                high * facts.disbursed_orders,
                f"{low}-{high} plan rows per disbursed order ({facts.disbursed_orders:,})",
            )
        )
    return checks


def payments(facts: Facts) -> list[Expectation]:
    checks = [*quarantine_checks(), *money("paid_amount"), *staged_events(facts, "payments")]
    if facts.disbursed_orders is not None:
        most = PAYMENT_ROWS_PER_DISBURSED_ORDER
        checks.append(
            row_count_between(
                0,
                most * facts.disbursed_orders,
                f"at most {most} payments per disbursed order ({facts.disbursed_orders:,})",
            )
        )
    return checks


def dim_branch(facts: Facts) -> list[Expectation]:
    return quarantine_checks()


def dim_customer(facts: Facts) -> list[Expectation]:
    return [
        *quarantine_checks(),
        amount_range("annual_income_amount", 0, MONEY_MAX, "plausible yearly income"),
    ]


def fact_loans(facts: Facts) -> list[Expectation]:
    rate_low, rate_high = INTEREST_RATE_PCT
    mean_low, mean_high = MEAN_INTEREST_RATE_PCT
    term_low, term_high = TERM_MONTHS
    return [
        *quarantine_checks(),
        *money("principal_amount", "reported_paid_amount", "reported_outstanding_amount"),
        amount_range("interest_rate_pct", rate_low, rate_high, "yearly rate in percent"),
        warning(
            gxe.ExpectColumnMeanToBeBetween(
                column="interest_rate_pct", min_value=mean_low, max_value=mean_high
            ),
            "a mean rate below 1 means rates were published as fractions, not percent",
        ),
        amount_range("term_months", term_low, term_high, "term in months"),
        *staged_events(facts, "fact_loans"),
    ]


RAW_FEED_SUITES: dict[str, SuiteBuilder] = {
    "orders": orders,
    "plan": plan,
    "payments": payments,
    "dim_branch": dim_branch,
    "dim_customer": dim_customer,
    "fact_loans": fact_loans,
}
