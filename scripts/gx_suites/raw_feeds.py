"""The suites of the six raw feeds: one function per feed, on top of the contract's own checks.

Each function returns the expectations for one feed, as read by ``feed_reader`` (typed columns
under their contract names, ``<column>__unparseable`` beside each typed column, and the derived
columns of ``DERIVED_COLUMNS``). Columns, types, keys and accepted values come from the contract
(``checks.contract_checks``); what is written here is what the contract does not say.

Plausible ranges (all warnings with ``mostly``: dbt quarantines or flags the rows):

* money (issued_sum, plan_sum_total, paid_sum, LoanAmount, AmountPaid): above 0 (0 for
  AmountPaid) and at most 10,000,000 - a consumer or small-business loan above that is more likely
  a unit error (cents written as units) than a loan; OutstandingBalance may be negative (the
  published data has credits on defaulted loans), so only the upper bound applies;
* InterestRate: 0-60 % a year, and a mean of 1-60: a mean below 1 means rates were published as
  fractions (0.0648 for 6.48 %); Term: 1-480 months; Age: var plausible_age_range;
  Income: 0-10,000,000 a year.

Row counts relative to the orders feed (critical: the feeds do not belong together, or one was
cut), per disbursed order (``put_at`` parses): the plan has 1-40 rows (a schedule has at least
one point; 40 is more than three years of fortnightly points, the generator writes 3-12 and the
public export averages 7.5 per order), payments at most 60 (instalments plus split and duplicate
payments; the public export has 2.6 per order).
"""

from __future__ import annotations

import great_expectations.expectations as gxe
from contract import feeds, project_vars
from great_expectations.expectations.expectation import Expectation

from gx_suites.checks import (
    SHARE,
    Facts,
    SuiteBuilder,
    amount_range,
    contract_checks,
    no_event_after,
    row_count_between,
    warning,
)

MONEY_MAX = 10_000_000
INTEREST_RATE_PCT = (0, 60)
MEAN_INTEREST_RATE_PCT = (1, 60)
TERM_MONTHS = (1, 480)
PLAN_ROWS_PER_DISBURSED_ORDER = (1, 40)
PAYMENT_ROWS_PER_DISBURSED_ORDER = 60

# The events that set the as-of date, as in model int_reporting_dates (schedules are not events:
# plan_at and EndDate may lie after it).
EVENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": ("created_at", "put_at", "closed_at"),
    "payments": ("paid_at",),
    "fact_loans": ("StartDate",),
}

# Columns computed over several rows, added to the feed's rows before validation.
PLAN_STEP = "plan_sum_total__step"
DERIVED_COLUMNS: dict[str, dict[str, str]] = {
    "plan": {
        # the change of the cumulative plan since the loan's previous point (null on the first
        # point and on rows that do not parse); negative = the plan steps down
        PLAN_STEP: """
            case when "plan_at" is not null and "plan_sum_total" is not null then
                "plan_sum_total" - lag("plan_sum_total") over (
                    partition by "order_id", "plan_at" is null or "plan_sum_total" is null
                    order by "plan_at", source_row_number
                )
            end""",
    },
}


def money(column: str, why: str = "plausible money amount") -> Expectation:
    return amount_range(column, 0, MONEY_MAX, why, strict_low=True)


def orders(facts: Facts) -> list[Expectation]:
    feed = feeds()["orders"]
    return [
        *contract_checks(feed),
        money("issued_sum", "principal above 0; dbt quarantines 0 and negatives"),
        *no_event_after(EVENT_COLUMNS["orders"], facts, feed.family),
    ]


def plan(facts: Facts) -> list[Expectation]:
    feed = feeds()["plan"]
    checks = [
        *contract_checks(feed),
        money("plan_sum_total", "cumulative amount due above 0; dbt quarantines the others"),
        warning(
            gxe.ExpectColumnValuesToBeBetween(column=PLAN_STEP, min_value=0, mostly=SHARE),
            "the cumulative plan does not step down within a loan; dbt flags the steps down "
            "and uses the running maximum",
        ),
    ]
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
    feed = feeds()["payments"]
    checks = [
        # several payments per loan per day are normal; only an exact copy is a duplicate
        *contract_checks(feed, unique=tuple(feed.columns)),
        money("paid_sum", "payment above 0; dbt quarantines 0 and negatives"),
        *no_event_after(EVENT_COLUMNS["payments"], facts, feed.family),
    ]
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
    return contract_checks(feeds()["dim_branch"])


def dim_customer(facts: Facts) -> list[Expectation]:
    low, high = project_vars()["plausible_age_range"]
    return [
        *contract_checks(feeds()["dim_customer"]),
        amount_range("Age", low, high, "var plausible_age_range; dbt quarantines other ages"),
        amount_range("Income", 0, MONEY_MAX, "plausible yearly income"),
    ]


def fact_loans(facts: Facts) -> list[Expectation]:
    feed = feeds()["fact_loans"]
    rate_low, rate_high = INTEREST_RATE_PCT
    mean_low, mean_high = MEAN_INTEREST_RATE_PCT
    term_low, term_high = TERM_MONTHS
    return [
        *contract_checks(feed),
        money("LoanAmount", "principal above 0; dbt quarantines 0 and negatives"),
        amount_range("AmountPaid", 0, MONEY_MAX, "paid to date; dbt quarantines negatives"),
        amount_range("OutstandingBalance", None, MONEY_MAX, "may be negative (a credit)"),
        amount_range("InterestRate", rate_low, rate_high, "yearly rate in percent"),
        warning(
            gxe.ExpectColumnMeanToBeBetween(
                column="InterestRate", min_value=mean_low, max_value=mean_high
            ),
            "a mean rate below 1 means rates were published as fractions, not percent",
        ),
        amount_range("Term", term_low, term_high, "term in months"),
        *no_event_after(EVENT_COLUMNS["fact_loans"], facts, feed.family),
    ]


RAW_FEED_SUITES: dict[str, SuiteBuilder] = {
    "orders": orders,
    "plan": plan,
    "payments": payments,
    "dim_branch": dim_branch,
    "dim_customer": dim_customer,
    "fact_loans": fact_loans,
}
