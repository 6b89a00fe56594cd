"""The semantic layer (models/semantic) answers exactly what the marts say.

Each test runs the analyst's command, `mf query ... --csv`, as a subprocess against the
bundled sample built once for the session (fixture sample_build), and compares the result
with the mart that computes the same figure in SQL of its own: PAR by month with
rpt_risk_trend_monthly, default rates by region with rpt_region_kpis, collection rate by
branch with rpt_branch_kpis, ECL coverage by stage with rpt_ecl_by_stage, the average score
by segment with rpt_repayment_segments. Amounts agree to the cent, ratios to 1e-9.

The quarter test pins the semi-additive balances: a quarter's PAR and outstanding are those
of its last month-end (picked here from the monthly mart, in Python), never the sum of its
month-ends.

`mf` reads <project>/target/semantic_manifest.json and the profile of the project it runs
in: it runs in a copy of the project holding the sample build's semantic manifest, with
LOANS_WAREHOUSE pointing at the build's DuckDB file.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import DbtBuild, project_copy

MF = Path(sys.executable).parent / "mf"
RATIO_TOLERANCE = 1e-9
CENT = Decimal("0.01")


class SemanticLayer:
    """Runs `mf query` in a project copy against one built warehouse."""

    def __init__(self, project: Path, warehouse: Path):
        self.project = project
        self.warehouse = warehouse
        self.env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(project),
            "LOANS_WAREHOUSE": str(warehouse),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        self.queries = 0

    def query(self, metrics: list[str], group_by: list[str]) -> list[dict[str, str]]:
        """The rows `mf query --csv` writes (every value as text, '' for null)."""
        self.queries += 1
        out = self.project / f"query_{self.queries}.csv"
        command = [str(MF), "query", "--metrics", ",".join(metrics), "--quiet", "--csv", str(out)]
        if group_by:
            command += ["--group-by", ",".join(group_by)]
        done = subprocess.run(
            command, cwd=self.project, env=self.env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0 and out.exists(), (
            f"{' '.join(command[1:])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
        with out.open(newline="") as handle:
            return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def semantic_layer(sample_build: DbtBuild, tmp_path_factory: pytest.TempPathFactory):
    if not MF.exists():
        pytest.fail(f"{MF} not found: the pinned dbt-metricflow is missing; run `make venv`")
    manifest = sample_build.warehouse.parent / "target" / "semantic_manifest.json"
    assert manifest.exists(), "dbt wrote no semantic_manifest.json: models/semantic not parsed"
    project = project_copy(tmp_path_factory.mktemp("semantic") / "project")
    (project / "target").mkdir()
    shutil.copy(manifest, project / "target" / "semantic_manifest.json")
    return SemanticLayer(project, sample_build.warehouse)


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def amount(text: str) -> Decimal:
    return Decimal(text).quantize(CENT)


def cents(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def month_of(text: str) -> date:
    """metric_time__month / __quarter as mf writes it ('2024-01-01 00:00:00') -> a date."""
    return date.fromisoformat(text[:10])


def assert_ratio(actual: float | None, expected: float | None, what: str) -> None:
    if expected is None:
        assert actual is None, f"{what}: mf {actual}, mart null"
    else:
        assert actual is not None and math.isclose(
            actual, expected, rel_tol=0, abs_tol=RATIO_TOLERANCE
        ), f"{what}: mf {actual}, mart {expected}"


def risk_trend(sample_build: DbtBuild) -> list[tuple]:
    return sample_build.query(
        """
        select reporting_month, active_loans, loans_in_arrears, outstanding_amount,
               par_30, par_90
        from marts.rpt_risk_trend_monthly
        order by reporting_month
        """
    )


def test_par_and_share_in_arrears_by_month_equal_the_monthly_risk_trend(
    semantic_layer: SemanticLayer, sample_build: DbtBuild
) -> None:
    rows = semantic_layer.query(
        ["par_30", "par_90", "share_in_arrears", "outstanding"], ["metric_time__month"]
    )
    by_month = {month_of(row["metric_time__month"]): row for row in rows}
    mart = [row for row in risk_trend(sample_build) if row[1] > 0]
    assert len(mart) >= 12, "the sample has too few months with active loans to prove anything"
    assert sorted(by_month) == [row[0] for row in mart]
    for month, active, in_arrears, outstanding, par_30, par_90 in mart:
        got = by_month[month]
        assert amount(got["outstanding"]) == cents(outstanding), month
        assert_ratio(number(got["par_30"]), par_30, f"par_30 {month}")
        assert_ratio(number(got["par_90"]), par_90, f"par_90 {month}")
        assert_ratio(number(got["share_in_arrears"]), in_arrears / active, f"arrears {month}")


def test_a_quarter_shows_its_quarter_end_balance_never_the_sum_of_its_month_ends(
    semantic_layer: SemanticLayer, sample_build: DbtBuild
) -> None:
    rows = semantic_layer.query(["par_30", "par_90", "outstanding"], ["metric_time__quarter"])
    by_quarter = {month_of(row["metric_time__quarter"]): row for row in rows}
    months_of_quarter: dict[date, list[tuple]] = defaultdict(list)
    for row in risk_trend(sample_build):
        month = row[0]
        months_of_quarter[date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)].append(row)
    assert sorted(by_quarter) == sorted(months_of_quarter)
    summed_quarters = 0
    for quarter, months in months_of_quarter.items():
        last = max(months)  # the quarter-end month (the as-of month in the last quarter)
        got = by_quarter[quarter]
        assert amount(got["outstanding"]) == cents(last[3]), quarter
        assert_ratio(number(got["par_30"]), last[4], f"par_30 {quarter}")
        assert_ratio(number(got["par_90"]), last[5], f"par_90 {quarter}")
        month_ends_with_balance = [month for month in months if month[3] > 0]
        if len(month_ends_with_balance) > 1:
            # the test tells the two apart: summing month-ends would give another figure
            assert cents(sum(month[3] for month in months)) != cents(last[3]), quarter
            summed_quarters += 1
    assert summed_quarters >= 2, "no quarter has two month-ends with a balance to tell apart"


def test_default_rates_by_region_equal_the_region_kpis(
    semantic_layer: SemanticLayer, sample_build: DbtBuild
) -> None:
    metrics = ["default_rate", "resolved_default_rate", "amount_default_rate", "loans"]
    rows = semantic_layer.query(metrics, ["branch__region"])
    # fct_loans' Family A rows have no branch: they form a null region with 0 loan-book loans
    family_a = [row for row in rows if row["branch__region"] == ""]
    assert all(row["loans"] == "0" and row["default_rate"] == "" for row in family_a), family_a
    by_region = {row["branch__region"]: row for row in rows if row["branch__region"] != ""}
    mart = sample_build.query(
        """
        select region, loans_count, default_rate, resolved_default_rate, amount_default_rate
        from marts.rpt_region_kpis
        """
    )
    assert len(mart) >= 2
    assert sorted(by_region) == sorted(row[0] for row in mart)
    for region, loans, default_rate, resolved_rate, amount_rate in mart:
        got = by_region[region]
        assert int(got["loans"]) == loans, region
        assert_ratio(number(got["default_rate"]), default_rate, f"default_rate {region}")
        assert_ratio(number(got["resolved_default_rate"]), resolved_rate, f"resolved {region}")
        assert_ratio(number(got["amount_default_rate"]), amount_rate, f"amount {region}")


def test_collection_rate_and_amounts_by_branch_equal_the_branch_kpis(
    semantic_layer: SemanticLayer, sample_build: DbtBuild
) -> None:
    metrics = ["collection_rate", "disbursed", "repaid", "loan_book_outstanding"]
    rows = semantic_layer.query(metrics, ["branch"])
    by_branch = {int(row["branch"]): row for row in rows if row["branch"] != ""}
    mart = sample_build.query(
        """
        select branch_id, collection_rate, disbursed_amount, repaid_amount, outstanding_amount
        from marts.rpt_branch_kpis
        where loans_count > 0
        """
    )
    assert len(mart) >= 2
    assert sorted(by_branch) == sorted(row[0] for row in mart)
    for branch, collection_rate, disbursed, repaid, outstanding in mart:
        got = by_branch[branch]
        assert_ratio(number(got["collection_rate"]), collection_rate, f"branch {branch}")
        assert amount(got["disbursed"]) == cents(disbursed), branch
        assert amount(got["repaid"]) == cents(repaid), branch
        assert amount(got["loan_book_outstanding"]) == cents(outstanding), branch


def test_ecl_coverage_by_stage_equals_the_ecl_by_stage_mart(
    semantic_layer: SemanticLayer, sample_build: DbtBuild
) -> None:
    rows = semantic_layer.query(["ecl_coverage"], ["loan_ecl__stage"])
    by_stage = {int(row["loan_ecl__stage"]): number(row["ecl_coverage"]) for row in rows}
    mart = sample_build.query(
        "select stage, coverage_ratio from marts.rpt_ecl_by_stage where loans > 0"
    )
    assert mart, "no stage has loans in the sample"
    assert sorted(by_stage) == sorted(row[0] for row in mart)
    for stage, coverage in mart:
        assert_ratio(by_stage[stage], coverage, f"stage {stage}")


def test_average_score_by_segment_equals_the_segment_mart(
    semantic_layer: SemanticLayer, sample_build: DbtBuild
) -> None:
    rows = semantic_layer.query(
        ["avg_repayment_score", "instalment_disbursed"], ["family_a_loan__segment"]
    )
    by_segment = {row["family_a_loan__segment"]: row for row in rows}
    mart = sample_build.query(
        """
        select segment, average_repayment_score, principal_amount
        from marts.rpt_repayment_segments
        where loans > 0
        """
    )
    assert sorted(by_segment) == sorted(row[0] for row in mart)
    scored = 0
    for segment, average_score, principal in mart:
        got = by_segment[segment]
        assert_ratio(number(got["avg_repayment_score"]), average_score, segment)
        assert amount(got["instalment_disbursed"]) == cents(principal), segment
        scored += average_score is not None
    assert scored >= 2
