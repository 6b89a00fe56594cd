"""The input contract, read from the one place it is declared.

The six raw feeds, their columns (in published order), types and keys live in
the var ``feed_contract`` of ``dbt_project.yml``; dbt's feed reader, staging and
docs read it there, and so do the Python tools through this module. The other
vars the tools share with dbt (e.g. plausible_date_range) are read here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_FILE = Path(__file__).resolve().parents[1] / "dbt_project.yml"


@dataclass(frozen=True)
class Feed:
    """One raw feed of the contract."""

    name: str
    family: str
    staging_model: str
    key: tuple[str, ...]
    columns: dict[str, str]  # column name -> contract type (text, integer, decimal, ...)
    accepted_values: dict[str, tuple[str, ...]]


@cache
def project_vars() -> dict[str, Any]:
    """Every var of dbt_project.yml with its default (e.g. plausible_date_range)."""
    return dict(yaml.safe_load(PROJECT_FILE.read_text())["vars"])


@cache
def feeds() -> dict[str, Feed]:
    """All feeds of the contract, in contract order."""
    contract = project_vars()["feed_contract"]
    return {
        name: Feed(
            name=name,
            family=spec["family"],
            staging_model=spec["staging_model"],
            key=tuple(spec["key"]),
            columns=dict(spec["columns"]),
            accepted_values={
                column: tuple(values) for column, values in spec.get("accepted_values", {}).items()
            },
        )
        for name, spec in contract.items()
    }


def feed_columns(name: str) -> tuple[str, ...]:
    """The feed's columns in published order."""
    return tuple(feeds()[name].columns)
