"""Generator settings: the input contract's feeds, the tunables and the validated ``Config``.

Changing any tunable changes the output for a given seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from scripts.contract import feed_columns
from scripts.contract import feeds as contract_feeds

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# written as "generator" in _manifest.json; kept from the single-file days so that the bundled
# sample and every generated folder stay byte-identical to what the package now writes
GENERATOR = "generate_data.py"

FEED_COLUMNS: dict[str, tuple[str, ...]] = {name: feed_columns(name) for name in contract_feeds()}
FEEDS: tuple[str, ...] = tuple(FEED_COLUMNS)
FAMILY_A_FEEDS = ("orders", "plan", "payments")
FAMILY_B_FEEDS = ("dim_branch", "dim_customer", "fact_loans")

QUARANTINE = "quarantine"
FLAG = "flag"

DEFAULT_CHUNK_SIZE = 100_000
DEFAULT_DIRTY_RATE = 0.005
DAY_MS = 86_400_000
ORDER_ID_START = 100_001
PLAN_ORPHAN_ID_START = 900_000_001  # order ids used by orphan plan rows (never in orders)
PAYMENT_ORPHAN_ID_START = 950_000_001  # order ids used by orphan payment rows
FAMILY_A_MONTHS = 30  # orders are created in the 30 months up to --end-date
FAMILY_B_MONTHS = 36  # Family B loans start in the 3 years up to --end-date
CUSTOMERS_PER_LOAN = 0.5
LOANS_PER_EXTRA_BRANCH = 5_000

# timestamp text formats (all ISO-8601)
FMT_DATE, FMT_SECONDS, FMT_MILLIS = 0, 1, 2
TS_FORMAT_P = (0.15, 0.50, 0.35)

# Family A repayment behaviours
ON_TIME, LATE, PARTIAL, DEFAULTER, PAYOFF, OVERPAY, NEVER, CATCH_UP = range(8)
BEHAVIOUR_P = (0.47, 0.15, 0.10, 0.09, 0.07, 0.03, 0.04, 0.05)
# payment day relative to the due day, inclusive bounds, per behaviour
DELAY_LO = np.array([-5, 5, -3, -2, -5, -5, 0, 0], dtype=np.int64)
DELAY_HI = np.array([2, 40, 5, 10, 2, 2, 0, 10], dtype=np.int64)
# schedule frequencies
MONTHLY, EVERY_30_DAYS, FORTNIGHTLY = 0, 1, 2
FREQUENCY_P = (0.30, 0.20, 0.50)
N_POINTS = np.arange(3, 13)
N_POINTS_P = np.array([24, 19, 15, 12, 8, 6, 5, 4, 3, 4], dtype=np.float64)
N_POINTS_P /= N_POINTS_P.sum()

# Family B
TERMS = np.array([12, 24, 36, 48, 60], dtype=np.int64)
EMPLOYMENT = ("Employed", "Self-Employed", "Unemployed", "Retired")
STATUS_PAID, STATUS_DEFAULTED, STATUS_IN_PROGRESS, STATUS_APPROVED = range(4)
STATUSES = ("Paid", "Defaulted", "In Progress", "Approved")

# garbage cell values used by --dirty (none of them parses as a date / number, neither in
# pandas nor in DuckDB, and none is a default NA marker)
BAD_DATES = ("2023-13-45", "not a date", "2022-02-30", "2021-11-31 10:15:00", "31/12/2022")
BAD_NUMBERS = ("abc", "12.50 EUR", "1..5", "#VALUE!")
BAD_STATUSES = ("Unknown", "Closed", "Written Off")

# random-number streams (each feed / purpose has its own, so --feeds subsets are stable)
S_FAMILY_A, S_DIRTY_ORDERS, S_DIRTY_PLAN, S_DIRTY_PAYMENTS = 1, 2, 3, 4
S_BRANCH, S_CUSTOMER, S_ASSIGN, S_FACT, S_DIRTY_CUSTOMER, S_DIRTY_FACT = 10, 11, 12, 13, 14, 15


@dataclass(frozen=True)
class Config:
    """Validated generator settings."""

    out: Path
    seed: int = 42
    loans: int = 2_000
    family_b_loans: int = 1_000
    fmt: str = "csv"
    dirty: bool = False
    feeds: tuple[str, ...] = FEEDS
    end_date: str = "2025-06-30"
    chunk_size: int = DEFAULT_CHUNK_SIZE
    dirty_rate: float = DEFAULT_DIRTY_RATE

    @property
    def end_day(self) -> int:
        """``end_date`` as days since 1970-01-01."""
        return int(np.datetime64(self.end_date, "D").astype(np.int64))


def rng_for(cfg: Config, stream: int, chunk: int = 0) -> np.random.Generator:
    """An independent generator per (seed, purpose, chunk)."""
    return np.random.default_rng([cfg.seed, stream, chunk])


def n_injections(cfg: Config, base_rows: int) -> int:
    """How many rows get one particular quirk in a chunk of ``base_rows`` rows."""
    return max(1, round(cfg.dirty_rate * base_rows))
