"""The dashboard's risk page in Streamlit's AppTest: trend, DPD buckets, roll rates, zero-payment
loans and the vintage chart's highlighted cohorts, each checked against the marts read here
with duckdb (the highlighted cohorts recomputed here in SQL, not by the app's rule).
"""

from __future__ import annotations

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
    vega_charts,
)
from dashboard_helpers import repo_on_path as repo_on_path  # noqa: F401  (autouse)
from streamlit.testing.v1 import AppTest


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
