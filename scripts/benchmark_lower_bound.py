"""A hand-written DuckDB script computing the warehouse's core Family A results.

The lower bound the dbt build is compared with (benchmarks/README.md): from the
same generated feed files (orders, plan, payments; Parquet or CSV of text cells),
in one DuckDB database with the same settings as the build, it computes

- every disbursed loan's state at every month-end up to as_of_date (the as-of
  month at as_of_date): planned and paid to date, days past due, DPD bucket,
  outstanding, active / closed;
- the monthly trend: active loans, outstanding, PAR30 and PAR90;
- roll-rate counts between consecutive snapshots (states = buckets + closed);
- the per-loan as-of metrics (state at as_of_date and worst DPD so far).

It applies the warehouse's definitions (docs/metrics.md: coverage first in
first out within arrears_tolerance, DPD from the first uncovered instalment,
buckets current / 1-30 / 31-60 / 61-90 / 90+), but none of its data-quality
work (no quarantine, no duplicate rules, no tests): generated feeds are clean,
so on them it gives the same figures, which `compare_with_warehouse` checks.

Example: python -m scripts.benchmark_lower_bound --feeds /tmp/loans-benchmark/feeds
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

FEEDS = ("orders", "plan", "payments")


@dataclass
class LowerBound:
    """What the script computed, and how long each step took."""

    as_of_date: str
    seconds: float
    step_seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def feed_relation(feeds_dir: Path, feed: str) -> str:
    """The DuckDB table function reading one feed file, whichever format it has."""
    parquet, csv = feeds_dir / f"{feed}.parquet", feeds_dir / f"{feed}.csv"
    if parquet.exists():
        return f"read_parquet('{parquet}')"
    if csv.exists():
        return f"read_csv('{csv}', all_varchar = true, header = true)"
    raise SystemExit(f"lower bound: no {feed}.parquet or {feed}.csv in {feeds_dir}")


def steps(
    feeds_dir: Path, as_of_date: str | None, arrears_tolerance: float
) -> list[tuple[str, str]]:
    """The script: (table name, select) in order, each step reading the previous ones."""
    orders, plan, payments = (feed_relation(feeds_dir, feed) for feed in FEEDS)
    as_of = (
        f"date '{as_of_date}'"
        if as_of_date
        else "(select max(d) from (select max(disbursed_date) as d from loans "
        "union all select max(closed_date) from loans "
        "union all select max(paid_date) from payment_days))"
    )
    bucket = (
        "case when days_past_due <= 0 then 'current' when days_past_due <= 30 then '1-30' "
        "when days_past_due <= 60 then '31-60' when days_past_due <= 90 then '61-90' "
        "else '90+' end"
    )
    return [
        (
            "loans",
            f"""select trim(order_id) as loan_id,
                cast(cast(trim(put_at) as timestamp) as date) as disbursed_date,
                cast(cast(nullif(trim(closed_at), '') as timestamp) as date) as closed_date,
                cast(trim(issued_sum) as decimal(18, 2)) as principal_amount
            from {orders} where nullif(trim(put_at), '') is not null""",
        ),
        (
            "instalments",
            f"""select loan_id, planned_date,
                row_number() over (partition by loan_id order by planned_date) as instalment_number,
                max(amount) over (partition by loan_id order by planned_date
                    rows between unbounded preceding and current row) as scheduled_cumulative_amount
            from (select trim(order_id) as loan_id,
                    cast(cast(trim(plan_at) as timestamp) as date) as planned_date,
                    cast(trim(plan_sum_total) as decimal(18, 2)) as amount
                from {plan})""",
        ),
        (
            "payment_days",
            f"""select loan_id, paid_date,
                sum(paid_amount) over (partition by loan_id order by paid_date
                    rows between unbounded preceding and current row) as cumulative_paid_amount
            from (select trim(order_id) as loan_id,
                    cast(cast(trim(paid_at) as timestamp) as date) as paid_date,
                    sum(cast(trim(paid_sum) as decimal(18, 2))) as paid_amount
                from {payments} group by all)""",
        ),
        ("as_of", f"select {as_of} as as_of_date"),
        (
            # the day each instalment was covered (first in first out) and, per
            # instalment, the first uncovered due date once it is covered
            "coverage",
            f"""select loan_id, covered_date, instalment_number as covered_count,
                lead(planned_date) over (partition by loan_id order by instalment_number)
                    as first_uncovered_date
            from (select i.loan_id, i.instalment_number, i.planned_date,
                    case when i.scheduled_cumulative_amount - {arrears_tolerance} <= 0
                        then least(first_planned, coalesce(p.paid_date, first_planned))
                        else p.paid_date end as covered_date
                from (select *, min(planned_date) over (partition by loan_id) as first_planned
                    from instalments) as i
                asof left join payment_days as p
                    on i.loan_id = p.loan_id
                    and i.scheduled_cumulative_amount - {arrears_tolerance}
                        <= p.cumulative_paid_amount)
            qualify covered_date is not null
                and coalesce(covered_date < lead(covered_date)
                    over (partition by loan_id order by instalment_number), true)""",
        ),
        (
            "loan_months",
            f"""with months as (
                select cast(m as date) as reporting_month,
                    least(last_day(cast(m as date)), as_of.as_of_date) as snapshot_date
                from as_of, (select unnest(generate_series(
                    date_trunc('month', (select min(disbursed_date) from loans)),
                    date_trunc('month', (select as_of_date from as_of)), interval 1 month)) as m)
            ),
            schedules as (select loan_id, min(planned_date) as first_planned_date,
                    max(scheduled_cumulative_amount) as scheduled_total_amount
                from instalments group by loan_id),
            states as (
                select l.loan_id, m.reporting_month, m.snapshot_date, l.principal_amount,
                    coalesce(l.closed_date <= m.snapshot_date, false) as is_closed,
                    coalesce(i.scheduled_cumulative_amount, 0) as planned_to_date_amount,
                    coalesce(p.cumulative_paid_amount, 0) as paid_to_date_amount,
                    case when c.loan_id is null then f.first_planned_date
                        else c.first_uncovered_date end as first_uncovered_date,
                    coalesce(f.scheduled_total_amount, 0) as scheduled_total_amount
                from loans as l
                inner join months as m on l.disbursed_date <= m.snapshot_date
                left join schedules as f on l.loan_id = f.loan_id
                asof left join instalments as i
                    on l.loan_id = i.loan_id and m.snapshot_date >= i.planned_date
                asof left join payment_days as p
                    on l.loan_id = p.loan_id and m.snapshot_date >= p.paid_date
                asof left join coverage as c
                    on l.loan_id = c.loan_id and m.snapshot_date >= c.covered_date
            ),
            aged as (
                select *,
                    case when not is_closed and first_uncovered_date <= snapshot_date
                        then date_diff('day', first_uncovered_date, snapshot_date) else 0 end
                        as days_past_due
                from states
            )
            select *, {bucket} as dpd_bucket,
                case when is_closed then 'closed' else {bucket} end as roll_state,
                case when is_closed then 0
                    else greatest(scheduled_total_amount - paid_to_date_amount, 0)
                end as outstanding_amount
            from aged""",
        ),
        (
            "trend",
            """select reporting_month,
                count(*) filter (where not is_closed) as active_loans,
                coalesce(sum(outstanding_amount), 0) as outstanding_amount,
                coalesce(sum(outstanding_amount) filter (where days_past_due > 30), 0)
                    / nullif(sum(outstanding_amount), 0) as par_30,
                coalesce(sum(outstanding_amount) filter (where days_past_due > 90), 0)
                    / nullif(sum(outstanding_amount), 0) as par_90
            from loan_months group by reporting_month""",
        ),
        (
            "roll_rates",
            """select reporting_month, from_state, roll_state as to_state, count(*) as loans
            from (select reporting_month, roll_state,
                    lag(roll_state) over (partition by loan_id order by reporting_month)
                        as from_state
                from loan_months)
            where from_state is not null group by all""",
        ),
        (
            "loans_as_of",
            """select loan_id,
                arg_max(roll_state, reporting_month) as state,
                arg_max(days_past_due, reporting_month) as days_past_due,
                arg_max(outstanding_amount, reporting_month) as outstanding_amount,
                arg_max(paid_to_date_amount, reporting_month) as paid_to_date_amount,
                arg_max(planned_to_date_amount, reporting_month) as planned_to_date_amount,
                max(days_past_due) as worst_days_past_due
            from loan_months group by loan_id""",
        ),
    ]


def run(
    feeds_dir: Path,
    database: Path,
    as_of_date: str | None = None,
    arrears_tolerance: float = 1.0,
    settings: dict[str, str] | None = None,
) -> LowerBound:
    """Run the script into a fresh database file (as the build writes one) and time it."""
    database.unlink(missing_ok=True)
    con = duckdb.connect(str(database), config=settings or {})
    step_seconds: dict[str, float] = {}
    started = time.perf_counter()
    for name, select in steps(feeds_dir, as_of_date, arrears_tolerance):
        step_started = time.perf_counter()
        con.execute(f"create table {name} as {select}")
        step_seconds[name] = round(time.perf_counter() - step_started, 2)
    seconds = time.perf_counter() - started
    rows = {
        name: con.execute(f"select count(*) from {name}").fetchall()[0][0]
        for name in ("loans", "loan_months", "trend", "roll_rates", "loans_as_of")
    }
    as_of = str(con.execute("select as_of_date from as_of").fetchall()[0][0])
    con.close()
    return LowerBound(as_of, round(seconds, 2), step_seconds, rows)


def compare_with_warehouse(
    lower_bound_db: Path, warehouse: Path, settings: dict[str, str] | None = None
) -> dict[str, int]:
    """Rows on which the script and the warehouse disagree (0 everywhere = same results)."""
    con = duckdb.connect(str(lower_bound_db), read_only=True, config=settings or {})
    con.execute(f"attach '{warehouse}' as wh (read_only)")
    checks = {
        "loan_months": """
            select loan_id, reporting_month, days_past_due, dpd_bucket, planned_to_date_amount,
                paid_to_date_amount, outstanding_amount, is_closed from loan_months""",
        "loan_months_warehouse": """
            select loan_id, reporting_month, days_past_due, dpd_bucket, planned_to_date_amount,
                paid_to_date_amount, outstanding_amount, is_closed
            from wh.intermediate.int_loan_months_snapshotted""",
        "trend": """select reporting_month, active_loans, round(par_30, 9), round(par_90, 9)
            from trend""",
        "trend_warehouse": """select reporting_month, active_loans, round(par_30, 9),
                round(par_90, 9)
            from wh.marts.rpt_risk_trend_monthly""",
        "roll_rates": "select reporting_month, from_state, to_state, loans from roll_rates",
        "roll_rates_warehouse": """select reporting_month, from_state, to_state, loans
            from wh.marts.rpt_roll_rates""",
    }
    differences = {}
    for name in ("loan_months", "trend", "roll_rates"):
        mine, theirs = checks[name], checks[f"{name}_warehouse"]
        differences[name] = con.execute(
            f"select count(*) from (({mine}) except all ({theirs})) "
            f"union all select count(*) from (({theirs}) except all ({mine}))"
        ).fetchall()
        differences[name] = sum(row[0] for row in differences[name])
    con.close()
    return differences


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=Path, required=True, help="folder of generated feeds")
    parser.add_argument(
        "--database", type=Path, default=Path("/tmp/loans-lower-bound.duckdb"), help="scratch file"
    )
    parser.add_argument("--as-of-date", help="YYYY-MM-DD (default: the latest event date)")
    parser.add_argument(
        "--arrears-tolerance", type=float, default=1.0, help="as the dbt var (1.00)"
    )
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB memory_limit (2GB)")
    parser.add_argument("--threads", default="2", help="DuckDB threads (2)")
    parser.add_argument("--compare", type=Path, help="a warehouse built from the same feeds")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the result as JSON")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    settings = {
        "memory_limit": args.memory_limit,
        "threads": args.threads,
        "preserve_insertion_order": "false",
    }
    result = run(args.feeds, args.database, args.as_of_date, args.arrears_tolerance, settings)
    report: dict[str, object] = {**result.__dict__}
    if args.compare:
        report["differences"] = compare_with_warehouse(args.database, args.compare, settings)
    text = json.dumps(report, indent=2, default=str)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
