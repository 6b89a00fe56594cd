"""Paths and environment-variable defaults shared by every tool and the dashboard.

One home for them: publish, validate, charts, benchmark and the dashboard read the
warehouse and the published folder from here, so an override (``LOANS_WAREHOUSE``,
``LOANS_PUBLISHED_DIR``) means the same to all of them. Functions, not constants,
so a test that sets an environment variable sees it at once.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
TARGET_DIR = PROJECT_DIR / "target"
SAMPLE_DIR = PROJECT_DIR / "seeds" / "sample"


def warehouse_path() -> Path:
    """The working DuckDB file dbt builds: $LOANS_WAREHOUSE, else warehouse/loans.duckdb."""
    return Path(os.environ.get("LOANS_WAREHOUSE", PROJECT_DIR / "warehouse" / "loans.duckdb"))


def published_dir() -> Path:
    """The published snapshots' folder: $LOANS_PUBLISHED_DIR, else warehouse/published."""
    return Path(os.environ.get("LOANS_PUBLISHED_DIR", PROJECT_DIR / "warehouse" / "published"))


def published_warehouse() -> Path:
    """The current published snapshot's DuckDB file (what BI tools and the dashboard open)."""
    return published_dir() / "loans.duckdb"


def dbt_target_dir() -> Path:
    """dbt's target folder ($DBT_TARGET_PATH as dbt reads it), holding manifest.json."""
    return Path(os.environ.get("DBT_TARGET_PATH", TARGET_DIR))
