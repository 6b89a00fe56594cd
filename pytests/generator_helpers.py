"""Shared pieces of the generator tests: the contract as the tests read it, file readers,
the independent validity checks of each family, and the two module-scoped runs (clean, dirty).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scripts.generator.__main__ import main as generator_main

PROJECT_DIR = Path(__file__).resolve().parents[1]
MODULE = ["-m", "scripts.generator"]  # run from the repository root (cwd=PROJECT_DIR)
END_DATE = "2025-06-30"

CONTRACT = {
    "orders": ["order_id", "created_at", "put_at", "closed_at", "issued_sum"],
    "plan": ["order_id", "plan_at", "plan_sum_total"],
    "payments": ["order_id", "paid_at", "paid_sum"],
    "dim_branch": ["BranchID", "BranchName", "City", "Region"],
    "dim_customer": ["CustomerID", "Name", "Age", "Gender", "Income", "EmploymentStatus"],
    "fact_loans": [
        "LoanID",
        "CustomerID",
        "BranchID",
        "LoanAmount",
        "InterestRate",
        "Term",
        "StartDate",
        "EndDate",
        "Status",
        "AmountPaid",
        "OutstandingBalance",
    ],
}
ALL_REASONS = {
    ("orders", "quarantine", "duplicate_key"),
    ("orders", "quarantine", "non_positive_amount"),
    ("orders", "quarantine", "unparseable_date"),
    ("orders", "quarantine", "date_out_of_order"),
    ("plan", "quarantine", "duplicate_key"),
    ("plan", "quarantine", "orphan_foreign_key"),
    ("plan", "quarantine", "non_positive_amount"),
    ("plan", "flag", "plan_step_down"),
    ("payments", "quarantine", "exact_duplicate"),
    ("payments", "quarantine", "orphan_foreign_key"),
    ("payments", "quarantine", "non_positive_amount"),
    ("payments", "quarantine", "unparseable_date"),
    ("payments", "quarantine", "unparseable_number"),
    ("payments", "flag", "payment_before_disbursal"),
    ("dim_customer", "quarantine", "duplicate_key"),
    ("dim_customer", "quarantine", "out_of_range_value"),
    ("fact_loans", "quarantine", "orphan_foreign_key"),
    ("fact_loans", "quarantine", "non_positive_amount"),
    ("fact_loans", "quarantine", "unparseable_date"),
    ("fact_loans", "quarantine", "date_out_of_order"),
    ("fact_loans", "quarantine", "invalid_category"),
    ("fact_loans", "quarantine", "negative_amount"),
    ("fact_loans", "flag", "paid_with_outstanding"),
    ("fact_loans", "flag", "paid_below_amount"),
    ("fact_loans", "flag", "amounts_do_not_add_up"),
    ("fact_loans", "flag", "defaulted_zero_outstanding"),
    ("fact_loans", "flag", "end_date_mismatch"),
    ("fact_loans", "flag", "negative_outstanding"),
}
MONEY = r"^-?\d+\.\d{2}$"


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------
def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The generator as a user runs it: a module, from the repository root."""
    return subprocess.run(
        [sys.executable, *MODULE, *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def run(out: Path, *args: str) -> dict:
    assert generator_main(["--out", str(out), "--quiet", *args]) == 0
    return json.loads((out / "_manifest.json").read_text())


def read(folder: Path, feed: str) -> pd.DataFrame:
    """A feed exactly as text: empty string for an empty field."""
    return pd.read_csv(folder / f"{feed}.csv", dtype=str, keep_default_na=False)


def read_all(folder: Path) -> dict[str, pd.DataFrame]:
    return {feed: read(folder, feed) for feed in CONTRACT}


def ts(s: pd.Series) -> pd.Series:
    """Parse timestamps strictly (raises on any bad value); empty -> NaT."""
    return pd.to_datetime(s.replace("", None), format="ISO8601")


def ts_or_nat(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.replace("", None), format="ISO8601", errors="coerce")


def num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="raise")


def unparseable_ts(value: str) -> bool:
    pandas_bad = pd.isna(pd.to_datetime(pd.Series([value]), format="ISO8601", errors="coerce")[0])
    duck = duckdb.execute("select try_cast(? as timestamp)", [value]).fetchone()
    return pandas_bad and duck is not None and duck[0] is None


def unparseable_number(value: str) -> bool:
    pandas_bad = pd.isna(pd.to_numeric(pd.Series([value]), errors="coerce")[0])
    duck = duckdb.execute("select try_cast(? as decimal(18, 2))", [value]).fetchone()
    return pandas_bad and duck is not None and duck[0] is None


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def add_months(start: pd.Series, months: pd.Series) -> pd.Series:
    return pd.Series(
        [d + pd.DateOffset(months=int(m)) for d, m in zip(start, months, strict=True)],
        index=start.index,
    )


# ------------------------------------------------------------------------------------------
# independent validity checks (a clean folder must pass all of them)
# ------------------------------------------------------------------------------------------
def check_family_a(
    orders: pd.DataFrame, plan: pd.DataFrame, payments: pd.DataFrame, closure: bool = True
) -> None:
    end = pd.Timestamp(END_DATE)
    # orders
    assert orders.order_id.str.fullmatch(r"\d+").all()
    assert orders.order_id.is_unique
    created, put, closed = ts(orders.created_at), ts(orders.put_at), ts(orders.closed_at)
    assert created.notna().all()
    assert (created.dt.normalize() <= end).all()
    assert (put.dropna() >= created[put.notna()]).all()
    assert (closed.dropna() >= created[closed.notna()]).all()
    assert (put.dropna().dt.normalize() <= end).all()
    assert (closed.dropna().dt.normalize() <= end).all()
    assert orders.issued_sum.str.fullmatch(MONEY).all()
    assert (num(orders.issued_sum) > 0).all()
    put_by_id = pd.Series(put.to_numpy(), index=orders.order_id)
    disbursed_ids = set(orders.order_id[put.notna()])

    # plan
    assert plan.plan_sum_total.str.fullmatch(MONEY).all()
    plan_at = ts(plan.plan_at)
    assert (plan_at == plan_at.dt.normalize()).all(), "plan points are dates / midnight"
    values = num(plan.plan_sum_total)
    assert (values > 0).all()
    assert set(plan.order_id) <= disbursed_ids, "plan only for disbursed orders"
    assert not pd.DataFrame({"o": plan.order_id, "d": plan_at.dt.date}).duplicated().any()
    frame = pd.DataFrame({"o": plan.order_id, "d": plan_at, "v": values})
    by_date = frame.sort_values(["o", "d"], kind="stable")
    assert (by_date.groupby("o").v.diff().dropna() > 0).all(), "cumulative plan increases"
    assert (frame.groupby("o").v.diff().dropna() > 0).all(), "and is written in date order"
    assert (plan_at > put_by_id[plan.order_id].to_numpy()).all()

    # payments
    assert payments.paid_sum.str.fullmatch(MONEY).all()
    paid_at = ts(payments.paid_at)
    amounts = num(payments.paid_sum)
    assert (amounts > 0).all()
    assert not payments.duplicated().any(), "no exact duplicate payment rows"
    assert set(payments.order_id) <= disbursed_ids, "payments only on disbursed orders"
    assert (paid_at >= put_by_id[payments.order_id].to_numpy()).all(), "no payment before put_at"
    assert (paid_at.dt.normalize() <= end).all()

    if closure:
        # closed_at is the moment cumulative payments reach the final plan total
        final = frame.groupby("o").v.max()
        pay = pd.DataFrame({"o": payments.order_id, "t": paid_at, "v": amounts})
        pay = pay.sort_values(["o", "t"], kind="stable")
        pay["cum"] = pay.groupby("o").v.cumsum()
        pay["final"] = final.reindex(pay.o).to_numpy()
        reached = pay[pay.cum >= pay.final - 0.005].groupby("o").t.min()
        closed_by_id = pd.Series(closed.to_numpy(), index=orders.order_id)
        disbursed = orders.order_id[put.notna()]
        expected = reached.reindex(disbursed)
        actual = closed_by_id[disbursed]
        assert (expected.isna().to_numpy() == actual.isna().to_numpy()).all()
        assert (expected.dropna().to_numpy() == actual.dropna().to_numpy()).all()


def check_family_b(branch: pd.DataFrame, customer: pd.DataFrame, fact: pd.DataFrame) -> None:
    end = pd.Timestamp(END_DATE)
    assert branch.BranchID.is_unique and customer.CustomerID.is_unique and fact.LoanID.is_unique
    assert (branch.BranchName == "Branch " + branch.BranchID).all()
    age, income = num(customer.Age), num(customer.Income)
    assert age.between(18, 75).all() and income.between(20_000, 150_000).all()
    assert customer.Income.str.fullmatch(r"\d+").all()
    assert set(customer.Gender) <= {"Male", "Female"}
    assert set(customer.EmploymentStatus) <= {"Employed", "Self-Employed", "Unemployed", "Retired"}
    assert set(fact.CustomerID) <= set(customer.CustomerID)
    assert set(fact.BranchID) <= set(branch.BranchID)
    for col in ("LoanAmount", "InterestRate", "AmountPaid", "OutstandingBalance"):
        assert fact[col].str.fullmatch(MONEY).all(), col
    amount, paid, out = num(fact.LoanAmount), num(fact.AmountPaid), num(fact.OutstandingBalance)
    rate = num(fact.InterestRate)
    assert amount.between(5_000, 50_000).all() and rate.between(3, 15).all()
    assert (paid >= 0).all() and (out >= 0).all()
    assert set(fact.Term) <= {"12", "24", "36", "48", "60"}
    assert set(fact.Status) <= {"Paid", "Defaulted", "In Progress", "Approved"}
    start, stop = ts(fact.StartDate), ts(fact.EndDate)
    assert (start <= end).all() and (start > end - pd.DateOffset(years=3)).all()
    assert (stop == add_months(start, num(fact.Term))).all(), "EndDate = StartDate + Term months"
    is_paid = fact.Status == "Paid"
    assert ((paid == amount) & (out == 0))[is_paid].all()
    assert ((paid + out - amount).abs() <= 0.005)[~is_paid].all()
    assert (out > 0)[fact.Status == "Defaulted"].all()


# ------------------------------------------------------------------------------------------
# fixtures: one clean and one dirty 2,000-loan CSV run shared by the tests
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    run(out)
    return out


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dirty")
    run(out, "--dirty")
    return out
