"""Family A: orders, plan, payments (schedule based, like a fintech export)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from scripts.generator.config import (
    BAD_DATES,
    BAD_NUMBERS,
    BEHAVIOUR_P,
    CATCH_UP,
    DAY_MS,
    DEFAULTER,
    DELAY_HI,
    DELAY_LO,
    EVERY_30_DAYS,
    FAMILY_A_MONTHS,
    FEED_COLUMNS,
    FLAG,
    FMT_DATE,
    FMT_SECONDS,
    FORTNIGHTLY,
    FREQUENCY_P,
    MONTHLY,
    N_POINTS,
    N_POINTS_P,
    NEVER,
    ORDER_ID_START,
    OVERPAY,
    PARTIAL,
    PAYOFF,
    QUARANTINE,
    S_DIRTY_ORDERS,
    S_DIRTY_PAYMENTS,
    S_DIRTY_PLAN,
    S_FAMILY_A,
    BoolArray,
    Config,
    IntArray,
    n_injections,
    rng_for,
)
from scripts.generator.dirty import ChunkEdit, after_keys, bad_values
from scripts.generator.text import (
    add_months,
    cents_text,
    concat_text,
    int_text,
    pick_formats,
    segment_starts,
    truncate_ms,
    truncate_not_before,
    ts_text,
)


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
