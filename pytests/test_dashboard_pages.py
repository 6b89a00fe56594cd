"""The dashboard's loan-book pages (branches, demographics, interventions) and data-quality
page in Streamlit's AppTest: filters set as a person would must change what is shown, and
every table and download is the marts' rows, read here with duckdb.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from conftest import DbtBuild
from dashboard_helpers import app as app  # noqa: F401  (a fixture)
from dashboard_helpers import (
    assert_same_rows,
    assert_shown,
    mart,
    metrics,
    open_page,
    table,
)
from dashboard_helpers import repo_on_path as repo_on_path  # noqa: F401  (autouse)
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

BRANCH_COLUMNS = ["loans_count", "disbursed_amount", "repaid_amount", "outstanding_amount"]


def test_region_and_branch_filters_narrow_the_branch_tables(
    app: AppTest, sample_build: DbtBuild
) -> None:
    open_page(app, "branches")
    branches = mart(
        sample_build,
        "select kpis.* exclude (region), coalesce(kpis.region, 'Unknown') as region "
        "from marts.rpt_branch_kpis as kpis",
    )
    regions = mart(sample_build, "select * from marts.rpt_region_kpis")
    assert_same_rows(
        table(app, "branches"), branches, key=["branch_name"], columns=["region", *BRANCH_COLUMNS]
    )
    assert_same_rows(table(app, "regions"), regions, key=["region"], columns=BRANCH_COLUMNS)
    assert_same_rows(
        table(app, "branches_rates"),
        branches,
        key=["branch_name"],
        columns=["default_rate", "resolved_default_rate", "collection_rate", "default_rate_rank"],
    )
    assert not app.metric

    region = regions.sort_values("loans_count").iloc[-1]
    app.selectbox(key="filter_region").set_value(region["region"]).run()
    assert not app.exception
    in_region = branches[branches["region"] == region["region"]]
    assert_same_rows(table(app, "branches"), in_region, key=["branch_name"], columns=BRANCH_COLUMNS)
    shown = metrics(app)
    assert_shown(shown["Loans"], region["loans_count"], "count")
    assert_shown(shown["Default rate"], region["default_rate"], "share")
    assert_shown(shown["Collection rate"], region["collection_rate"], "share")
    # the region table stays whole, for comparison
    assert len(table(app, "regions")) == len(regions)

    branch = in_region.iloc[0]
    branch_box = app.selectbox(key="filter_branch")
    assert branch_box.options == [
        "All branches",
        *in_region.sort_values("branch_id")["branch_name"],
    ]
    branch_box.set_value(str(branch["branch_id"])).run()
    assert not app.exception
    assert list(table(app, "branches")["branch_name"]) == [branch["branch_name"]]
    assert_shown(metrics(app)["Disbursed"], branch["disbursed_amount"], "amount")

    # the filters survive a visit to a page without them
    app.switch_page("views/overview.py").run()
    app.switch_page("views/branches.py").run()
    assert list(table(app, "branches")["branch_name"]) == [branch["branch_name"]]


def test_demographics_page_follows_the_dimension_and_rate(
    app: AppTest, sample_build: DbtBuild
) -> None:
    open_page(app, "demographics")
    segments = mart(sample_build, "select * from marts.rpt_demographic_segments")
    rates = ["default_rate", "resolved_default_rate", "amount_default_rate"]
    for dimension in ("age_band", "employment_status"):
        if dimension != "age_band":
            app.radio(key="dimension").set_value(dimension).run()
            assert not app.exception
        assert_same_rows(
            table(app, "segments"),
            segments[segments["segment_dimension"] == dimension],
            key=["segment_value"],
            columns=["borrowers_count", "loans_count", "is_small_sample", *rates],
        )
    app.radio(key="rate").set_value("amount_default_rate").run()
    assert not app.exception
    assert any("Amount default rate by employment status" in h.value for h in app.subheader)

    assert_same_rows(
        table(app, "status_profiles"),
        mart(sample_build, "select * from marts.rpt_status_profiles"),
        key=["loan_status"],
        columns=["loans_count", "avg_age_years", "median_income_amount", "avg_interest_rate_pct"],
    )
    assert_same_rows(
        table(app, "risk_tiers"),
        mart(sample_build, "select * from marts.rpt_risk_tiers"),
        key=["risk_tier"],
        columns=[
            "customers_count",
            "customers_share",
            "loans_count",
            "defaulted_loans_count",
            "default_rate",
            "behind_schedule_loans_count",
            "active_outstanding_amount",
        ],
    )


def test_segment_filter_narrows_segments_and_loans(app: AppTest, sample_build: DbtBuild) -> None:
    open_page(app, "score")
    segments = mart(sample_build, "select * from marts.rpt_repayment_segments")
    loans = mart(sample_build, "select * from marts.fct_loan_repayment")
    columns = ["loans", "share_of_loans", "outstanding_amount", "average_repayment_score"]
    assert_same_rows(table(app, "repayment_segments"), segments, key=["segment"], columns=columns)
    assert_shown(metrics(app)["Loans in these segments"], segments["loans"].sum(), "count")
    assert len(table(app, "segment_loans")) == len(loans)
    assert any(c.value.startswith(f"{len(loans):,} loans") for c in app.caption)
    tiers = mart(
        sample_build, "select * from marts.rpt_score_distribution where bucket_kind <> 'band'"
    )
    assert_same_rows(
        table(app, "score_tiers"),
        tiers,
        key=["bucket"],
        columns=["loans", "share_of_loans", "min_score", "max_score"],
    )

    app.multiselect(key="filter_segments").set_value(["Underpaid", "Overpaid"]).run()
    assert not app.exception
    chosen = segments[segments["segment"].isin(["Underpaid", "Overpaid"])]
    assert_same_rows(table(app, "repayment_segments"), chosen, key=["segment"], columns=columns)
    shown = metrics(app)
    assert_shown(shown["Loans in these segments"], chosen["loans"].sum(), "count")
    assert_shown(shown["Their outstanding"], chosen["outstanding_amount"].sum(), "amount")
    listed = table(app, "segment_loans")
    assert set(listed["segment"]) == {"Underpaid", "Overpaid"}
    expected = loans[loans["segment"].isin(["Underpaid", "Overpaid"])]
    assert_same_rows(
        listed,
        expected,
        key=["loan_id"],
        columns=["repayment_score", "paid_ratio", "days_past_due"],
    )


@pytest.fixture()
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, bytes]]:
    """(file name, bytes) of every file the app hands to a download button."""
    saved: list[tuple[str | None, bytes]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def record(
        self: MemoryMediaFileStorage,
        data: Any,
        mimetype: str,
        kind: Any,
        filename: str | None = None,
    ) -> str:
        if isinstance(data, bytes):
            saved.append((filename, data))
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return saved


def test_intervention_list_filters_and_downloads_what_it_shows(
    app: AppTest, sample_build: DbtBuild, downloads: list[tuple[str | None, bytes]]
) -> None:
    open_page(app, "interventions")
    listed = mart(
        sample_build,
        "select list.*, coalesce(branches.region, 'Unknown') as region "
        "from marts.rpt_intervention_list as list "
        "left join marts.dim_branches as branches using (branch_id)",
    )
    columns = ["priority_rank", "outstanding_amount", "risk_weighted_outstanding_amount"]
    shown = table(app, "intervention_list")
    assert_same_rows(shown, listed, key=["loan_id"], columns=columns)
    assert list(shown["priority_rank"]) == sorted(listed["priority_rank"])
    assert_shown(metrics(app)[f"Loans listed (of {len(listed):,})"], len(listed), "count")
    assert_shown(metrics(app)["Outstanding"], listed["outstanding_amount"].sum(), "amount")
    assert app.get_by_key("download_csv").label == f"Download these {len(listed):,} loans as CSV"

    region = listed["region"].value_counts().index[0]
    app.selectbox(key="filter_region").set_value(region).run()
    app.multiselect(key="tiers").set_value(["high"]).run()
    assert not app.exception
    expected = listed[(listed["region"] == region) & (listed["risk_tier"] == "high")]
    assert 0 < len(expected) < len(listed), "pick a filter that narrows the list"
    shown = table(app, "intervention_list")
    assert_same_rows(shown, expected, key=["loan_id"], columns=columns)
    assert set(shown["region"]) == {region}

    file_name, data = downloads[-1]
    assert file_name is not None and file_name.endswith(".csv") and "high" in file_name
    csv = pd.read_csv(io.BytesIO(data), dtype={"loan_id": str})
    assert list(csv["loan_id"]) == list(shown["loan_id"])
    assert {"reason_codes", "customer_id", "expected_paid_amount", "as_of_date"} <= set(csv)
    assert csv["outstanding_amount"].sum() == pytest.approx(expected["outstanding_amount"].sum())


def test_data_quality_page_shows_the_summary_and_flags(
    app: AppTest, sample_build: DbtBuild
) -> None:
    open_page(app, "quality")
    summary = mart(sample_build, "select * from marts.rpt_data_quality_summary")
    staged = summary[summary["category"] == "staged"]
    issues = summary[summary["category"].isin(["quarantined", "flagged"])]
    shown = metrics(app)
    feeds_label = "Feeds reconciled (loaded = staged + quarantined)"
    assert shown[feeds_label] == f"{int(staged['is_reconciled'].sum())} of {len(staged)}"
    assert_shown(
        shown["Rows quarantined"],
        issues.loc[issues["category"] == "quarantined", "rows_count"].sum(),
        "count",
    )
    feeds = table(app, "feeds")
    assert_same_rows(
        feeds,
        staged.rename(columns={"rows_count": "staged_rows", "share_of_loaded": "staged_share"}),
        key=["source_feed"],
        columns=["loaded_rows", "staged_rows", "staged_share", "is_reconciled"],
    )
    assert_same_rows(
        table(app, "issues"),
        issues,
        key=["source_feed", "category", "issue_code"],
        columns=["rows_count", "share_of_loaded"],
    )
    assert_same_rows(
        table(app, "reconciliation_flags"),
        mart(sample_build, "select * from marts.rpt_data_quality_flags"),
        key=["rule_description"],
        columns=["loans_flagged_count", "loans_flagged_share", "principal_affected_amount"],
    )
