"""Tests for scripts/generator (the synthetic raw-feed generator, ``python -m scripts.generator``):
determinism, the command line, and the validity of a clean run.

The checks re-derive every property from the written files with plain pandas / DuckDB,
independently of the generator's own bookkeeping (helpers in generator_helpers.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import generator_helpers
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from generator_helpers import (
    CONTRACT,
    END_DATE,
    PROJECT_DIR,
    check_family_a,
    check_family_b,
    cli,
    files,
    num,
    read,
    read_all,
    run,
    ts,
)

# The module-scoped generated folders (pytest fixtures), shared with the other generator tests.
clean = generator_helpers.clean
dirty = generator_helpers.dirty


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
