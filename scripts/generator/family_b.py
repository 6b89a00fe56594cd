"""Family B: dim_branch, dim_customer, fact_loans (star schema, like the published data)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scripts.generator.config import (
    BAD_DATES,
    BAD_STATUSES,
    CUSTOMERS_PER_LOAN,
    EMPLOYMENT,
    FAMILY_B_MONTHS,
    FEED_COLUMNS,
    FLAG,
    LOANS_PER_EXTRA_BRANCH,
    QUARANTINE,
    S_ASSIGN,
    S_BRANCH,
    S_CUSTOMER,
    S_DIRTY_CUSTOMER,
    S_DIRTY_FACT,
    S_FACT,
    STATUS_APPROVED,
    STATUS_DEFAULTED,
    STATUS_IN_PROGRESS,
    STATUS_PAID,
    STATUSES,
    TERMS,
    Config,
    FloatArray,
    IntArray,
    n_injections,
    rng_for,
)
from scripts.generator.dirty import ChunkEdit, after_keys, bad_values
from scripts.generator.text import (
    CITY_PREFIXES,
    CITY_SUFFIXES,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    LAST_NAMES,
    US_STATES,
    add_months,
    cents_text,
    concat_text,
    day_text,
    full_months_between,
    int_text,
    str_pick,
)


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
