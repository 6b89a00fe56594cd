"""`make build`'s steps and their order, read from `make -n` (prints the commands, runs none).

Great Expectations must audit the build before the snapshot is published: a critical finding
(a feed the warehouse cannot read, every row quarantined) then stops make while the dashboard
still shows the last good snapshot (pytests/test_validate.py shows such a feed is critical).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT_DIR

STEPS = {
    "dbt build": "dbt build",
    "validate": "scripts.validate",
    "publish": "scripts.publish",
    "docs": "dbt docs generate",
    "charts": "scripts.charts",
}


def planned_steps(raw_dir: Path) -> list[str]:
    """The steps `make build RAW_DIR=raw_dir` would run, in order (each named once)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    printed = subprocess.run(
        ["make", "-n", "build", f"RAW_DIR={raw_dir}"],
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    order: list[str] = []
    for line in printed:
        for step, marker in STEPS.items():
            if marker in line and step not in order:
                order.append(step)
    return order


def test_make_build_validates_the_build_before_it_publishes_it(tmp_path: Path) -> None:
    assert planned_steps(tmp_path) == ["dbt build", "validate", "publish", "docs", "charts"]
