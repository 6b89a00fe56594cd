"""The dashboard shows what the warehouse added (issue 11 §4, §5), in Streamlit's AppTest.

On a snapshot published from the bundled-sample build: the loan book by start month
(overview), the share behind schedule per region and branch (branches), the risk tiers
judged by their default rate and AUC (demographics, the AUC recomputed here from the loans
and their borrowers' tiers), loans in arrears at 0 days past due (risk), the intervention
list's reasons, and PAR labels taken from the snapshot's columns (a copy of the snapshot whose
thresholds are 45 and 120 days). Expectations come from the marts, queried here with duckdb,
or are written by hand.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from conftest import PROJECT_DIR, DbtBuild
from dashboard_helpers import (
    app_on,
    assert_same_rows,
    assert_shown,
    mart,
    metrics,
    open_page,
)
from dashboard_helpers import repo_on_path as repo_on_path  # the app imports from the repo root
from dashboard_helpers import table as shown_table
from streamlit.testing.v1 import AppTest
from test_dashboard_snapshots import chart_data, charts, texts


def chart(app: AppTest, channel: str, field: str) -> pd.DataFrame:
    """The data of the one chart of the page that encodes field on channel (x, y, color)."""
    found = [
        c
        for c in charts(app)
        if json.loads(c.proto.spec).get("encoding", {}).get(channel, {}).get("field") == field
    ]
    assert len(found) == 1, (channel, field, len(found))
    return chart_data(found[0])


# --- overview: the loan book by start month ---------------------------------------------


def test_overview_shows_the_loan_book_by_start_month(
    published: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(app_on(published, monkeypatch), "overview")
    months = mart(sample_build, "select * from marts.rpt_loan_book_monthly")
    columns = ["loans_count", "disbursed_amount", "repaid_amount", "defaulted_loans_count"]
    columns += ["default_rate", "active_loans_count", "behind_schedule_share"]
    assert_same_rows(shown_table(app, "loan_book_monthly"), months, ["start_month"], columns)
    said = " ".join(texts(app))
    assert "each start-month cohort's outcome" in said
    assert "no payment or default dates" in said


# --- branches: the share behind schedule ------------------------------------------------


def test_branches_page_shows_the_share_behind_schedule(
    published: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(app_on(published, monkeypatch), "branches")
    regions = mart(sample_build, "select * from marts.rpt_region_kpis")
    branches = mart(sample_build, "select * from marts.rpt_branch_kpis")
    shown = shown_table(app, "regions_rates")
    assert dict(zip(shown["region"], shown["behind_schedule_share"], strict=True)) == (
        pytest.approx(dict(zip(regions.region, regions.behind_schedule_share, strict=True)))
    )
    shown = shown_table(app, "branches_rates")
    assert list(shown["behind_schedule_share"]) == pytest.approx(
        list(branches.sort_values("branch_id").behind_schedule_share), nan_ok=True
    )
    drawn = chart(app, "x", "behind_schedule_share")
    by_hand = regions.dropna(subset=["behind_schedule_share"])
    assert dict(zip(drawn["region"], drawn["behind_schedule_share"], strict=True)) == pytest.approx(
        dict(zip(by_hand["region"], by_hand["behind_schedule_share"], strict=True))
    )
    # a region picked in the sidebar shows its share as a headline
    region = regions.sort_values("region").iloc[0]
    app.sidebar.selectbox(key="filter_region").set_value(region["region"]).run()
    assert not app.exception
    assert_shown(metrics(app)["Behind schedule (share)"], region["behind_schedule_share"], "share")


# --- demographics: risk tiers judged by defaults ----------------------------------------


def auc_by_hand(build: DbtBuild) -> float:
    """AUC of the tier (high > medium > low) against Defaulted, over every pair of loans."""
    loans = mart(
        build,
        "select customers.risk_tier, loans.loan_status = 'Defaulted' as is_defaulted "
        "from marts.fct_loans as loans "
        "inner join marts.dim_customers as customers on loans.customer_id = customers.customer_id",
    )
    rank = loans["risk_tier"].map({"high": 3, "medium": 2, "low": 1})
    bad, good = rank[loans["is_defaulted"]].to_numpy(), rank[~loans["is_defaulted"]].to_numpy()
    wins = sum(((b > good).sum() + 0.5 * (b == good).sum()) for b in bad)
    return wins / (len(bad) * len(good))


def test_risk_tiers_show_their_default_rate_and_auc(
    published: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(app_on(published, monkeypatch), "demographics")
    auc = auc_by_hand(sample_build)
    said = " ".join(texts(app))
    assert f"The tiers rank defaults with AUC {auc:.2f} (0.5 is chance" in said
    assert f"Gini {2 * auc - 1:.2f}" in said
    assert "never from a loan's status" in said
    assert "segment default rates and behaviour" not in said  # the old, circular rules
    tiers = shown_table(app, "risk_tiers").set_index("risk_tier")
    loans = mart(
        sample_build,
        "select customers.risk_tier, count(*) as loans, "
        "count(case when loans.loan_status = 'Defaulted' then 1 end) as defaulted "
        "from marts.fct_loans as loans inner join marts.dim_customers as customers "
        "on loans.customer_id = customers.customer_id group by customers.risk_tier",
    ).set_index("risk_tier")
    assert list(tiers.index) == ["high", "medium", "low"]
    for tier, row in loans.iterrows():
        assert tiers.loc[tier, "defaulted_loans_count"] == row["defaulted"]
        assert tiers.loc[tier, "default_rate"] == pytest.approx(row["defaulted"] / row["loans"])
    drawn = chart(app, "x", "default_rate").set_index("risk_tier")["default_rate"]
    for tier, row in loans.iterrows():
        assert drawn[tier] == pytest.approx(row["defaulted"] / row["loans"])


# --- risk: arrears at 0 days past due ---------------------------------------------------


def test_risk_page_states_loans_in_arrears_at_zero_dpd(
    published: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(app_on(published, monkeypatch), "risk")
    latest = mart(
        sample_build,
        "select * from marts.rpt_risk_trend_monthly order by reporting_month desc limit 1",
    ).iloc[0]
    past_due = sum(latest[f"dpd_{b}_loans"] for b in ("1_30", "31_60", "61_90", "90_plus"))
    zero = latest["loans_in_arrears"] - past_due  # by hand: arrears not in a past-due bucket
    assert zero > 0  # the sample has loans due on the as-of date: the case is exercised
    shown = metrics(app)
    assert_shown(shown["In arrears at 0 DPD"], zero, "count")
    (metric,) = [m for m in app.metric if m.label == "In arrears at 0 DPD"]
    assert "due on the as-of date itself" in metric.help
    said = " ".join(texts(app))
    assert f"{latest['loans_in_arrears']:,} loans in arrears, of which {zero:,} at 0 days" in said


# --- interventions: the reasons shown are the mart's codes -------------------------------


def test_intervention_reasons_are_named_for_every_code_of_the_mart(
    published: Path, sample_build: DbtBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(app_on(published, monkeypatch), "interventions")
    codes = mart(sample_build, "select distinct reason_codes from marts.rpt_intervention_list")
    found = {code for codes in codes["reason_codes"] for code in codes.split(",")}
    assert found == {"behind_schedule", "high_risk_tier"}  # the mart's codes, by hand
    shown = shown_table(app, "intervention_list")["reasons"]
    named = {reason for reasons in shown for reason in reasons.split(", ")}
    assert named == {"Behind schedule", "High risk tier"}  # never a raw code


# --- PAR thresholds come from the snapshot -----------------------------------------------


def test_par_labels_follow_the_snapshots_thresholds(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snapshot of a build with var par_thresholds [45, 120] (its columns renamed here)."""
    folder = tmp_path / "published"
    shutil.copytree(published, folder, symlinks=True)
    snapshot = (folder / "current").resolve()
    database = snapshot / "loans.duckdb"
    database.chmod(0o644)
    with duckdb.connect(str(database)) as con:
        for old, new in (("par_30", "par_45"), ("par_90", "par_120")):
            con.execute(f"alter table marts.rpt_risk_trend_monthly rename {old} to {new}")
        con.execute(
            "alter table marts.rpt_vintage_curves "
            "rename share_ever_30_plus_dpd to share_ever_45_plus_dpd"
        )
    manifest = json.loads((snapshot / "manifest.json").read_text())
    manifest["vars"]["par_thresholds"] = [45, 120]
    (snapshot / "manifest.json").write_text(json.dumps(manifest))
    app = open_page(app_on(folder, monkeypatch), "overview")
    said = " ".join(texts(app))
    assert "PAR45 / PAR120: outstanding of loans over 45 / 120 days past due" in said
    assert {"PAR45", "PAR120"} <= set(metrics(app))
    app.switch_page("views/risk.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert {"PAR45", "PAR120"} <= set(metrics(app))
    assert set(chart(app, "color", "measure")["measure"]) == {"PAR45", "PAR120"}
    assert app.radio(key="vintage_measure").options[1] == "Share ever over 45 DPD"
    everything = " ".join(texts(app))
    assert "PAR30" not in everything and "PAR90" not in everything


# --- the dashboard's exposure names every mart its code reads ----------------------------


def test_the_dashboard_exposure_lists_every_mart_the_pages_read() -> None:
    code = "\n".join(path.read_text() for path in (PROJECT_DIR / "dashboard").rglob("*.py"))
    read = set(re.findall(r"marts\.([a-z_]+)", code))
    read |= set(re.findall(r"(?:optional_mart|has_mart)\(\s*\"([a-z_]+)\"", code))
    assert "rpt_loan_book_monthly" in read  # the overview's new section, found by the scan
    exposures = yaml.safe_load((PROJECT_DIR / "models/marts/_marts__exposures.yml").read_text())
    (dashboard,) = [e for e in exposures["exposures"] if e["name"] == "dashboard"]
    # the learned-model section's marts are DuckDB-only, so their exposure is declared apart
    ml = yaml.safe_load((PROJECT_DIR / "models/marts/ml/_ml__exposures.yml").read_text())
    (ml_dashboard,) = [e for e in ml["exposures"] if e["name"] == "dashboard_default_model"]
    declared = {
        ref.removeprefix("ref('").removesuffix("')")
        for ref in [*dashboard["depends_on"], *ml_dashboard["depends_on"]]
    }
    assert declared == read
