"""Compare every mart of a DuckDB build with the Spark build of the same input.

The DuckDB side is the warehouse file dbt built; the Spark side is read from the Parquet files
of the Spark warehouse (`<spark dir>/spark-warehouse/<schema>.db/<table>/`, the layout of the
`spark` target in profiles.yml), so no Spark session is needed to compare. The marts and their
keys come from dbt's manifest: every enabled SQL model under models/marts materialised as a
table, keyed by its grain test (unique_combination_of_columns, else a `unique` column; a mart
without either is keyed by all its non-numeric columns).

What one engine builds by design and the other does not is stated, never skipped silently:
  - a mart the Spark build's manifest lists as disabled (the learned-model marts: a dbt Python
    model on DuckDB only) is expected absent on Spark: one line each, not a difference (it is a
    difference when it is built on Spark after all);
  - rows only DuckDB can build within a mart built on both are named by the mart's
    `meta: {compare_engines: {duckdb_only_rows: "<SQL condition>"}}` (rpt_pricing_tiers'
    learned-probability deciles): those DuckDB rows are counted on the mart's line and left out
    of the comparison; the same condition must hold for no Spark row.

Per mart: the same row set by key (rows only in one engine are counted), then every other
column row by row:
  - floating point and decimal columns: equal within 1e-9 relative (|a - b| <=
    1e-9 * max(|a|, |b|), with an absolute floor of 1e-12 for values that are zero on one side
    and float noise on the other); null only where the other is null;
  - everything else (counts, dates, text, flags): exactly equal, null where the other is null;
  - a column whose type family differs (a date on one side, a timestamp on the other) is a
    difference of its own.
Prints one line per mart and, for a mart that differs, which columns and an example row.

Usage: python -m scripts.compare_engines --duckdb W.duckdb --spark-dir DIR [--manifest M]
Exit status 1 when any mart differs or is missing on one side.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from scripts.settings import dbt_target_dir

RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_FLOOR = 1e-12
APPROXIMATE_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


@dataclass(frozen=True)
class Mart:
    name: str
    schema: str
    key: tuple[str, ...]  # empty: keyed by every non-numeric column
    duckdb_only_rows: str | None = None  # SQL condition: rows only DuckDB builds, by design


@dataclass
class MartComparison:
    mart: Mart
    duckdb_rows: int = 0
    spark_rows: int = 0
    only_duckdb: int = 0
    only_spark: int = 0
    key: tuple[str, ...] = ()
    differing: dict[str, str] = field(default_factory=dict)  # column -> what differs
    missing: str | None = None
    expected_absent: str | None = None  # why Spark does not build this mart, by design
    duckdb_only: int = 0  # DuckDB rows matching mart.duckdb_only_rows, left out

    @property
    def matches(self) -> bool:
        return not (self.missing or self.only_duckdb or self.only_spark or self.differing)

    def render(self) -> str:
        label = f"{self.mart.schema}.{self.mart.name}"
        if self.missing:
            return f"DIFF  {label}: {self.missing}"
        if self.expected_absent:
            return f"ABSENT {label}: expected, not built on Spark ({self.expected_absent})"
        head = f"{label}: {self.duckdb_rows} rows, key ({', '.join(self.key)})"
        if self.duckdb_only:
            head += (
                f"; {self.duckdb_only} DuckDB-only rows by design left out"
                f" ({self.mart.duckdb_only_rows})"
            )
        if self.matches:
            return f"OK    {head}"
        lines = [f"DIFF  {head}"]
        if self.only_duckdb or self.only_spark:
            lines.append(
                f"        rows by key: {self.only_duckdb} only in DuckDB, "
                f"{self.only_spark} only in Spark (Spark has {self.spark_rows})"
            )
        lines += [f"        column {column}: {what}" for column, what in self.differing.items()]
        return "\n".join(lines)


def _grain_key(test: dict) -> tuple[str, ...] | None:
    metadata = test.get("test_metadata") or {}
    kwargs = metadata.get("kwargs") or {}
    arguments = kwargs.get("arguments") or {}
    if metadata.get("name") == "unique_combination_of_columns":
        columns = kwargs.get("combination_of_columns") or arguments.get("combination_of_columns")
        return tuple(columns) if columns else None
    if metadata.get("name") == "unique" and kwargs.get("column_name"):
        return (kwargs["column_name"],)
    return None


def marts_from_manifest(manifest: dict) -> list[Mart]:
    """The marts (SQL tables under models/marts) with the key of their grain test."""
    keys: dict[str, list[tuple[str, ...]]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("attached_node"):
            key = _grain_key(node)
            if key:
                keys.setdefault(node["attached_node"], []).append(key)
    marts = []
    for unique_id, node in manifest["nodes"].items():
        config = node.get("config", {})
        if (
            node["resource_type"] == "model"
            and node["original_file_path"].startswith("models/marts/")
            and node.get("language", "sql") == "sql"
            and config.get("enabled", True)
            and config.get("materialized") == "table"
        ):
            candidates = keys.get(unique_id, [])
            # a combination key first (it is the declared grain), then the narrowest unique column
            candidates.sort(key=lambda k: (len(k) == 1, k))
            meta = config.get("meta") or node.get("meta") or {}
            marts.append(
                Mart(
                    node["name"],
                    node["schema"],
                    candidates[0] if candidates else (),
                    (meta.get("compare_engines") or {}).get("duckdb_only_rows"),
                )
            )
    return sorted(marts, key=lambda m: (m.schema, m.name))


def disabled_models(manifest: dict, under: str = "models/") -> set[str]:
    """Names of the models a build's manifest lists as disabled (for that build's target),
    of those whose file is under the folder `under` (every model by default)."""
    return {
        node["name"]
        for nodes in (manifest.get("disabled") or {}).values()
        for node in nodes
        if node.get("resource_type") == "model"
        and node.get("original_file_path", "models/").startswith(under)
    }


def spark_table_dir(spark_dir: Path, mart: Mart) -> Path:
    return spark_dir / "spark-warehouse" / f"{mart.schema}.db" / mart.name


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    rows = con.execute(f"describe select * from {relation}").fetchall()
    return {name: column_type for name, column_type, *_ in rows}


def _family(column_type: str) -> str:
    upper = column_type.upper()
    if upper.startswith(APPROXIMATE_TYPES):
        return "approximate"
    if "INT" in upper:
        return "integer"
    if upper.startswith("TIMESTAMP"):
        return "timestamp"
    return upper


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def compare_mart(
    con: duckdb.DuckDBPyConnection, mart: Mart, spark_dir: Path, disabled_on_spark: bool = False
) -> MartComparison:
    result = MartComparison(mart)
    duck = f"duck.{_quote(mart.schema)}.{_quote(mart.name)}"
    table_dir = spark_table_dir(spark_dir, mart)
    try:
        duck_columns = _columns(con, duck)
    except duckdb.Error:
        result.missing = "not in the DuckDB warehouse"
        return result
    built_on_spark = any(table_dir.glob("*.parquet"))
    if disabled_on_spark:
        if built_on_spark:
            result.missing = f"disabled on Spark, yet Parquet files are in {table_dir}"
        else:
            result.expected_absent = "disabled on Spark in the project's config"
        return result
    if not built_on_spark:
        result.missing = f"no Parquet files in {table_dir} (not built on Spark)"
        return result
    spark = f"read_parquet('{table_dir.as_posix()}/*.parquet')"
    if mart.duckdb_only_rows:
        condition = mart.duckdb_only_rows
        result.duckdb_only = con.execute(
            f"select count(*) from {duck} where {condition}"
        ).fetchone()[0]
        spark_violations = con.execute(
            f"select count(*) from {spark} where {condition}"
        ).fetchone()[0]
        if spark_violations:
            result.differing["(duckdb_only_rows)"] = (
                f"{spark_violations} Spark rows match the DuckDB-only condition {condition}"
            )
        duck = f"(select * from {duck} where not coalesce({condition}, false))"
    spark_columns = _columns(con, spark)
    if set(duck_columns) != set(spark_columns):
        only_d = sorted(set(duck_columns) - set(spark_columns))
        only_s = sorted(set(spark_columns) - set(duck_columns))
        result.missing = f"columns differ: only in DuckDB {only_d}, only in Spark {only_s}"
        return result
    families = {c: (_family(duck_columns[c]), _family(spark_columns[c])) for c in duck_columns}
    approximate = {c for c, pair in families.items() if "approximate" in pair}
    key = mart.key or tuple(c for c in duck_columns if c not in approximate)
    result.key = key
    # A running number within each key makes repeated keys (only possible for a mart keyed by
    # all its non-numeric columns) comparable one to one.
    order = ", ".join(_quote(c) for c in duck_columns)
    partition = ", ".join(_quote(c) for c in key)

    def numbered(relation: str) -> str:
        return (
            f"select *, row_number() over (partition by {partition} order by {order}) "
            f"as compare_row_number from {relation}"
        )

    con.execute(f"create or replace temp view d as {numbered(duck)}")
    con.execute(f"create or replace temp view s as {numbered(spark)}")
    on = " and ".join(
        f"d.{_quote(c)} is not distinct from s.{_quote(c)}" for c in (*key, "compare_row_number")
    )
    con.execute(
        "create or replace temp table joined as select "
        + ", ".join(
            [
                "d.compare_row_number is not null as in_duckdb",
                "s.compare_row_number is not null as in_spark",
            ]
            + [f"d.{_quote(c)} as {_quote('d_' + c)}" for c in duck_columns]
            + [f"s.{_quote(c)} as {_quote('s_' + c)}" for c in duck_columns]
        )
        + f" from d full outer join s on {on}"
    )
    result.duckdb_rows, result.spark_rows, result.only_duckdb, result.only_spark = con.execute(
        "select count(*) filter (in_duckdb), count(*) filter (in_spark), "
        "count(*) filter (in_duckdb and not in_spark), "
        "count(*) filter (in_spark and not in_duckdb) "
        "from joined"
    ).fetchone()
    for column in duck_columns:
        if column in key:
            continue
        d, s = _quote("d_" + column), _quote("s_" + column)
        if column in approximate:
            same = (
                f"({d} is null and {s} is null) or abs(cast({d} as double) - cast({s} as double))"
                f" <= greatest({RELATIVE_TOLERANCE} * greatest(abs(cast({d} as double)),"
                f" abs(cast({s} as double))), {ABSOLUTE_FLOOR})"
            )
        else:
            same = f"{d} is not distinct from {s}"
        example = con.execute(
            f"select count(*), any_value({d}), any_value({s}) from joined "
            f"where in_duckdb and in_spark and not coalesce({same}, false)"
        ).fetchone()
        notes = []
        duck_family, spark_family = families[column]
        if duck_family != spark_family and column not in approximate:
            notes.append(f"type {duck_columns[column]} in DuckDB, {spark_columns[column]} in Spark")
        if example[0]:
            notes.append(
                f"{example[0]} rows differ (e.g. DuckDB {example[1]!r}, Spark {example[2]!r})"
            )
        if notes:
            result.differing[column] = "; ".join(notes)
    return result


def feed_rows_from_manifest(manifest: dict) -> list[Mart]:
    """The feed base models (base_<feed>, tables): every raw row of a feed with its parsed
    values and quarantine outcome, keyed by the row's place in the file (source_row_number)."""
    return sorted(
        (
            Mart(node["name"], node["schema"], ("source_row_number",))
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model"
            and node["name"].startswith("base_")
            and node.get("config", {}).get("materialized") == "table"
        ),
        key=lambda m: m.name,
    )


def compare(
    duckdb_file: Path,
    spark_dir: Path,
    manifest: dict,
    spark_manifest: dict | None = None,
    relations: list[Mart] | None = None,
) -> list[MartComparison]:
    """Every mart of the DuckDB build's manifest (or the given relations); spark_manifest
    (the Spark build's) tells which are disabled on Spark by design."""
    disabled = disabled_models(spark_manifest) if spark_manifest else set()
    con = duckdb.connect()
    try:
        con.execute(f"attach '{duckdb_file.as_posix()}' as duck (read_only)")
        return [
            compare_mart(con, mart, spark_dir, mart.name in disabled)
            for mart in (marts_from_manifest(manifest) if relations is None else relations)
        ]
    finally:
        con.close()


def summary(results: list[MartComparison]) -> str:
    """'N of M marts match (K expected absent on Spark: ...); differing: ...'."""
    absent = [r.mart.name for r in results if r.expected_absent]
    differing = [r.mart.name for r in results if not r.matches]
    compared = len(results) - len(absent)
    return (
        f"{compared - len(differing)} of {compared} marts built on both engines match"
        + (f"; {len(absent)} expected absent on Spark ({', '.join(absent)})" if absent else "")
        + (f"; differing: {', '.join(differing)}" if differing else "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="the DuckDB warehouse file")
    parser.add_argument("--spark-dir", type=Path, required=True, help="the Spark target's folder")
    parser.add_argument("--manifest", type=Path, default=None, help="dbt manifest.json")
    parser.add_argument(
        "--spark-manifest", type=Path, default=None,
        help="the Spark build's manifest.json: its disabled marts are expected absent",
    )  # fmt: skip
    parser.add_argument("--report", type=Path, default=None, help="also write a JSON report")
    args = parser.parse_args(argv)
    manifest_path = args.manifest or dbt_target_dir() / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    spark_manifest = (
        json.loads(args.spark_manifest.read_text(encoding="utf-8")) if args.spark_manifest else None
    )
    results = compare(args.duckdb, args.spark_dir, manifest, spark_manifest)
    for result in results:
        print(result.render())
    differing = [r.mart.name for r in results if not r.matches]
    if args.report:
        args.report.write_text(
            json.dumps(
                {
                    r.mart.name: {
                        "matches": r.matches,
                        "rows": r.duckdb_rows,
                        "key": list(r.key),
                        "missing": r.missing,
                        "expected_absent": r.expected_absent,
                        "duckdb_only_rows_left_out": r.duckdb_only,
                        "rows_only_in_duckdb": r.only_duckdb,
                        "rows_only_in_spark": r.only_spark,
                        "differing_columns": r.differing,
                    }
                    for r in results
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    print(f"compare_engines: {summary(results)}")
    return 1 if differing or not results else 0


if __name__ == "__main__":
    sys.exit(main())
