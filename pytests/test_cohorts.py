"""The vintage-highlight rule (scripts/charts/cohorts.py), shared by the PNG chart and the
dashboard: expectations worked out by hand on tiny frames."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from conftest import PROJECT_DIR

from scripts.charts.cohorts import ever_late_days, highlighted_cohorts

EVER = "share_ever_30_plus_dpd"


def vintages(curves: dict[str, tuple[int, list[float | None]]]) -> pd.DataFrame:
    """cohort month -> (cohort loans, share ever late at months on book 0, 1, ...)."""
    return pd.DataFrame(
        [
            {
                "disbursal_month": pd.Timestamp(month),
                "months_on_book": age,
                "cohort_loans": loans,
                EVER: share,
            }
            for month, (loans, shares) in curves.items()
            for age, share in enumerate(shares)
        ]
    )


def test_worst_and_median_among_fair_sized_cohorts_at_one_age() -> None:
    rows = vintages(
        {
            # 1 loan < half the median size (10 / 2): never worst, however late
            "2023-10-01": (1, [0.0, 1.0, 1.0, 1.0, 1.0]),
            "2023-11-01": (10, [0.0, 0.1, 0.2, 0.6]),  # last age 3: worst at 3 only
            "2023-12-01": (12, [0.0, 0.3, 0.4]),  # last age 2
            "2024-01-01": (10, [0.0, 0.2]),  # last age 1
            "2024-02-01": (9, [0.0]),  # last age 0; the latest
        }
    )
    # fair-sized cohorts' last ages 3, 2, 1, 0 -> lower middle = 1; at age 1 the shares are
    # 0.1 (2023-11), 0.3 (2023-12), 0.2 (2024-01): worst 2023-12, median 2024-01
    roles, age = highlighted_cohorts(rows, EVER)
    assert age == 1
    assert roles == {
        pd.Timestamp("2023-12-01"): ["worst"],
        pd.Timestamp("2024-01-01"): ["median"],
        pd.Timestamp("2024-02-01"): ["latest"],
    }


def test_ties_take_the_older_cohort_and_one_cohort_holds_every_role() -> None:
    tied = vintages({"2024-01-01": (5, [0.0, 0.5]), "2024-02-01": (5, [0.0, 0.5])})
    roles, age = highlighted_cohorts(tied, EVER)
    # last ages 1, 1 -> 1; both 0.5: worst = the older; median = the lower middle of the
    # (share, month) order, the older as well
    assert age == 1
    assert roles == {
        pd.Timestamp("2024-01-01"): ["worst", "median"],
        pd.Timestamp("2024-02-01"): ["latest"],
    }
    alone, age = highlighted_cohorts(vintages({"2024-03-01": (3, [0.25])}), EVER)
    assert alone == {pd.Timestamp("2024-03-01"): ["latest", "worst", "median"]} and age == 0


def test_no_share_at_the_age_names_only_the_latest_and_no_rows_name_none() -> None:
    rows = vintages({"2024-01-01": (4, [None, None]), "2024-02-01": (4, [None, None])})
    assert highlighted_cohorts(rows, EVER) == ({pd.Timestamp("2024-02-01"): ["latest"]}, 1)
    assert highlighted_cohorts(rows.iloc[0:0], EVER) == ({}, None)


def test_any_cohort_column_and_threshold_column() -> None:
    rows = vintages({"2024-01-01": (4, [0.0, 0.9]), "2024-02-01": (4, [0.0, 0.1])})
    rows = rows.rename(columns={EVER: "share_ever_60_plus_dpd"})
    rows["cohort"] = rows["disbursal_month"].dt.strftime("%Y-%m")
    roles, _ = highlighted_cohorts(rows, "share_ever_60_plus_dpd", cohort="cohort")
    assert roles == {"2024-01": ["worst"], "2024-02": ["latest", "median"]}
    assert ever_late_days("share_ever_60_plus_dpd") == "60"


def loaded_after(module: str) -> list[str]:
    """Which of matplotlib and streamlit a fresh interpreter holds after importing module."""
    code = (
        f"import sys, {module}; "
        "print(','.join(m for m in ('matplotlib', 'streamlit') if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, check=True, capture_output=True, text=True
    )
    return [name for name in run.stdout.strip().split(",") if name]


def test_the_rule_imports_without_the_chart_stack() -> None:
    """The dashboard imports the rule; it must not load matplotlib with it."""
    assert loaded_after("scripts.charts.cohorts") == []
    assert loaded_after("dashboard.ui.cohorts") == ["streamlit"]  # the dashboard's own
