"""The engine comparison (scripts/compare_engines.py) on hand-made marts: a DuckDB file on one
side, Parquet files laid out as the Spark target writes them on the other. Identical data
matches; a missing row, a changed count, a number off by more than 1e-9 relative, a date typed
as a timestamp and an unbuilt mart are each reported, and float noise within 1e-9 is not."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from scripts.compare_engines import (
    compare,
    feed_rows_from_manifest,
    main,
    marts_from_manifest,
    summary,
)

ROWS = """
    select * from (values
        (1, 'a', 10, 0.1 + 0.2, date '2024-01-31'),
        (2, 'b', 20, 1000000.0, date '2024-02-29'),
        (3, null, 30, null, null)
    ) as t(loan_id, grade, loans_count, ratio, month_end_date)
"""


def _manifest() -> dict:
    def model(name: str) -> dict:
        return {
            "resource_type": "model",
            "name": name,
            "schema": "marts",
            "original_file_path": f"models/marts/x/{name}.sql",
            "config": {"materialized": "table", "enabled": True},
        }

    def unique(model_name: str, column: str) -> dict:
        return {
            "resource_type": "test",
            "attached_node": f"model.p.{model_name}",
            "test_metadata": {"name": "unique", "kwargs": {"column_name": column}},
        }

    nodes = {f"model.p.{n}": model(n) for n in ("fct_same", "fct_changed", "fct_unbuilt")}
    nodes["test.p.u1"] = unique("fct_same", "loan_id")
    nodes["test.p.u2"] = unique("fct_changed", "loan_id")
    nodes["model.p.int_not_a_mart"] = {**model("int_x"), "original_file_path": "models/int/x.sql"}
    return {"nodes": nodes}


def _build(tmp_path: Path, spark_changed_sql: str) -> tuple[Path, Path]:
    duck_file = tmp_path / "loans.duckdb"
    spark_dir = tmp_path / "spark"
    with duckdb.connect(str(duck_file)) as con:
        con.execute("create schema marts")
        for name in ("fct_same", "fct_changed", "fct_unbuilt"):
            con.execute(f"create table marts.{name} as {ROWS}")
        for name, sql in (("fct_same", ROWS), ("fct_changed", spark_changed_sql)):
            folder = spark_dir / "spark-warehouse" / "marts.db" / name
            folder.mkdir(parents=True)
            con.execute(
                f"copy ({sql}) to '{folder.as_posix()}/part-00000.parquet' (format parquet)"
            )
    return duck_file, spark_dir


def test_manifest_gives_the_marts_and_their_grain_keys() -> None:
    marts = {m.name: m.key for m in marts_from_manifest(_manifest())}
    assert marts == {"fct_changed": ("loan_id",), "fct_same": ("loan_id",), "fct_unbuilt": ()}


def test_identical_marts_match_and_float_noise_is_tolerated(tmp_path: Path) -> None:
    # 0.3 instead of 0.1 + 0.2 (5.5e-17 apart): within the tolerance
    noisy = ROWS.replace("0.1 + 0.2", "0.3")
    duck_file, spark_dir = _build(tmp_path, noisy)
    results = {r.mart.name: r for r in compare(duck_file, spark_dir, _manifest())}
    assert results["fct_same"].matches
    assert results["fct_changed"].matches, results["fct_changed"].render()
    assert results["fct_changed"].duckdb_rows == 3


def test_each_kind_of_difference_is_reported(tmp_path: Path) -> None:
    changed = """
        select * from (values
            (1, 'a', 11, 0.1 + 0.2, timestamp '2024-01-31 00:00:00'),
            (2, 'b', 20, 1000000.01, timestamp '2024-02-29 00:00:00'),
            (4, null, 30, null, null)
        ) as t(loan_id, grade, loans_count, ratio, month_end_date)
    """
    duck_file, spark_dir = _build(tmp_path, changed)
    results = {r.mart.name: r for r in compare(duck_file, spark_dir, _manifest())}
    result = results["fct_changed"]
    assert (result.only_duckdb, result.only_spark) == (1, 1)  # loan 3 vs loan 4
    assert set(result.differing) == {"loans_count", "ratio", "month_end_date"}
    assert "1 rows differ" in result.differing["loans_count"]
    assert "type DATE in DuckDB" in result.differing["month_end_date"]
    assert "not built on Spark" in results["fct_unbuilt"].missing
    assert not result.matches


def test_cli_exit_status(tmp_path: Path, capsys) -> None:
    duck_file, spark_dir = _build(tmp_path, ROWS.replace("10,", "12,"))
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(_manifest()))
    args = ["--duckdb", str(duck_file), "--spark-dir", str(spark_dir), "--manifest", str(manifest)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "DIFF  marts.fct_changed" in out and "column loans_count: 1 rows differ" in out


def test_a_mart_disabled_on_spark_is_expected_absent_and_said_so(tmp_path: Path) -> None:
    duck_file, spark_dir = _build(tmp_path, ROWS)
    unbuilt_node = _manifest()["nodes"]["model.p.fct_unbuilt"]
    spark_manifest = {"nodes": {}, "disabled": {"model.p.fct_unbuilt": [unbuilt_node]}}
    results = {r.mart.name: r for r in compare(duck_file, spark_dir, _manifest(), spark_manifest)}
    unbuilt = results["fct_unbuilt"]
    assert unbuilt.matches and unbuilt.expected_absent and not unbuilt.missing
    assert unbuilt.render().startswith("ABSENT marts.fct_unbuilt: expected, not built on Spark")
    assert summary(list(results.values())) == (
        "2 of 2 marts built on both engines match; 1 expected absent on Spark (fct_unbuilt)"
    )
    # disabled on Spark yet built there: a difference, not an expected absence
    results = {r.mart.name: r for r in compare(duck_file, spark_dir, _manifest(), {
        "nodes": {}, "disabled": {"model.p.fct_same": [_manifest()["nodes"]["model.p.fct_same"]]}
    })}  # fmt: skip
    assert not results["fct_same"].matches and "disabled on Spark" in results["fct_same"].missing


def test_duckdb_only_rows_are_counted_and_left_out_only_on_the_duckdb_side(tmp_path: Path) -> None:
    manifest = _manifest()
    manifest["nodes"]["model.p.fct_changed"]["config"]["meta"] = {
        "compare_engines": {"duckdb_only_rows": "loan_id = 3"}
    }
    duck_file, spark_dir = _build(tmp_path, "select * from (" + ROWS + ") where loan_id <> 3")
    result = {r.mart.name: r for r in compare(duck_file, spark_dir, manifest)}["fct_changed"]
    assert result.matches, result.render()
    assert (result.duckdb_only, result.duckdb_rows) == (1, 2)
    assert "1 DuckDB-only rows by design left out (loan_id = 3)" in result.render()
    # a Spark row meeting the DuckDB-only condition is a difference
    (tmp_path / "again").mkdir()
    duck_file, spark_dir = _build(tmp_path / "again", ROWS)
    result = {r.mart.name: r for r in compare(duck_file, spark_dir, manifest)}["fct_changed"]
    assert not result.matches and "1 Spark rows match" in result.differing["(duckdb_only_rows)"]


def test_feed_rows_are_the_base_tables_keyed_by_their_place_in_the_file() -> None:
    def model(name: str, materialized: str) -> dict:
        return {
            "resource_type": "model", "name": name, "schema": "staging",
            "original_file_path": f"models/staging/x/{name}.sql",
            "config": {"materialized": materialized},
        }  # fmt: skip

    manifest = {
        "nodes": {
            "model.p.base_b": model("base_b", "table"),
            "model.p.base_a": model("base_a", "table"),
            "model.p.stg_a": model("stg_a", "table"),
            "model.p.base_view": model("base_view", "view"),
        }
    }
    rows = feed_rows_from_manifest(manifest)
    assert [(m.name, m.schema, m.key) for m in rows] == [
        ("base_a", "staging", ("source_row_number",)),
        ("base_b", "staging", ("source_row_number",)),
    ]
