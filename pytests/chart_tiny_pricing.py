"""The pricing mart of the tiny chart warehouse (chart_tiny_marts.TINY_MARTS): the real mart and
column names, rows given out of order, one tier above the 100 % cap."""

from __future__ import annotations

from typing import Any

COSTS = (0.05, 0.03, 0.02)  # funding, operating cost, margin
LGD = 0.5
# (basis, code, order, month-ends, 30+ rate, 90+ rate, break-even rate)
TIERS = [
    ("score_tier", "C", 3, 40, 0.5, 0.3, 1.7),
    ("score_tier", "A", 1, 300, 0.05, 0.01, 0.12),
    ("score_tier", "D", 4, 20, 0.9, 0.8, 3.5),
    ("score_tier", "B", 2, 100, 0.2, 0.05, 0.3),
    ("probability_decile", "10", 10, 10, 0.6, 0.2, 0.8),
    ("probability_decile", "2", 2, 10, 0.0, 0.0, 0.1),
    ("probability_decile", "1", 1, 10, 0.0, 0.0, 0.1),
]


def pricing_rows() -> list[tuple[Any, ...]]:
    return [
        (basis, code, order, count, late, default, None, LGD, None, *COSTS, rate, False)
        for basis, code, order, count, late, default, rate in TIERS
    ]


PRICING_MARTS: dict[str, tuple[str, list[tuple[Any, ...]]]] = {
    "rpt_pricing_tiers": (
        "pricing_basis varchar, tier_code varchar, tier_sort_order integer, "
        "observations_count bigint, observed_30_plus_rate double, observed_90_plus_rate double, "
        "annual_default_rate double, lgd double, expected_loss_rate double, "
        "funding_cost_rate double, operating_cost_rate double, target_margin_rate double, "
        "break_even_annual_rate double, is_lgd_fallback boolean",
        pricing_rows(),
    ),
}
