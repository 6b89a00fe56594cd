"""The warehouse's vocabulary, read from the snapshot instead of typed again.

Category codes, their labels for people, their order and bounds come from
marts.rpt_reference_categories (DPD buckets, roll states, repayment segments,
score tiers, portfolios, loan statuses, correlation features); definitions
that depend on a var of the build (score weights, the small-sample size) come
from the manifest's ``vars``. A snapshot published before these existed still
works: the codes then come from the data, in the order the mart gives them, and
the var-dependent sentences are left out.
"""

from __future__ import annotations

import pandas as pd

from dashboard.ui.context import mart, optional_mart, snapshot
from dashboard.ui.labels import column_help, label, par_help

# Portfolio names for people where the reference mart is absent (an older snapshot).
PORTFOLIO_NAMES = {
    "family_a": "instalment loans (schedule and payments)",
    "family_b": "loan book (branches, customers, loans)",
}


def categories(category_set: str, required: bool = True) -> pd.DataFrame:
    """The rows of one category set, in display order.

    A snapshot published before the reference mart existed raises duckdb's
    CatalogException, which app.py turns into "pick a newer snapshot"; with
    required=False it gives no rows instead (for names that have a fallback).
    """
    if required:
        return mart(
            "select * from marts.rpt_reference_categories where category_set = ? "
            "order by sort_order",
            category_set,
        )
    rows = optional_mart(
        "rpt_reference_categories",
        "select * from marts.rpt_reference_categories where category_set = ? order by sort_order",
        category_set,
    )
    if rows is None:
        return pd.DataFrame(
            columns=["code", "category_label", "sort_order", "bounds_label", "description"]
        )
    return rows


def codes(category_set: str) -> list[str]:
    """The codes of a set, in display order."""
    return list(categories(category_set)["code"])


def ordered(category_set: str, present: list[str]) -> list[str]:
    """The codes present, in the set's order; codes the set does not list (every code, for a
    snapshot whose vocabulary lacks the set) after them, sorted."""
    known = list(categories(category_set, required=False)["code"])
    listed = [code for code in known if code in set(present)]
    return listed + sorted(set(present) - set(listed))


def bounds(category_set: str) -> dict[str, str]:
    """Code -> bounds_label, e.g. {'A': '[80, 100]', 'B': '[60, 80)', ...}."""
    rows = categories(category_set)
    return {
        code: text
        for code, text in zip(rows["code"], rows["bounds_label"], strict=True)
        if isinstance(text, str)
    }


def portfolio_name(portfolio: str) -> str:
    """'instalment loans (schedule and payments)': the reference label, lower-cased."""
    rows = categories("portfolio", required=False)
    found = rows[rows["code"] == portfolio]["category_label"]
    if found.empty:
        return PORTFOLIO_NAMES.get(portfolio, portfolio)
    name = str(found.iloc[0])
    return name[:1].lower() + name[1:]


def portfolio_feeds(portfolio: str) -> list[str]:
    """The raw feeds a portfolio is built from (rpt_data_quality_summary), sorted."""
    rows = optional_mart(
        "rpt_data_quality_summary",
        "select distinct source_feed from marts.rpt_data_quality_summary "
        "where family = ? order by source_feed",
        portfolio,
    )
    return [] if rows is None else list(rows["source_feed"])


def currency() -> str:
    """The currency of every amount: manifest currency.label, "currency units" when unset."""
    return snapshot().currency


def weights_sentence() -> str | None:
    """'paid ratio 50 %, current DPD 30 %, worst DPD 20 %' from the build's vars."""
    weights = snapshot().vars.get("repayment_score_weights")
    if not isinstance(weights, dict) or not weights:
        return None
    names = {"paid_ratio": "paid ratio", "current_dpd": "current DPD", "max_dpd": "worst DPD"}
    return ", ".join(
        f"{names.get(name, name.replace('_', ' '))} {float(weight) * 100:g} %"
        for name, weight in weights.items()
    )


def tiers_sentence() -> str | None:
    """'A [80, 100], B [60, 80), C [40, 60), D [0, 40)' from the reference mart."""
    tiers = bounds("score_tier")
    return ", ".join(f"{code} {text}" for code, text in tiers.items()) or None


def help_for(column: str) -> str | None:
    """The hover definition of a column, var-dependent parts read from the snapshot."""
    if column == "repayment_score":
        weights = weights_sentence()
        return "0–100, a weighted sum" + (f": {weights}." if weights else " (see docs/metrics.md).")
    if column == "is_small_sample":
        size = snapshot().vars.get("min_segment_size")
        return (
            f"Fewer than {size} loans: read with care."
            if size is not None
            else "Fewer loans than var min_segment_size: read with care."
        )
    if column == "score_tier":
        tiers = tiers_sentence()
        return f"Score tiers: {tiers}." if tiers else None
    if par_help(column):
        return par_help(column)
    text = column_help(column)
    if text is None and column.endswith("_amount"):
        return f"{label(column)} in {currency()}."
    return text
