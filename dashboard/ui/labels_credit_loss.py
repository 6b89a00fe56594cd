"""Labels of the credit-loss marts' columns (models/marts/credit_loss/), merged into
labels.COLUMNS and labels.HELP: (label, kind) per column, as for every other mart.

Kept apart so the credit-loss page's vocabulary reads in one place. Definitions that
depend on a var of the build (probation months, the fallback LGD) are not typed here:
the page reads them from the snapshot's manifest.
"""

from __future__ import annotations

CREDIT_LOSS_COLUMNS: dict[str, tuple[str, str]] = {
    # dimensions
    "stage_name": ("Stage", "text"),
    "stage_reason": ("Stage reason", "text"),
    "credit_state": ("State", "text"),
    "state_name": ("From state", "text"),
    "movement_name": ("Movement", "text"),
    "from_stage_name": ("Stage at opening", "text"),
    "to_stage_name": ("Stage at as-of date", "text"),
    "provision_band": ("Days-past-due band", "text"),
    "band_max_days": ("Up to (days past due)", "count"),
    "is_fallback_used": ("Fallback LGD used", "bool"),
    "default_month": ("Default month", "date"),
    # counts
    "observations_count": ("Defaults observed", "count"),
    "transitions_count": ("Transitions", "count"),
    "from_state_transitions_count": ("Loans leaving the state", "count"),
    "horizon_months": ("Horizon (months)", "count"),
    # amounts
    "gross_carrying_amount": ("Gross carrying amount", "amount"),
    "ecl_amount": ("ECL", "amount"),
    "allowance_amount": ("Loss allowance", "amount"),
    "ead_amount": ("EAD", "amount"),
    "carrying_amount": ("Carrying amount", "amount"),
    "provision_amount": ("Provision", "amount"),
    "opening_carrying_amount": ("Carrying amount at opening", "amount"),
    "closing_carrying_amount": ("Carrying amount at as-of date", "amount"),
    "ead_at_default_amount": ("EAD at default", "amount"),
    "recovered_amount": ("Recovered", "amount"),
    "recovered_present_value_amount": ("Recovered (present value)", "amount"),
    # shares (fractions 0-1)
    "coverage_ratio": ("Coverage (ECL ÷ gross)", "share"),
    "lgd": ("LGD applied", "share"),
    "observed_lgd": ("Observed LGD", "share"),
    "loss_rate": ("Loss rate (illustrative)", "share"),
    "cumulative_pd": ("Cumulative PD", "share"),
    "marginal_pd": ("Marginal PD", "share"),
    "pd_12m": ("12-month PD", "share"),
    "pd_lifetime": ("Lifetime PD", "share"),
    "transition_probability": ("Probability", "share"),
}

CREDIT_LOSS_HELP: dict[str, str] = {
    "gross_carrying_amount": "Principal outstanding of the active loans (their EAD).",
    "ecl_amount": "Expected credit loss, unrounded.",
    "allowance_amount": "The ECL booked per loan, to the cent, added up.",
    "coverage_ratio": "ECL ÷ gross carrying amount.",
    "lgd": "Loss given default applied to every loan: the observed workout LGD, or the "
    "fallback when too few defaults were observed.",
    "observed_lgd": "EAD-weighted mean of 1 − recoveries (present value) ÷ EAD at default, "
    "over the defaults whose workout window has ended.",
    "observations_count": "Defaults with EAD at default > 0 whose workout window ended on or "
    "before the date.",
    "cumulative_pd": "Probability of reaching 90+ (default) within the horizon: (P^h)[state, 90+].",
    "marginal_pd": "Cumulative PD at h − cumulative PD at h − 1.",
    "loss_rate": "Illustrative default rate of var provision_matrix_bands: replace it with "
    "the lender's own.",
    "transition_probability": "Share of the loans in the from-state at a month-end found in "
    "the to-state at the next, pooled over the window.",
}
