"""The suites of the credit-loss marts (IFRS 9, models/marts/credit_loss/), registered in
``marts.MART_SUITES`` and ``marts.MART_DERIVED_COLUMNS``.

What is checked is what the definitions (docs/credit_loss.md) make true of every build, seen by
the reader of the allowance tables, beyond dbt's per-column tests:

* ``critical`` - impossible by definition: a row of the transition matrix not summing to 1, an
  absorbing state leaving itself, a cumulative PD outside [0, 1] or falling with the horizon, a
  marginal PD that is not the step of the cumulative one, a coverage outside [0, 1], a stage
  outside 1..3 or disagreeing with the loan's days past due, a stage-3 ECL other than LGD x EAD,
  an allowance movement whose lines do not add up to the closing balance or whose transfers do
  not net to 0, a provision that is not carrying amount x rate;
* ``warning`` - likely but not guaranteed: coverage rising from stage 1 to 3, loss rates rising
  with the days past due, every non-absorbing state observed in the window, the observed LGD
  used rather than the fallback.
"""

from __future__ import annotations

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.row_conditions import Column

from scripts.gx_suites.checks import (
    Facts,
    SuiteBuilder,
    at_least,
    between,
    critical,
    is_zero,
    suites_by_name,
    warning,
)

# Probabilities are doubles multiplied up to 120 times: 1e-9 is far above their rounding error.
PROBABILITY_TOLERANCE = 1e-9
# Allowance amounts are decimals to the cent; read as doubles, a cent-exact sum can be off by
# far less than this.
CENT_TOLERANCE = 0.001
STAGES = [1, 2, 3]
MOVEMENTS = [
    "opening",
    "new_loans",
    "derecognised",
    "transfer_to_stage_1",
    "transfer_to_stage_2",
    "transfer_to_stage_3",
    "remeasurement",
    "closing",
]


def probability(column: str, why: str) -> Expectation:
    """column within [0, 1], up to rounding."""
    return between(column, -PROBABILITY_TOLERANCE, 1 + PROBABILITY_TOLERANCE, why)


def stage_in_range(why: str = "IFRS 9 has three stages") -> Expectation:
    return critical(gxe.ExpectColumnValuesToBeInSet(column="stage", value_set=STAGES), why)


def rpt_transition_matrix(facts: Facts) -> list[Expectation]:
    return [
        probability("transition_probability", "a transition probability is a share of loans"),
        is_zero(
            "transition_probability__row_sum_minus_one",
            "every loan in a state at a month-end is in exactly one state at the next",
            "each row of P (evaluation date, from-state) sums to 1",
            PROBABILITY_TOLERANCE,
        ),
        is_zero(
            "transition_probability__absorbing_minus_identity",
            "90+ (default) and closed are absorbing: a cure out of 90+ is not counted here",
            "an absorbing state's row of P is the identity",
            PROBABILITY_TOLERANCE,
        ),
        at_least(
            "from_state_transitions_count",
            "transitions_count",
            "the loans that moved to one state are among those that left the from-state",
        ),
        warning(
            gxe.ExpectColumnValuesToBeInSet(
                column="is_unobserved_state",
                value_set=[False],
                row_condition=Column("is_absorbing_state") == False,  # noqa: E712 (GX condition)
            ),
            "no loan left this state in the window, so its row is the identity and its PD 0: "
            "widen pd_lookback_months or read its PD with care",
            says="every non-absorbing state was observed in the window",
        ),
    ]


def rpt_pd_term_structure(facts: Facts) -> list[Expectation]:
    return [
        probability("cumulative_pd", "a cumulative PD is a probability"),
        between(
            "cumulative_pd__step",
            -PROBABILITY_TOLERANCE,
            None,
            "a loan that has defaulted by h months has defaulted by h + 1 (default is absorbing)",
        ),
        is_zero(
            "marginal_pd__minus_step",
            "mPD(h) = cPD(h) - cPD(h - 1) by definition",
            "marginal_pd is the step of cumulative_pd from the horizon before",
            PROBABILITY_TOLERANCE,
        ),
    ]


def rpt_lgd_estimate(facts: Facts) -> list[Expectation]:
    portfolio = Column("row_level") == "portfolio"
    return [
        probability("lgd", "a loss given default is clamped to [0, 1]"),
        probability("observed_lgd", "each loan's LGD is clamped to [0, 1], so is their mean"),
        critical(
            gxe.ExpectColumnValuesToNotBeNull(column="lgd", row_condition=portfolio),
            "every evaluation date has the LGD its ECL applies",
            says="the portfolio row of each evaluation date has an lgd",
        ),
        is_zero(
            "lgd__minus_observed_when_not_fallback",
            "without the fallback the LGD applied is the observed one",
            "lgd equals observed_lgd where is_fallback_used is false",
            PROBABILITY_TOLERANCE,
        ),
        between(
            "recovered_amount__minus_present_value",
            -CENT_TOLERANCE,
            None,
            "discounting at a rate >= 0 never raises a recovery",
        ),
        warning(
            gxe.ExpectColumnValuesToBeInSet(
                column="is_fallback_used", value_set=[False], row_condition=portfolio
            ),
            "too few completed workouts: the LGD applied is var lgd_fallback, not observed",
            says="the LGD applied is the observed workout LGD (not the fallback)",
        ),
    ]


def fct_loan_expected_credit_loss(facts: Facts) -> list[Expectation]:
    return [
        stage_in_range(),
        between(
            "days_past_due",
            91,
            None,
            "stage 3 is more than 90 days past due",
            row_condition=Column("stage") == 3,
        ),
        between(
            "days_past_due",
            None,
            90,
            "a loan more than 90 days past due is in stage 3",
            row_condition=Column("stage") != 3,
        ),
        between(
            "days_past_due",
            None,
            30,
            "a loan more than 30 days past due is in stage 2 or 3",
            row_condition=Column("stage") == 1,
        ),
        is_zero(
            "stage__minus_reason_stage",
            "the stage reason names the rule that set the stage",
            "dpd_over_90 is stage 3, dpd_over_30 and probation stage 2, performing stage 1",
            0,
        ),
        probability("coverage_ratio", "ECL = LGD x discounted marginal PDs x EAD_t <= EAD"),
        probability("pd_12m", "a probability"),
        probability("pd_lifetime", "a probability"),
        probability("lgd", "a loss given default is clamped to [0, 1]"),
        at_least("pd_lifetime", "pd_12m", "the lifetime horizon is at least 12 months or R"),
        at_least("ead_amount", "ecl_amount", "the ECL of a loan never exceeds its EAD"),
        is_zero(
            "ecl_amount__stage_3_minus_lgd_times_ead",
            "a credit-impaired loan's ECL is LGD x EAD",
            "a stage-3 loan's ecl_amount equals lgd x ead_amount",
            1e-6,
        ),
        is_zero(
            "allowance_amount__minus_ecl",
            "the allowance booked is the ECL rounded to the cent",
            "allowance_amount is ecl_amount to the cent",
            0.005 + CENT_TOLERANCE,
        ),
    ]


def rpt_ecl_by_stage(facts: Facts) -> list[Expectation]:
    return [
        stage_in_range(),
        critical(
            gxe.ExpectTableRowCountToEqual(value=len(STAGES)),
            "one row per stage, an empty stage with 0 loans",
        ),
        probability("coverage_ratio", "the ECL of a stage never exceeds its carrying amount"),
        is_zero(
            "coverage_ratio__minus_ecl_over_gross",
            "coverage = ECL / gross carrying amount",
            "coverage_ratio equals ecl_amount / gross_carrying_amount",
            PROBABILITY_TOLERANCE,
        ),
        warning(
            gxe.ExpectColumnValuesToBeBetween(column="coverage_ratio__step", min_value=0),
            "a later stage is riskier: 12-month, then lifetime, then credit-impaired ECL",
            says="coverage rises from stage 1 to 2 to 3",
        ),
    ]


def rpt_allowance_movement(facts: Facts) -> list[Expectation]:
    return [
        stage_in_range(),
        critical(
            gxe.ExpectColumnValuesToBeInSet(column="movement", value_set=MOVEMENTS),
            "the lines of the IFRS 7.35H reconciliation",
        ),
        is_zero(
            "allowance_amount__closing_minus_opening_and_lines",
            "the reconciliation adds up to the cent",
            "per stage, closing = opening + new loans + derecognised + transfers + remeasurement",
            CENT_TOLERANCE,
        ),
        is_zero(
            "allowance_amount__transfer_over_stages",
            "a transfer moves a loan's allowance from one stage to another",
            "each transfer line sums to 0 over the stages",
            CENT_TOLERANCE,
        ),
        between("loans", 0, None, "a count of loans"),
    ]


def rpt_stage_migration(facts: Facts) -> list[Expectation]:
    return [
        between(
            "opening_carrying_amount",
            0,
            0,
            "a new loan was not active at the opening date",
            row_condition=Column("from_stage") == "new",
        ),
        between(
            "closing_carrying_amount",
            0,
            0,
            "a derecognised loan is closed at the as-of date",
            row_condition=Column("to_stage") == "derecognised",
        ),
        between("loans", 1, None, "a row is a move some loan made"),
    ]


def rpt_provision_matrix(facts: Facts) -> list[Expectation]:
    return [
        probability("loss_rate", "a loss rate is a share of the carrying amount"),
        between(
            "provision_amount__rounding_excess",
            None,
            CENT_TOLERANCE,
            "each loan's provision is its carrying amount x the band's rate, to the cent",
        ),
        at_least("carrying_amount", "provision_amount", "a rate <= 1 provides at most the loan"),
        warning(
            gxe.ExpectColumnValuesToBeBetween(column="loss_rate__step", min_value=0),
            "var provision_matrix_bands: a loan further behind is not expected to lose less",
            says="loss rates rise with the days-past-due band",
        ),
    ]


CREDIT_LOSS_SUITES: dict[str, SuiteBuilder] = suites_by_name(
    rpt_transition_matrix,
    rpt_pd_term_structure,
    rpt_lgd_estimate,
    fct_loan_expected_credit_loss,
    rpt_ecl_by_stage,
    rpt_stage_migration,
    rpt_allowance_movement,
    rpt_provision_matrix,
)

# mart -> derived column -> SQL over the mart's columns (one window or row expression each)
CREDIT_LOSS_DERIVED_COLUMNS: dict[str, dict[str, str]] = {
    "rpt_transition_matrix": {
        "transition_probability__row_sum_minus_one": (
            "sum(transition_probability) over (partition by evaluation_date, from_state) - 1"
        ),
        "transition_probability__absorbing_minus_identity": (
            "case when is_absorbing_state then transition_probability - "
            "case when from_state = to_state then 1 else 0 end end"
        ),
    },
    "rpt_pd_term_structure": {
        "cumulative_pd__step": (
            "cumulative_pd - lag(cumulative_pd) over "
            "(partition by evaluation_date, from_state order by horizon_months)"
        ),
        "marginal_pd__minus_step": (
            "marginal_pd - (cumulative_pd - lag(cumulative_pd) over "
            "(partition by evaluation_date, from_state order by horizon_months))"
        ),
    },
    "rpt_lgd_estimate": {
        "lgd__minus_observed_when_not_fallback": (
            "case when row_level = 'portfolio' and not is_fallback_used then lgd - observed_lgd end"
        ),
        "recovered_amount__minus_present_value": (
            "recovered_amount - recovered_present_value_amount"
        ),
    },
    "fct_loan_expected_credit_loss": {
        "stage__minus_reason_stage": (
            "stage - case stage_reason when 'dpd_over_90' then 3 when 'dpd_over_30' then 2 "
            "when 'probation' then 2 when 'performing' then 1 end"
        ),
        "ecl_amount__stage_3_minus_lgd_times_ead": (
            "case when stage = 3 then ecl_amount - lgd * ead_amount end"
        ),
        "allowance_amount__minus_ecl": "allowance_amount - ecl_amount",
    },
    "rpt_ecl_by_stage": {
        "coverage_ratio__minus_ecl_over_gross": (
            "coverage_ratio - ecl_amount / nullif(gross_carrying_amount, 0)"
        ),
        "coverage_ratio__step": "coverage_ratio - lag(coverage_ratio) over (order by stage)",
    },
    "rpt_allowance_movement": {
        "allowance_amount__closing_minus_opening_and_lines": (
            "case when movement = 'closing' then allowance_amount - sum(case when movement <> "
            "'closing' then allowance_amount else 0 end) over (partition by stage) end"
        ),
        "allowance_amount__transfer_over_stages": (
            "case when movement like 'transfer_to_stage_%' "
            "then sum(allowance_amount) over (partition by movement) end"
        ),
    },
    "rpt_provision_matrix": {
        # |provision - carrying x rate| beyond half a cent per loan (each loan is rounded)
        "provision_amount__rounding_excess": (
            "abs(provision_amount - carrying_amount * loss_rate) - 0.005 * loans"
        ),
        "loss_rate__step": (
            "loss_rate - lag(loss_rate) over (partition by portfolio order by band_order)"
        ),
    },
}
