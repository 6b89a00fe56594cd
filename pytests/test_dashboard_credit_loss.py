"""The Credit loss page (dashboard/views/credit_loss.py) in Streamlit's AppTest.

The page runs against a snapshot published from the bundled-sample build. Every number it
shows is checked against the credit-loss marts read here with duckdb on the build's own
warehouse, or against a second route to the same number (per-loan rows summed here, the
allowance movement added up by hand). A loan-book-only snapshot says in words that the
credit loss needs the instalment loans, draws nothing for them, and still shows the loan
book's provision matrix.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from conftest import DbtBuild, SinglePortfolioBuilds
from dashboard_helpers import app_on, mart, metrics, open_page, shown_number, table
from dashboard_helpers import repo_on_path as repo_on_path  # noqa: F401  (autouse)
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest
from test_dashboard_snapshots import ABSENT

AMOUNT = 0.0051  # an amount shown to the cent
SHARE = 0.000051  # a share shown as 12.34 %


def credit_loss_page(published: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return open_page(app_on(published, monkeypatch), "credit_loss")


@pytest.fixture()
def app(published: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return credit_loss_page(published, monkeypatch)


def chart_data(chart: Any) -> pd.DataFrame:
    return convert_arrow_bytes_to_pandas_df(chart.proto.datasets[0].data.data)


def drawn(app: AppTest, field: str) -> list[pd.DataFrame]:
    """The data of every chart that plots field on its y axis (of a layer, for layered ones)."""
    found = []
    for chart in app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        layers = [spec, *spec.get("layer", [])]
        if any(layer.get("encoding", {}).get("y", {}).get("field") == field for layer in layers):
            found.append(chart_data(chart))
    return found


# --- the sample ----------------------------------------------------------------------------


def test_stage_table_and_totals_are_the_marts(app: AppTest, sample_build: DbtBuild) -> None:
    by_stage = mart(sample_build, "select * from marts.rpt_ecl_by_stage order by stage")
    shown = table(app, "ecl_by_stage")
    assert list(shown["stage_name"]) == ["Stage 1", "Stage 2", "Stage 3"]
    for column in ["loans", "gross_carrying_amount", "ecl_amount", "allowance_amount"]:
        assert list(shown[column].astype(float)) == pytest.approx(
            list(by_stage[column].astype(float))
        ), column
    assert list(shown["coverage_ratio"]) == pytest.approx(list(by_stage["coverage_ratio"]))
    # the totals, by a second route: the per-loan fact summed here
    loans = mart(
        sample_build,
        "select count(*) as loans, sum(ead_amount) as gross, sum(allowance_amount) as allowance "
        "from marts.fct_loan_expected_credit_loss",
    ).iloc[0]
    shown_metrics = metrics(app)
    assert shown_metrics["Active loans"] == f"{int(loans['loans']):,}"
    assert shown_number(shown_metrics["Gross carrying amount"]) == pytest.approx(
        float(loans["gross"]), abs=AMOUNT
    )
    assert shown_number(shown_metrics["Loss allowance (all stages)"]) == pytest.approx(
        float(loans["allowance"]), abs=AMOUNT
    )
    # the stage definitions follow the build's var, not a typed number
    assert any("any of the 3 month-ends before" in c.value for c in app.caption)


def test_ecl_and_coverage_charts_draw_the_stage_rows(app: AppTest, sample_build: DbtBuild) -> None:
    by_stage = mart(sample_build, "select * from marts.rpt_ecl_by_stage order by stage")
    (allowance,) = drawn(app, "allowance_amount")
    (coverage,) = drawn(app, "coverage_ratio")
    for data, column in ((allowance, "allowance_amount"), (coverage, "coverage_ratio")):
        data = data.set_index("stage_name")
        assert list(data.index) == ["Stage 1", "Stage 2", "Stage 3"]
        assert list(data[column].astype(float)) == pytest.approx(
            list(by_stage[column].astype(float))
        )
    # coverage rises with the stage on the sample, as drawn
    assert list(coverage["coverage_ratio"]) == sorted(coverage["coverage_ratio"])


def test_pd_term_structure_lines_are_the_marts(app: AppTest, sample_build: DbtBuild) -> None:
    pds = mart(
        sample_build,
        "select from_state, horizon_months, cumulative_pd from marts.rpt_pd_term_structure "
        "where is_as_of_date and from_state in ('current', '1-30', '31-60', '61-90')",
    )
    (lines,) = drawn(app, "cumulative_pd")
    # one line per non-absorbing state, named by the vocabulary (roll states)
    assert list(dict.fromkeys(lines["state_name"])) == [
        "current",
        "1-30 DPD",
        "31-60 DPD",
        "61-90 DPD",
    ]
    names = {"current": "current", "1-30": "1-30 DPD", "31-60": "31-60 DPD", "61-90": "61-90 DPD"}
    expected = pds.assign(state_name=pds["from_state"].map(names)).set_index(
        ["state_name", "horizon_months"]
    )["cumulative_pd"]
    got = lines.set_index(["state_name", "horizon_months"])["cumulative_pd"]
    assert len(got) == len(expected) == 4 * 120
    assert got.sort_index().to_numpy() == pytest.approx(expected.sort_index().to_numpy())
    # the 12-month and longest-horizon table: the same mart values
    pd_table = table(app, "pd_by_state").set_index("state_name")
    for code, state in names.items():
        rows = pds[pds["from_state"] == code].set_index("horizon_months")["cumulative_pd"]
        assert pd_table.loc[state, "pd_12m"] == pytest.approx(rows[12])
        assert pd_table.loc[state, "pd_120m"] == pytest.approx(rows[120])


def test_transition_matrix_rows_sum_to_one(app: AppTest, sample_build: DbtBuild) -> None:
    matrix = mart(
        sample_build, "select * from marts.rpt_transition_matrix where is_as_of_date"
    ).set_index(["from_state", "to_state"])
    shown = table(app, "transition_matrix").set_index("from_state")
    states = ["current", "1-30", "31-60", "61-90", "90+", "closed"]
    assert list(shown.index) == states
    for source in states:
        assert shown.loc[source, states].sum() == pytest.approx(1.0)
        for target in states:
            assert shown.loc[source, target] == pytest.approx(
                matrix.loc[(source, target), "transition_probability"]
            )
    assert shown.loc["90+", "90+"] == 1.0  # absorbing, whatever was observed


def waterfall_steps(app: AppTest) -> pd.DataFrame:
    (steps,) = drawn(app, "bar_start")
    return steps.set_index("movement")


def expected_lines(movement: pd.DataFrame) -> pd.Series:
    """The movement lines in order, added up over the stages (by hand, from the mart)."""
    totals: dict[str, float] = {}
    for row in movement.sort_values(["movement_order", "stage"]).itertuples():
        totals[row.movement] = totals.get(row.movement, 0.0) + float(row.allowance_amount)
    return pd.Series(totals)


def test_allowance_waterfall_adds_up_to_the_closing_allowance(
    app: AppTest, sample_build: DbtBuild
) -> None:
    movement = mart(sample_build, "select * from marts.rpt_allowance_movement")
    lines = expected_lines(movement)
    steps = waterfall_steps(app)
    assert list(steps.index) == [
        "opening",
        "new_loans",
        "derecognised",
        "transfer_to_stage_1",
        "transfer_to_stage_2",
        "transfer_to_stage_3",
        "remeasurement",
        "closing",
    ]
    assert steps["allowance_amount"].to_numpy() == pytest.approx(lines[steps.index].to_numpy())
    # each floating bar spans its amount, starting where the previous one ended
    assert steps.loc["opening", "bar_start"] == 0
    assert steps.loc["opening", "bar_end"] == pytest.approx(lines["opening"])
    previous_end = lines["opening"]
    for name in steps.index[1:-1]:
        assert steps.loc[name, "bar_start"] == pytest.approx(previous_end)
        assert steps.loc[name, "bar_end"] - steps.loc[name, "bar_start"] == pytest.approx(
            lines[name]
        )
        previous_end = steps.loc[name, "bar_end"]
    closing = mart(sample_build, "select sum(allowance_amount) from marts.rpt_ecl_by_stage")
    assert previous_end == pytest.approx(float(closing.iloc[0, 0]), abs=0.005)
    assert steps.loc["closing", "bar_end"] == pytest.approx(float(closing.iloc[0, 0]), abs=0.005)

    # one stage: its own lines, the transfers in and out of it included
    app.radio(key="movement_stage").set_value(2).run()
    assert not app.exception
    stage_2 = movement[movement["stage"] == 2].set_index("movement")["allowance_amount"]
    steps = waterfall_steps(app)
    assert steps["allowance_amount"].to_numpy() == pytest.approx(
        stage_2[steps.index].astype(float).to_numpy()
    )
    assert steps.loc["transfer_to_stage_3", "allowance_amount"] < 0  # stage 2 loans rolled on


def test_allowance_movement_and_migration_tables(app: AppTest, sample_build: DbtBuild) -> None:
    movement = mart(sample_build, "select * from marts.rpt_allowance_movement")
    shown = table(app, "allowance_movement").set_index("movement_name")
    assert list(shown.index)[0] == "Opening" and list(shown.index)[-1] == "Closing"
    for row in movement.itertuples():
        name = row.movement.replace("_", " ").capitalize()
        assert shown.loc[name, f"Stage {row.stage}"] == pytest.approx(float(row.allowance_amount))
    lines = expected_lines(movement)
    assert shown["all_stages"].to_numpy() == pytest.approx(lines.to_numpy())
    migration = mart(sample_build, "select * from marts.rpt_stage_migration")
    shown = table(app, "stage_migration")
    assert len(shown) == len(migration)
    assert shown["loans"].sum() == migration["loans"].sum()
    assert shown["closing_carrying_amount"].sum() == pytest.approx(
        float(migration["closing_carrying_amount"].sum())
    )


def test_lgd_says_whether_the_fallback_was_used(app: AppTest, sample_build: DbtBuild) -> None:
    lgd = mart(
        sample_build,
        "select * from marts.rpt_lgd_estimate where is_as_of_date and row_level = 'portfolio'",
    ).iloc[0]
    shown = metrics(app)
    assert shown_number(shown["LGD applied"]) == pytest.approx(float(lgd["lgd"]), abs=SHARE)
    assert shown_number(shown["Observed LGD"]) == pytest.approx(
        float(lgd["observed_lgd"]), abs=SHARE
    )
    assert shown["Defaults observed"] == f"{int(lgd['observations_count']):,}"
    assert not lgd["is_fallback_used"]  # the sample has enough defaults
    assert any(c.value.startswith("The LGD applied is the observed one") for c in app.caption)
    months = mart(
        sample_build,
        "select * from marts.rpt_lgd_estimate where is_as_of_date and row_level = 'default_month'",
    )
    assert len(table(app, "lgd_by_default_month")) == len(months)


def test_a_fallback_lgd_is_said_in_words(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "published"
    shutil.copytree(published, folder, symlinks=True)
    database = (folder / "current").resolve() / "loans.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            "update marts.rpt_lgd_estimate set lgd = 0.45, is_fallback_used = true, "
            "observations_count = 7 where is_as_of_date and row_level = 'portfolio'"
        )
    app = credit_loss_page(folder, monkeypatch)
    notices = [info.value for info in app.info]
    assert (
        "Only 7 default(s) have a completed workout window, fewer than the 30 needed "
        "(var lgd_min_defaults): the LGD applied is the fallback 45.00 % (var lgd_fallback), "
        "not the observed one."
    ) in notices
    assert metrics(app)["LGD applied"] == "45.00 %"


def test_provision_matrix_per_portfolio(app: AppTest, sample_build: DbtBuild) -> None:
    matrix = mart(sample_build, "select * from marts.rpt_provision_matrix")
    for portfolio in ("family_a", "family_b"):
        rows = matrix[matrix["portfolio"] == portfolio].sort_values("band_order")
        shown = table(app, f"provision_matrix_{portfolio}")
        assert list(shown["provision_band"]) == list(rows["provision_band"])
        for column in ["loans", "carrying_amount", "loss_rate", "provision_amount"]:
            assert list(shown[column].astype(float)) == pytest.approx(
                list(rows[column].astype(float))
            ), (portfolio, column)
        total = f"{float(rows['provision_amount'].sum()):,.2f}"
        assert any(f"provision **{total}**" in m.value for m in app.markdown), portfolio
    assert any("illustrative" in c.value for c in app.caption)


# --- a loan-book-only snapshot -----------------------------------------------------------


@pytest.fixture(scope="module")
def loan_book_only(single_portfolio: SinglePortfolioBuilds) -> Path:
    return single_portfolio.published_dir("family_b")


def test_a_loan_book_only_snapshot_says_credit_loss_needs_instalment_loans(
    loan_book_only: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = credit_loss_page(loan_book_only, monkeypatch)
    notices = [info.value for info in app.info]
    assert notices.count(ABSENT["family_a"]) == 1
    assert "Instalment loans (schedule and payments): **no data**" in app.caption[0].value
    assert any("computed from the instalment loans" in c.value for c in app.caption)
    assert not app.get("vega_lite_chart")  # nothing drawn for the absent portfolio
    assert not app.metric
    shown = [str(t.value) for t in [*app.caption, *app.markdown, *app.info]]
    assert not [t for t in shown if "None" in t or "nan" in t.split()], shown
    # the loan book's provision matrix is there, the instalment loans' is not
    assert app.get_by_key("table-provision_matrix_family_b")
    with pytest.raises(KeyError):
        app.get_by_key("table-provision_matrix_family_a")
    with pytest.raises(KeyError):
        app.get_by_key("table-ecl_by_stage")
