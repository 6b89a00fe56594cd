"""Which vintage cohorts a chart highlights: the latest, the worst and the median.

The one home of the rule, read by the PNG chart (scripts/charts/risk.py) and the dashboard
(dashboard/ui/cohorts.py). It imports pandas only (no matplotlib, no streamlit), so the
dashboard can use it without loading the chart stack; scripts/charts/__init__.py imports
nothing.

Worst and median are chosen among the cohorts of at least half the median cohort's loans (a
cohort of two loans is not "the worst" for one late loan), compared at one age so an old
cohort is not worst only for being old: the median of those cohorts' last months on book
(the lower of two middles). Worst = highest share ever N+ DPD at that age; median = the
middle cohort at that age (ties: the older cohort first). N is the build's first PAR
threshold (var par_thresholds): the column is passed in, never typed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

# Presentation only, shared by the PNG chart and the dashboard so both draw a role in the
# same colour: the highlighted roles, and the thin grey of all the other cohorts.
ROLE_COLOURS = {"latest": "#1d3557", "worst": "#e63946", "median": "#f4a261"}
OTHERS_COLOUR = "#8d99ae"


def highlighted_cohorts(
    rows: pd.DataFrame, ever_late: str, cohort: str = "disbursal_month"
) -> tuple[dict[Any, list[str]], int | None]:
    """Cohort -> its roles, and the months on book they are compared at.

    rows: marts.rpt_vintage_curves (the cohort column, months_on_book, cohort_loans and the
    share_ever_<N>_plus_dpd column named by ever_late). Roles are listed in the order latest,
    worst, median; a cohort may hold several. No rows: ({}, None).
    """
    cohorts = sorted(rows[cohort].unique())
    if not cohorts:
        return {}, None
    roles: dict[Any, list[str]] = {name: [] for name in cohorts}
    roles[cohorts[-1]].append("latest")
    sizes = rows.groupby(cohort)["cohort_loans"].max()
    eligible = rows[rows[cohort].isin(sizes[sizes >= sizes.median() / 2].index)]
    last_ages = sorted(eligible.groupby(cohort)["months_on_book"].max())
    age = int(last_ages[(len(last_ages) - 1) // 2])
    at_age = eligible[(eligible["months_on_book"] == age) & eligible[ever_late].notna()]
    if len(at_age):
        worst = at_age.sort_values([ever_late, cohort], ascending=[False, True])
        roles[worst[cohort].iloc[0]].append("worst")
        middle = at_age.sort_values([ever_late, cohort])
        roles[middle[cohort].iloc[(len(middle) - 1) // 2]].append("median")
    return {name: found for name, found in roles.items() if found}, age


def ever_late_days(ever_late: str) -> str:
    """N of a share_ever_<N>_plus_dpd column, as text."""
    return ever_late.removeprefix("share_ever_").removesuffix("_plus_dpd")
