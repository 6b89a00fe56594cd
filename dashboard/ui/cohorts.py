"""The vintage chart's highlighted cohorts as the dashboard draws them: legend entries and colours.

Which cohorts are highlighted (latest, worst, median) and their colours are the rule of
scripts/charts/cohorts.py, shared with the PNG chart (a pandas-only module: importing it
does not load matplotlib).
"""

from __future__ import annotations

import pandas as pd

from scripts.charts.cohorts import (
    OTHERS_COLOUR,
    ROLE_COLOURS,
    ever_late_days,
    highlighted_cohorts,
)

__all__ = ["cohort_legend", "ever_late_days", "with_highlights"]


def cohort_legend(
    rows: pd.DataFrame, cohort: pd.Timestamp, roles: list[str], age: int | None, ever_late: str
) -> str:
    """'worst: 2023-04 (41 loans), 12 % ever 30+ DPD at 9 months' for the chart's legend."""
    curve = rows[rows["disbursal_month"] == cohort]
    loans = int(curve["cohort_loans"].iloc[0])
    text = f"{' and '.join(roles)}: {pd.Timestamp(cohort):%Y-%m} ({loans:,} loans)"
    at_age = curve[curve["months_on_book"] == age][ever_late]
    if len(at_age) and not pd.isna(at_age.iloc[0]):
        text += f", {at_age.iloc[0]:.0%} ever {ever_late_days(ever_late)}+ DPD at {age} months"
    return text


def with_highlights(
    rows: pd.DataFrame, ever_late: str
) -> tuple[pd.DataFrame, dict[str, str], int | None]:
    """The vintage rows with a `cohort_legend` column (the highlighted cohort's legend entry,
    or "the N other cohorts"), and legend entry -> colour, highlighted first."""
    highlighted, age = highlighted_cohorts(rows, ever_late)
    legends = {
        cohort: cohort_legend(rows, cohort, roles, age, ever_late)
        for cohort, roles in highlighted.items()
    }
    others = rows["disbursal_month"].nunique() - len(highlighted)
    other_label = f"the {others} other cohort{'s' if others != 1 else ''}"
    frame = rows.assign(
        cohort_legend=[legends.get(cohort, other_label) for cohort in rows["disbursal_month"]],
        is_highlighted=rows["disbursal_month"].isin(list(highlighted)),
    )
    colours = {legends[c]: ROLE_COLOURS[roles[0]] for c, roles in highlighted.items()}
    if others:
        colours[other_label] = OTHERS_COLOUR
    return frame, colours, age
