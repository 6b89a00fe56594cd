"""Monthly incremental run of int_loan_months_snapshotted: equal to a full refresh.

Two deliveries of the same book: this month's feeds (generated, end date 2025-06-30) and last
month's (the same feeds cut at 2025-05-31 by scripts.feeds_cut). The warehouse built on last
month's delivery is updated incrementally with this month's and compared, row for row (EXCEPT ALL
both ways, counts equal), with a full build of this month's delivery in another warehouse file.
The run's log line says which month it recomputed from, so each test also pins that month.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import DbtBuild, generate, rows_only_in_one, run_dbt

from scripts.feeds_cut import cut_feeds

THIS_MONTH_END = "2025-06-30"
LAST_MONTH_END = "2025-05-31"
SNAPSHOTS = "intermediate.int_loan_months_snapshotted"
# the repayment marts reading the month history, compared in the first test
MARTS = (
    "marts.fct_loan_month_snapshots",
    "marts.rpt_risk_trend_monthly",
    "marts.rpt_roll_rates",
    "marts.rpt_vintage_curves",
)
CORE = ["+int_loan_months_snapshotted"]
WITH_MARTS = CORE + ["+" + mart.split(".")[1] for mart in MARTS]
NO_TESTS = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


def build(
    workdir: Path, raw_dir: Path, select: list[str], *flags: str, **dbt_vars: object
) -> DbtBuild:
    """dbt build of the selection on raw_dir into workdir/loans.duckdb (own target folder)."""
    name = f"target_{len(list(workdir.glob('target_*')))}" if workdir.exists() else "target_0"
    result = run_dbt(
        ["build", "-s", *select, *NO_TESTS, *flags],
        workdir,
        {"raw_dir": str(raw_dir), **dbt_vars},
        target_name=name,
    )
    return result


def refresh_line(result: DbtBuild) -> str:
    """The model's log line on the months an incremental run recomputes ('' on a full build)."""
    lines = [line for line in result.log.splitlines() if "incremental run recomputes" in line]
    return lines[-1] if lines else ""


def rows_differing_before(left: Path, right: Path, month: str) -> int:
    """Rows of left's month history before month that right does not have."""
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        return con.execute(
            f"select count(*) from (select * from l.{SNAPSHOTS} except all "
            f"select * from r.{SNAPSHOTS}) where reporting_month < cast(? as date)",
            [month],
        ).fetchone()[0]


def assert_equal(left: Path, right: Path, relation: str) -> None:
    count, only_l, only_r, count_r = rows_only_in_one(left, right, relation)
    assert (only_l, only_r, count) == (0, 0, count_r), f"{relation}: {only_l} / {only_r} differ"
    assert count > 0, relation


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("deliveries")
    this_month = root / "this_month"
    generate(
        this_month,
        "--loans",
        "300",
        "--feeds",
        "orders,plan,payments",
        "--end-date",
        THIS_MONTH_END,
        "--quiet",
    )
    last_month = root / "last_month"
    cut_feeds(this_month, last_month, LAST_MONTH_END)
    return {"this": this_month, "last": last_month}


@pytest.fixture(scope="module")
def last_month_build(deliveries: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse built (first build: the table is absent) on last month's delivery."""
    workdir = tmp_path_factory.mktemp("last_month")
    result = build(workdir, deliveries["last"], WITH_MARTS)
    assert result.success, result.log[-3000:]
    assert refresh_line(result) == ""  # a first build is a full build
    return result.warehouse


@pytest.fixture(scope="module")
def full_this_month(deliveries: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This month's delivery built with --full-refresh into its own warehouse file."""
    result = build(
        tmp_path_factory.mktemp("full"), deliveries["this"], WITH_MARTS, "--full-refresh"
    )
    assert result.success, result.log[-3000:]
    assert refresh_line(result) == ""
    return result.warehouse


def updated(last_month_build: Path, workdir: Path) -> Path:
    """workdir holding a copy of the warehouse built on last month's delivery."""
    workdir.mkdir(parents=True)
    shutil.copy(last_month_build, workdir / "loans.duckdb")
    return workdir


def test_monthly_run_recomputes_from_the_last_month_and_equals_a_full_refresh(
    deliveries: dict[str, Path], last_month_build: Path, full_this_month: Path, tmp_path: Path
) -> None:
    workdir = updated(last_month_build, tmp_path / "incremental")
    result = build(workdir, deliveries["this"], WITH_MARTS)
    assert result.success, result.log[-3000:]
    # nothing before May changed: the cut only removed June's events; May's row was the as-of row
    assert "recomputes months from 2025-05-01 " in refresh_line(result), refresh_line(result)
    for relation in (SNAPSHOTS, *MARTS):
        assert_equal(result.warehouse, full_this_month, relation)


def back_dated(this_month: Path, out: Path) -> list[str]:
    """A copy of this month's delivery with one old payment's amount changed and another
    payment removed; returns the two payments' dates."""
    shutil.copytree(this_month, out)
    path = out / "payments.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    changed = next(i for i, row in enumerate(rows) if row["paid_at"].startswith("2024-09"))
    removed = next(i for i, row in enumerate(rows) if row["paid_at"].startswith("2024-11"))
    dates = [rows[changed]["paid_at"][:10], rows[removed]["paid_at"][:10]]
    rows[changed]["paid_sum"] = "1.00"
    del rows[removed]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["order_id", "paid_at", "paid_sum"])
        writer.writeheader()
        writer.writerows(rows)
    return dates


def test_a_back_dated_correction_is_recomputed_from_its_month(
    deliveries: dict[str, Path], last_month_build: Path, full_this_month: Path, tmp_path: Path
) -> None:
    corrected = tmp_path / "corrected"
    dates = back_dated(deliveries["this"], corrected)
    assert min(dates).startswith("2024-09")
    workdir = updated(last_month_build, tmp_path / "incremental")
    result = build(workdir, corrected, CORE)
    assert result.success, result.log[-3000:]
    assert "recomputes months from 2024-09-01 " in refresh_line(result), refresh_line(result)

    full = build(tmp_path / "full", corrected, CORE, "--full-refresh")
    assert full.success, full.log[-3000:]
    assert_equal(result.warehouse, full.warehouse, SNAPSHOTS)
    # the correction changes months the plain monthly run keeps (before May): without the
    # detection of changed inputs, the incremental table would keep the uncorrected rows
    assert rows_differing_before(full.warehouse, full_this_month, "2025-05-01") > 0


def test_a_changed_var_is_caught_through_the_rows_it_changes(
    deliveries: dict[str, Path], last_month_build: Path, full_this_month: Path, tmp_path: Path
) -> None:
    """arrears_tolerance is read upstream (coverage of instalments): its change shows in the
    coverage steps' fingerprints, from the first month it moves a covered date."""
    workdir = updated(last_month_build, tmp_path / "incremental")
    result = build(workdir, deliveries["this"], CORE, arrears_tolerance=40)
    assert result.success, result.log[-3000:]
    line = refresh_line(result)
    # recomputed from well before the latest month (2025-05): covered dates of old instalments move
    start = line.split("recomputes months from ", 1)[1][:10]
    assert start < "2025-01-01", line

    full = build(
        tmp_path / "full", deliveries["this"], CORE, "--full-refresh", arrears_tolerance=40
    )
    assert full.success, full.log[-3000:]
    assert_equal(result.warehouse, full.warehouse, SNAPSHOTS)
    # the var changes months a plain monthly run would keep (before May)
    assert rows_differing_before(full.warehouse, full_this_month, "2025-05-01") > 0


def test_as_of_date_moved_back_recomputes_every_month_and_drops_the_later_ones(
    deliveries: dict[str, Path], last_month_build: Path, tmp_path: Path
) -> None:
    """Replacing months cannot remove one: on DuckDB the post-hook deletes the months after
    the new as-of month (Spark stops with an error asking for --full-refresh instead)."""
    workdir = updated(last_month_build, tmp_path / "incremental")
    result = build(workdir, deliveries["last"], CORE, as_of_date="2025-03-15")
    assert result.success, result.log[-3000:]
    line = refresh_line(result)
    assert "holds months" in line and "every month, the others deleted" in line, line
    assert result.scalar(f"select max(reporting_month) from {SNAPSHOTS}").isoformat() == (
        "2025-03-01"
    )

    full = build(tmp_path / "full", deliveries["last"], CORE, as_of_date="2025-03-15")
    assert full.success, full.log[-3000:]
    assert_equal(result.warehouse, full.warehouse, SNAPSHOTS)


def test_last_months_delivery_is_this_months_cut_a_month_earlier(
    deliveries: dict[str, Path],
) -> None:
    """scripts.feeds_cut, checked row by row with the csv module: what a lender had sent."""

    def rows(folder: Path, feed: str) -> list[dict[str, str]]:
        with (folder / f"{feed}.csv").open(newline="") as handle:
            return list(csv.DictReader(handle))

    def by(date: str) -> bool:
        return date != "" and date[:10] <= LAST_MONTH_END

    this, last = deliveries["this"], deliveries["last"]
    orders = [row for row in rows(this, "orders") if by(row["created_at"])]
    expected_orders = [
        {
            **row,
            "put_at": row["put_at"] if by(row["put_at"]) else "",
            "closed_at": row["closed_at"] if by(row["closed_at"]) else "",
        }
        for row in orders
    ]
    assert rows(last, "orders") == expected_orders
    disbursed = {row["order_id"] for row in expected_orders if row["put_at"]}
    assert rows(last, "plan") == [row for row in rows(this, "plan") if row["order_id"] in disbursed]
    assert rows(last, "payments") == [
        row for row in rows(this, "payments") if row["order_id"] in disbursed and by(row["paid_at"])
    ]
    # a month of events really was cut: payments, closures and orders of June
    assert len(rows(last, "payments")) < len(rows(this, "payments"))
    assert sum(1 for row in expected_orders if row["closed_at"]) < sum(
        1 for row in rows(this, "orders") if row["closed_at"]
    )
