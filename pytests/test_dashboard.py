"""The dashboard, page by page, in Streamlit's AppTest (no browser): what it shows is the marts.

The app runs against a snapshot published (scripts/publish.py) from the bundled-sample
build; every number it shows is checked against the mart queried here with duckdb, on
the build's own warehouse. Filters are set as a person would and must change what is
shown; no page may raise; with nothing published the app says to run `make build`.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_DIR, DbtBuild
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from test_publish import run_results

from scripts.publish import publish

APP = PROJECT_DIR / "dashboard" / "app.py"
PAGES = sorted(path.stem for path in (PROJECT_DIR / "dashboard" / "views").glob("*.py"))
TIMEOUT = 60  # seconds per script run; a run takes well under one here


# --- fixtures and helpers --------------------------------------------------------------


@pytest.fixture(autouse=True)
def repo_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app imports `dashboard` and `scripts` as packages, as `python -m streamlit run
    dashboard/app.py` from the repository root does (make dashboard)."""
    monkeypatch.syspath_prepend(str(PROJECT_DIR))
    monkeypatch.chdir(PROJECT_DIR)


@pytest.fixture(scope="module")
def published(sample_build: DbtBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published folder holding one snapshot of the bundled-sample build."""
    folder = tmp_path_factory.mktemp("dashboard") / "published"
    publish(sample_build.warehouse, folder, run_results(sample_build), keep=3)
    return folder


@pytest.fixture()
def app(published: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("LOANS_PUBLISHED_DIR", str(published))
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def open_page(app: AppTest, page: str) -> AppTest:
    """Run the app, go to a page (views/<page>.py) and check that nothing raised."""
    app.run()
    if page != "overview":
        app.switch_page(f"views/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def mart(build: DbtBuild, sql: str, *params: Any) -> pd.DataFrame:
    """Rows of the build's marts, read here independently of the app."""
    with duckdb.connect(str(build.warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def table(app: AppTest, key: str) -> pd.DataFrame:
    """The data of the table the app shows in the container `table-<key>`."""
    return app.get_by_key(f"table-{key}").dataframe[0].value


def shown_number(text: str) -> float:
    """A number as a person reads it on the page: 1,234.56 or 50.42 % (-> 0.5042)."""
    number = float(text.replace(",", "").replace("%", "").strip())
    return number / 100 if text.strip().endswith("%") else number


def assert_shown(text: str, value: Any, kind: str) -> None:
    """The metric text shows the mart value to the precision it is displayed at."""
    if kind == "count":
        assert text == f"{int(value):,}", (text, value)
    elif kind == "amount":
        assert shown_number(text) == pytest.approx(float(value), abs=0.0051), (text, value)
    elif kind == "share":
        assert shown_number(text) == pytest.approx(float(value), abs=0.000051), (text, value)
    else:
        raise ValueError(kind)


def assert_same_rows(
    shown: pd.DataFrame, expected: pd.DataFrame, key: list[str], columns: list[str]
) -> None:
    """The table shows exactly the expected rows (matched on key), value for value."""
    assert len(shown) == len(expected), (len(shown), len(expected))
    left = shown.set_index(key)[columns].sort_index()
    right = expected.set_index(key)[columns].sort_index()
    assert list(left.index) == list(right.index)
    for column in columns:
        if pd.api.types.is_numeric_dtype(right[column]) and not pd.api.types.is_bool_dtype(
            right[column]
        ):
            assert left[column].astype(float).to_numpy() == pytest.approx(
                right[column].astype(float).to_numpy(), rel=1e-9, abs=1e-9, nan_ok=True
            ), column
        else:
            assert list(left[column].astype(object)) == list(right[column].astype(object)), column


# --- every page ------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_closes_the_snapshot(app: AppTest, published: Path, page: str) -> None:
    open_page(app, page)
    assert app.title and app.title[0].value, f"{page} has no title"
    assert not app.warning, [w.value for w in app.warning]
    # No connection left open: this process can open the file read-write again.
    with duckdb.connect(str(published / "loans.duckdb")) as con:
        con.execute("select 1").fetchall()


def test_no_snapshot_says_run_make_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOANS_PUBLISHED_DIR", str(tmp_path / "nothing_published"))
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for page in ("overview", "risk", "interventions"):
        open_page(app, page)
        assert len(app.warning) == 1
        assert "No published snapshot" in app.warning[0].value
        assert "make build" in app.warning[0].value
        assert not app.dataframe and not app.metric


# --- the snapshot picker -----------------------------------------------------------------


@pytest.fixture()
def two_snapshots(published: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the published folder with an older snapshot whose total disbursed is 1,234.50."""
    folder = tmp_path / "published"
    shutil.copytree(published, folder, symlinks=True)
    (current,) = [p for p in (folder / "snapshots").iterdir() if not p.name.startswith(".")]
    older = folder / "snapshots" / "20000101T000000000000Z"
    shutil.copytree(current, older)
    with duckdb.connect(str(older / "loans.duckdb")) as con:
        con.execute(
            "update marts.rpt_portfolio_overview set disbursed_amount = 1234.5 "
            "where is_portfolio_total"
        )
    manifest = json.loads((older / "manifest.json").read_text())
    manifest.update(built_at="2000-01-01T00:00:00+00:00", as_of_dates={"family_b": "1999-12-31"})
    (older / "manifest.json").write_text(json.dumps(manifest))
    yield folder


def test_snapshot_picker_switches_and_survives_pruning(
    two_snapshots: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOANS_PUBLISHED_DIR", str(two_snapshots))
    app = open_page(AppTest.from_file(str(APP), default_timeout=TIMEOUT), "overview")
    picker = app.radio(key="snapshot_choice")
    assert len(picker.options) == 2
    assert picker.options[0].startswith("**Latest**")
    assert "loan book 1999-12-31" in picker.options[1]
    assert "built 2000-01-01 00:00 UTC" in picker.options[1]
    total = mart(
        sample_build,
        "select disbursed_amount from marts.rpt_portfolio_overview where is_portfolio_total",
    ).iloc[0, 0]
    assert_shown(metrics(app)["Disbursed"], total, "amount")

    picker.set_value("20000101T000000000000Z").run()
    assert not app.exception
    assert metrics(app)["Disbursed"] == "1,234.50"
    assert "20000101T000000000000Z" in app.caption[0].value

    # the older snapshot is pruned by a later publish while it is selected
    shutil.rmtree(two_snapshots / "snapshots" / "20000101T000000000000Z")
    app.run()
    assert not app.exception
    assert len(app.radio(key="snapshot_choice").options) == 1
    assert_shown(metrics(app)["Disbursed"], total, "amount")


# --- page by page ------------------------------------------------------------------------


def test_overview_shows_the_portfolio_marts(app: AppTest, sample_build: DbtBuild) -> None:
    open_page(app, "overview")
    overview = mart(sample_build, "select * from marts.rpt_portfolio_overview")
    total = overview[overview["is_portfolio_total"]].iloc[0]
    shown = metrics(app)
    for label, column, kind in [
        ("Disbursed", "disbursed_amount", "amount"),
        ("Repaid", "repaid_amount", "amount"),
        ("Outstanding", "outstanding_amount", "amount"),
        ("Loans", "loans_count", "count"),
        ("Repaid ÷ disbursed", "repaid_share", "share"),
        ("Outstanding ÷ disbursed", "outstanding_share", "share"),
    ]:
        assert_shown(shown[label], total[column], kind)
    assert_same_rows(
        table(app, "status_shares"),
        overview[~overview["is_portfolio_total"]],
        key=["loan_status"],
        columns=[
            "is_active",
            "loans_count",
            "loans_count_share",
            "disbursed_amount",
            "disbursed_amount_share",
            "repaid_amount",
            "outstanding_amount",
        ],
    )
    latest = mart(
        sample_build,
        "select * from marts.rpt_risk_trend_monthly order by reporting_month desc limit 1",
    ).iloc[0]
    assert_shown(shown["Active loans"], latest["active_loans"], "count")
    assert_shown(shown["Outstanding (remaining scheduled)"], latest["outstanding_amount"], "amount")
    assert_shown(shown["PAR30"], latest["par_30"], "share")
    assert_shown(shown["PAR90"], latest["par_90"], "share")


def test_risk_page_shows_trend_buckets_rolls_and_zero_payment_loans(
    app: AppTest, sample_build: DbtBuild
) -> None:
    open_page(app, "risk")
    latest = mart(
        sample_build,
        "select * from marts.rpt_risk_trend_monthly order by reporting_month desc limit 1",
    ).iloc[0]
    shown = metrics(app)
    assert_shown(shown["PAR30"], latest["par_30"], "share")
    assert_shown(shown["PAR90"], latest["par_90"], "share")
    assert_shown(shown["Loans in arrears"], latest["loans_in_arrears"], "count")
    assert_shown(shown["Arrears"], latest["arrears_amount"], "amount")

    buckets = table(app, "dpd_buckets").set_index("dpd_bucket")
    for bucket, prefix in [
        ("current", "dpd_current"),
        ("1-30", "dpd_1_30"),
        ("90+", "dpd_90_plus"),
    ]:
        assert buckets.loc[bucket, "loans"] == latest[f"{prefix}_loans"]
        assert buckets.loc[bucket, "outstanding_amount"] == pytest.approx(
            latest[f"{prefix}_outstanding_amount"]
        )

    rolls = mart(sample_build, "select * from marts.rpt_roll_rates")
    months = sorted(rolls["reporting_month"].unique(), reverse=True)
    for month in (months[0], months[5]):  # the default (latest), then one picked
        if month != months[0]:
            app.selectbox(key="roll_month").set_value(month).run()
            assert not app.exception
        matrix = table(app, "roll_rates").set_index("from_state")
        observed = rolls[rolls["reporting_month"] == month]
        assert set(matrix.index) == set(observed["from_state"])
        for row in observed.itertuples():
            assert matrix.loc[row.from_state, row.to_state] == pytest.approx(
                row.share_of_from_state
            )
            assert matrix.loc[row.from_state, "from_state_loans"] == row.from_state_loans
        # a pair the mart does not list moved no loan: shown empty, never invented
        assert matrix.notna().sum().sum() - len(matrix) == len(observed)

    zero = mart(sample_build, "select * from marts.rpt_zero_payment_liabilities")
    assert_shown(shown["Zero-payment open loans"], zero["zero_payment_loans"].iloc[0], "count")
    assert_shown(
        shown["Their exposure (principal)"], zero["total_exposure_amount"].iloc[0], "amount"
    )
    assert_same_rows(
        table(app, "zero_payment_loans"),
        zero,
        key=["loan_id"],
        columns=["days_past_due", "exposure_amount", "planned_to_date_amount"],
    )
    curve = app.radio(key="vintage_measure")
    assert curve.value == "paid_to_issued_ratio"
    curve.set_value("share_ever_30_plus_dpd").run()
    assert not app.exception


def vega_charts(app: AppTest) -> list[dict[str, Any]]:
    """The Vega-Lite spec of every chart on the page, with its data rows (first dataset)."""
    found = []
    for chart in app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        spec["rows"] = convert_arrow_bytes_to_pandas_df(chart.proto.datasets[0].data.data)
        found.append(spec)
    return found


def expected_vintage_highlights(build: DbtBuild) -> tuple[dict[str, set[str]], int]:
    """Role -> cohort ('YYYY-MM'), by the PNG chart's rule, computed here in SQL."""
    sql = """
        with sizes as (
            select disbursal_month, max(cohort_loans) as loans, max(months_on_book) as last_age
            from marts.rpt_vintage_curves group by disbursal_month
        ),
        eligible as (
            select * from sizes where loans >= (select median(loans) from sizes) / 2
        ),
        ranked_ages as (
            select last_age, row_number() over (order by last_age) as n from eligible
        ),
        age as (
            select last_age as age from ranked_ages
            where n = (select (count(*) + 1) // 2 from eligible)
        ),
        at_age as (
            select curves.disbursal_month, curves.share_ever_30_plus_dpd as share
            from marts.rpt_vintage_curves as curves
            inner join eligible on curves.disbursal_month = eligible.disbursal_month
            inner join age on curves.months_on_book = age.age
            where curves.share_ever_30_plus_dpd is not null
        ),
        ordered as (
            select *, row_number() over (order by share, disbursal_month) as n from at_age
        )
        select
            (select strftime(max(disbursal_month), '%Y-%m') from sizes) as latest,
            (select strftime(disbursal_month, '%Y-%m') from at_age
             order by share desc, disbursal_month limit 1) as worst,
            (select strftime(disbursal_month, '%Y-%m') from ordered
             where n = (select (count(*) + 1) // 2 from ordered)) as median,
            (select age from age) as age
    """
    row = mart(build, sql).iloc[0]
    return {role: {row[role]} for role in ("latest", "worst", "median")}, int(row["age"])


def test_vintage_chart_highlights_latest_worst_and_median_cohorts(
    app: AppTest, sample_build: DbtBuild
) -> None:
    open_page(app, "risk")
    roles, age = expected_vintage_highlights(sample_build)
    cohorts = mart(
        sample_build, "select count(distinct disbursal_month) from marts.rpt_vintage_curves"
    )
    (vintage,) = [c for c in vega_charts(app) if "cohort_legend" in c["rows"].columns]
    lines = vintage["layer"]
    colour = lines[0]["encoding"]["color"]
    legend = colour["scale"]["domain"]
    # not a continuous scale: a named entry per highlighted cohort, one for all the others
    assert colour["type"] == "nominal" and "scheme" not in colour["scale"]
    highlighted = set(roles["latest"] | roles["worst"] | roles["median"])
    others = int(cohorts.iloc[0, 0]) - len(highlighted)
    assert len(legend) == len(highlighted) + (1 if others else 0), legend
    if others:
        assert legend[-1] == f"the {others} other cohort{'s' if others != 1 else ''}"
        assert colour["scale"]["range"][-1] not in colour["scale"]["range"][:-1]
    for role, expected in roles.items():
        named = {entry.split(": ")[1][:7] for entry in legend if role in entry.split(": ")[0]}
        assert named == expected, (role, legend)
    assert any(f"at {age} months" in entry for entry in legend if "worst" in entry), legend
    # the highlighted rows of the chart's data are exactly those cohorts, thick; others thin
    rows = vintage["rows"]
    drawn = {
        pd.Timestamp(month).strftime("%Y-%m")
        for month in rows.loc[rows["is_highlighted"], "disbursal_month"]
    }
    assert drawn == highlighted
    widths = {layer["transform"][0]["filter"]: layer["mark"]["strokeWidth"] for layer in lines}
    assert widths["datum.is_highlighted"] > widths["!datum.is_highlighted"]


def test_roll_rate_rows_show_their_denominators(app: AppTest, sample_build: DbtBuild) -> None:
    open_page(app, "risk")
    latest = mart(
        sample_build,
        """
        select from_state, count(*) as pairs, sum(loans) as loans_leaving
        from marts.rpt_roll_rates
        where reporting_month = (select max(reporting_month) from marts.rpt_roll_rates)
        group by from_state
        """,
    ).set_index("from_state")
    matrix = table(app, "roll_rates").set_index("from_state")
    assert set(matrix.index) == set(latest.index)
    for state, row in latest.iterrows():
        # every loan of the row went somewhere: the sum of the moves is the denominator
        loans = int(row["loans_leaving"])
        assert matrix.loc[state, "from_state_loans"] == loans
    assert list(table(app, "roll_rates").columns[:2]) == [
        "from_state",
        "from_state_loans",
    ]


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
