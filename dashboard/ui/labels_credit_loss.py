"""Hover definitions of the credit-loss marts' columns (models/marts/credit_loss/), merged
into labels.HELP. Their labels and kinds are column `meta` in the marts' YAML, like every
other mart's.

Kept apart so the credit-loss page's help reads in one place. Definitions that
depend on a var of the build (probation months, the fallback LGD) are not typed here:
the page reads them from the snapshot's manifest.
"""

from __future__ import annotations

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
