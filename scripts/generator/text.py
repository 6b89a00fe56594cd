"""Text building blocks: fake names and places, and vectorised helpers that turn numbers into
the contract's text cells (ISO timestamps, dates, money with two decimals).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from scripts.generator.config import DAY_MS, FMT_DATE, FMT_SECONDS, TS_FORMAT_P, BoolArray, IntArray

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
