"""The build reads instants in UTC, whatever the machine's time zone.

DuckDB's session time zone defaults to the machine's, and a Parquet TIMESTAMP WITH TIME ZONE
cell reaches staging through its text in that zone: on a machine in Tokyo a payment made at
23:30 UTC on 31 January read as 08:30 on 1 February, another month. The profile pins the
session time zone to UTC (as the Spark profile does). dbt runs in a child process here, so the
machine's zone (env TZ) is set before DuckDB starts.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import PROJECT_DIR

ORDERS = (
    "select 'L1' as order_id, '2024-01-01 10:00:00' as created_at, "
    "'2024-01-02 10:00:00' as put_at, null::varchar as closed_at, '1000.00' as issued_sum"
)
PAYMENTS = (
    "select 'L1' as order_id, timestamptz '2024-01-31 23:30:00+00' as paid_at, '100.00' as paid_sum"
)


def test_a_parquet_timestamp_with_time_zone_is_read_in_utc_on_a_machine_in_tokyo(
    tmp_path: Path,
) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    with duckdb.connect() as con:
        for feed, select in {"orders": ORDERS, "payments": PAYMENTS}.items():
            con.execute(f"copy ({select}) to '{feeds / feed}.parquet' (format parquet)")
    warehouse = tmp_path / "loans.duckdb"
    command = [
        str(Path(sys.executable).parent / "dbt"), "run", "-s", "base_family_a__orders",
        "base_family_a__payments", "--vars", f'{{"raw_dir": "{feeds}"}}',
        "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
    ]  # fmt: skip
    environment = {**os.environ, "TZ": "Asia/Tokyo", "LOANS_WAREHOUSE": str(warehouse)}
    run = subprocess.run(command, env=environment, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        paid_at = con.execute(
            "select paid_at, quarantine_reason from staging.base_family_a__payments"
        ).fetchall()
    assert paid_at == [(dt.datetime(2024, 1, 31, 23, 30), None)]
