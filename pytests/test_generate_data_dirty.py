"""Tests of the generator's --dirty mode: every manifest entry is a real quirk of the written
files, every quarantine reason occurs, and nothing else is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import generator_helpers
import pandas as pd
from generator_helpers import (
    ALL_REASONS,
    CONTRACT,
    check_family_a,
    check_family_b,
    read,
    read_all,
    run,
    ts,
    ts_or_nat,
    unparseable_number,
    unparseable_ts,
)

# The module-scoped generated folders (pytest fixtures), shared with the other generator tests.
clean = generator_helpers.clean
dirty = generator_helpers.dirty


# ------------------------------------------------------------------------------------------
# dirty mode: every manifest entry is real, every reason occurs, nothing else is wrong
# ------------------------------------------------------------------------------------------
class Context:
    """Look-ups computed once per folder for the per-entry checks."""

    def __init__(self, d: dict[str, pd.DataFrame]) -> None:
        self.d = d
        orders, plan, payments = d["orders"], d["plan"], d["payments"]
        first_orders = orders[~orders.order_id.duplicated()]
        self.order_ids = set(orders.order_id)
        self.put = pd.Series(ts_or_nat(first_orders.put_at).to_numpy(), index=first_orders.order_id)
        self.family_a_children = set(plan.order_id) | set(payments.order_id)
        self.orders_later_copy = orders.order_id.duplicated(keep="first").to_numpy()
        plan_key = pd.DataFrame({"o": plan.order_id, "d": plan.plan_at.str[:10]})
        self.plan_later_copy = plan_key.duplicated(keep="first").to_numpy()
        self.plan_date_shared = plan_key.duplicated(keep=False).to_numpy()
        values = pd.to_numeric(plan.plan_sum_total, errors="coerce")
        self.plan_previous = values.groupby(plan.order_id).shift().to_numpy()
        self.payment_later_copy = payments.duplicated(keep="first").to_numpy()
        self.customer_ids = set(d["dim_customer"].CustomerID)
        self.customer_later_copy = d["dim_customer"].CustomerID.duplicated(keep="first").to_numpy()
        self.borrowers = set(d["fact_loans"].CustomerID)


def check_entry(ctx: Context, e: dict) -> None:
    feed, reason = e["feed"], e["reason"]
    i = e["row_number"] - 1
    row = ctx.d[feed].iloc[i]
    if feed == "plan" and e["kind"] == "quarantine":
        assert e["key"] == f"{row.order_id}|{row.plan_at}"
    else:
        assert e["key"] == row[CONTRACT[feed][0]]
    put = ctx.put

    if feed == "orders":
        if reason == "duplicate_key":
            assert ctx.orders_later_copy[i]
            assert not unparseable_ts(row.created_at) and float(row.issued_sum) > 0
        elif reason == "non_positive_amount":
            assert float(row.issued_sum) <= 0 and row.put_at == ""
        elif reason == "unparseable_date":
            assert unparseable_ts(row.created_at) and row.put_at == ""
        elif reason == "date_out_of_order":
            assert ts(pd.Series([row.closed_at]))[0] < ts(pd.Series([row.created_at]))[0]
            assert row.closed_at[:10] < row.created_at[:10] and row.put_at == ""
        else:
            raise AssertionError(reason)
        if reason != "duplicate_key":
            assert row.order_id not in ctx.family_a_children
            assert not ctx.orders_later_copy[i]
    elif feed == "plan":
        value = float(row.plan_sum_total)
        if reason == "duplicate_key":
            assert ctx.plan_later_copy[i] and value > 0
        elif reason == "orphan_foreign_key":
            assert row.order_id not in ctx.order_ids and value > 0
            assert not unparseable_ts(row.plan_at) and not ctx.plan_date_shared[i]
        elif reason == "non_positive_amount":
            assert value <= 0 and pd.notna(put[row.order_id])
            assert not ctx.plan_date_shared[i], "its date is not otherwise in the plan"
        elif reason == "plan_step_down":
            assert 0 < value < ctx.plan_previous[i]
        else:
            raise AssertionError(reason)
    elif feed == "payments":
        if reason == "exact_duplicate":
            assert ctx.payment_later_copy[i]
        elif reason == "orphan_foreign_key":
            assert row.order_id not in ctx.order_ids
            assert not unparseable_ts(row.paid_at) and float(row.paid_sum) > 0
        elif reason == "non_positive_amount":
            assert float(row.paid_sum) <= 0 and not unparseable_ts(row.paid_at)
            assert ts(pd.Series([row.paid_at]))[0] >= put[row.order_id]
        elif reason == "unparseable_date":
            assert unparseable_ts(row.paid_at) and float(row.paid_sum) > 0
            assert pd.notna(put[row.order_id])
        elif reason == "unparseable_number":
            assert unparseable_number(row.paid_sum) and not unparseable_ts(row.paid_at)
            assert pd.notna(put[row.order_id])
        elif reason == "payment_before_disbursal":
            paid_at = ts(pd.Series([row.paid_at]))[0]
            assert paid_at < put[row.order_id] and float(row.paid_sum) > 0
            assert paid_at.normalize() < put[row.order_id].normalize()
        else:
            raise AssertionError(reason)
        if reason != "exact_duplicate":
            assert not ctx.payment_later_copy[i]
    elif feed == "dim_customer":
        if reason == "duplicate_key":
            assert ctx.customer_later_copy[i]
            assert 18 <= int(row.Age) <= 120
        elif reason == "out_of_range_value":
            assert not 18 <= int(row.Age) <= 120
            assert row.CustomerID not in ctx.borrowers
        else:
            raise AssertionError(reason)
    elif feed == "fact_loans":
        amount, paid, out = (
            float(row.LoanAmount),
            float(row.AmountPaid),
            float(row.OutstandingBalance),
        )
        valid_status = row.Status in {"Paid", "Defaulted", "In Progress", "Approved"}
        if reason == "orphan_foreign_key":
            assert row.CustomerID not in ctx.customer_ids
        elif reason == "non_positive_amount":
            assert amount <= 0
        elif reason == "unparseable_date":
            assert unparseable_ts(row.StartDate)
        elif reason == "date_out_of_order":
            assert row.EndDate < row.StartDate
        elif reason == "invalid_category":
            assert not valid_status
        elif reason == "negative_amount":
            assert paid < 0
        elif reason == "paid_with_outstanding":
            assert row.Status == "Paid" and out > 0
        elif reason == "paid_below_amount":
            assert row.Status == "Paid" and paid < amount and out == 0
        elif reason == "amounts_do_not_add_up":
            assert row.Status != "Paid" and abs(paid + out - amount) > 0.01
        elif reason == "defaulted_zero_outstanding":
            assert row.Status == "Defaulted" and out == 0
        elif reason == "end_date_mismatch":
            start = pd.Timestamp(row.StartDate)
            assert pd.Timestamp(row.EndDate) != start + pd.DateOffset(months=int(row.Term))
            assert row.EndDate > row.StartDate
        elif reason == "negative_outstanding":
            assert out < 0
        else:
            raise AssertionError(reason)
        # a quarantined row has no second reason; a flagged row is otherwise loadable
        if reason != "orphan_foreign_key":
            assert row.CustomerID in ctx.customer_ids
        if reason != "non_positive_amount":
            assert amount > 0
        if reason != "unparseable_date":
            assert not unparseable_ts(row.StartDate) and not unparseable_ts(row.EndDate)
        if reason != "invalid_category":
            assert valid_status
        if reason != "negative_amount":
            assert paid >= 0
    else:
        raise AssertionError(feed)


def check_dirty_folder(folder: Path, expect_all_reasons: bool) -> None:
    manifest = json.loads((folder / "_manifest.json").read_text())
    assert manifest["dirty"] is True
    d = read_all(folder)
    entries = manifest["injected"]
    seen = {(e["feed"], e["kind"], e["reason"]) for e in entries}
    assert seen <= ALL_REASONS
    if expect_all_reasons:
        assert seen == ALL_REASONS, ALL_REASONS - seen
    for feed in CONTRACT:
        numbers = [e["row_number"] for e in entries if e["feed"] == feed]
        assert len(numbers) == len(set(numbers)), f"{feed}: quirks share a row"
        assert all(1 <= n <= len(d[feed]) for n in numbers)
    ctx = Context(d)
    for e in entries:
        check_entry(ctx, e)

    # every row NOT in the manifest is clean: the warehouse must find nothing else
    rest = {}
    for feed, frame in d.items():
        listed = {e["row_number"] - 1 for e in entries if e["feed"] == feed}
        rest[feed] = frame[~frame.index.isin(listed)].reset_index(drop=True)
    check_family_a(rest["orders"], rest["plan"], rest["payments"], closure=False)
    check_family_b(rest["dim_branch"], rest["dim_customer"], rest["fact_loans"])
    # duplicates point at originals that stay valid (and are not themselves listed)
    for e in entries:
        if e["reason"] in ("duplicate_key", "exact_duplicate") and e["feed"] != "plan":
            assert e["key"] in set(rest[e["feed"]][CONTRACT[e["feed"]][0]])


def test_dirty_manifest_entries_are_real_and_cover_every_reason(dirty: Path) -> None:
    check_dirty_folder(dirty, expect_all_reasons=True)
    manifest = json.loads((dirty / "_manifest.json").read_text())
    share = len(manifest["injected"]) / sum(manifest["rows"].values())
    assert share < 0.05, "quirks stay rare"


def test_dirty_across_several_chunks(tmp_path: Path) -> None:
    manifest = run(tmp_path, "--dirty", "--loans", "900", "--chunk-size", "250", "--seed", "3")
    check_dirty_folder(tmp_path, expect_all_reasons=True)
    orders_rows = [e["row_number"] for e in manifest["injected"] if e["feed"] == "orders"]
    assert max(orders_rows) > 500, "quirks in later chunks get file-wide row numbers"


def test_clean_run_across_several_chunks_is_valid(tmp_path: Path) -> None:
    run(tmp_path, "--loans", "900", "--chunk-size", "200", "--seed", "5")
    d = read_all(tmp_path)
    check_family_a(d["orders"], d["plan"], d["payments"])
    check_family_b(d["dim_branch"], d["dim_customer"], d["fact_loans"])
    assert d["orders"].order_id.astype(int).is_monotonic_increasing


def test_tiny_dirty_run_still_has_each_quirk(tmp_path: Path) -> None:
    run(tmp_path, "--dirty", "--loans", "120")
    check_dirty_folder(tmp_path, expect_all_reasons=True)


def test_dirty_only_adds_or_edits_listed_rows(clean: Path, dirty: Path) -> None:
    """Dirty = clean + the manifest's rows: every other row is byte-for-byte the clean row."""
    manifest = json.loads((dirty / "_manifest.json").read_text())
    for feed in CONTRACT:
        c, d = read(clean, feed), read(dirty, feed)
        listed = {e["row_number"] - 1 for e in manifest["injected"] if e["feed"] == feed}
        kept = d[~d.index.isin(listed)]
        clean_rows = set(map(tuple, c.to_numpy()))
        assert all(tuple(r) in clean_rows for r in kept.to_numpy()), feed
        assert len(d) - len(c) <= len(listed)
