"""The GX suites of the marts (scripts/gx_suites/marts.py): the sample's marts pass, a broken one
is caught with the severity its check deserves.

Each broken case copies one mart of the bundled sample's build into a temporary DuckDB file,
changes a value the way a wrong model would, and validates that mart alone (the raw side reads a
one-feed folder, so a case takes a second or two).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import validate
from conftest import SAMPLE_DIR, DbtBuild
from gx_suites.checks import Facts
from gx_suites.marts import MART_DERIVED_COLUMNS, MART_SUITES
from test_validate import BETWEEN, Run, run_validate

PAIR = "expect_column_pair_values_a_to_be_greater_than_b"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory, sample_build: DbtBuild) -> Run:
    workdir = tmp_path_factory.mktemp("sample_marts")
    return run_validate(workdir, "--warehouse", str(sample_build.warehouse))


def copy_mart(sample: DbtBuild, workdir: Path, mart: str, *updates: str) -> Path:
    """workdir/loans.duckdb holding marts.<mart> of the sample build, with updates applied."""
    warehouse = workdir / "loans.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"attach '{sample.warehouse}' as sample (read_only)")
        con.execute("create schema marts")
        con.execute(f"create table marts.{mart} as select * from sample.marts.{mart}")
        con.execute("detach sample")
        for update in updates:
            assert con.execute(update).fetchone()[0] >= 1, update  # the edit changed a row
    return warehouse


def validate_one_mart(
    workdir: Path, warehouse: Path, mart: str, monkeypatch: pytest.MonkeyPatch
) -> Run:
    monkeypatch.setattr(validate, "MART_SUITES", {mart: MART_SUITES[mart]})
    raw = workdir / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_DIR / "dim_branch.csv", raw)
    return run_validate(workdir, "--raw-dir", str(raw), "--warehouse", str(warehouse))


# --- the suites themselves -------------------------------------------------------------------


def test_every_mart_suite_is_tagged_and_reads_only_its_columns(sample_build: DbtBuild) -> None:
    facts = Facts(as_of={"family_a": None, "family_b": None})
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
            assert set(validate.expectation_columns(expectation)) <= columns | derived, (
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
    assert all(Path(t["page"]).exists() for t in marts)


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
