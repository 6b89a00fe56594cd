"""Tests for scripts/generator (the synthetic raw-feed generator, ``python -m scripts.generator``).

The checks below re-derive every property from the written files with plain pandas / DuckDB,
independently of the generator's own bookkeeping.  The whole module runs in a few seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
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


# ------------------------------------------------------------------------------------------
# determinism, layout, CLI
# ------------------------------------------------------------------------------------------
def test_same_seed_gives_byte_identical_csv(clean: Path, dirty: Path, tmp_path: Path) -> None:
    run(tmp_path / "a")
    run(tmp_path / "b", "--dirty")
    assert files(tmp_path / "a") == files(clean)
    assert files(tmp_path / "b") == files(dirty)


def test_same_seed_gives_byte_identical_parquet_with_csv_content(tmp_path: Path) -> None:
    for name in ("p1", "p2"):
        run(tmp_path / name, "--loans", "600", "--dirty", "--format", "parquet")
    run(tmp_path / "c", "--loans", "600", "--dirty")
    assert files(tmp_path / "p1") == files(tmp_path / "p2")
    for feed, columns in CONTRACT.items():
        table = pq.read_table(tmp_path / "p1" / f"{feed}.parquet")
        assert table.column_names == columns
        frame = table.to_pandas().fillna("").astype(str)
        pd.testing.assert_frame_equal(frame, read(tmp_path / "c", feed), check_dtype=False)


def test_different_seed_differs(clean: Path, tmp_path: Path) -> None:
    run(tmp_path, "--seed", "7")
    other = files(tmp_path)
    mine = files(clean)
    for feed in CONTRACT:
        assert other[f"{feed}.csv"] != mine[f"{feed}.csv"], feed


def test_headers_follow_the_contract(clean: Path) -> None:
    for feed, columns in CONTRACT.items():
        header = (clean / f"{feed}.csv").read_text().splitlines()[0]
        assert header == ",".join(columns), feed
    assert sorted(p.name for p in clean.iterdir()) == sorted(
        [f"{f}.csv" for f in CONTRACT] + ["_manifest.json"]
    )


def test_feeds_subset_writes_only_those_and_same_content(clean: Path, tmp_path: Path) -> None:
    manifest = run(tmp_path, "--feeds", "payments,dim_customer")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "_manifest.json",
        "dim_customer.csv",
        "payments.csv",
    ]
    assert set(manifest["rows"]) == {"payments", "dim_customer"}
    for name in ("payments.csv", "dim_customer.csv"):
        assert (tmp_path / name).read_bytes() == (clean / name).read_bytes()


def test_manifest_shape(clean: Path, dirty: Path) -> None:
    for folder, is_dirty in ((clean, False), (dirty, True)):
        m = json.loads((folder / "_manifest.json").read_text())
        assert m["generator"] == "generate_data.py"  # kept: same bytes as before the split
        assert (m["seed"], m["loans"], m["family_b_loans"]) == (42, 2000, 1000)
        assert (m["end_date"], m["dirty"], m["format"]) == (END_DATE, is_dirty, "csv")
        for feed in CONTRACT:
            assert m["rows"][feed] == len(read(folder, feed)), feed
        assert bool(m["injected"]) == is_dirty


def test_cli_help_and_bad_arguments(tmp_path: Path) -> None:
    done = cli("--help")
    assert done.returncode == 0
    for option in ("--out", "--seed", "--loans", "--family-b-loans", "--format", "--dirty"):
        assert option in done.stdout
    assert "--feeds" in done.stdout and "--end-date" in done.stdout
    bad = cli("--out", str(tmp_path), "--feeds", "orders,nope")
    assert bad.returncode == 2 and "nope" in bad.stderr
    assert not (tmp_path / "orders.csv").exists()


@pytest.mark.parametrize(
    "out", ["seeds", "seeds/", "seeds/raw", "seeds/sample/extra", "seeds/../seeds"]
)
def test_cli_refuses_to_write_into_dbt_seeds(out: str) -> None:
    """Feeds in seeds/ beside seeds/sample would load twice in dbt: refused, nothing written."""
    before = sorted(p.relative_to(PROJECT_DIR) for p in (PROJECT_DIR / "seeds").rglob("*"))
    done = cli("--out", out, "--loans", "10")
    assert done.returncode == 2
    assert "refusing to write into" in done.stderr and "seeds/sample" in done.stderr
    assert "Traceback" not in done.stderr
    after = sorted(p.relative_to(PROJECT_DIR) for p in (PROJECT_DIR / "seeds").rglob("*"))
    assert after == before


def test_cli_allows_seeds_sample_and_folders_outside_seeds() -> None:
    from scripts.generator.__main__ import seeds_folder_problem

    assert seeds_folder_problem(PROJECT_DIR / "seeds" / "sample") is None
    assert seeds_folder_problem(Path("seeds/sample")) is None or Path.cwd() != PROJECT_DIR
    assert seeds_folder_problem(PROJECT_DIR / "seedsx") is None
    assert seeds_folder_problem(PROJECT_DIR / "warehouse" / "raw") is None
    assert seeds_folder_problem(PROJECT_DIR / "seeds" / "reference") is not None


def test_cli_without_the_project_packages_says_how_to_run_it() -> None:
    """Outside the venv pyarrow is missing: one clear line naming the module command, no trace."""
    hide = "import sys, runpy; sys.modules['pyarrow'] = None; "
    done = subprocess.run(
        [sys.executable, "-c", hide + "runpy.run_module('scripts.generator', run_name='__main__')"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "pyarrow" in done.stderr and ".venv/bin/python -m scripts.generator" in done.stderr
    assert "Traceback" not in done.stderr


def test_help_examples_run_as_a_module_and_avoid_the_seeds_folder() -> None:
    done = cli("--help")
    examples = [line for line in done.stdout.splitlines() if line.startswith("  .venv/bin/python")]
    assert len(examples) == 4 and all("-m scripts.generator --out" in line for line in examples)
    assert not any(" --out seeds " in line + " " for line in examples)


def test_cli_prints_one_summary_line_per_feed(tmp_path: Path) -> None:
    done = cli("--out", str(tmp_path), "--loans", "50")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for feed in CONTRACT:
        assert sum(line.startswith(feed + " ") and "rows" in line for line in lines) == 1


# ------------------------------------------------------------------------------------------
# clean mode: nothing the warehouse would quarantine or flag
# ------------------------------------------------------------------------------------------
def test_clean_family_a_is_valid(clean: Path) -> None:
    d = read_all(clean)
    check_family_a(d["orders"], d["plan"], d["payments"])
    ids = d["orders"].order_id.astype(int)
    assert ids.iloc[0] == 100001 and (ids.diff().dropna() == 1).all(), "creation order"
    # creation order by date (a date-only value means midnight, so times within a day may not be)
    assert ts(d["orders"].created_at).dt.normalize().is_monotonic_increasing


def test_clean_family_b_is_valid(clean: Path) -> None:
    d = read_all(clean)
    check_family_b(d["dim_branch"], d["dim_customer"], d["fact_loans"])
    assert len(d["dim_branch"]) == 10 and len(d["dim_customer"]) == 500
    assert (d["fact_loans"].LoanID.astype(int) == np.arange(1, 1001)).all()
    assert (~d["dim_customer"].CustomerID.isin(d["fact_loans"].CustomerID)).any()


def test_clean_checks_with_duckdb(clean: Path) -> None:
    con = duckdb.connect()
    for feed in CONTRACT:
        con.execute(
            f"create view {feed} as select * from read_csv('{clean / feed}.csv', all_varchar=true)"
        )
    problems = con.execute(
        """
        select
          (select count(*) from orders
             where try_cast(created_at as timestamp) is null
                or (put_at is not null and try_cast(put_at as timestamp) is null)
                or try_cast(issued_sum as decimal(18,2)) <= 0),
          (select count(*) from payments p left join orders o using (order_id)
             where o.put_at is null
                or try_cast(p.paid_at as timestamp) < try_cast(o.put_at as timestamp)
                or try_cast(p.paid_sum as decimal(18,2)) <= 0),
          (select count(*) from (select order_id, paid_at, paid_sum from payments
             group by all having count(*) > 1)),
          (select count(*) from fact_loans
             where try_cast(EndDate as date)
                   <> try_cast(StartDate as date) + to_months(try_cast(Term as integer))
                or (Status <> 'Paid' and abs(try_cast(AmountPaid as decimal(18,2))
                    + try_cast(OutstandingBalance as decimal(18,2))
                    - try_cast(LoanAmount as decimal(18,2))) > 0.01)),
          (select count(*) from fact_loans f anti join dim_customer c using (CustomerID))
        """
    ).fetchone()
    assert problems == (0, 0, 0, 0, 0)


def test_behaviour_mix_is_realistic(clean: Path) -> None:
    d = read_all(clean)
    orders, payments, plan = d["orders"], d["payments"], d["plan"]
    disbursed = orders[orders.put_at != ""]
    apps = orders[orders.put_at == ""]
    open_share = (disbursed.closed_at == "").mean()
    assert 0.10 <= open_share <= 0.30, open_share
    assert 0.05 <= len(apps) / len(orders) <= 0.12
    assert (apps.closed_at != "").any(), "some applications were cancelled"

    def formats(s: pd.Series) -> set[int]:
        return set(s[s != ""].str.len())

    assert formats(orders.created_at) == {10, 19, 23}
    assert formats(pd.concat([orders.put_at, orders.closed_at])) == {10, 19, 23}
    assert formats(orders.put_at) == {10, 19, 23}
    assert formats(payments.paid_at) == {10, 19, 23}
    assert formats(plan.plan_at) == {10, 19}
    same_day = payments.assign(day=payments.paid_at.str[:10]).groupby(["order_id", "day"]).size()
    assert (same_day >= 2).groupby(level="order_id").any().sum() >= 20

    # repayment behaviour: on time, behind, overpaid and never-paid loans all exist
    final = plan.assign(v=num(plan.plan_sum_total)).groupby("order_id").v.max()
    paid = payments.assign(v=num(payments.paid_sum)).groupby("order_id").v.sum()
    ratio = (paid.reindex(final.index).fillna(0) / final).to_numpy()
    assert (ratio == 0).mean() > 0.02
    assert (ratio > 1.01).mean() > 0.005
    assert ((ratio > 0) & (ratio < 0.9)).mean() > 0.05
    assert np.isclose(ratio, 1).mean() > 0.5
    points = plan.groupby("order_id").size()
    assert points.min() >= 3 and points.max() <= 12

    fact = d["fact_loans"].merge(d["dim_customer"], on="CustomerID")
    assert set(fact.Status) == {"Paid", "Defaulted", "In Progress", "Approved"}
    default = fact.Status == "Defaulted"
    assert default[fact.EmploymentStatus == "Unemployed"].mean() > default.mean()


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
