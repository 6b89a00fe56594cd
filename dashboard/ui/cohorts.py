"""Which vintage cohorts a chart highlights: the latest, the worst and the median.

The rule is the PNG chart's (scripts/charts/risk.py, highlighted_cohorts), reimplemented
here because importing scripts.charts loads matplotlib, which the dashboard does not need.
Keep the two in step: worst and median are chosen among the cohorts of at least half the
median cohort's loans (a cohort of two loans is not "the worst" for one late loan), compared
at one age so an old cohort is not worst only for being old: the median of those cohorts'
last months on book (the lower of two middles). Worst = highest share ever 30+ DPD at that
age; median = the middle cohort at that age (ties: the older cohort first). N of "30+" is
the build's first PAR threshold (var par_thresholds): the column is passed in, never typed.
"""

from __future__ import annotations

import pandas as pd

# Colours of the highlighted roles, the PNG chart's; the other cohorts are thin and grey.
ROLE_COLOURS = {"latest": "#1d3557", "worst": "#e63946", "median": "#f4a261"}
OTHERS_COLOUR = "#8d99ae"


def highlighted_cohorts(
    rows: pd.DataFrame, ever_late: str
) -> tuple[dict[pd.Timestamp, list[str]], int | None]:
    """Cohort (disbursal_month) -> its roles, and the months on book they are compared at.

    rows: marts.rpt_vintage_curves (disbursal_month, months_on_book, cohort_loans and the
    share_ever_<N>_plus_dpd column named by ever_late, N being the build's first PAR
    threshold). Roles are listed in the order latest, worst, median; a cohort may hold
    several.
    """
    cohorts = sorted(rows["disbursal_month"].unique())
    if not cohorts:
        return {}, None
    roles: dict[pd.Timestamp, list[str]] = {cohort: [] for cohort in cohorts}
    roles[cohorts[-1]].append("latest")
    sizes = rows.groupby("disbursal_month")["cohort_loans"].max()
    eligible = rows[rows["disbursal_month"].isin(sizes[sizes >= sizes.median() / 2].index)]
    last_ages = sorted(eligible.groupby("disbursal_month")["months_on_book"].max())
    age = int(last_ages[(len(last_ages) - 1) // 2])
    at_age = eligible[(eligible["months_on_book"] == age) & eligible[ever_late].notna()]
    if len(at_age):
        worst = at_age.sort_values([ever_late, "disbursal_month"], ascending=[False, True])
        roles[worst["disbursal_month"].iloc[0]].append("worst")
        middle = at_age.sort_values([ever_late, "disbursal_month"])
        roles[middle["disbursal_month"].iloc[(len(middle) - 1) // 2]].append("median")
    return {cohort: found for cohort, found in roles.items() if found}, age


def ever_late_days(ever_late: str) -> str:
    """N of a share_ever_<N>_plus_dpd column, as text."""
    return ever_late.removeprefix("share_ever_").removesuffix("_plus_dpd")


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
