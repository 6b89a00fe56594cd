#!/usr/bin/env python3
"""Generate deterministic synthetic raw feeds for the loan analytics warehouse.

Two independent portfolios are written, each in the exact shape of the input contract
(``CONTRACT.md``):

* Family A (schedule based, like a fintech export): ``orders``, ``plan``, ``payments``.
* Family B (star schema, like the published Loan Performance data set): ``dim_branch``,
  ``dim_customer``, ``fact_loans``.

Every value is written as text (CSV, or all-string Parquet columns), so a Parquet file holds
exactly the same text as the CSV file for the same arguments.  The output is a pure function of
the arguments: the same arguments and seed give byte-identical files (one numpy generator per
seed, purpose and chunk, so ``--feeds`` subsets give the same rows as a full run).  Loans are
generated in chunks with vectorised numpy / pyarrow code, so a million loans take seconds and
memory stays bounded by the chunk size.

Family A model
    Orders are created over the 30 months up to ``--end-date`` (volume growing slightly);
    order_id = 100001, 100002, ... in creation order.  About 8-9 % are applications that are
    never disbursed (no ``put_at``, no plan, no payments; about half of them cancelled, i.e.
    ``closed_at`` set), including orders whose disbursal would fall after the cut.
    ``put_at`` = created_at + 0-3 days.  The plan has 3-12 cumulative points, monthly
    (calendar month or 30 days) or fortnightly after put_at, up to principal x (1 + fee); all
    points are written, also those after the cut.  Payment behaviours: on time, late (5-40
    days), partial (40-90 % of each instalment, most settle the rest after the last due date),
    defaulters (pay k instalments and stop; 45 % settle through collections months later),
    early repayers (one or two big payments), overpayers, never-payers, catch-up payers.
    About 8 % of payments arrive in two parts on the same day.  Only payments dated on or
    before the cut are written.  ``closed_at`` is the ``paid_at`` (same text) of the payment
    that brings the cumulative paid amount to the final plan total; empty = open (~23 %).
    Timestamps mix ``2022-06-01`` / ``2022-06-01 00:00:24`` / ``2022-06-01 00:00:24.167`` row
    by row (the value is what the text says: a date means midnight); payments are always at
    least one calendar day after put_at.

Family B model
    Branches in invented cities of US states; customers with fake names, age, gender, income
    and employment; loans starting in the 3 years up to the cut with EndDate = StartDate +
    Term months (month-end clipped).  Defaults are driven by unemployment, low income, youth
    and a high rate; matured loans are Paid, some are repaid early, recent ones Approved,
    the rest In Progress with AmountPaid = annuity principal repaid so far (some behind).

``--dirty`` adds the quirks the warehouse must quarantine or flag, each on its own row, and
lists every one in ``_manifest.json`` with its 1-based data row number, key, kind and reason.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from contract import feed_columns
from contract import feeds as contract_feeds
from tqdm import tqdm

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

GENERATOR = "generate_data.py"

# --------------------------------------------------------------------------------------------
# Input contract (declared once, in dbt_project.yml var feed_contract)
# --------------------------------------------------------------------------------------------
FEED_COLUMNS: dict[str, tuple[str, ...]] = {name: feed_columns(name) for name in contract_feeds()}
FEEDS: tuple[str, ...] = tuple(FEED_COLUMNS)
FAMILY_A_FEEDS = ("orders", "plan", "payments")
FAMILY_B_FEEDS = ("dim_branch", "dim_customer", "fact_loans")

QUARANTINE = "quarantine"
FLAG = "flag"

# --------------------------------------------------------------------------------------------
# Tunables (changing any of them changes the output for a given seed)
# --------------------------------------------------------------------------------------------
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

FIRST_NAMES_MALE = (
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas",
    "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul",
    "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald", "Edward",
    "Jason", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen",
    "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory", "Alexander", "Frank",
    "Patrick", "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Jose", "Adam", "Nathan",
    "Henry", "Douglas", "Zachary", "Peter", "Kyle", "Levi", "Nathaniel", "Luis", "Carlos",
)  # fmt: skip
FIRST_NAMES_FEMALE = (
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah",
    "Karen", "Lisa", "Nancy", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily",
    "Donna", "Michelle", "Carol", "Amanda", "Dorothy", "Melissa", "Deborah", "Stephanie",
    "Rebecca", "Sharon", "Laura", "Cynthia", "Kathleen", "Amy", "Angela", "Shirley", "Anna",
    "Brenda", "Pamela", "Emma", "Nicole", "Helen", "Samantha", "Katherine", "Christine", "Debra",
    "Rachel", "Carolyn", "Janet", "Catherine", "Maria", "Heather", "Diane", "Ruth", "Julie",
    "Olivia", "Joyce", "Virginia", "Victoria", "Kelly", "Lauren", "Christina", "Joan", "Regina",
    "Alexis", "Sofia",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
    "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
    "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
    "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
    "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
    "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
    "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler",
    "Henderson", "Barnes", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson",
    "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West",
    "Osborne", "Ellis", "Jarvis", "Frye", "Mckay", "Salas", "Gerald", "Simpson", "Walter",
)  # fmt: skip
CITY_PREFIXES = ("", "", "", "Lake ", "New ", "North ", "South ", "East ", "West ", "Port ")
CITY_SUFFIXES = (
    "fort", "mouth", "view", "berg", "side", "ton", "ville", "borough", "chester", "haven",
    "land", "burgh", "field", "port", "furt", "bury", "stad", " Springs", " Heights", "",
)  # fmt: skip
US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------
# Small vectorised helpers
# --------------------------------------------------------------------------------------------
def add_months(days: IntArray | int, months: IntArray | int) -> IntArray:
    """Add calendar months to day numbers, clipping to month end (like DuckDB / DateOffset)."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    day_of_month = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    days_in_month = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(
        np.int64
    )
    return first.astype(np.int64) + np.minimum(day_of_month, days_in_month - 1)


def full_months_between(start: IntArray, end: int) -> IntArray:
    """Whole calendar months from ``start`` to ``end`` (both day numbers)."""
    s = start.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    e = np.int64(np.datetime64(end, "D").astype("datetime64[M]").astype(np.int64))
    m = e - s
    return m - (add_months(start, m) > end).astype(np.int64)


def pick_formats(rng: np.random.Generator, n: int) -> npt.NDArray[np.int8]:
    """Random timestamp text format per row."""
    return rng.choice(3, size=n, p=TS_FORMAT_P).astype(np.int8)


def truncate_ms(ms: IntArray, fmt: npt.NDArray[np.int8]) -> IntArray:
    """The value a timestamp really has once written in ``fmt`` (date drops the time, ...)."""
    unit = np.where(fmt == FMT_DATE, DAY_MS, np.where(fmt == FMT_SECONDS, 1000, 1))
    return ms - ms % unit


def truncate_not_before(ms: IntArray, fmt: npt.NDArray[np.int8], lower: IntArray) -> IntArray:
    """Truncate to the written precision, moving a day later where that would precede ``lower``."""
    out = truncate_ms(ms, fmt)
    return np.where(out < lower, out + DAY_MS, out)


def segment_starts(counts: IntArray) -> IntArray:
    """Start offsets of consecutive segments with the given lengths."""
    return np.cumsum(counts) - counts


def ts_text(ms: IntArray, fmt: npt.NDArray[np.int8], valid: BoolArray | None = None) -> pa.Array:
    """ISO-8601 text: ``2022-06-01``, ``2022-06-01 00:00:24`` or ``2022-06-01 00:00:24.167``."""
    mask = None if valid is None else ~valid
    ts = pa.array(ms.astype("datetime64[ms]"), mask=mask)
    as_date = ts.cast(pa.date32(), safe=False).cast(pa.string())
    as_seconds = ts.cast(pa.timestamp("s"), safe=False).cast(pa.string())
    as_millis = ts.cast(pa.string())
    return pc.choose(pa.array(fmt), as_date, as_seconds, as_millis)


def day_text(days: IntArray) -> pa.Array:
    """``YYYY-MM-DD`` text for day numbers."""
    return pa.array(days.astype(np.int32), type=pa.int32()).cast(pa.date32()).cast(pa.string())


def cents_text(cents: IntArray) -> pa.Array:
    """Exact money text with two decimals from integer cents (``1234.50``, ``-0.05``)."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    words = np.empty(2 * cents.size, dtype=np.int64)  # little-endian 128-bit two's complement
    words[0::2] = cents
    words[1::2] = np.where(cents < 0, -1, 0)
    dec = pa.Array.from_buffers(pa.decimal128(18, 2), cents.size, [None, pa.py_buffer(words)])
    return dec.cast(pa.string())


def int_text(values: IntArray) -> pa.Array:
    """Integer text."""
    return pa.array(np.asarray(values, dtype=np.int64)).cast(pa.string())


def str_pick(choices: Sequence[str], idx: IntArray) -> pa.Array:
    """Vectorised lookup of strings by index."""
    return pa.array(list(choices), type=pa.string()).take(pa.array(idx))


def concat_text(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of string arrays / scalars."""
    return pc.binary_join_element_wise(*parts, "")


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------
def csv_quote(arr: pa.Array) -> pa.Array:
    """RFC-4180 quoting, only for the (rare) cells that need it."""
    needs = pc.match_substring_regex(arr, '[",\r\n]')
    if not pc.any(needs).as_py():
        return arr
    quoted = concat_text('"', pc.replace_substring(arr, '"', '""'), '"')
    return pc.if_else(needs, quoted, arr)


class FeedWriter:
    """Appends chunks of string columns to ``<feed>.csv`` or ``<feed>.parquet``."""

    def __init__(self, out: Path, feed: str, fmt: str) -> None:
        self.feed = feed
        self.columns = FEED_COLUMNS[feed]
        self.path = out / f"{feed}.{fmt}"
        self.rows = 0
        self._csv: BinaryIO | None = None
        self._parquet: pq.ParquetWriter | None = None
        self._schema = pa.schema([(c, pa.string()) for c in self.columns])
        if fmt == "csv":
            self._csv = self.path.open("wb")
            self._csv.write((",".join(self.columns) + "\n").encode())
        else:
            self._parquet = pq.ParquetWriter(self.path, self._schema, compression="zstd")

    def write(self, columns: dict[str, pa.Array]) -> None:
        arrays = [columns[c] for c in self.columns]
        n = len(arrays[0])
        if n == 0:
            return
        if self._csv is not None:
            cells = [csv_quote(a) for a in arrays]
            line = pc.binary_join_element_wise(
                *cells, ",", null_handling="replace", null_replacement=""
            )
            line = pc.binary_join_element_wise(line, "", "\n")
            offsets = np.frombuffer(line.buffers()[1], dtype=np.int32)
            first, last = int(offsets[line.offset]), int(offsets[line.offset + n])
            self._csv.write(memoryview(line.buffers()[2])[first:last])
        elif self._parquet is not None:
            self._parquet.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        self.rows += n

    def close(self) -> None:
        if self._csv is not None:
            self._csv.close()
        if self._parquet is not None:
            self._parquet.close()


# --------------------------------------------------------------------------------------------
# Dirty-mode bookkeeping
# --------------------------------------------------------------------------------------------
@dataclass
class Injected:
    """One injected quirk, in manifest form."""

    feed: str
    row_number: int
    key: str
    kind: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "feed": self.feed,
            "row_number": self.row_number,
            "key": self.key,
            "kind": self.kind,
            "reason": self.reason,
        }


class ChunkEdit:
    """Applies dirty-mode edits (cell replacements and extra rows) to one chunk of one feed.

    Rows touched by one quirk are marked as used so that every quirk lands on its own row, and
    the rows copied by duplicates stay clean.
    """

    def __init__(self, feed: str, columns: dict[str, pa.Array]) -> None:
        self.feed = feed
        self.columns = dict(columns)
        self.n = len(columns[FEED_COLUMNS[feed][0]])
        self.used = np.zeros(self.n, dtype=bool)
        self._extra_rows: list[dict[str, pa.Array]] = []
        self._extra_keys: list[FloatArray] = []
        self._n_extra = 0
        self._records: list[tuple[IntArray, str, str]] = []

    def pick(self, rng: np.random.Generator, candidates: IntArray, k: int) -> IntArray:
        """Choose up to ``k`` unused rows among ``candidates`` and mark them used."""
        cand = candidates[~self.used[candidates]]
        k = min(k, cand.size)
        if k == 0:
            return np.empty(0, dtype=np.int64)
        chosen = np.sort(rng.choice(cand, size=k, replace=False)).astype(np.int64)
        self.used[chosen] = True
        return chosen

    def replace(self, column: str, positions: IntArray, values: pa.Array) -> None:
        """Overwrite cells; ``values`` aligned with ascending ``positions``."""
        if positions.size == 0:
            return
        mask = np.zeros(self.n, dtype=bool)
        mask[positions] = True
        self.columns[column] = pc.replace_with_mask(self.columns[column], pa.array(mask), values)

    def take(self, column: str, positions: IntArray) -> pa.Array:
        return self.columns[column].take(pa.array(positions))

    def add_rows(self, rows: dict[str, pa.Array], sort_keys: FloatArray) -> IntArray:
        """Append rows, later placed by ``sort_keys`` (row i of the chunk has key i)."""
        k = len(sort_keys)
        refs = self.n + self._n_extra + np.arange(k, dtype=np.int64)
        if k:
            self._extra_rows.append(rows)
            self._extra_keys.append(np.asarray(sort_keys, dtype=np.float64))
            self._n_extra += k
        return refs

    def record(self, refs: IntArray, kind: str, reason: str) -> None:
        if refs.size:
            self._records.append((refs, kind, reason))

    def finish(self, row_offset: int) -> tuple[dict[str, pa.Array], list[Injected]]:
        """Final column order plus manifest entries with file row numbers."""
        names = FEED_COLUMNS[self.feed]
        if self._n_extra:
            keys = np.concatenate([np.arange(self.n, dtype=np.float64), *self._extra_keys])
            perm = np.argsort(keys, kind="stable")
            take = pa.array(perm)
            cols = {
                c: pa.concat_arrays([self.columns[c], *[r[c] for r in self._extra_rows]]).take(take)
                for c in names
            }
            position = np.empty_like(perm)
            position[perm] = np.arange(perm.size)
        else:
            cols = {c: self.columns[c] for c in names}
            position = np.arange(self.n)
        entries: list[Injected] = []
        for refs, kind, reason in self._records:
            pos = position[refs]
            key_arr = cols[names[0]].take(pa.array(pos))
            if self.feed == "plan" and kind == QUARANTINE:
                key_arr = pc.binary_join_element_wise(
                    key_arr, cols["plan_at"].take(pa.array(pos)), "|"
                )
            for p, key in zip(pos.tolist(), key_arr.to_pylist(), strict=True):
                entries.append(Injected(self.feed, row_offset + p + 1, str(key), kind, reason))
        entries.sort(key=lambda e: e.row_number)
        return cols, entries


def bad_values(rng: np.random.Generator, choices: Sequence[str], k: int) -> pa.Array:
    return str_pick(choices, rng.integers(0, len(choices), k))


def after_keys(rng: np.random.Generator, src: IntArray, n: int, spread: int) -> FloatArray:
    """Sort keys placing new rows after their source row (up to ``spread`` rows later)."""
    later = np.minimum(src + rng.integers(0, spread + 1, src.size), n - 1)
    return later.astype(np.float64) + 0.5


# --------------------------------------------------------------------------------------------
# Family A: orders, plan, payments
# --------------------------------------------------------------------------------------------
@dataclass
class FamilyAChunk:
    """Numeric truth for one chunk of Family A loans (local loan index 0..n-1)."""

    order_id: IntArray
    created_ms: IntArray
    created_fmt: npt.NDArray[np.int8]
    put_ms: IntArray
    put_fmt: npt.NDArray[np.int8]
    disbursed: BoolArray
    closed_ms: IntArray
    closed_fmt: npt.NDArray[np.int8]
    has_closed: BoolArray
    issued_cents: IntArray
    total_cents: IntArray
    n_points: IntArray
    plan_loan: IntArray
    plan_point: IntArray  # 1-based point number
    plan_day: IntArray
    plan_fmt: npt.NDArray[np.int8]
    plan_cum: IntArray
    pay_loan: IntArray
    pay_ms: IntArray
    pay_fmt: npt.NDArray[np.int8]
    pay_cents: IntArray
    behaviour: IntArray


def family_a_chunk(cfg: Config, chunk: int, start: int, n: int) -> FamilyAChunk:
    """Generate orders, their schedules and payments for loans ``start .. start+n-1``."""
    rng = rng_for(cfg, S_FAMILY_A, chunk)
    end_day = cfg.end_day
    cutoff_ms = (end_day + 1) * DAY_MS  # events are kept when their date <= end_date
    window_start_ms = int(add_months(end_day, -FAMILY_A_MONTHS)) * DAY_MS

    # --- per-loan draws (all drawn for every loan, in a fixed order) ---
    u = (start + np.arange(n) + rng.random(n)) / max(cfg.loans, 1)  # stratified, increasing
    growth = 0.1  # volume grows ~10 % over the window
    x = (np.sqrt(1.0 + 2.0 * growth * u * (1.0 + growth / 2.0)) - 1.0) / growth
    created_raw = window_start_ms + np.floor(x * (cutoff_ms - window_start_ms - 1)).astype(np.int64)
    created_fmt = pick_formats(rng, n)
    created_ms = truncate_ms(created_raw, created_fmt)
    put_delay = np.clip(rng.exponential(0.6 * DAY_MS, n), 60_000, 3 * DAY_MS).astype(np.int64)
    put_fmt = pick_formats(rng, n)
    put_ms = truncate_not_before(created_ms + put_delay, put_fmt, created_ms)
    never = rng.random(n) < 0.085
    cancel = rng.random(n) < 0.45
    cancel_delay = rng.integers(3_600_000, 14 * DAY_MS, n)
    cancel_fmt = pick_formats(rng, n)
    issued = np.exp(rng.normal(np.log(900.0), 0.75, n)).clip(100.0, 20_000.0)
    round_to_ten = rng.random(n) < 0.7
    freq = rng.choice(3, size=n, p=FREQUENCY_P)
    n_points = rng.choice(N_POINTS, size=n, p=N_POINTS_P).astype(np.int64)
    fee_per_point = np.where(
        freq == FORTNIGHTLY, rng.uniform(0.01, 0.03, n), rng.uniform(0.02, 0.06, n)
    )
    behaviour = rng.choice(len(BEHAVIOUR_P), size=n, p=BEHAVIOUR_P)
    plan_as_timestamp = rng.random(n) < 0.3
    u_k, u_j, u_j0, u_s, u_m = (rng.random(n) for _ in range(5))
    settle = rng.random(n) < 0.85
    payoff_two = rng.random(n) < 0.4
    settle_gap = rng.integers(10, 61, n)
    recover = rng.random(n) < 0.45
    recover_gap = rng.integers(45, 181, n)
    payoff_gap = rng.integers(1, 13, n)
    payoff_gap2 = rng.integers(1, 11, n)

    issued_cents = np.where(
        round_to_ten, np.round(issued / 10.0) * 1000, np.round(issued * 100.0)
    ).astype(np.int64)
    total_cents = np.round(issued_cents * (1.0 + fee_per_point * n_points)).astype(np.int64)

    disbursed = ~never & (put_ms < cutoff_ms)
    if cfg.dirty:
        # tiny runs: make sure there are enough applications to carry the order quirks
        need = 3 * n_injections(cfg, n) + 1
        missing = need - int((~disbursed).sum())
        if missing > 0:
            disbursed[np.flatnonzero(disbursed)[-missing:]] = False
    closed_ms = np.zeros(n, dtype=np.int64)
    closed_fmt = np.zeros(n, dtype=np.int8)
    cancel_ms = truncate_not_before(created_ms + cancel_delay, cancel_fmt, created_ms)
    has_closed = ~disbursed & cancel & (cancel_ms < cutoff_ms)
    closed_ms[has_closed] = cancel_ms[has_closed]
    closed_fmt[has_closed] = cancel_fmt[has_closed]

    # --- plan: n_points scheduled cumulative amounts per disbursed loan ---
    loans_d = np.flatnonzero(disbursed)
    counts = n_points[loans_d]
    starts = segment_starts(counts)
    plan_loan = np.repeat(loans_d, counts)
    p0 = np.arange(plan_loan.size) - np.repeat(starts, counts)  # 0-based point
    point = p0 + 1
    put_day = put_ms // DAY_MS
    put_day_r = put_day[plan_loan]
    f = freq[plan_loan]
    due = np.where(
        f == MONTHLY,
        add_months(put_day_r, point),
        put_day_r + np.where(f == EVERY_30_DAYS, 30, 14) * point,
    )
    n_r = n_points[plan_loan]
    total_r = total_cents[plan_loan]
    cum = total_r * point // n_r  # last point exactly total
    inst = cum - np.where(p0 > 0, np.roll(cum, 1), 0)
    plan_fmt = np.where(plan_as_timestamp[plan_loan], FMT_SECONDS, FMT_DATE).astype(np.int8)

    # --- payments: one event per instalment, shaped by the loan's behaviour ---
    b = behaviour[plan_loan]
    day = due + rng.integers(DELAY_LO[b], DELAY_HI[b] + 1)
    # strictly increasing payment days within a loan (late payers keep order)
    rank = np.repeat(np.arange(loans_d.size, dtype=np.int64), counts) * 10_000_000
    day = np.maximum.accumulate(rank + day - p0) - rank + p0
    amt = inst.copy()
    frac = rng.uniform(0.4, 0.9, plan_loan.size)
    amt = np.where(b == PARTIAL, np.maximum(1, np.floor(inst * frac)).astype(np.int64), amt)
    k_def = 1 + np.floor(u_k * (n_points - 1)).astype(np.int64)  # pays points 1..k
    amt = np.where((b == DEFAULTER) & (point > k_def[plan_loan]), 0, amt)
    j_pay = np.where(u_j0 < 0.5, 0, 1 + np.floor(u_j * (n_points - 2)).astype(np.int64))
    amt = np.where((b == PAYOFF) & (point > j_pay[plan_loan]), 0, amt)
    over = rng.uniform(1.05, 1.35, plan_loan.size)
    amt = np.where(b == OVERPAY, np.ceil(inst * over).astype(np.int64), amt)
    amt = np.where(b == NEVER, 0, amt)
    catch_s = np.floor(u_s * (n_points - 1)).astype(np.int64)  # first missed point, 0-based
    catch_m = 1 + np.floor(u_m * np.minimum(3, n_points - 1 - catch_s)).astype(np.int64)
    cs0 = catch_s[plan_loan]
    cs_end = cs0 + catch_m[plan_loan]
    plan_start = np.zeros(n, dtype=np.int64)
    plan_start[loans_d] = starts
    cum_before_s = np.where(cs0 > 0, cum[plan_start[plan_loan] + cs0 - 1], 0)
    amt = np.where((b == CATCH_UP) & (p0 >= cs0) & (p0 < cs_end), 0, amt)
    amt = np.where((b == CATCH_UP) & (p0 == cs_end), cum - cum_before_s, amt)
    if plan_loan.size:
        running = np.cumsum(amt)
        base = np.repeat(running[starts] - amt[starts], counts)
        paid_before = running - amt - base
        keep = (amt > 0) & ~((b == OVERPAY) & (paid_before >= total_r))
    else:
        keep = np.zeros(0, dtype=bool)
    ev_loan = [plan_loan[keep]]
    ev_day = [day[keep]]
    ev_amt = [amt[keep]]
    last_row = starts + counts - 1
    beh_d = behaviour[loans_d]
    # partial payers settle the rest some weeks after the last due date (most of them)
    sel = (beh_d == PARTIAL) & settle[loans_d]
    if sel.any():
        paid = np.add.reduceat(amt, starts)[sel] if starts.size else np.zeros(0, np.int64)
        ld = loans_d[sel]
        ev_loan.append(ld)
        ev_day.append(due[last_row[sel]] + settle_gap[ld])
        ev_amt.append(total_cents[ld] - paid)
    # 45 % of defaulters settle the rest through collections months after they stopped
    sel = (beh_d == DEFAULTER) & recover[loans_d]
    if sel.any():
        ld = loans_d[sel]
        k = k_def[ld]
        ev_loan.append(ld)
        ev_day.append(due[starts[sel] + k] + recover_gap[ld])
        ev_amt.append(total_cents[ld] - cum[starts[sel] + k - 1])
    # early repayers: j regular instalments, then the rest in one or two big payments
    sel = beh_d == PAYOFF
    if sel.any():
        ld = loans_d[sel]
        j = j_pay[ld]
        row_j = starts[sel] + j - 1
        paid = np.where(j > 0, cum[np.maximum(row_j, 0)], 0)
        rest = total_cents[ld] - paid
        day0 = np.where(j > 0, due[np.maximum(row_j, 0)] + 2, put_day[ld]) + payoff_gap[ld]
        two = payoff_two[ld] & (rest >= 2)
        part1 = np.where(two, np.floor(rest * rng.uniform(0.3, 0.7, ld.size)), rest).astype(
            np.int64
        )
        part1 = np.clip(part1, 1, rest)
        ev_loan += [ld, ld[two]]
        ev_day += [day0, (day0 + payoff_gap2[ld])[two]]
        ev_amt += [part1, (rest - part1)[two]]
    ev_loan_a = np.concatenate(ev_loan)
    ev_day_a = np.concatenate(ev_day)
    ev_amt_a = np.concatenate(ev_amt)
    on_time = ev_day_a <= end_day
    ev_loan_a, ev_day_a, ev_amt_a = ev_loan_a[on_time], ev_day_a[on_time], ev_amt_a[on_time]
    # some payments arrive in two parts on the same day (different amounts and times)
    split = (rng.random(ev_amt_a.size) < 0.08) & (ev_amt_a >= 3)
    share = rng.uniform(0.2, 0.8, ev_amt_a.size)
    part = np.clip(np.floor(ev_amt_a * share).astype(np.int64), 1, ev_amt_a - 1)
    part = np.where(2 * part == ev_amt_a, part - 1, part)
    second = (ev_amt_a - part)[split]
    ev_amt_a = np.where(split, part, ev_amt_a)
    pay_loan = np.concatenate([ev_loan_a, ev_loan_a[split]])
    pay_day = np.concatenate([ev_day_a, ev_day_a[split]])
    pay_cents = np.concatenate([ev_amt_a, second])
    pay_fmt = pick_formats(rng, pay_loan.size)
    in_day = truncate_ms(rng.integers(0, DAY_MS, pay_loan.size), pay_fmt)
    pay_ms = pay_day * DAY_MS + in_day
    order = np.lexsort((pay_ms, pay_loan))
    pay_loan, pay_ms, pay_fmt, pay_cents = (
        pay_loan[order],
        pay_ms[order],
        pay_fmt[order],
        pay_cents[order],
    )

    # --- closed_at: the moment cumulative payments reach the final plan total ---
    if pay_loan.size:
        _, first_idx, n_pay = np.unique(pay_loan, return_index=True, return_counts=True)
        running = np.cumsum(pay_cents)
        paid_to = running - np.repeat(running[first_idx] - pay_cents[first_idx], n_pay)
        reached = np.flatnonzero(paid_to >= total_cents[pay_loan])
        loans_c, first = np.unique(pay_loan[reached], return_index=True)
        idx = reached[first]
        closed_ms[loans_c] = pay_ms[idx]
        closed_fmt[loans_c] = pay_fmt[idx]
        has_closed[loans_c] = True

    return FamilyAChunk(
        order_id=ORDER_ID_START + start + np.arange(n, dtype=np.int64),
        created_ms=created_ms,
        created_fmt=created_fmt,
        put_ms=put_ms,
        put_fmt=put_fmt,
        disbursed=disbursed,
        closed_ms=closed_ms,
        closed_fmt=closed_fmt,
        has_closed=has_closed,
        issued_cents=issued_cents,
        total_cents=total_cents,
        n_points=n_points,
        plan_loan=plan_loan,
        plan_point=point,
        plan_day=due,
        plan_fmt=plan_fmt,
        plan_cum=cum,
        pay_loan=pay_loan,
        pay_ms=pay_ms,
        pay_fmt=pay_fmt,
        pay_cents=pay_cents,
        behaviour=behaviour,
    )


def orders_columns(a: FamilyAChunk) -> dict[str, pa.Array]:
    return {
        "order_id": int_text(a.order_id),
        "created_at": ts_text(a.created_ms, a.created_fmt),
        "put_at": ts_text(a.put_ms, a.put_fmt, a.disbursed),
        "closed_at": ts_text(a.closed_ms, a.closed_fmt, a.has_closed),
        "issued_sum": cents_text(a.issued_cents),
    }


def plan_columns(a: FamilyAChunk) -> dict[str, pa.Array]:
    return {
        "order_id": int_text(a.order_id[a.plan_loan]),
        "plan_at": ts_text(a.plan_day * DAY_MS, a.plan_fmt),
        "plan_sum_total": cents_text(a.plan_cum),
    }


def payments_columns(a: FamilyAChunk) -> dict[str, pa.Array]:
    return {
        "order_id": int_text(a.order_id[a.pay_loan]),
        "paid_at": ts_text(a.pay_ms, a.pay_fmt),
        "paid_sum": cents_text(a.pay_cents),
    }


def random_amount_cents(rng: np.random.Generator, k: int) -> IntArray:
    return np.round(np.exp(rng.normal(np.log(150.0), 0.8, k)) * 100).astype(np.int64) + 1


def dirty_orders(cfg: Config, a: FamilyAChunk, cols: dict[str, pa.Array], chunk: int) -> ChunkEdit:
    rng = rng_for(cfg, S_DIRTY_ORDERS, chunk)
    ed = ChunkEdit("orders", cols)
    n = ed.n
    k = n_injections(cfg, n)
    apps = np.flatnonzero(~a.disbursed)
    # non-duplicate quirks go on applications only (no plan / payments -> no cascades)
    pos = ed.pick(rng, apps, k)
    negative = rng.random(pos.size) < 0.5
    bad_sum = np.where(negative, -random_amount_cents(rng, pos.size) * 10, 0)
    ed.replace("issued_sum", pos, cents_text(bad_sum))
    ed.record(pos, QUARANTINE, "non_positive_amount")

    pos = ed.pick(rng, apps, k)
    ed.replace("created_at", pos, bad_values(rng, BAD_DATES, pos.size))
    ed.record(pos, QUARANTINE, "unparseable_date")

    pos = ed.pick(rng, apps, k)
    created_day = a.created_ms[pos] // DAY_MS
    before = (created_day - rng.integers(1, 31, pos.size)) * DAY_MS + rng.integers(
        0, DAY_MS, pos.size
    )
    fmt = pick_formats(rng, pos.size)
    ed.replace("closed_at", pos, ts_text(truncate_ms(before, fmt), fmt))
    ed.record(pos, QUARANTINE, "date_out_of_order")

    src = ed.pick(rng, np.arange(n, dtype=np.int64), k)
    rows = {c: ed.take(c, src) for c in FEED_COLUMNS["orders"]}
    refs = ed.add_rows(rows, after_keys(rng, src, n, 40))
    ed.record(refs, QUARANTINE, "duplicate_key")
    return ed


def dirty_plan(
    cfg: Config, a: FamilyAChunk, cols: dict[str, pa.Array], chunk: int, orphan_start: int
) -> ChunkEdit:
    rng = rng_for(cfg, S_DIRTY_PLAN, chunk)
    ed = ChunkEdit("plan", cols)
    n = ed.n
    if n == 0:
        return ed
    k = n_injections(cfg, n)
    first_rows = np.flatnonzero(a.plan_point == 1)
    # flag: one cumulative point lower than the previous one (one per loan, never the last)
    loans = rng.permutation(first_rows)[:k]
    n_pts = a.n_points[a.plan_loan[loans]]
    target = loans + 1 + np.floor(rng.random(loans.size) * (n_pts - 2)).astype(np.int64)
    pos = ed.pick(rng, target, k)
    prev = a.plan_cum[pos - 1]
    lower = np.clip(np.floor(prev * rng.uniform(0.5, 0.98, pos.size)), 1, prev - 1)
    ed.replace("plan_sum_total", pos, cents_text(lower.astype(np.int64)))
    ed.record(pos, FLAG, "plan_step_down")

    # quarantine: an extra, non-positive point before the first real point of a loan
    free_loans = first_rows[~np.isin(first_rows, loans)]
    pos = ed.pick(rng, free_loans, k)
    day = a.plan_day[pos] - rng.integers(1, 6, pos.size)
    value = np.where(rng.random(pos.size) < 0.5, 0, -random_amount_cents(rng, pos.size))
    rows = {
        "order_id": ed.take("order_id", pos),
        "plan_at": ts_text(day * DAY_MS, a.plan_fmt[pos]),
        "plan_sum_total": cents_text(value),
    }
    ed.record(ed.add_rows(rows, pos - 0.5), QUARANTINE, "non_positive_amount")

    # quarantine: exact second copy of a clean point, right after it
    src = ed.pick(rng, np.arange(n, dtype=np.int64), k)
    rows = {c: ed.take(c, src) for c in FEED_COLUMNS["plan"]}
    ed.record(ed.add_rows(rows, src + 0.5), QUARANTINE, "duplicate_key")

    # quarantine: points of orders that do not exist
    day = cfg.end_day - rng.integers(0, 700, k)
    rows = {
        "order_id": int_text(orphan_start + np.arange(k)),
        "plan_at": ts_text(day * DAY_MS, np.where(rng.random(k) < 0.3, 1, 0).astype(np.int8)),
        "plan_sum_total": cents_text(random_amount_cents(rng, k)),
    }
    keys = np.sort(rng.integers(0, n, k)) - 0.5
    ed.record(ed.add_rows(rows, keys), QUARANTINE, "orphan_foreign_key")
    return ed


def dirty_payments(
    cfg: Config, a: FamilyAChunk, cols: dict[str, pa.Array], chunk: int, orphan_start: int
) -> ChunkEdit:
    rng = rng_for(cfg, S_DIRTY_PAYMENTS, chunk)
    ed = ChunkEdit("payments", cols)
    n = ed.n
    if n == 0:
        return ed
    k = n_injections(cfg, n)
    all_rows = np.arange(n, dtype=np.int64)

    # flag: the first payment of a loan dated 1-3 days before disbursal (not the closing one)
    _, first_idx, n_pay = np.unique(a.pay_loan, return_index=True, return_counts=True)
    ok = (n_pay >= 2) & (a.pay_cents[first_idx] < a.total_cents[a.pay_loan[first_idx]])
    pos = ed.pick(rng, first_idx[ok], k)
    put_day = a.put_ms[a.pay_loan[pos]] // DAY_MS
    fmt = pick_formats(rng, pos.size)
    ms = (put_day - rng.integers(1, 4, pos.size)) * DAY_MS + rng.integers(0, DAY_MS, pos.size)
    ed.replace("paid_at", pos, ts_text(truncate_ms(ms, fmt), fmt))
    ed.record(pos, FLAG, "payment_before_disbursal")

    # quarantine: exact copies of clean payments, right after the original
    src = ed.pick(rng, all_rows, k)
    rows = {c: ed.take(c, src) for c in FEED_COLUMNS["payments"]}
    ed.record(ed.add_rows(rows, src + 0.5), QUARANTINE, "exact_duplicate")

    # quarantine: extra rows on real loans at real payment times with a bad amount / date;
    # sources are one random payment per loan so that two extra rows never coincide
    def one_per_loan() -> IntArray:
        perm = rng.permutation(n).astype(np.int64)
        _, first = np.unique(a.pay_loan[perm], return_index=True)
        return np.sort(perm[first])

    src = ed.pick(rng, one_per_loan(), k)
    value = np.where(rng.random(src.size) < 0.5, 0, -random_amount_cents(rng, src.size))
    rows = {
        "order_id": ed.take("order_id", src),
        "paid_at": ed.take("paid_at", src),
        "paid_sum": cents_text(value),
    }
    ed.record(ed.add_rows(rows, src + 0.5), QUARANTINE, "non_positive_amount")

    src = ed.pick(rng, one_per_loan(), k)
    rows = {
        "order_id": ed.take("order_id", src),
        "paid_at": bad_values(rng, BAD_DATES, src.size),
        "paid_sum": ed.take("paid_sum", src),
    }
    ed.record(ed.add_rows(rows, src + 0.5), QUARANTINE, "unparseable_date")

    src = ed.pick(rng, one_per_loan(), k)
    cents = a.pay_cents[src]
    comma = concat_text(int_text(cents // 100), ",", pc.utf8_lpad(int_text(cents % 100), 2, "0"))
    junk = bad_values(rng, BAD_NUMBERS, src.size)
    rows = {
        "order_id": ed.take("order_id", src),
        "paid_at": ed.take("paid_at", src),
        "paid_sum": pc.if_else(pa.array(rng.random(src.size) < 0.5), comma, junk),
    }
    ed.record(ed.add_rows(rows, src + 0.5), QUARANTINE, "unparseable_number")

    # quarantine: payments for orders that do not exist (valid date and amount)
    fmt = pick_formats(rng, k)
    ms = (cfg.end_day - rng.integers(0, 700, k)) * DAY_MS + rng.integers(0, DAY_MS, k)
    rows = {
        "order_id": int_text(orphan_start + np.arange(k)),
        "paid_at": ts_text(truncate_ms(ms, fmt), fmt),
        "paid_sum": cents_text(random_amount_cents(rng, k)),
    }
    keys = np.sort(rng.integers(0, n, k)) - 0.5
    ed.record(ed.add_rows(rows, keys), QUARANTINE, "orphan_foreign_key")
    return ed


# --------------------------------------------------------------------------------------------
# Family B: dim_branch, dim_customer, fact_loans
# --------------------------------------------------------------------------------------------
@dataclass
class Customers:
    """Customer attributes indexed by CustomerID - 1."""

    age: IntArray
    income: IntArray
    employment: IntArray
    gender: IntArray
    name: pa.Array


def n_branches(cfg: Config) -> int:
    return max(10, cfg.family_b_loans // LOANS_PER_EXTRA_BRANCH)


def n_customers(cfg: Config) -> int:
    if cfg.family_b_loans <= 0:
        return 0
    return max(1, round(cfg.family_b_loans * CUSTOMERS_PER_LOAN))


def branch_columns(cfg: Config) -> dict[str, pa.Array]:
    rng = rng_for(cfg, S_BRANCH)
    nb = n_branches(cfg)
    ids = np.arange(1, nb + 1, dtype=np.int64)
    roots = LAST_NAMES + FIRST_NAMES_MALE + FIRST_NAMES_FEMALE
    space = len(CITY_PREFIXES) * len(roots) * len(CITY_SUFFIXES)
    combo = rng.choice(space, size=nb, replace=nb > space)
    pre, rest = np.divmod(combo, len(roots) * len(CITY_SUFFIXES))
    root, suf = np.divmod(rest, len(CITY_SUFFIXES))
    city = concat_text(
        str_pick(CITY_PREFIXES, pre),
        str_pick(roots, root),
        str_pick(CITY_SUFFIXES, suf),
    )
    return {
        "BranchID": int_text(ids),
        "BranchName": concat_text("Branch ", int_text(ids)),
        "City": city,
        "Region": str_pick(US_STATES, rng.integers(0, len(US_STATES), nb)),
    }


def make_customers(cfg: Config) -> Customers:
    rng = rng_for(cfg, S_CUSTOMER)
    nc = n_customers(cfg)
    age = np.clip(np.round(rng.triangular(18, 38, 76, nc)), 18, 75).astype(np.int64)
    u = rng.random(nc)
    # employment mix depends on age: P(Employed, Self-Employed, Unemployed, Retired)
    p_old = np.array([0.14, 0.10, 0.04, 0.72])
    p_mid = np.array([0.60, 0.22, 0.12, 0.06])
    p_young = np.array([0.64, 0.14, 0.22, 0.00])
    probs = np.where((age >= 62)[:, None], p_old, np.where((age >= 30)[:, None], p_mid, p_young))
    employment = (u[:, None] > np.cumsum(probs, axis=1)).sum(axis=1).clip(0, 3).astype(np.int64)
    median = np.array([68_000.0, 74_000.0, 27_000.0, 46_000.0])[employment]
    hump = 1.0 + 0.25 * (1.0 - ((age - 47.0) / 29.0) ** 2)
    noise = np.exp(rng.normal(0.0, 0.38, nc))
    income = np.clip(np.round(median * hump * noise), 20_000, 150_000).astype(np.int64)
    gender = (rng.random(nc) < 0.5).astype(np.int64)  # 0 Male, 1 Female
    mismatch = rng.random(nc) < 0.03
    name_gender = np.where(mismatch, 1 - gender, gender)
    first_m = rng.integers(0, len(FIRST_NAMES_MALE), nc)
    first_f = rng.integers(0, len(FIRST_NAMES_FEMALE), nc)
    last = rng.integers(0, len(LAST_NAMES), nc)
    first = pc.if_else(
        pa.array(name_gender == 1),
        str_pick(FIRST_NAMES_FEMALE, first_f),
        str_pick(FIRST_NAMES_MALE, first_m),
    )
    title_draw = rng.random(nc)
    title = pc.if_else(
        pa.array(title_draw < 0.06),
        pc.if_else(pa.array(name_gender == 1), pa.scalar("Mrs. "), pa.scalar("Mr. ")),
        pc.if_else(pa.array(title_draw < 0.08), pa.scalar("Dr. "), pa.scalar("")),
    )
    name = concat_text(title, first, " ", str_pick(LAST_NAMES, last))
    return Customers(age=age, income=income, employment=employment, gender=gender, name=name)


def customer_columns(c: Customers) -> dict[str, pa.Array]:
    return {
        "CustomerID": int_text(np.arange(1, c.age.size + 1)),
        "Name": c.name,
        "Age": int_text(c.age),
        "Gender": str_pick(("Male", "Female"), c.gender),
        "Income": int_text(c.income),
        "EmploymentStatus": str_pick(EMPLOYMENT, c.employment),
    }


def assign_customers(cfg: Config) -> IntArray:
    """CustomerID of every Family B loan (some customers get none)."""
    rng = rng_for(cfg, S_ASSIGN)
    nc = n_customers(cfg)
    if cfg.family_b_loans <= 0:
        return np.zeros(0, dtype=np.int64)
    # a mild skew: some customers borrow repeatedly
    weight = rng.gamma(4.0, 1.0, nc)
    cdf = np.cumsum(weight) / weight.sum()
    draw = rng.random(cfg.family_b_loans)
    return np.minimum(np.searchsorted(cdf, draw, side="right"), nc - 1).astype(np.int64) + 1


def dirty_customers(cfg: Config, cols: dict[str, pa.Array], assignment: IntArray) -> ChunkEdit:
    rng = rng_for(cfg, S_DIRTY_CUSTOMER)
    ed = ChunkEdit("dim_customer", cols)
    n = ed.n
    if n == 0:
        return ed
    k = n_injections(cfg, n)
    loans_per_customer = np.bincount(assignment, minlength=n + 1)[1:]
    no_loans = np.flatnonzero(loans_per_customer == 0).astype(np.int64)
    pos = ed.pick(rng, no_loans, k)
    ages = np.array([0, 7, 12, 16, 17, 121, 150, 999, -4], dtype=np.int64)
    ed.replace("Age", pos, int_text(ages[rng.integers(0, ages.size, pos.size)]))
    ed.record(pos, QUARANTINE, "out_of_range_value")
    src = ed.pick(rng, np.arange(n, dtype=np.int64), k)
    rows = {c: ed.take(c, src) for c in FEED_COLUMNS["dim_customer"]}
    ed.record(ed.add_rows(rows, after_keys(rng, src, n, 40)), QUARANTINE, "duplicate_key")
    return ed


@dataclass
class FactChunk:
    """Numeric truth for one chunk of Family B loans."""

    loan_id: IntArray
    customer_id: IntArray
    branch_id: IntArray
    amount: IntArray  # cents
    rate_bp: IntArray  # interest rate in hundredths of a percent
    term: IntArray
    start_day: IntArray
    end_day: IntArray
    status: IntArray
    paid: IntArray  # cents
    outstanding: IntArray  # cents


def principal_repaid(
    amount: FloatArray, rate_pct: FloatArray, term: IntArray, months: IntArray
) -> FloatArray:
    """Annuity (amortised) principal repaid after ``months`` payments."""
    r = rate_pct / 1200.0
    k = np.clip(months, 0, term).astype(np.float64)
    growth_k = (1.0 + r) ** k
    payment = amount * r / (1.0 - (1.0 + r) ** (-term.astype(np.float64)))
    balance = amount * growth_k - payment * (growth_k - 1.0) / r
    return np.clip(amount - balance, 0.0, amount)


def fact_chunk(
    cfg: Config, chunk: int, start: int, n: int, customers: Customers, assignment: IntArray
) -> FactChunk:
    rng = rng_for(cfg, S_FACT, chunk)
    end_day = cfg.end_day
    cust = assignment[start : start + n]
    ci = cust - 1
    age, income, emp = customers.age[ci], customers.income[ci], customers.employment[ci]
    unemployed = (emp == 2).astype(np.float64)
    risk = (
        1.2 * unemployed
        + 0.3 * (emp == 1)
        - 0.2 * (emp == 3)
        + 0.8 * (income < 35_000)
        + 0.4 * (income < 60_000)
        - 0.3 * (income >= 100_000)
        + 0.6 * (age < 25)
        + 0.25 * (age < 35)
    )
    branch = rng.integers(1, n_branches(cfg) + 1, n)
    term = rng.choice(TERMS, size=n)
    rate_z = -0.3 + 0.8 * risk + rng.normal(0.0, 1.1, n)
    rate_bp = np.clip(np.round(300 + 1200 / (1.0 + np.exp(-rate_z))), 300, 1500).astype(np.int64)
    size = rng.beta(1.3 + income / 100_000.0, 1.6, n)
    amount = np.round((5_000.0 + 45_000.0 * size) * 100).astype(np.int64)
    first_day = int(add_months(end_day, -FAMILY_B_MONTHS)) + 1
    start_day = rng.integers(first_day, end_day + 1, n)
    end = add_months(start_day, term)
    months = full_months_between(start_day, end_day)

    rate = rate_bp / 100.0
    annual_pd = 1.0 / (1.0 + np.exp(-(-3.3 + risk + 0.12 * (rate - 9.0))))
    exposure = np.minimum(months, term) / 12.0
    p_default = 1.0 - (1.0 - annual_pd) ** exposure
    u_default, u_prepay, u_late, u_behind = (rng.random(n) for _ in range(4))
    lag = rng.integers(1, 5, n)
    stop_frac = rng.random(n)
    behind_frac = rng.uniform(0.6, 0.95, n)

    status = np.full(n, STATUS_IN_PROGRESS, dtype=np.int64)
    paid_months = months.copy()
    defaulted = (months >= 3) & (u_default < p_default)
    matured = ~defaulted & (months >= term)
    prepaid = ~defaulted & ~matured & (u_prepay < 1.0 - 0.93 ** (months / 12.0))
    late_finisher = matured & (u_late < 0.05)
    status[matured | prepaid] = STATUS_PAID
    status[late_finisher] = STATUS_IN_PROGRESS
    paid_months[late_finisher] = term[late_finisher] - lag[late_finisher]
    status[defaulted] = STATUS_DEFAULTED
    stop = np.floor(stop_frac * (np.minimum(months, term) - 1)).astype(np.int64)
    paid_months[defaulted] = stop[defaulted]
    active = ~defaulted & ~matured & ~prepaid
    status[active & (months < 2)] = STATUS_APPROVED
    behind = active & (months >= 2) & (u_behind < 0.25)
    paid_months[behind] = np.maximum(0, months[behind] - lag[behind])

    repaid = principal_repaid(amount.astype(np.float64), rate, term, paid_months)
    repaid = np.where(behind & (u_behind < 0.1), repaid * behind_frac, repaid)
    paid = np.minimum(np.round(repaid).astype(np.int64), amount - 1)
    paid = np.where(status == STATUS_PAID, amount, paid)
    outstanding = amount - paid
    return FactChunk(
        loan_id=start + 1 + np.arange(n, dtype=np.int64),
        customer_id=cust,
        branch_id=branch,
        amount=amount,
        rate_bp=rate_bp,
        term=term,
        start_day=start_day,
        end_day=end,
        status=status,
        paid=paid,
        outstanding=outstanding,
    )


def fact_columns(f: FactChunk) -> dict[str, pa.Array]:
    return {
        "LoanID": int_text(f.loan_id),
        "CustomerID": int_text(f.customer_id),
        "BranchID": int_text(f.branch_id),
        "LoanAmount": cents_text(f.amount),
        "InterestRate": cents_text(f.rate_bp),
        "Term": int_text(f.term),
        "StartDate": day_text(f.start_day),
        "EndDate": day_text(f.end_day),
        "Status": str_pick(STATUSES, f.status),
        "AmountPaid": cents_text(f.paid),
        "OutstandingBalance": cents_text(f.outstanding),
    }


def dirty_facts(cfg: Config, f: FactChunk, cols: dict[str, pa.Array], chunk: int) -> ChunkEdit:
    rng = rng_for(cfg, S_DIRTY_FACT, chunk)
    ed = ChunkEdit("fact_loans", cols)
    n = ed.n
    if n == 0:
        return ed
    k = n_injections(cfg, n)
    rows = np.arange(n, dtype=np.int64)

    def prefer(statuses: tuple[int, ...]) -> IntArray:
        """Rows with one of ``statuses`` first, then any row (for tiny runs)."""
        good = rows[np.isin(f.status, statuses) & ~ed.used]
        if good.size >= k:
            return good
        return rows

    def set_money(column: str, pos: IntArray, cents: IntArray) -> None:
        ed.replace(column, pos, cents_text(cents))

    def set_status(pos: IntArray, status: int) -> None:
        ed.replace("Status", pos, str_pick(STATUSES, np.full(pos.size, status)))

    # ---- quarantine ----
    nc = n_customers(cfg)
    pos = ed.pick(rng, rows, k)
    ed.replace("CustomerID", pos, int_text(nc + 1 + rng.integers(0, 1000, pos.size)))
    ed.record(pos, QUARANTINE, "orphan_foreign_key")

    pos = ed.pick(rng, rows, k)
    set_money("LoanAmount", pos, np.where(rng.random(pos.size) < 0.5, 0, -f.amount[pos]))
    ed.record(pos, QUARANTINE, "non_positive_amount")

    pos = ed.pick(rng, rows, k)
    ed.replace("StartDate", pos, bad_values(rng, BAD_DATES, pos.size))
    ed.record(pos, QUARANTINE, "unparseable_date")

    pos = ed.pick(rng, rows, k)
    ed.replace("EndDate", pos, day_text(f.start_day[pos] - rng.integers(1, 400, pos.size)))
    ed.record(pos, QUARANTINE, "date_out_of_order")

    pos = ed.pick(rng, rows, k)
    ed.replace("Status", pos, bad_values(rng, BAD_STATUSES, pos.size))
    ed.record(pos, QUARANTINE, "invalid_category")

    pos = ed.pick(rng, rows, k)
    negative = -np.maximum(1, np.round(f.amount[pos] * rng.uniform(0.01, 0.2, pos.size)))
    negative = negative.astype(np.int64)
    set_money("AmountPaid", pos, negative)
    set_money("OutstandingBalance", pos, f.amount[pos] - negative)
    ed.record(pos, QUARANTINE, "negative_amount")

    # ---- flags (kept by the warehouse) ----
    pos = ed.pick(rng, prefer((STATUS_PAID,)), k)
    set_status(pos, STATUS_PAID)
    set_money("AmountPaid", pos, f.amount[pos])
    extra = np.maximum(100, np.round(f.amount[pos] * rng.uniform(0.01, 0.3, pos.size)))
    set_money("OutstandingBalance", pos, extra.astype(np.int64))
    ed.record(pos, FLAG, "paid_with_outstanding")

    pos = ed.pick(rng, prefer((STATUS_PAID,)), k)
    set_status(pos, STATUS_PAID)
    short = np.round(f.amount[pos] * rng.uniform(0.2, 0.95, pos.size)).astype(np.int64)
    set_money("AmountPaid", pos, short)
    set_money("OutstandingBalance", pos, np.zeros(pos.size, dtype=np.int64))
    ed.record(pos, FLAG, "paid_below_amount")

    pos = ed.pick(rng, prefer((STATUS_IN_PROGRESS, STATUS_APPROVED)), k)
    keep_status = np.where(f.status[pos] == STATUS_PAID, STATUS_IN_PROGRESS, f.status[pos])
    ed.replace("Status", pos, str_pick(STATUSES, keep_status))
    paid = np.minimum(f.paid[pos], f.amount[pos] // 2)
    delta = np.round(f.amount[pos] * rng.uniform(0.01, 0.2, pos.size)).astype(np.int64)
    delta = np.maximum(delta, 100) * np.where(rng.random(pos.size) < 0.5, -1, 1)
    set_money("AmountPaid", pos, paid)
    set_money("OutstandingBalance", pos, f.amount[pos] - paid + delta)
    ed.record(pos, FLAG, "amounts_do_not_add_up")

    pos = ed.pick(rng, prefer((STATUS_DEFAULTED,)), k)
    set_status(pos, STATUS_DEFAULTED)
    part = np.round(f.amount[pos] * rng.uniform(0.2, 0.9, pos.size)).astype(np.int64)
    set_money("AmountPaid", pos, np.where(f.status[pos] == STATUS_DEFAULTED, f.paid[pos], part))
    set_money("OutstandingBalance", pos, np.zeros(pos.size, dtype=np.int64))
    ed.record(pos, FLAG, "defaulted_zero_outstanding")

    pos = ed.pick(rng, rows, k)
    shift = rng.integers(1, 26, pos.size) * np.where(rng.random(pos.size) < 0.5, -1, 1)
    ed.replace("EndDate", pos, day_text(f.end_day[pos] + shift))
    ed.record(pos, FLAG, "end_date_mismatch")

    pos = ed.pick(rng, prefer((STATUS_DEFAULTED,)), k)
    set_status(pos, STATUS_DEFAULTED)
    over = np.round(f.amount[pos] * rng.uniform(1.01, 1.15, pos.size)).astype(np.int64)
    set_money("AmountPaid", pos, over)
    set_money("OutstandingBalance", pos, f.amount[pos] - over)
    ed.record(pos, FLAG, "negative_outstanding")
    return ed


# --------------------------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------------------------
def chunk_bounds(total: int, size: int) -> list[tuple[int, int]]:
    return [(s, min(size, total - s)) for s in range(0, total, size)]


def generate(cfg: Config, progress: bool = True) -> dict[str, object]:
    """Write the requested feeds and ``_manifest.json`` into ``cfg.out``; return the manifest."""
    cfg.out.mkdir(parents=True, exist_ok=True)
    writers = {feed: FeedWriter(cfg.out, feed, cfg.fmt) for feed in cfg.feeds}
    injected: dict[str, list[Injected]] = {feed: [] for feed in cfg.feeds}
    want_a = any(f in writers for f in FAMILY_A_FEEDS)
    want_b_facts = "fact_loans" in writers
    a_chunks = chunk_bounds(cfg.loans, cfg.chunk_size) if want_a else []
    b_chunks = chunk_bounds(cfg.family_b_loans, cfg.chunk_size) if want_b_facts else []
    total_chunks = len(a_chunks) + len(b_chunks)
    bar = tqdm(
        total=total_chunks,
        desc="chunks",
        unit="chunk",
        disable=not progress or max(len(a_chunks), len(b_chunks)) <= 1,
        file=sys.stderr,
    )

    def emit(feed: str, cols: dict[str, pa.Array], edit: ChunkEdit | None) -> None:
        if edit is not None:
            cols, entries = edit.finish(writers[feed].rows)
            injected[feed].extend(entries)
        writers[feed].write(cols)

    try:
        plan_orphans = PLAN_ORPHAN_ID_START
        payment_orphans = PAYMENT_ORPHAN_ID_START
        for chunk, (start, n) in enumerate(a_chunks):
            a = family_a_chunk(cfg, chunk, start, n)
            if "orders" in writers:
                cols = orders_columns(a)
                emit("orders", cols, dirty_orders(cfg, a, cols, chunk) if cfg.dirty else None)
            if "plan" in writers:
                cols = plan_columns(a)
                edit = dirty_plan(cfg, a, cols, chunk, plan_orphans) if cfg.dirty else None
                if edit is not None and edit.n:
                    plan_orphans += n_injections(cfg, edit.n)
                emit("plan", cols, edit)
            if "payments" in writers:
                cols = payments_columns(a)
                edit = dirty_payments(cfg, a, cols, chunk, payment_orphans) if cfg.dirty else None
                if edit is not None and edit.n:
                    payment_orphans += n_injections(cfg, edit.n)
                emit("payments", cols, edit)
            bar.update(1)

        if "dim_branch" in writers:
            emit("dim_branch", branch_columns(cfg), None)
        if "dim_customer" in writers or want_b_facts:
            customers = make_customers(cfg)
            assignment = assign_customers(cfg)
            if "dim_customer" in writers:
                cols = customer_columns(customers)
                edit = dirty_customers(cfg, cols, assignment) if cfg.dirty else None
                emit("dim_customer", cols, edit)
            for chunk, (start, n) in enumerate(b_chunks):
                f = fact_chunk(cfg, chunk, start, n, customers, assignment)
                cols = fact_columns(f)
                emit("fact_loans", cols, dirty_facts(cfg, f, cols, chunk) if cfg.dirty else None)
                bar.update(1)
    finally:
        bar.close()
        for w in writers.values():
            w.close()

    manifest: dict[str, object] = {
        "generator": GENERATOR,
        "seed": cfg.seed,
        "loans": cfg.loans,
        "family_b_loans": cfg.family_b_loans,
        "end_date": cfg.end_date,
        "dirty": cfg.dirty,
        "format": cfg.fmt,
        "feeds": list(cfg.feeds),
        "chunk_size": cfg.chunk_size,
        "dirty_rate": cfg.dirty_rate if cfg.dirty else 0.0,
        "rows": {feed: writers[feed].rows for feed in cfg.feeds},
        "injected": [e.as_dict() for feed in cfg.feeds for e in injected[feed]],
    }
    write_manifest(cfg.out / "_manifest.json", manifest)
    return manifest


def write_manifest(path: Path, manifest: dict[str, object]) -> None:
    """Pretty JSON with one injected entry per line (compact for large dirty runs)."""
    head = {k: v for k, v in manifest.items() if k != "injected"}
    body = json.dumps(head, indent=2)[:-2]  # drop the closing "\n}"
    entries = manifest["injected"]
    assert isinstance(entries, list)
    lines = ",\n".join("    " + json.dumps(e) for e in entries)
    text = body + ',\n  "injected": [' + ("\n" + lines + "\n  " if lines else "") + "]\n}\n"
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
def parse_feeds(text: str) -> tuple[str, ...]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in names if t not in FEED_COLUMNS]
    if unknown or not names:
        given = ", ".join(unknown) or "(none given)"
        raise argparse.ArgumentTypeError(f"unknown feed(s) {given}; choose from {', '.join(FEEDS)}")
    return tuple(f for f in FEEDS if f in names)  # contract order, no duplicates


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be >= 1")
    return value


def iso_date(text: str) -> str:
    try:
        return str(np.datetime64(text, "D"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from exc


def rate(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 0.05:
        raise argparse.ArgumentTypeError("must be in (0, 0.05]")
    return value


HELP_DESCRIPTION = """\
Write deterministic synthetic raw loan feeds in the warehouse input contract.

  Family A (schedule-based fintech export): orders, plan, payments
  Family B (star schema, like the published Loan Performance data): dim_branch,
           dim_customer, fact_loans

Each feed is written as DIR/<feed>.csv or DIR/<feed>.parquet with exactly the contract
columns, all values as text (empty CSV field / Parquet null = null). The same arguments
and seed give byte-identical files. DIR/_manifest.json (always written) holds the
arguments, the rows per feed and, with --dirty, every injected quirk:
{feed, row_number (1-based, header excluded), key, kind: quarantine|flag, reason}.
"""

HELP_EPILOG = """\
notes:
  * rows are in id order: orders by order_id (= creation order), plan and payments by
    order_id then time, dim_* and fact_loans by id. With --dirty, duplicate rows come
    after their original; orphan rows sit at random places.
  * timestamps mix three ISO-8601 forms: 2022-06-01 | 2022-06-01 00:00:24 |
    2022-06-01 00:00:24.167 (a date means midnight); plan_at is a date or a midnight
    timestamp; money has two decimals.
  * closed_at of a disbursed order is the paid_at of the payment that brought the
    cumulative paid amount to the final plan_sum_total; empty = still open.

examples:
  generate_data.py --out seeds                      # bundled sample: 2000 + 1000 loans
  generate_data.py --out /tmp/raw --dirty           # same data plus known quirks
  generate_data.py --out /tmp/big --loans 1000000 --format parquet
  generate_data.py --out /tmp/a --feeds orders,plan,payments
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="generate_data.py",
        description=HELP_DESCRIPTION,
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="output folder (created if missing)"
    )
    parser.add_argument(
        "--seed", type=non_negative_int, default=42, metavar="N", help="random seed (default 42)"
    )
    parser.add_argument(
        "--loans",
        type=non_negative_int,
        default=2_000,
        metavar="N",
        help="Family A orders, incl. ~9%% never-disbursed applications (default 2000)",
    )
    parser.add_argument(
        "--family-b-loans",
        type=non_negative_int,
        default=None,
        metavar="N",
        help="Family B loans in fact_loans (default LOANS // 2); customers ~ N / 2, "
        "branches max(10, N // 5000)",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("csv", "parquet"),
        default="csv",
        help="file format (default csv; parquet columns are strings)",
    )
    parser.add_argument(
        "--dirty",
        action="store_true",
        help="inject every known quirk into about --dirty-rate of the rows of its feed (at "
        "least one each), one quirk per row, all listed in _manifest.json",
    )
    parser.add_argument(
        "--dirty-rate",
        type=rate,
        default=DEFAULT_DIRTY_RATE,
        metavar="SHARE",
        help=f"share of rows per quirk with --dirty, at most 0.05 (default {DEFAULT_DIRTY_RATE})",
    )
    parser.add_argument(
        "--feeds",
        type=parse_feeds,
        default=FEEDS,
        metavar="LIST",
        help="comma-separated feeds to write (default all): " + ",".join(FEEDS),
    )
    parser.add_argument(
        "--end-date",
        type=iso_date,
        default="2025-06-30",
        metavar="YYYY-MM-DD",
        help="data cut: nothing created, disbursed, paid or closed after it; plan points may be "
        "later (default 2025-06-30)",
    )
    parser.add_argument(
        "--chunk-size",
        type=positive_int,
        default=DEFAULT_CHUNK_SIZE,
        metavar="N",
        help="loans generated per chunk; bounds memory; changing it changes the data "
        f"(default {DEFAULT_CHUNK_SIZE})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary lines")
    return parser


def config_from_args(argv: Sequence[str] | None = None) -> tuple[Config, bool]:
    args = build_parser().parse_args(argv)
    fb = args.loans // 2 if args.family_b_loans is None else args.family_b_loans
    cfg = Config(
        out=args.out,
        seed=args.seed,
        loans=args.loans,
        family_b_loans=fb,
        fmt=args.fmt,
        dirty=args.dirty,
        feeds=args.feeds,
        end_date=args.end_date,
        chunk_size=args.chunk_size,
        dirty_rate=args.dirty_rate,
    )
    return cfg, args.quiet


def main(argv: Sequence[str] | None = None) -> int:
    cfg, quiet = config_from_args(argv)
    began = time.perf_counter()
    other = "parquet" if cfg.fmt == "csv" else "csv"
    manifest = generate(cfg, progress=not quiet)
    if not quiet:
        rows = manifest["rows"]
        assert isinstance(rows, dict)
        for feed, count in rows.items():
            path = cfg.out / f"{feed}.{cfg.fmt}"
            print(f"{feed:<13} {count:>12,} rows -> {path}")
            if (cfg.out / f"{feed}.{other}").exists():
                print(f"  warning: {cfg.out / f'{feed}.{other}'} also exists (not written now)")
        n_inj = len(manifest["injected"])  # type: ignore[arg-type]
        print(
            f"manifest: {cfg.out / '_manifest.json'} ({n_inj:,} injected quirks); "
            f"{time.perf_counter() - began:.1f}s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
