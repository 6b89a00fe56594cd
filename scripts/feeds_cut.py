"""Cut a folder of Family A feeds at an earlier date: the delivery a lender sent a month before.

A monthly run is tested and measured on two deliveries of the same book: this month's feeds and
last month's. The generator's ``--end-date`` cannot make such a pair (it moves the whole 30-month
window, so every loan changes), so last month's delivery is derived from this month's by applying
the generator's cut rules at an earlier date ``--cut`` (inclusive, compared on the first ten
characters of each timestamp, i.e. its date):

* orders: an order created after the cut is dropped; ``put_at`` / ``closed_at`` after the cut are
  emptied (not disbursed / still open at the cut);
* plan: the plan of an order disbursed by the cut is kept whole (plan points may be later, as in
  the generator); other orders have none;
* payments: a payment dated after the cut, or of an order not disbursed by the cut, is dropped.

Rows keep their order and text; the format (csv or parquet, all-text columns) is the source's.
Other files of the folder (Family B feeds, _manifest.json) are not copied: give them to the build
yourself if it needs them (they do not feed the Family A month history).

Usage: python -m scripts.feeds_cut --src DIR --out DIR --cut YYYY-MM-DD
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import duckdb

FEEDS = ("orders", "plan", "payments")


def _find(src: Path, feed: str) -> Path:
    for suffix in (".parquet", ".csv"):
        path = src / f"{feed}{suffix}"
        if path.exists():
            return path
    raise SystemExit(f"feeds_cut: no {feed}.csv or {feed}.parquet in {src}")


def _reader(path: Path) -> str:
    if path.suffix == ".parquet":
        return f"read_parquet('{path}')"
    return f"read_csv('{path}', header = true, all_varchar = true)"


def cut_feeds(src: Path, out: Path, cut: str) -> dict[str, int]:
    """Write src's Family A feeds, cut at date cut (YYYY-MM-DD), into out; return rows per feed."""
    dt.date.fromisoformat(cut)  # a clear error for a malformed date
    out.mkdir(parents=True, exist_ok=True)
    paths = {feed: _find(src, feed) for feed in FEEDS}
    on = f"'{cut}'"
    queries = {
        "orders": f"""
            select
                order_id,
                created_at,
                case when left(put_at, 10) <= {on} then put_at end as put_at,
                case when left(closed_at, 10) <= {on} then closed_at end as closed_at,
                issued_sum
            from {_reader(paths["orders"])}
            where left(created_at, 10) <= {on}
        """,
        "plan": f"""
            select plan.*
            from {_reader(paths["plan"])} as plan
            where plan.order_id in (select order_id from disbursed)
        """,
        "payments": f"""
            select payments.*
            from {_reader(paths["payments"])} as payments
            where
                left(payments.paid_at, 10) <= {on}
                and payments.order_id in (select order_id from disbursed)
        """,
    }
    rows: dict[str, int] = {}
    with duckdb.connect() as con:
        con.execute(
            f"""
            create temp table disbursed as
            select distinct order_id from {_reader(paths["orders"])}
            where left(created_at, 10) <= {on} and left(put_at, 10) <= {on}
            """
        )
        for feed, query in queries.items():
            target = out / paths[feed].name
            options = "format parquet" if target.suffix == ".parquet" else "format csv, header true"
            con.execute(f"copy ({query}) to '{target}' ({options})")
            rows[feed] = con.execute(f"select count(*) from ({query})").fetchone()[0]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, required=True, help="folder of this month's feeds")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    parser.add_argument("--cut", required=True, help="last date kept, YYYY-MM-DD")
    args = parser.parse_args(argv)
    rows = cut_feeds(args.src, args.out, args.cut)
    print(", ".join(f"{feed}: {n} rows" for feed, n in rows.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
