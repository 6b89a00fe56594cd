"""Staging: both routes in, nothing silently lost, bad input named clearly.

Expectations come from outside the warehouse: line counts of the files (Python's
csv module / pyarrow), the generator's manifest of what it injected, and the
published data set's known shape.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from conftest import (
    SAMPLE_DIR,
    DbtBuild,
    SinglePortfolioBuilds,
    generate,
    require_published_data,
    run_dbt,
)

FEEDS = ["orders", "plan", "payments", "dim_branch", "dim_customer", "fact_loans"]


def data_rows(folder: Path, feed: str) -> int:
    """Rows in a feed file, counted without the warehouse."""
    parquet = folder / f"{feed}.parquet"
    if parquet.exists():
        return pq.ParquetFile(parquet).metadata.num_rows
    csv_file = folder / f"{feed}.csv"
    if not csv_file.exists():
        return 0
    with csv_file.open(newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def reconciliation(build: DbtBuild) -> dict[str, tuple[int, int, int]]:
    rows = build.query(
        "select source_feed, loaded_rows, staged_rows, quarantined_rows "
        "from intermediate.int_feeds_reconciled"
    )
    return {feed: (loaded, staged, quarantined) for feed, loaded, staged, quarantined in rows}


def quarantined(build: DbtBuild) -> set[tuple[str, int, str]]:
    return set(
        build.query(
            "select source_feed, source_row_number, quarantine_reason "
            "from staging.stg_quarantine__rows"
        )
    )


def injected(manifest: dict[str, Any], kind: str) -> set[tuple[str, int, str]]:
    return {
        (entry["feed"], entry["row_number"], entry["reason"])
        for entry in manifest["injected"]
        if entry["kind"] == kind
    }


def assert_reconciles_with_files(build: DbtBuild, folder: Path) -> None:
    counts = reconciliation(build)
    assert set(counts) == set(FEEDS)
    for feed in FEEDS:
        loaded, staged, quarantined_rows = counts[feed]
        assert loaded == data_rows(folder, feed), feed
        assert loaded == staged + quarantined_rows, feed


# --- the bundled sample ---------------------------------------------------------------


def test_bundled_sample_builds_and_reconciles(sample_build: DbtBuild) -> None:
    assert_reconciles_with_files(sample_build, SAMPLE_DIR)


def test_bundled_sample_quarantine_is_exactly_what_the_generator_injected(
    sample_build: DbtBuild,
) -> None:
    manifest = json.loads((SAMPLE_DIR / "_manifest.json").read_text())
    assert manifest["dirty"], "the bundled sample should be generated with --dirty"
    assert quarantined(sample_build) == injected(manifest, "quarantine")


def test_bundled_sample_is_small_and_sized_as_documented() -> None:
    total = sum(path.stat().st_size for path in SAMPLE_DIR.glob("*.csv"))
    assert total < 5 * 1024 * 1024
    assert 1900 <= data_rows(SAMPLE_DIR, "orders") <= 2100
    assert 1000 <= data_rows(SAMPLE_DIR, "fact_loans") <= 1050


# --- the published Family B data, unchanged, through raw_dir ------------------------------


def test_published_data_stages_every_row(published_build: DbtBuild) -> None:
    counts = reconciliation(published_build)
    assert counts["dim_branch"] == (10, 10, 0)
    assert counts["dim_customer"] == (500, 500, 0)
    assert counts["fact_loans"] == (1000, 1000, 0)
    for feed in ["orders", "plan", "payments"]:
        assert counts[feed] == (0, 0, 0), "absent feeds stage empty"


def test_published_data_keeps_the_published_total_to_the_cent(published_build: DbtBuild) -> None:
    total = published_build.scalar("select sum(principal_amount) from staging.stg_family_b__loans")
    assert str(total) == "27830593.01"


def test_published_data_names_the_feeds_found(published_build: DbtBuild) -> None:
    assert "found dim_branch, dim_customer, fact_loans" in published_build.log
    assert "absent (staged empty): orders, plan, payments" in published_build.log


# --- generated folders through raw_dir ------------------------------------------------


def test_dirty_parquet_folder_quarantines_every_injected_quirk(
    dirty_build: DbtBuild, dirty_feeds: tuple[Path, dict[str, Any]]
) -> None:
    folder, manifest = dirty_feeds
    expected = injected(manifest, "quarantine")
    assert quarantined(dirty_build) == expected
    reasons = {reason for _, _, reason in expected}
    assert reasons >= {
        "duplicate_key",
        "exact_duplicate",
        "orphan_foreign_key",
        "non_positive_amount",
        "unparseable_date",
        "unparseable_number",
        "date_out_of_order",
        "invalid_category",
        "negative_amount",
        "out_of_range_value",
    }
    assert_reconciles_with_files(dirty_build, folder)


def test_quarantine_keeps_the_raw_row(
    dirty_build: DbtBuild, dirty_feeds: tuple[Path, dict[str, Any]]
) -> None:
    _, manifest = dirty_feeds
    entry = next(e for e in manifest["injected"] if e["reason"] == "unparseable_date")
    raw = dirty_build.scalar(
        "select raw_row_json from staging.stg_quarantine__rows "
        "where source_feed = ? and source_row_number = ?",
        [entry["feed"], entry["row_number"]],
    )
    assert str(json.loads(raw)[_key_column(entry["feed"])]) in entry["key"]


def _key_column(feed: str) -> str:
    return {"fact_loans": "LoanID", "dim_customer": "CustomerID", "dim_branch": "BranchID"}.get(
        feed, "order_id"
    )


def test_family_b_only_folder_builds(single_portfolio: SinglePortfolioBuilds) -> None:
    # the session's build of a folder holding only the sample's three Family B feeds
    build = single_portfolio.build("family_b")
    feeds = single_portfolio.raw_dir("family_b")
    assert sorted(path.name for path in feeds.iterdir()) == [
        "dim_branch.csv",
        "dim_customer.csv",
        "fact_loans.csv",
    ]
    counts = reconciliation(build)
    assert counts["orders"] == (0, 0, 0)
    assert counts["fact_loans"][0] == data_rows(feeds, "fact_loans") > 0
    assert "absent (staged empty): orders, plan, payments" in build.log


def test_clean_generated_folder_quarantines_nothing(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    generate(feeds, "--loans", "400", "--seed", "3")
    build = run_dbt(["build", "--exclude", "tag:sample"], tmp_path / "wh", {"raw_dir": str(feeds)})
    assert build.success, build.log[-3000:]
    assert quarantined(build) == set()
    assert_reconciles_with_files(build, feeds)


# --- structurally broken input fails fast and clearly ----------------------------------


def test_missing_required_column_fails_naming_feed_file_and_column(tmp_path: Path) -> None:
    published = require_published_data()
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for name in ["dim_branch.csv", "dim_customer.csv"]:
        shutil.copy(published / name, feeds / name)
    with (published / "fact_loans.csv").open(newline="") as source:
        rows = list(csv.reader(source))
    drop = rows[0].index("AmountPaid")
    with (feeds / "fact_loans.csv").open("w", newline="") as target:
        csv.writer(target).writerows([row[:drop] + row[drop + 1 :] for row in rows])

    build = run_dbt(["build", "--exclude", "tag:sample"], tmp_path / "wh", {"raw_dir": str(feeds)})

    assert not build.success
    message = str(build.result.exception) + build.log
    assert "Feed 'fact_loans'" in message
    assert str(feeds / "fact_loans.csv") in message
    assert "missing required column(s) AmountPaid" in message
    assert "Traceback" not in message


def test_csv_in_another_encoding_stops_the_run_unless_the_encoding_var_names_it(
    tmp_path: Path,
) -> None:
    """A Latin-1 export (Excel on Windows) is not UTF-8: the run stops before any model,
    naming the file and the var; with raw_csv_encoding latin-1 its accented names read
    as written."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for feed in ["dim_branch", "fact_loans"]:
        shutil.copy(SAMPLE_DIR / f"{feed}.csv", feeds / f"{feed}.csv")
    customers = (SAMPLE_DIR / "dim_customer.csv").read_text(encoding="utf-8").splitlines()
    header = customers[0].split(",")
    name_at, id_at = header.index("Name"), header.index("CustomerID")
    first = customers[1].split(",")
    first[name_at] = "Zoë Müller-Ibáñez"
    customers[1] = ",".join(first)
    (feeds / "dim_customer.csv").write_bytes(("\n".join(customers) + "\n").encode("latin-1"))
    models = ["--exclude", "tag:sample", "--select", "base_family_b__dim_customer"]

    stopped = run_dbt(["build", *models], tmp_path / "utf8", {"raw_dir": str(feeds)})
    assert not stopped.success
    message = str(stopped.result.exception) + stopped.log
    assert "not utf-8 encoded" in message
    assert str(feeds / "dim_customer.csv") in message
    assert "Raw CSV feeds read as utf-8 (var raw_csv_encoding" in message
    assert "Traceback" not in message and "OK created" not in message

    built = run_dbt(
        ["run", *models, "stg_family_b__customers"],
        tmp_path / "latin1",
        {"raw_dir": str(feeds), "raw_csv_encoding": "latin-1"},
    )
    assert built.success, built.log[-3000:]
    name = built.scalar(
        "select customer_name from staging.stg_family_b__customers where customer_id = ?",
        [first[id_at]],
    )
    assert name == "Zoë Müller-Ibáñez"
    loaded = built.scalar("select count(*) from staging.base_family_b__dim_customer")
    assert loaded == len(customers) - 1


def test_raw_dir_without_any_feed_is_an_error_not_an_empty_warehouse(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    build = run_dbt(["build", "--exclude", "tag:sample"], tmp_path / "wh", {"raw_dir": str(empty)})
    assert not build.success
    assert "holds none of the feeds" in str(build.result.exception) + build.log


def test_two_files_for_one_feed_is_an_error(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    generate(feeds, "--loans", "50", "--feeds", "orders")
    generate(tmp_path / "other", "--loans", "50", "--feeds", "orders", "--format", "parquet")
    shutil.copy(tmp_path / "other" / "orders.parquet", feeds / "orders.parquet")
    build = run_dbt(["build", "--exclude", "tag:sample"], tmp_path / "wh", {"raw_dir": str(feeds)})
    assert not build.success
    assert "has two files in raw_dir" in str(build.result.exception) + build.log


def test_parquet_rows_are_numbered_in_file_order_even_with_a_file_row_number_column(
    tmp_path: Path,
) -> None:
    """source_row_number of a Parquet feed is its row's place in the file (DuckDB's own
    file_row_number), so the later copy of a repeated key is the one quarantined. A file with
    a column of that name (DuckDB would refuse to add its own) is numbered by the fallback,
    in the same order; the column's values (here reversed) play no part."""
    import pyarrow as pa

    feeds = tmp_path / "feeds"
    generate(feeds, "--loans", "40", "--feeds", "orders", "--format", "parquet")
    table = pq.read_table(feeds / "orders.parquet")
    table = pa.concat_tables([table, table.slice(2, 1)])  # row 3's key again, as row 41
    expected_ids = table.column("order_id").to_pylist()
    for extra_column in (False, True):
        written = table
        if extra_column:
            written = table.append_column(
                "file_row_number", pa.array(range(table.num_rows, 0, -1), pa.int64())
            )
        pq.write_table(written, feeds / "orders.parquet")
        build = run_dbt(
            ["build", "--select", "base_family_a__orders", "--exclude", "tag:sample"],
            tmp_path / f"wh{extra_column}",
            {"raw_dir": str(feeds)},
        )
        assert build.success, build.log[-3000:]
        rows = build.query(
            "select source_row_number, loan_id, quarantine_reason "
            "from staging.base_family_a__orders order by source_row_number"
        )
        assert [row[0] for row in rows] == list(range(1, len(expected_ids) + 1))
        assert [row[1] for row in rows] == [str(key).strip() for key in expected_ids]
        assert [(row[0], row[2]) for row in rows if row[2]] == [(41, "duplicate_key")]
