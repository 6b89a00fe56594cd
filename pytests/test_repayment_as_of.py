"""Family A as of an earlier as_of_date, on the portable fallbacks of the engine macros:
every loan-month state matches the independent computation and no later event leaks in.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import repayment_reference as reference
from conftest import SAMPLE_DIR, project_copy, run_dbt
from repayment_helpers import (
    keyed,
)

# --- an earlier as_of_date, on the portable fallbacks of the engine macros ---------------


def test_portable_macros_as_of_an_earlier_date_match_and_ignore_later_events(
    tmp_path: Path,
) -> None:
    """One build checks two things at the cost of one.

    Without the duckdb__ implementations, dispatch falls back to the default__ ASOF join and
    month series (what Spark would get); and as of 15 Mar 2024 the sample still holds
    15 months of later events, which must not leak into any state.
    """
    project = project_copy(tmp_path / "project")
    for macro_file, name in [
        ("asof_join.sql", "asof_left_join"),
        ("month_end_series.sql", "month_end_series"),
    ]:
        path = project / "macros" / "engine" / macro_file
        text = path.read_text()
        assert f"macro duckdb__{name}(" in text
        path.write_text(text.replace(f"macro duckdb__{name}(", f"macro unused_duckdb__{name}("))
    as_of = date(2024, 3, 15)
    build = run_dbt(
        ["build", "--select", "+fct_loan_repayment", "+rpt_risk_trend_monthly"]
        + ["--resource-type", "seed", "--resource-type", "model"],
        tmp_path / "warehouse",
        {"as_of_date": as_of.isoformat()},
        project_dir=project,
    )
    assert build.success, build.log[-3000:]
    compiled = (
        tmp_path
        / "warehouse/target/compiled/loans_warehouse/models/intermediate/repayment"
        / "int_loan_months_snapshotted.sql"
    ).read_text()
    assert "asof left join" not in compiled.lower() and "asof_neighbour_key" in compiled

    loans, _ = reference.load(SAMPLE_DIR)
    states = reference.portfolio_by_month(loans, as_of)
    assert max(states) == as_of
    actual = keyed(
        build,
        "select loan_id, snapshot_date, planned_to_date_amount, paid_to_date_amount, "
        "days_past_due, max_days_past_due, outstanding_amount, is_closed "
        "from intermediate.int_loan_months_snapshotted",
        keys=2,
    )
    assert actual == {
        (s.loan_id, day): (s.planned, s.paid, s.dpd, s.max_dpd, s.outstanding, s.is_closed)
        for day, month in states.items()
        for s in month
    }
    last = build.query(
        "select snapshot_date, is_month_to_date from marts.rpt_risk_trend_monthly "
        "order by reporting_month desc limit 1"
    )
    assert last == [(as_of, True)]
    assert build.scalar("select max(as_of_date) from marts.fct_loan_repayment") == as_of
