"""The GX suites of the marts (scripts/gx_suites/marts.py): the sample's marts pass, a broken one
is caught with the severity its check deserves, and a build with overridden threshold vars is
validated against the values it used.

Each broken case copies one mart of a build (and the two marts every run reads its facts from)
into a temporary DuckDB file, changes a value the way a wrong model would, and validates that mart
alone, so a case takes a second or two.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DbtBuild, run_dbt
from test_validate import BETWEEN, FACT_MARTS
from validate_helpers import Run, copy_tables, run_validate

import scripts.validate.__main__ as validate
from scripts.gx_suites.checks import Facts
from scripts.gx_suites.marts import MART_DERIVED_COLUMNS, MART_SUITES
from scripts.validate.warehouse import needed_columns

PAIR = "expect_column_pair_values_a_to_be_greater_than_b"


@pytest.fixture(scope="module")
def sample_run(sample_validation: Run) -> Run:
    """The sample build validated once per session (conftest.py)."""
    return sample_validation


def copy_mart(build: DbtBuild, workdir: Path, mart: str, *updates: str) -> Path:
    """workdir/loans.duckdb holding marts.<mart> of the build (and the facts), updates applied."""
    relations = [f"marts.{name}" for name in dict.fromkeys([mart, *FACT_MARTS])]
    return copy_tables(build.warehouse, workdir, relations, *updates)


def validate_one_mart(
    workdir: Path, warehouse: Path, mart: str, monkeypatch: pytest.MonkeyPatch
) -> Run:
    monkeypatch.setattr(validate, "MART_SUITES", {mart: MART_SUITES[mart]})
    return run_validate(workdir, warehouse)


# --- the suites themselves -------------------------------------------------------------------


def test_every_mart_suite_is_tagged_and_reads_only_its_columns(sample_build: DbtBuild) -> None:
    facts = Facts(as_of={"family_a": None, "family_b": None})  # no tier / segment bands
    for mart, suite in MART_SUITES.items():
        columns = {
            name
            for (name,) in sample_build.query(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ?",
                [mart],
            )
        }
        assert columns, f"{mart} is not a mart of the build"
        derived = set(MART_DERIVED_COLUMNS.get(mart, {}))
        for expectation in suite(facts):
            assert needed_columns([expectation]) <= columns | derived, (
                mart,
                expectation,
            )
            assert expectation.description.startswith(expectation.severity.value.upper())
    assert set(MART_DERIVED_COLUMNS) <= set(MART_SUITES)


def test_the_sample_marts_pass_every_expectation(sample_run: Run) -> None:
    marts = [t for t in sample_run.report["targets"] if t["layer"] == "mart"]
    assert [t["name"] for t in marts] == list(MART_SUITES)
    assert {t["status"] for t in marts} == {"validated"}
    assert all(t["evaluated"] >= 1 and t["failures"] == [] for t in marts), marts
    assert sample_run.code == 0
    assert all(Path(page).exists() for t in marts for page in t["pages"].values())
    # four tiers and three bounded segments, as the build's reference mart gives them
    (repayment,) = [t for t in marts if t["name"] == "fct_loan_repayment"]
    assert repayment["evaluated"] == 1 + (4 + 2) + 3 + 3


# --- broken marts ----------------------------------------------------------------------------

# (mart, the edit, (severity, column, expectation) that must fail and nothing else, or None)
BROKEN_MARTS: dict[str, tuple[str, str, tuple[str, str | None, str] | None]] = {
    "status_share_by_count_off": (
        "rpt_portfolio_overview",
        "update marts.rpt_portfolio_overview set loans_count_share = loans_count_share + 0.01 "
        "where loan_status = 'Paid' returning 1",
        ("critical", "loans_count_share__sum", BETWEEN),
    ),
    "roll_rate_share_off": (
        "rpt_roll_rates",
        "update marts.rpt_roll_rates set share_of_from_state = share_of_from_state - 0.001 "
        "where (reporting_month, from_state, to_state) = (select (reporting_month, from_state, "
        "to_state) from marts.rpt_roll_rates order by all limit 1) returning 1",
        ("critical", "share_of_from_state__sum", BETWEEN),
    ),
    "segment_share_off": (
        "rpt_repayment_segments",
        "update marts.rpt_repayment_segments set share_of_loans = share_of_loans * 1.1 "
        "where segment = 'On Track' returning 1",
        ("critical", "share_of_loans__sum", BETWEEN),
    ),
    "score_in_the_wrong_tier": (
        "fct_loan_repayment",
        "update marts.fct_loan_repayment set score_tier = 'A' where loan_id = (select min("
        "loan_id) from marts.fct_loan_repayment where score_tier = 'D') returning 1",
        ("critical", "repayment_score", BETWEEN),
    ),
    "par_90_above_par_30": (
        "rpt_risk_trend_monthly",
        "update marts.rpt_risk_trend_monthly set par_90 = par_30 + 0.01 "
        "where reporting_month = (select max(reporting_month) from marts.rpt_risk_trend_monthly) "
        "returning 1",
        ("critical", None, PAIR),
    ),
    "disbursed_after_the_as_of_date": (
        "fct_loans",
        "update marts.fct_loans set disbursed_date = as_of_date + 1 "
        "where loan_id = (select min(loan_id) from marts.fct_loans) "
        "and source_feed = 'fact_loans' returning 1",
        ("critical", None, PAIR),
    ),
    "correlation_not_symmetric": (
        "rpt_repayment_correlations",
        "update marts.rpt_repayment_correlations set r = r / 2 "
        "where feature_x = 'issued_sum' and feature_y = 'score' returning 1",
        ("critical", "r__asymmetry", BETWEEN),
    ),
    "quarantine_share_off": (
        "rpt_data_quality_summary",
        "update marts.rpt_data_quality_summary set share_of_loaded = share_of_loaded + 0.001 "
        "where category = 'quarantined' and source_feed = 'payments' "
        "and issue_code = 'exact_duplicate' returning 1",
        ("critical", "share_of_loaded__staged_plus_quarantined", BETWEEN),
    ),
    "vintages_paying_back_less_later": (
        "rpt_vintage_curves",
        "update marts.rpt_vintage_curves set paid_to_issued_ratio = 0 "
        "where months_on_book = 3 and paid_to_issued_ratio > 0 returning 1",
        ("warning", "paid_to_issued_ratio__step", BETWEEN),
    ),
    # the vintage check is a share (mostly): one cohort's dip alone is not worth a warning
    "one_vintage_paying_back_less_later": (
        "rpt_vintage_curves",
        "update marts.rpt_vintage_curves set paid_to_issued_ratio = 0 where months_on_book = 3 "
        "and disbursal_month = (select min(disbursal_month) from marts.rpt_vintage_curves) "
        "returning 1",
        None,
    ),
}


@pytest.mark.parametrize("case", BROKEN_MARTS)
def test_a_broken_mart_is_caught(
    case: str, tmp_path: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    mart, update, expected = BROKEN_MARTS[case]
    warehouse = copy_mart(sample_build, tmp_path, mart, update)
    run = validate_one_mart(tmp_path, warehouse, mart, monkeypatch)
    failed = [
        (f["severity"], f["column"], f["expectation"])
        for f in run.target(mart, layer="mart")["failures"]
    ]
    assert failed == ([] if expected is None else [expected])
    assert run.code == (1 if expected and expected[0] == "critical" else 0)


# --- a build with overridden threshold vars --------------------------------------------------

OVERRIDDEN_VARS = {"segment_tolerance": 0.2, "score_tier_floors": {"A": 70, "B": 50, "C": 30}}
REPAYMENT = "fct_loan_repayment"


@pytest.fixture(scope="module")
def overridden_build(tmp_path_factory: pytest.TempPathFactory) -> DbtBuild:
    """The sample built with wider segments and lower tier floors (only what the mart needs)."""
    build = run_dbt(
        [
            *("build", "--select", f"+{REPAYMENT}", "+rpt_reference_categories"),
            *("+rpt_reporting_dates", "--indirect-selection", "cautious"),
        ],
        tmp_path_factory.mktemp("overridden_vars"),
        OVERRIDDEN_VARS,
    )
    assert build.success, build.log[-5000:]
    return build


def test_a_build_with_overridden_thresholds_validates(
    tmp_path: Path, overridden_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the overridden vars matter: loans sit where the defaults (0.05, A 80 / B 60 / C 40) would
    # put them in another segment or tier
    assert overridden_build.scalar(
        f"select count(*) from marts.{REPAYMENT} "
        "where segment = 'On Track' and abs(paid_ratio - 1) > 0.05"
    )
    assert overridden_build.scalar(
        f"select count(*) from marts.{REPAYMENT} where score_tier = 'B' and repayment_score < 60"
    )
    warehouse = copy_mart(overridden_build, tmp_path / "as_built", REPAYMENT)
    run = validate_one_mart(tmp_path / "as_built", warehouse, REPAYMENT, monkeypatch)
    assert run.code == 0 and run.target(REPAYMENT, layer="mart")["failures"] == []
    # the same mart judged by the default thresholds fails: the suite reads the build's values
    defaults = copy_mart(
        overridden_build,
        tmp_path / "defaults",
        REPAYMENT,
        "update marts.rpt_reference_categories set lower_bound = 0.95, upper_bound = 1.05, "
        "bounds_label = 'paid ratio in [0.95, 1.05]' where code = 'On Track' returning 1",
    )
    run = validate_one_mart(tmp_path / "defaults", defaults, REPAYMENT, monkeypatch)
    assert run.code == 1
    assert ("critical", "paid_ratio", BETWEEN) in [
        (f["severity"], f["column"], f["expectation"])
        for f in run.target(REPAYMENT, layer="mart")["failures"]
    ]


def test_a_broken_mart_fails_under_overridden_thresholds(
    tmp_path: Path, overridden_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a paid ratio of 1.05-1.2 is On Track with a tolerance of 0.2: calling it Overpaid is wrong
    # (and would pass under the default tolerance of 0.05)
    warehouse = copy_mart(
        overridden_build,
        tmp_path,
        REPAYMENT,
        f"update marts.{REPAYMENT} set segment = 'Overpaid' where loan_id = (select min(loan_id) "
        f"from marts.{REPAYMENT} where segment = 'On Track' and paid_ratio > 1.05) returning 1",
    )
    run = validate_one_mart(tmp_path, warehouse, REPAYMENT, monkeypatch)
    failed = [
        (f["severity"], f["column"], f["expectation"], f["unexpected_count"])
        for f in run.target(REPAYMENT, layer="mart")["failures"]
    ]
    assert failed == [("critical", "paid_ratio", BETWEEN, 1)]
    assert run.code == 1


# --- the credit-loss marts (scripts/gx_suites/credit_loss.py) ----------------------------------

IN_SET = "expect_column_values_to_be_in_set"
AS_OF_ROW = "is_as_of_date and from_state = '{}' and to_state = '{}'"

# (mart, the edits, every (severity, column, expectation) that must fail, and nothing else)
BROKEN_CREDIT_LOSS: dict[str, tuple[str, list[str], list[tuple[str, str, str]]]] = {
    "transition_row_not_summing_to_one": (
        "rpt_transition_matrix",
        [
            "update marts.rpt_transition_matrix set transition_probability = "
            "transition_probability + 0.01 where " + AS_OF_ROW.format("current", "1-30") + " "
            "returning 1"
        ],
        [("critical", "transition_probability__row_sum_minus_one", BETWEEN)],
    ),
    "default_is_left": (
        "rpt_transition_matrix",
        [
            "update marts.rpt_transition_matrix set transition_probability = 0.9 where "
            + AS_OF_ROW.format("90+", "90+")
            + " returning 1",
            "update marts.rpt_transition_matrix set transition_probability = 0.1 where "
            + AS_OF_ROW.format("90+", "closed")
            + " returning 1",
        ],
        [("critical", "transition_probability__absorbing_minus_identity", BETWEEN)],
    ),
    "cumulative_pd_above_one": (
        "rpt_pd_term_structure",
        [
            "update marts.rpt_pd_term_structure set cumulative_pd = 1.01 "
            "where is_as_of_date and from_state = '90+' returning 1"
        ],
        [("critical", "cumulative_pd", BETWEEN)],
    ),
    "cumulative_pd_falling": (
        "rpt_pd_term_structure",
        [
            "update marts.rpt_pd_term_structure set cumulative_pd = cumulative_pd - 0.01 "
            "where is_as_of_date and from_state = 'current' and horizon_months = 60 returning 1"
        ],
        [
            ("critical", "cumulative_pd__step", BETWEEN),
            ("critical", "marginal_pd__minus_step", BETWEEN),
        ],
    ),
    "coverage_above_one": (
        "rpt_ecl_by_stage",
        ["update marts.rpt_ecl_by_stage set coverage_ratio = 1.2 where stage = 3 returning 1"],
        [
            ("critical", "coverage_ratio", BETWEEN),
            ("critical", "coverage_ratio__minus_ecl_over_gross", BETWEEN),
        ],
    ),
    "a_fourth_stage": (
        "rpt_ecl_by_stage",
        ["update marts.rpt_ecl_by_stage set stage = 4 where stage = 3 returning 1"],
        [("critical", "stage", IN_SET)],
    ),
    "stage_3_ecl_is_not_lgd_times_ead": (
        "fct_loan_expected_credit_loss",
        [
            "update marts.fct_loan_expected_credit_loss set ecl_amount = ecl_amount * 0.9 "
            "where loan_id = (select min(loan_id) from marts.fct_loan_expected_credit_loss "
            "where stage = 3 and ecl_amount > 1) returning 1"
        ],
        [
            ("critical", "ecl_amount__stage_3_minus_lgd_times_ead", BETWEEN),
            ("critical", "allowance_amount__minus_ecl", BETWEEN),
        ],
    ),
    "a_performing_loan_over_30_days_past_due": (
        "fct_loan_expected_credit_loss",
        [
            "update marts.fct_loan_expected_credit_loss set days_past_due = 45 "
            "where loan_id = (select min(loan_id) from marts.fct_loan_expected_credit_loss "
            "where stage = 1) returning 1"
        ],
        [("critical", "days_past_due", BETWEEN)],
    ),
    "movement_off_by_a_cent": (
        "rpt_allowance_movement",
        [
            "update marts.rpt_allowance_movement set allowance_amount = allowance_amount + 0.01 "
            "where stage = 2 and movement = 'remeasurement' returning 1"
        ],
        [("critical", "allowance_amount__closing_minus_opening_and_lines", BETWEEN)],
    ),
    "transfer_not_netting_to_zero": (
        "rpt_allowance_movement",
        [
            "update marts.rpt_allowance_movement set allowance_amount = allowance_amount + 1 "
            "where stage = 3 and movement = 'transfer_to_stage_3' returning 1",
            "update marts.rpt_allowance_movement set allowance_amount = allowance_amount + 1 "
            "where stage = 3 and movement = 'closing' returning 1",
        ],
        [("critical", "allowance_amount__transfer_over_stages", BETWEEN)],
    ),
    "provision_is_not_rate_times_amount": (
        "rpt_provision_matrix",
        [
            "update marts.rpt_provision_matrix set provision_amount = provision_amount + 1 "
            "where portfolio = 'family_a' and band_order = 2 returning 1"
        ],
        [("critical", "provision_amount__rounding_excess", BETWEEN)],
    ),
    "loss_rate_falling_with_days_past_due": (
        "rpt_provision_matrix",
        [
            "update marts.rpt_provision_matrix set loss_rate = 0.01, "
            "provision_amount = round(carrying_amount * 0.01, 2) "
            "where portfolio = 'family_a' and band_order = 5 returning 1"
        ],
        [("warning", "loss_rate__step", BETWEEN)],
    ),
    "fallback_lgd_used": (
        "rpt_lgd_estimate",
        [
            "update marts.rpt_lgd_estimate set lgd = 0.45, is_fallback_used = true "
            "where row_level = 'portfolio' and is_as_of_date returning 1"
        ],
        [("warning", "is_fallback_used", IN_SET)],
    ),
}


@pytest.mark.parametrize("case", BROKEN_CREDIT_LOSS)
def test_a_broken_credit_loss_mart_is_caught(
    case: str, tmp_path: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    mart, updates, expected = BROKEN_CREDIT_LOSS[case]
    warehouse = copy_mart(sample_build, tmp_path, mart, *updates)
    run = validate_one_mart(tmp_path, warehouse, mart, monkeypatch)
    failed = [
        (f["severity"], f["column"], f["expectation"])
        for f in run.target(mart, layer="mart")["failures"]
    ]
    assert sorted(failed) == sorted(expected)
    assert run.code == (1 if any(severity == "critical" for severity, _, _ in expected) else 0)


def test_the_sample_credit_loss_marts_are_validated(sample_run: Run) -> None:
    names = [
        "rpt_transition_matrix",
        "rpt_pd_term_structure",
        "rpt_lgd_estimate",
        "fct_loan_expected_credit_loss",
        "rpt_ecl_by_stage",
        "rpt_stage_migration",
        "rpt_allowance_movement",
        "rpt_provision_matrix",
    ]
    for name in names:
        target = sample_run.target(name, layer="mart")
        assert target["status"] == "validated" and target["failures"] == [], name
        assert target["evaluated"] >= 3, name
