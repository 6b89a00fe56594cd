"""The dashboard on snapshots that differ from the bundled sample, in Streamlit's AppTest.

- A loan-book-only and an instalment-only warehouse (dbt builds on a raw_dir holding
  only that portfolio's feeds): every page runs, says in words which portfolio is
  absent and from which feeds, draws nothing for it and never prints "None".
- A manifest as publish writes it after issue 11 (built_from, portfolios, vars,
  vars_overridden, currency), fabricated here: the picker and the page header say what
  the snapshot was built from, the expander lists its files and overridden vars, help
  texts follow the build's vars and amounts name the currency.
- A manifest without those fields (an older snapshot) still reads, in words.
- The vocabulary (tier bounds, segment names) comes from the reference mart; the
  correlation heatmap's scale and labels; the arrears note; the branch benchmark.

Expected texts are written by hand here, never taken from the dashboard's code.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import DbtBuild, SinglePortfolioBuilds
from dashboard_helpers import app_on, open_page
from dashboard_helpers import repo_on_path as repo_on_path  # noqa: F401  (autouse)
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest
from test_publish import run_results

from scripts.publish import publish

FEEDS = {
    "family_a": ["orders", "payments", "plan"],
    "family_b": ["dim_branch", "dim_customer", "fact_loans"],
}
PAGES = {  # page -> the portfolios it shows
    "overview": ("family_a", "family_b"),
    "risk": ("family_a",),
    "score": ("family_a",),
    "branches": ("family_b",),
    "demographics": ("family_b",),
    "interventions": ("family_b",),
    "quality": ("family_a", "family_b"),
}
ABSENT = {
    "family_a": "This snapshot has no instalment-loan data: the feeds orders, payments and plan "
    "were absent or empty.",
    "family_b": "This snapshot has no loan-book data: the feeds dim_branch, dim_customer and "
    "fact_loans were absent or empty.",
}


def texts(app: AppTest) -> list[str]:
    """Every text a person reads on the page (main area and sidebar)."""
    found: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning"):
        found += [str(element.value) for element in getattr(app, kind)]
    found += [f"{metric.label} {metric.value}" for metric in app.metric]
    found += [str(option) for radio in app.radio for option in radio.options]
    return found


def charts(app: AppTest) -> list[Any]:
    return list(app.get("vega_lite_chart"))


def chart_data(chart: Any) -> pd.DataFrame:
    return convert_arrow_bytes_to_pandas_df(chart.proto.datasets[0].data.data)


# --- one portfolio only ------------------------------------------------------------------


@pytest.fixture(scope="module")
def one_portfolio(single_portfolio: SinglePortfolioBuilds) -> dict[str, Path]:
    """Published folders keyed by the portfolio that has data (built once per session)."""
    return {present: single_portfolio.published_dir(present) for present in FEEDS}


@pytest.mark.parametrize("present", ["family_b", "family_a"])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_on_a_one_portfolio_warehouse(
    one_portfolio: dict[str, Path], monkeypatch: pytest.MonkeyPatch, present: str, page: str
) -> None:
    absent = "family_a" if present == "family_b" else "family_b"
    published = one_portfolio[present]
    app = open_page(app_on(published, monkeypatch), page)
    shown = texts(app)
    # the only warnings are those the build itself recorded in the manifest
    recorded = json.loads((published / "manifest.json").read_text()).get("warnings") or []
    assert {w.value for w in app.warning} <= {f"This build warned: {w}" for w in recorded}
    assert not [t for t in shown if "None" in t or "nan" in t.split()], shown
    header = app.caption[0].value
    if absent in PAGES[page]:
        assert "**no data**" in header
        assert [info.value for info in app.info].count(ABSENT[absent]) == 1
    else:
        assert "no data" not in header
        assert not any("has no" in info.value for info in app.info)
    if PAGES[page] == (absent,):
        # nothing drawn or tabled for the absent portfolio (the header's expander aside)
        assert not charts(app) and not app.metric
        assert len(app.dataframe) == len(app.expander[0].dataframe)  # the built-from files
    else:
        assert app.dataframe or app.metric, f"{page} shows nothing of the {present} portfolio"


def test_one_portfolio_snapshot_label_says_no_data(
    one_portfolio: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(app_on(one_portfolio["family_b"], monkeypatch), "overview")
    (option,) = app.radio(key="snapshot_choice").options
    assert "instalment loans no data" in option
    assert "None" not in option


# --- what a snapshot was built from ----------------------------------------------------------


@pytest.fixture(scope="module")
def sample_published(sample_build: DbtBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard_manifest") / "published"
    publish(sample_build.warehouse, folder, run_results(sample_build), keep=3)
    return folder


def with_manifest(published: Path, target: Path, fields: dict[str, Any]) -> Path:
    """A copy of published whose current manifest holds exactly the base fields + fields."""
    shutil.copytree(published, target, symlinks=True)
    manifest_file = (target / "current").resolve() / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    base = {key: manifest[key] for key in ("snapshot_id", "built_at", "row_counts")}
    manifest_file.write_text(json.dumps(base | fields))
    return target


LENDER_X = {
    "built_from": {
        "kind": "raw_dir",
        "raw_dir": "/data/lender_x",
        "label": "lender_x as of 2025-03-31",
        "files": [
            {
                "feed": "fact_loans",
                "file": "fact_loans.parquet",
                "bytes": 123456,
                "modified_at": "2025-04-01T08:00:00+00:00",
                "sha256": "ab" * 32,
            },
            {
                "feed": "orders",
                "file": "orders.csv",
                "bytes": 789,
                "modified_at": "2025-04-02T09:30:00+00:00",
                "sha256": "cd" * 32,
            },
        ],
    },
    "as_of_dates": {"family_a": "2025-03-31", "family_b": "2025-03-30"},
    "portfolios": {
        "family_a": {"label": "x", "has_data": True, "as_of_date": "2025-03-31", "warning": None},
        "family_b": {"label": "y", "has_data": True, "as_of_date": "2025-03-30", "warning": None},
    },
    "vars": {
        "repayment_score_weights": {"paid_ratio": 0.6, "current_dpd": 0.25, "max_dpd": 0.15},
        "min_segment_size": 25,
    },
    "vars_overridden": {"segment_tolerance": 0.2},
    "currency": {"code": "EUR", "label": "EUR"},
    "warnings": ["as_of_date 2025-03-31 is 400 days after the last event"],
}


def test_header_and_picker_say_what_the_snapshot_was_built_from(
    sample_published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = with_manifest(sample_published, tmp_path / "published", LENDER_X)
    app = open_page(app_on(published, monkeypatch), "score")
    (option,) = app.radio(key="snapshot_choice").options
    assert option.startswith("**Latest**: lender_x as of 2025-03-31 · ")
    assert "instalment loans 2025-03-31, loan book 2025-03-30" in option
    header = app.caption[0].value
    assert header.startswith("Built from **lender_x as of 2025-03-31**")
    assert "Instalment loans (schedule and payments) as of **2025-03-31**" in header
    assert "amounts in EUR" in header

    (details,) = app.expander
    assert "`/data/lender_x`" in details.markdown[0].value
    files = details.dataframe[0].value
    assert list(files["File"]) == ["fact_loans.parquet", "orders.csv"]
    assert list(files["Size (bytes)"]) == [123456, 789]
    assert list(files["Modified"]) == ["2025-04-01T08:00:00+00:00", "2025-04-02T09:30:00+00:00"]
    assert "`segment_tolerance` = `0.2`" in details.markdown[1].value
    assert [w.value for w in app.warning] == [
        "This build warned: as_of_date 2025-03-31 is 400 days after the last event"
    ]

    # help texts follow the build's vars, not typed numbers
    weights = "paid ratio 60 %, current DPD 25 %, worst DPD 15 %"
    assert any(weights in caption.value for caption in app.caption)
    assert not any("50 %" in caption.value for caption in app.caption)


def test_a_manifest_without_the_new_fields_reads_in_words(
    sample_published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older snapshot: as-of dates only."""
    published = with_manifest(
        sample_published,
        tmp_path / "published",
        {"as_of_dates": {"family_a": "2025-06-30", "family_b": "2025-06-27"}},
    )
    for page in PAGES:
        app = open_page(app_on(published, monkeypatch), page)
        shown = texts(app)
        assert not [t for t in shown if "None" in t], (page, shown)
        assert "amounts in currency units" in app.caption[0].value
    app = open_page(app_on(published, monkeypatch), "overview")
    (option,) = app.radio(key="snapshot_choice").options
    assert option.startswith("**Latest**: as of instalment loans 2025-06-30, loan book 2025-06-27")
    details = app.expander[0].markdown
    assert "not recorded" in details[0].value and "not recorded" in details[1].value


def test_older_manifests_none_string_is_no_date() -> None:
    """Publish once wrote a missing as-of date as the string "None": it reads as no data."""
    from dashboard.published import Snapshot

    snapshot = Snapshot(
        "20000101T000000000000Z",
        Path("/nowhere"),
        is_current=True,
        manifest={"built_at": "2000-01-01T00:00:00+00:00", "as_of_dates": {"family_a": "None"}},
    )
    assert snapshot.as_of_dates == {"family_a": None}
    assert snapshot.label == "as of instalment loans no data · built 2000-01-01 00:00 UTC"
    assert snapshot.currency == "currency units"


# --- vocabulary, arrears, benchmark, heatmap -------------------------------------------------


@pytest.fixture()
def sample_app(sample_published: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return app_on(sample_published, monkeypatch)


def test_score_tiers_show_bounds_that_cannot_be_misread(sample_app: AppTest) -> None:
    app = open_page(sample_app, "score")
    tiers = app.get_by_key("table-score_tiers").dataframe[0].value.set_index("bucket")
    # the default floors A 80, B 60, C 40 (dbt_project.yml), written out by hand
    assert tiers.loc["A", "score_range"] == "[80, 100]"
    assert tiers.loc["B", "score_range"] == "[60, 80)"
    assert tiers.loc["C", "score_range"] == "[40, 60)"
    assert tiers.loc["D", "score_range"] == "[0, 40)"
    assert tiers.loc["nothing due yet", "score_range"] == "no score"
    segments = app.sidebar.multiselect(key="filter_segments").options
    assert segments == ["Underpaid", "On Track", "Overpaid", "Not Yet Due"]
    assert any("Underpaid: paid ratio < 0.95" in c.value for c in app.caption)


def test_arrears_next_to_buckets_is_explained(sample_app: AppTest) -> None:
    app = open_page(sample_app, "risk")
    (arrears,) = [m for m in app.metric if m.label == "Loans in arrears"]
    assert "0 days past due" in arrears.help
    assert any(
        "in arrears at 0 days past due" in c.value and "fewer loans" in c.value for c in app.caption
    )


def test_a_region_with_one_branch_shows_the_portfolio_benchmark(
    sample_app: AppTest, sample_build: DbtBuild
) -> None:
    app = open_page(sample_app, "branches")
    (region, branch, outstanding, default_rate) = sample_build.query(
        "select region, branch_name, outstanding_amount, default_rate from marts.rpt_branch_kpis "
        "where region in (select region from marts.rpt_branch_kpis group by region "
        "having count(*) = 1) order by region limit 1"
    )[0]
    # defaulted loans of all branches over all their loans
    portfolio_rate = sample_build.scalar(
        "select sum(default_rate * loans_count) / sum(loans_count) from marts.rpt_branch_kpis"
    )
    branch_mean = sample_build.scalar("select avg(outstanding_amount) from marts.rpt_branch_kpis")
    app.selectbox(key="filter_region").set_value(region).run()
    assert not app.exception
    drawn = {
        json.loads(chart.proto.spec)["encoding"]["x"]["field"]: chart_data(chart)
        for chart in charts(app)
    }
    for column, own, benchmark in [
        ("outstanding_amount", outstanding, branch_mean),
        ("default_rate", default_rate, portfolio_rate),
    ]:
        bars = drawn[column].set_index("branch_name")[column].astype(float)
        assert len(bars) == 2, bars
        assert bars[branch] == pytest.approx(float(own))
        (other,) = [name for name in bars.index if name != branch]
        assert bars[other] == pytest.approx(float(benchmark))


def test_correlation_heatmap_is_red_negative_blue_positive(sample_app: AppTest) -> None:
    app = open_page(sample_app, "score")
    (heatmap,) = [c for c in charts(app) if "layer" in json.loads(c.proto.spec)]
    spec = json.loads(heatmap.proto.spec)
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["scheme"] == "redblue"  # Vega's redblue: red at the low end, blue at the high
    assert scale["domain"] == [-1, 1]
    labels = chart_data(heatmap)["label"]
    assert "-0.00" not in set(labels)


@pytest.mark.parametrize(
    ("r", "text"), [(-0.004, "0.00"), (-0.005001, "-0.01"), (0.0, "0.00"), (0.996, "1.00")]
)
def test_correlation_text_never_prints_minus_zero(r: float, text: str) -> None:
    from dashboard.ui.labels import correlation_text

    assert correlation_text(r) == text
    assert correlation_text(float("nan")) == ""
