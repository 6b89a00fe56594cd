"""The monthly run of the benchmark (python -m scripts.benchmark --monthly).

A lender re-runs the warehouse every month on the same feeds with about one month more rows.
Given this month's feeds (the benchmark's), last month's delivery is derived by cutting them at
the last day of the month before the as-of month (scripts.feeds_cut: Family A cut, the other
feeds linked unchanged). Last month's delivery is built fully into its own warehouse file, then
this month's `dbt build` runs on that file (the same command as the full build: every model
and test), incrementally for the models that are. Its wall time and node seconds are reported
against the benchmark's full build of this month, and its month history is checked equal to the
full build's (EXCEPT ALL both ways).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from scripts.benchmark_stats import Measured, build_times
from scripts.feeds_cut import FEEDS, cut_feeds

MONTH_HISTORY = "intermediate.int_loan_months_snapshotted"
INCREMENTAL_MODELS = ("int_loan_months_snapshotted",)
Build = Callable[..., tuple[Measured, Path]]


def month_before(as_of_date: str) -> str:
    """The last day of the month before as_of_date's month (YYYY-MM-DD)."""
    first = dt.date.fromisoformat(as_of_date[:10]).replace(day=1)
    return (first - dt.timedelta(days=1)).isoformat()


def last_month_feeds(feeds: Path, out: Path, cut: str) -> dict[str, int]:
    """Last month's delivery in out: Family A cut at cut, every other feed file linked."""
    shutil.rmtree(out, ignore_errors=True)
    rows = cut_feeds(feeds, out, cut)
    for path in feeds.iterdir():
        if path.suffix in (".csv", ".parquet") and path.stem not in FEEDS:
            (out / path.name).symlink_to(path)
    return rows


def differing_rows(left: Path, right: Path, relation: str) -> dict[str, int]:
    """Rows of relation in each file, and rows of each not in the other (EXCEPT ALL)."""
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        schema, table = relation.split(".")
        columns = con.execute(
            "select column_name from information_schema.columns where table_catalog = 'l' "
            "and table_schema = ? and table_name = ? order by column_name",
            [schema, table],
        ).fetchall()
        listed = ", ".join(f'"{name}"' for (name,) in columns)

        def count(sql: str) -> int:
            return con.execute(f"select count(*) from ({sql})").fetchone()[0]

        return {
            "rows_full": count(f"select * from l.{relation}"),
            "rows_monthly": count(f"select * from r.{relation}"),
            "only_in_full": count(
                f"select {listed} from l.{relation} except all select {listed} from r.{relation}"
            ),
            "only_in_monthly": count(
                f"select {listed} from r.{relation} except all select {listed} from l.{relation}"
            ),
        }


def _node_seconds(target: Path, models: tuple[str, ...]) -> dict[str, float]:
    """Seconds of the named models in the build whose target folder this is."""
    times = build_times(target, 10_000)
    return {
        row["node"].rsplit(".", 1)[1]: row["seconds"]
        for row in times["slowest"]
        if row["node"].startswith("model.") and row["node"].rsplit(".", 1)[1] in models
    }


def _refresh_line(log_dir: Path) -> str | None:
    log = log_dir / "dbt.log"
    lines = [
        line.split("]: ", 1)[-1]
        for line in (log.read_text().splitlines() if log.exists() else [])
        if "incremental run recomputes" in line
    ]
    return lines[-1] if lines else None


def monthly(
    feeds: Path,
    workdir: Path,
    env: dict[str, str],
    as_of_date: str,
    full: Measured,
    full_target: Path,
    build: Build,
) -> dict[str, Any]:
    """Build last month's delivery, time this month's incremental build on it, compare."""
    cut = month_before(as_of_date)
    previous = workdir / "feeds_last_month"
    print(f"benchmark: monthly run: last month's delivery (cut {cut})", flush=True)
    rows = last_month_feeds(feeds, previous, cut)
    warehouse = workdir / "monthly.duckdb"
    monthly_env = {**env, "LOANS_WAREHOUSE": str(warehouse)}
    first, _ = build(previous, workdir, monthly_env, "duckdb", name="_last_month")
    print("benchmark: monthly run: this month's build on last month's warehouse", flush=True)
    run, target = build(feeds, workdir, monthly_env, "duckdb", name="_monthly", fresh=False)
    run_times = build_times(target, 5)
    full_times = build_times(full_target, 5)
    watched = ("int_loan_months_snapshotted", "fct_loan_month_snapshots")
    return {
        "cut_date": cut,
        "last_month_rows": rows,
        "last_month_build": first.summary(),
        "recomputed": _refresh_line(workdir / "logs_monthly"),
        "full": {
            **full.summary(),
            "execution_seconds": full_times["execution_seconds"],
            "node_seconds": full_times["node_seconds"],
            "models": _node_seconds(full_target, watched),
        },
        "run": {
            **run.summary(),
            "execution_seconds": run_times["execution_seconds"],
            "node_seconds": run_times["node_seconds"],
            "failed": run_times["failed"],
            "slowest": run_times["slowest"],
            "models": _node_seconds(target, watched),
        },
        "wall_ratio": round(run.seconds / full.seconds, 3),
        "node_ratio": round(run_times["node_seconds"] / full_times["node_seconds"], 3)
        if full_times["node_seconds"]
        else None,
        "month_history": differing_rows(Path(env["LOANS_WAREHOUSE"]), warehouse, MONTH_HISTORY),
    }
