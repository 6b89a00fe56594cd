"""Running scripts.validate in the test process and reading its report back; shared by
test_validate.py, test_validate_marts.py and the session fixture `sample_validation`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

import scripts.validate.__main__ as validate


@dataclass
class Run:
    code: int
    report: dict[str, Any]
    docs: Path

    def target(self, name: str, layer: str = "raw") -> dict[str, Any]:
        (found,) = [t for t in self.report["targets"] if (t["layer"], t["name"]) == (layer, name)]
        return found

    def failures(self, severity: str) -> list[tuple[str, str | None, str, int | None]]:
        return [
            (t["name"], f["column"], f["expectation"], f["unexpected_count"])
            for t in self.report["targets"]
            for f in t["failures"]
            if f["severity"] == severity
        ]


def run_validate(workdir: Path, warehouse: Path, *args: str) -> Run:
    """scripts.validate in this process on warehouse, its report read back from --json."""
    docs, report = workdir / "docs", workdir / "report.json"
    argv = ["--quiet", "--warehouse", str(warehouse), "--docs-dir", str(docs)]
    code = validate.main([*argv, "--json", str(report), *args])
    return Run(code=code, report=json.loads(report.read_text()), docs=docs)


def copy_tables(source: Path, workdir: Path, relations: list[str], *updates: str) -> Path:
    """workdir/loans.duckdb holding the given schema.table copies of source, updates applied."""
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = workdir / "loans.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"attach '{source}' as source (read_only)")
        for relation in relations:
            schema = relation.split(".")[0]
            con.execute(f"create schema if not exists {schema}")
            con.execute(f"create table {relation} as select * from source.{relation}")
        con.execute("detach source")
        for update in updates:
            assert con.execute(update).fetchone()[0] >= 1, update  # the edit changed a row
    return warehouse
