"""The same feeds give the same warehouse, to the last bit: every table of a second build of the
bundled sample equals the shared sample build row for row (EXCEPT ALL both ways, so doubles
must be bit-identical, not close).

The second build runs DuckDB on one thread and the shared build on two (the profile's default),
so any aggregate that adds doubles in thread order (avg, corr, a plain sum of a double) shows up
here: before macros exact_sum() and average(), 12 of the 90 tables differed between a one- and
a two-thread build (ECL, LGD, correlations, branch and region KPIs, segment and status averages,
the Brier score). The portability lint forbids the aggregates it
can see by name; this test is the check on the sums it cannot type (sum of a double column).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import DbtBuild, rows_only_in_one, run_dbt

TABLES = """
    select schema_name, table_name
    from duckdb_tables()
    where database_name = ?
    order by all
"""


def differing_tables(first: Path, second: Path) -> dict[str, str]:
    """{schema.table: what differs} over the tables of two warehouse files (both must have it)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{first}' as first_build (read_only)")
        con.execute(f"attach '{second}' as second_build (read_only)")
        tables = {
            name: set(con.execute(TABLES, [name]).fetchall())
            for name in ("first_build", "second_build")
        }
        compared: list[str] = []
        differences = {
            f"{schema}.{table}": "only in one build"
            for schema, table in tables["first_build"] ^ tables["second_build"]
        }
        for schema, table in sorted(tables["first_build"] & tables["second_build"]):
            relations = [f"{build}.{schema}.{table}" for build in ("first_build", "second_build")]
            columns = [
                con.execute(f"select column_name, column_type from (describe {r})").fetchall()
                for r in relations
            ]
            if columns[0] != columns[1]:
                differences[f"{schema}.{table}"] = f"columns {columns[0]} vs {columns[1]}"
                continue
            compared.append(f"{schema}.{table}")
    finally:
        con.close()
    for relation in compared:  # the files are attached again per table, read-only
        _, only_first, only_second, _ = rows_only_in_one(first, second, relation)
        if only_first or only_second:
            differences[relation] = (
                f"{only_first} rows only in the first, {only_second} only in the second"
            )
    return differences


def test_the_comparison_sees_a_last_bit_difference(tmp_path: Path) -> None:
    """differing_tables() itself: a double one ulp apart is a difference, equal tables are not."""
    first, second = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    for path, value in ((first, "cast(0.1 as double) + cast(0.2 as double)"), (second, "0.3")):
        with duckdb.connect(str(path)) as con:
            con.execute("create schema marts")
            con.execute(f"create table marts.r as select 1 as k, cast({value} as double) as x")
            con.execute("create table marts.same as select 1 as k")
    assert differing_tables(first, second) == {
        "marts.r": "1 rows only in the first, 1 only in the second"
    }


def test_a_second_build_on_one_thread_equals_the_sample_build(
    sample_build: DbtBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOANS_DUCKDB_THREADS", "1")
    again = run_dbt(["build", "--exclude-resource-type", "test", "unit_test"], tmp_path)
    assert again.success, again.log[-5000:]
    assert differing_tables(sample_build.warehouse, again.warehouse) == {}
