"""The credit-loss marts of the tiny chart warehouse (chart_tiny_marts.TINY_MARTS): the real mart
and column names, a few rows each, given out of order, with a second evaluation date (the
month-end before) whose values differ, so a missing filter, a wrong column or order shows."""

from __future__ import annotations

from typing import Any

AS_OF, BEFORE = "2024-03-15", "2024-02-29"
MOVEMENTS = [
    "opening",
    "new_loans",
    "derecognised",
    "transfer_to_stage_1",
    "transfer_to_stage_2",
    "transfer_to_stage_3",
    "remeasurement",
    "closing",
]
# stage -> its lines in MOVEMENTS order: opening + the lines = closing
MOVEMENT_LINES = {
    1: [100.0, 20.0, -10.0, 0.0, -30.0, 0.0, 5.0, 85.0],
    2: [50.0, 0.0, 0.0, 0.0, 30.0, -20.0, 10.0, 70.0],
    3: [200.0, 0.0, -50.0, 0.0, 0.0, 20.0, 30.0, 200.0],
}
# state -> cumulative PD at horizons 1, 2, 3 (at AS_OF; BEFORE has other values)
PD_CURVES = {
    "current": [0.01, 0.03, 0.06],
    "1-30": [0.1, 0.25, 0.4],
    "90+": [1.0, 1.0, 1.0],
    "closed": [0.0, 0.0, 0.0],
}
STATE_ORDER = {"current": 1, "1-30": 2, "31-60": 3, "61-90": 4, "90+": 5, "closed": 6}


def pd_rows() -> list[tuple[Any, ...]]:
    rows = []
    for day, is_as_of, shift in ((BEFORE, False, 0.05), (AS_OF, True, 0.0)):
        for state, curve in reversed(PD_CURVES.items()):
            absorbing = state in ("90+", "closed")
            for horizon, cumulative in reversed(list(enumerate(curve, start=1))):
                value = cumulative if absorbing else cumulative + shift
                rows.append((state, STATE_ORDER[state], horizon, value, None, is_as_of, day))
    return rows


def transition_rows() -> list[tuple[Any, ...]]:
    rows = []
    for day, is_as_of in ((BEFORE, False), (AS_OF, True)):
        for state in STATE_ORDER:
            absorbing = state in ("90+", "closed")
            rows.append((state, state, 1.0 if absorbing else 0.5, absorbing, is_as_of, day))
    return rows


def movement_rows() -> list[tuple[Any, ...]]:
    rows = [
        (stage, movement, order, 1, amount, BEFORE, AS_OF)
        for stage, lines in MOVEMENT_LINES.items()
        for order, (movement, amount) in enumerate(zip(MOVEMENTS, lines, strict=True), start=1)
    ]
    return rows[::-1]


CREDIT_LOSS_MARTS: dict[str, tuple[str, list[tuple[Any, ...]]]] = {
    "rpt_ecl_by_stage": (
        "stage integer, loans bigint, gross_carrying_amount decimal(38, 2), ecl_amount double, "
        "allowance_amount decimal(38, 2), coverage_ratio double, as_of_date date",
        [
            (3, 2, 1000, 600.004, 600.00, 0.600004, AS_OF),
            (1, 5, 5000, 50.002, 50.00, 0.0100004, AS_OF),
            (2, 1, 400, 100.0, 100.00, 0.25, AS_OF),
        ],
    ),
    "rpt_pd_term_structure": (
        "from_state varchar, from_state_order integer, horizon_months integer, "
        "cumulative_pd double, marginal_pd double, is_as_of_date boolean, evaluation_date date",
        pd_rows(),
    ),
    "rpt_transition_matrix": (
        "from_state varchar, to_state varchar, transition_probability double, "
        "is_absorbing_state boolean, is_as_of_date boolean, evaluation_date date",
        transition_rows(),
    ),
    "rpt_allowance_movement": (
        "stage integer, movement varchar, movement_order integer, loans bigint, "
        "allowance_amount decimal(38, 2), opening_date date, as_of_date date",
        movement_rows(),
    ),
}
