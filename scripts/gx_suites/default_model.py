"""The suites of the learned default model and pricing marts (models/marts/ml/), registered in
``marts.MART_SUITES`` and ``marts.MART_DERIVED_COLUMNS``.

* ``critical`` - impossible by definition: an AUC, a Brier score or a probability outside
  [0, 1], the two models compared on different rows, a decile outside 1..10, a 90+ rate above
  the 30+ rate (a loan over 90 days past due is over 30), a break-even rate that is not the
  documented formula or below funding + operating cost + margin;
* ``warning`` - likely but not guaranteed: the learned model beating the rule score out of time
  (when it does not, keep the rule score), the model fitted.
"""

from __future__ import annotations

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.row_conditions import Column

from scripts.gx_suites.checks import Facts, SuiteBuilder, critical, suites_by_name, warning

# Rates are doubles from a handful of operations: far above their rounding error.
RATE_TOLERANCE = 1e-9
MODEL_NAMES = ["learned", "rule_score"]


def unit_interval(column: str, why: str) -> Expectation:
    return critical(
        gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=-RATE_TOLERANCE, max_value=1 + RATE_TOLERANCE
        ),
        why,
    )


def vanishes(column: str, why: str, says: str) -> Expectation:
    return critical(
        gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=-RATE_TOLERANCE, max_value=RATE_TOLERANCE
        ),
        why,
        says=says,
    )


def rpt_default_model_performance(facts: Facts) -> list[Expectation]:
    learned = Column("model_name") == "learned"
    return [
        critical(
            gxe.ExpectColumnValuesToBeInSet(column="model_name", value_set=MODEL_NAMES),
            "the learned model and the rule score, nothing else",
        ),
        unit_interval("auc", "an AUC is a share of pairs"),
        unit_interval("brier_score", "a mean squared error of probabilities against 0/1"),
        vanishes(
            "evaluation_rows_count__minus_max",
            "both models are compared on the same out-of-time rows",
            says="both models are evaluated on the same number of rows",
        ),
        warning(
            gxe.ExpectColumnValuesToBeInSet(
                column="beats_rule_score", value_set=[True], row_condition=learned
            ),
            "the learned model does not beat the rule score out of time: keep the rule score",
            says="the learned model's out-of-time AUC is above the rule score's",
        ),
        warning(
            gxe.ExpectColumnValuesToBeInSet(column="model_status", value_set=["fitted"]),
            "too little history before the evaluation window, or one outcome only",
            says="the learned model was fitted",
        ),
    ]


def rpt_default_model_calibration(facts: Facts) -> list[Expectation]:
    return [
        critical(
            gxe.ExpectColumnValuesToBeBetween(column="risk_decile", min_value=1, max_value=10),
            "deciles of risk",
        ),
        unit_interval("mean_predicted_probability", "a mean of probabilities"),
        unit_interval("observed_outcome_rate", "a share of rows"),
    ]


def fct_loan_default_probability(facts: Facts) -> list[Expectation]:
    return [
        critical(gxe.ExpectColumnValuesToBeUnique(column="loan_id"), "one row per active loan"),
        unit_interval("default_probability", "a probability"),
        critical(
            gxe.ExpectColumnValuesToBeBetween(
                column="probability_decile", min_value=1, max_value=10
            ),
            "deciles of the probability",
        ),
        critical(
            gxe.ExpectColumnValuesToBeBetween(
                column="days_past_due",
                max_value=30,
                row_condition=Column("is_in_model_scope") == True,  # noqa: E712 (GX condition)
            ),
            "the model scores loans at most 30 days past due",
        ),
    ]


def rpt_pricing_tiers(facts: Facts) -> list[Expectation]:
    return [
        unit_interval("observed_30_plus_rate", "a share of loan month-ends"),
        unit_interval("observed_90_plus_rate", "a share of loan month-ends"),
        unit_interval("expected_loss_rate", "annual default rate x LGD, both in [0, 1]"),
        critical(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="observed_30_plus_rate", column_B="observed_90_plus_rate", or_equal=True
            ),
            "a loan more than 90 days past due is more than 30 days past due",
        ),
        vanishes(
            "break_even_annual_rate__minus_formula",
            "rate = (funding + opex + EL) / (1 - EL) + margin (docs/metrics.md)",
            says="the break-even rate is the documented formula",
        ),
        critical(
            gxe.ExpectColumnValuesToBeBetween(
                column="break_even_annual_rate__minus_costs", min_value=-RATE_TOLERANCE
            ),
            "the expected loss only adds to funding, operating cost and margin",
        ),
    ]


DEFAULT_MODEL_SUITES: dict[str, SuiteBuilder] = suites_by_name(
    rpt_default_model_performance,
    rpt_default_model_calibration,
    fct_loan_default_probability,
    rpt_pricing_tiers,
)

# mart -> derived column -> SQL over the mart's columns (one window or row expression each)
DEFAULT_MODEL_DERIVED_COLUMNS: dict[str, dict[str, str]] = {
    "rpt_default_model_performance": {
        "evaluation_rows_count__minus_max": (
            "evaluation_rows_count - max(evaluation_rows_count) over ()"
        ),
    },
    "rpt_pricing_tiers": {
        "break_even_annual_rate__minus_formula": (
            "break_even_annual_rate - ((funding_cost_rate + operating_cost_rate + "
            "expected_loss_rate) / (1 - expected_loss_rate) + target_margin_rate)"
        ),
        "break_even_annual_rate__minus_costs": (
            "break_even_annual_rate"
            " - (funding_cost_rate + operating_cost_rate + target_margin_rate)"
        ),
    },
}
