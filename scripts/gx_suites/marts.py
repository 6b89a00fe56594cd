"""The suites of the BI marts, read from the warehouse's ``marts`` schema.

dbt's tests check each column on its own (not null, unique, accepted values and ranges). What is
checked here is what a reader of a chart or a BI page would notice first and dbt does not test:
rows that must add up together (shares summing to 1 per group), columns that must agree with each
other (a score and its tier, PAR90 and PAR30, a default rate and its resolved twin), series that
must grow (a vintage curve), and no event after the date the mart says it is computed as of.

Severity, as for the raw feeds (``checks.py``), but seen from the reader of a mart:

* ``critical`` - a number on a page would be impossible by definition (shares of a whole not
  summing to 1, a score outside 0-100 or in the wrong tier, PAR90 above PAR30, a loan disbursed
  after the mart's own as-of date): a model is wrong, and the run fails;
* ``warning`` - a pattern the definitions make likely but do not guarantee (a vintage's paid ratio
  stepping down, a collection rate far above 1, a snapshot later than the as-of date the raw feeds
  give): a human should look, the marts stay usable.

Checks over several rows read a derived column (``MART_DERIVED_COLUMNS``: SQL over the mart, added
by ``scripts.validate`` to the rows it reads, as ``raw_feeds.DERIVED_COLUMNS`` does for the
feeds), so that GX reports the offending rows themselves. To validate another mart, write a
function here returning its expectations and register it in ``MART_SUITES`` (and its derived
columns, if any, in ``MART_DERIVED_COLUMNS``).
"""

from __future__ import annotations

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.row_conditions import Column

from scripts.gx_suites.checks import (
    Band,
    Facts,
    SuiteBuilder,
    at_least,
    between,
    critical,
    is_zero,
    no_event_after,
    suites_by_name,
    warning,
)
from scripts.gx_suites.credit_loss import CREDIT_LOSS_DERIVED_COLUMNS, CREDIT_LOSS_SUITES
from scripts.gx_suites.default_model import DEFAULT_MODEL_DERIVED_COLUMNS, DEFAULT_MODEL_SUITES

# Shares are doubles summed over a few hundred rows at most: 1e-6 is far above rounding error
# and far below one loan in a million.
SHARE_TOLERANCE = 1e-6
# Share of a vintage's month-on-book steps that may step down before a human looks.
VINTAGE_MONOTONE = 0.99
# Repaid / disbursed above this is more likely double-counted payments than interest and fees.
COLLECTION_RATE_MAX = 2.0


def share_sum(column: str, partition_by: str = "", where: str = "") -> str:
    """SQL: the sum of column over the rows of its group (only rows matching where, if given)."""
    value = f"case when {where} then {column} end" if where else column
    window = f"partition by {partition_by}" if partition_by else ""
    total = f"sum({value}) over ({window})"
    return f"case when {where} then {total} end" if where else total


def step(column: str, partition_by: str, order_by: str) -> str:
    """SQL: the change of column since the previous row of its group (null on the first)."""
    return f"{column} - lag({column}) over (partition by {partition_by} order by {order_by})"


def sums_to_one(column: str, why: str) -> Expectation:
    """Every value of the derived column column (a group's sum of shares) is 1."""
    return critical(
        gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=1 - SHARE_TOLERANCE, max_value=1 + SHARE_TOLERANCE
        ),
        why,
    )


def not_after_as_of(*columns: str) -> list[Expectation]:
    """Each date column no later than the row's own as_of_date (critical: a leak of the cut)."""
    return [
        at_least("as_of_date", column, "the mart is computed as of as_of_date: nothing is later")
        for column in columns
    ]


# --- Family A: repayment ---------------------------------------------------------------------


def band_check(column: str, category: str, band: Band, origin: str) -> Expectation:
    """Every row of the category has column within the band's bounds."""
    return critical(
        gxe.ExpectColumnValuesToBeBetween(
            column=column,
            min_value=band.lower,
            max_value=band.upper,
            strict_min=band.strict_lower,
            strict_max=band.strict_upper,
            row_condition=Column(category) == band.code,
        ),
        f"{category} {band.code} is {band.label} ({origin}, as built: "
        "marts.rpt_reference_categories)",
        says=f"a loan in {category} {band.code} has {band.label or column}",
    )


def tier_checks(facts: Facts) -> list[Expectation]:
    """Each pricing tier holds exactly the scores of its band (var score_tier_floors)."""
    return [
        *(
            band_check("repayment_score", "score_tier", band, "var score_tier_floors")
            for band in facts.score_tiers
        ),
        critical(
            gxe.ExpectColumnValuesToNotBeNull(
                column="score_tier", row_condition=Column("repayment_score").is_not_null()
            ),
            "every scored loan has a tier",
            says="a loan with a repayment_score has a score_tier",
        ),
        critical(
            gxe.ExpectColumnValuesToBeNull(
                column="score_tier", row_condition=Column("repayment_score").is_null()
            ),
            "a loan with nothing due yet has no score, so no tier",
            says="a loan without a repayment_score has no score_tier",
        ),
    ]


def segment_checks(facts: Facts) -> list[Expectation]:
    """Each segment holds exactly the paid ratios of its band (var segment_tolerance)."""
    return [
        band_check("paid_ratio", "segment", band, "var segment_tolerance")
        for band in facts.repayment_segments
        if band.lower is not None or band.upper is not None
    ]


def fct_loan_repayment(facts: Facts) -> list[Expectation]:
    return [
        between("repayment_score", 0, 100, "the repayment score is 0-100 by definition"),
        *tier_checks(facts),
        *segment_checks(facts),
        *not_after_as_of("disbursed_date", "closed_date", "first_paid_date"),
    ]


def rpt_risk_trend_monthly(facts: Facts) -> list[Expectation]:
    return [
        between("par_30", 0, 1, "PAR30 is a share of the outstanding"),
        at_least("par_30", "par_90", "a loan more than 90 days past due is more than 30"),
        at_least(
            "par_30_outstanding_amount",
            "par_90_outstanding_amount",
            "the PAR90 book is part of the PAR30 book",
        ),
        is_zero(
            "dpd_bucket_loans__minus_active_loans",
            "every active loan is in exactly one DPD bucket",
            "the DPD buckets' loans add up to active_loans",
        ),
        *no_event_after(["snapshot_date"], facts, "family_a"),
    ]


def rpt_roll_rates(facts: Facts) -> list[Expectation]:
    return [
        sums_to_one(
            "share_of_from_state__sum",
            "every loan in a state at m-1 is in exactly one state at m",
        ),
        *no_event_after(["snapshot_date"], facts, "family_a"),
    ]


def rpt_vintage_curves(facts: Facts) -> list[Expectation]:
    return [
        between("paid_to_issued_ratio", 0, None, "paid and issued amounts are not negative"),
        between("share_ever_30_plus_dpd", 0, 1, "a share of the cohort"),
        warning(
            gxe.ExpectColumnValuesToBeBetween(
                column="paid_to_issued_ratio__step", min_value=0, mostly=VINTAGE_MONOTONE
            ),
            "cumulative payments only grow with months on book; a step down means payments "
            "vanished (a reversal, a loan leaving its cohort)",
            says=f"a cohort's paid_to_issued_ratio does not step down with months on book, in "
            f"at least {VINTAGE_MONOTONE:.0%} of the steps",
        ),
        critical(
            gxe.ExpectColumnValuesToBeBetween(column="share_ever_30_plus_dpd__step", min_value=0),
            "a loan that was ever 30+ DPD stays so, and closed loans stay in their cohort",
            says="a cohort's share_ever_30_plus_dpd never steps down with months on book",
        ),
        is_zero(
            "cohort_loans__changes",
            "a cohort is the loans disbursed in its month, whatever happens to them",
            "cohort_loans is the same in every month on book of a cohort",
        ),
        *no_event_after(["snapshot_date"], facts, "family_a"),
    ]


def rpt_repayment_segments(facts: Facts) -> list[Expectation]:
    return [sums_to_one("share_of_loans__sum", "every loan is in exactly one segment")]


def rpt_score_distribution(facts: Facts) -> list[Expectation]:
    return [
        sums_to_one(
            "share_of_loans__sum_with_unscored",
            "every loan is either in one score band (and one tier) or unscored",
        ),
        between("min_score", 0, 100, "the repayment score is 0-100"),
        between("max_score", 0, 100, "the repayment score is 0-100"),
        at_least("min_score", "lower_score", "a band holds the scores from its lower edge"),
        at_least("upper_score", "max_score", "a band holds the scores up to its upper edge"),
    ]


def rpt_planned_vs_actual_distribution(facts: Facts) -> list[Expectation]:
    return [sums_to_one("share_of_loans__sum", "every loan's delta falls in exactly one bin")]


def rpt_repayment_correlations(facts: Facts) -> list[Expectation]:
    return [
        critical(
            gxe.ExpectColumnValuesToBeBetween(
                column="r__diagonal",
                min_value=1 - SHARE_TOLERANCE,
                max_value=1 + SHARE_TOLERANCE,
            ),
            "a feature correlates perfectly with itself (null when it is constant)",
            says="r of a feature with itself is 1",
        ),
        is_zero(
            "r__asymmetry",
            "Pearson r is symmetric: r(x, y) = r(y, x)",
            "r(x, y) equals r(y, x)",
            tolerance=SHARE_TOLERANCE,
        ),
    ]


def fct_loans(facts: Facts) -> list[Expectation]:
    return [
        between("principal_amount", 0, None, "staging quarantines non-positive principal"),
        *not_after_as_of("disbursed_date", "start_date"),
    ]


def rpt_zero_payment_liabilities(facts: Facts) -> list[Expectation]:
    return not_after_as_of("disbursed_date")


# --- Family B: portfolio and customers ------------------------------------------------------


def rpt_portfolio_overview(facts: Facts) -> list[Expectation]:
    return [
        sums_to_one("loans_count_share__sum", "status shares by count: every loan has one status"),
        sums_to_one(
            "disbursed_amount_share__sum", "status shares by amount: every loan has one status"
        ),
    ]


def default_rate_checks() -> list[Expectation]:
    return [
        at_least(
            "resolved_default_rate",
            "default_rate",
            "defaulted / (paid + defaulted) is at least defaulted / all loans",
        )
    ]


def rpt_branch_kpis(facts: Facts) -> list[Expectation]:
    return [
        *default_rate_checks(),
        warning(
            gxe.ExpectColumnValuesToBeBetween(
                column="collection_rate", min_value=0, max_value=COLLECTION_RATE_MAX
            ),
            "interest and fees lift repaid above disbursed, but not to double",
        ),
    ]


def rpt_region_kpis(facts: Facts) -> list[Expectation]:
    return rpt_branch_kpis(facts)


def rpt_demographic_segments(facts: Facts) -> list[Expectation]:
    return [
        *default_rate_checks(),
        sums_to_one(
            "loans_count__share_of_portfolio",
            "each dimension (and pair) splits every loan into exactly one segment",
        ),
    ]


def rpt_status_profiles(facts: Facts) -> list[Expectation]:
    return [sums_to_one("employment_shares__sum", "every loan's borrower has one employment")]


def rpt_risk_tiers(facts: Facts) -> list[Expectation]:
    return [sums_to_one("customers_share__sum", "every customer is in exactly one risk tier")]


# --- data quality ---------------------------------------------------------------------------


def rpt_data_quality_summary(facts: Facts) -> list[Expectation]:
    return [
        sums_to_one(
            "share_of_loaded__staged_plus_quarantined",
            "every loaded row of a feed is either staged or quarantined with one reason",
        ),
        critical(
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="rows_count",
                column_B="loaded_rows",
                row_condition=Column("category") == "loaded",
            ),
            "the loaded row of a feed is the total its shares are of",
            says="a feed's loaded rows_count equals its loaded_rows",
        ),
    ]


MART_SUITES: dict[str, SuiteBuilder] = suites_by_name(
    fct_loans,
    fct_loan_repayment,
    rpt_risk_trend_monthly,
    rpt_roll_rates,
    rpt_vintage_curves,
    rpt_repayment_segments,
    rpt_score_distribution,
    rpt_planned_vs_actual_distribution,
    rpt_repayment_correlations,
    rpt_zero_payment_liabilities,
    rpt_portfolio_overview,
    rpt_branch_kpis,
    rpt_region_kpis,
    rpt_demographic_segments,
    rpt_status_profiles,
    rpt_risk_tiers,
    rpt_data_quality_summary,
    *CREDIT_LOSS_SUITES.values(),  # credit_loss.py
    *DEFAULT_MODEL_SUITES.values(),  # default_model.py
)

DPD_BUCKET_LOANS = ("current", "1_30", "31_60", "61_90", "90_plus")
EMPLOYMENT_SHARES = ("employed", "self_employed", "unemployed", "retired", "other_employment")

# mart -> derived column -> SQL over the mart's columns (one window or row expression each)
MART_DERIVED_COLUMNS: dict[str, dict[str, str]] = {
    "rpt_risk_trend_monthly": {
        "dpd_bucket_loans__minus_active_loans": " + ".join(
            f"dpd_{bucket}_loans" for bucket in DPD_BUCKET_LOANS
        )
        + " - active_loans",
    },
    "rpt_roll_rates": {
        "share_of_from_state__sum": share_sum("share_of_from_state", "reporting_month, from_state"),
    },
    "rpt_vintage_curves": {
        "paid_to_issued_ratio__step": step(
            "paid_to_issued_ratio", "disbursal_month", "months_on_book"
        ),
        "share_ever_30_plus_dpd__step": step(
            "share_ever_30_plus_dpd", "disbursal_month", "months_on_book"
        ),
        "cohort_loans__changes": step("cohort_loans", "disbursal_month", "months_on_book"),
    },
    "rpt_repayment_segments": {"share_of_loans__sum": share_sum("share_of_loans")},
    "rpt_score_distribution": {
        # bands (or tiers) plus the unscored row; null on the unscored row itself
        "share_of_loans__sum_with_unscored": (
            "case when bucket_kind <> 'unscored' then "
            "sum(share_of_loans) over (partition by bucket_kind) + coalesce(sum(case when "
            "bucket_kind = 'unscored' then share_of_loans end) over (), 0) end"
        ),
    },
    "rpt_planned_vs_actual_distribution": {"share_of_loans__sum": share_sum("share_of_loans")},
    "rpt_repayment_correlations": {
        "r__diagonal": "case when feature_x = feature_y then r end",
        "r__asymmetry": (
            "max(r) over (partition by least(feature_x, feature_y), greatest(feature_x, "
            "feature_y)) - min(r) over (partition by least(feature_x, feature_y), "
            "greatest(feature_x, feature_y))"
        ),
    },
    "rpt_portfolio_overview": {
        "loans_count_share__sum": share_sum("loans_count_share", "is_portfolio_total"),
        "disbursed_amount_share__sum": share_sum("disbursed_amount_share", "is_portfolio_total"),
    },
    "rpt_demographic_segments": {
        "loans_count__share_of_portfolio": (
            "sum(loans_count) over (partition by segment_dimension) / max(case when "
            "dimensions_count = 0 then loans_count end) over ()"
        ),
    },
    "rpt_status_profiles": {
        "employment_shares__sum": " + ".join(f"{share}_share" for share in EMPLOYMENT_SHARES),
    },
    "rpt_risk_tiers": {"customers_share__sum": share_sum("customers_share")},
    "rpt_data_quality_summary": {
        "share_of_loaded__staged_plus_quarantined": share_sum(
            "share_of_loaded", "source_feed", where="category in ('staged', 'quarantined')"
        ),
    },
    **CREDIT_LOSS_DERIVED_COLUMNS,
    **DEFAULT_MODEL_DERIVED_COLUMNS,
}
