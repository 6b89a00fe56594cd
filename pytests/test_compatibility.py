"""The warehouse file must open in BI tools that embed an older DuckDB (1.1+)."""

from __future__ import annotations

import subprocess
import venv
from pathlib import Path

from conftest import PROJECT_DIR, DbtBuild

OLD_DUCKDB = "duckdb==1.1.3"
OLD_READER_VENV = PROJECT_DIR / ".cache" / "duckdb-1.1"


def old_duckdb_python() -> Path:
    """A throwaway venv with an old duckdb wheel, made once and reused (git-ignored)."""
    python = OLD_READER_VENV / "bin" / "python"
    if not python.exists():
        venv.create(OLD_READER_VENV, with_pip=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", OLD_DUCKDB],
            check=True,
            capture_output=True,
        )
    return python


def read_with_old_duckdb(warehouse: Path, sql: str) -> str:
    script = (
        "import duckdb, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(duckdb.__version__, con.execute(sys.argv[2]).fetchall())\n"
    )
    done = subprocess.run(
        [str(old_duckdb_python()), "-c", script, str(warehouse), sql],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_duckdb_1_1_reader_opens_the_warehouse(sample_build: DbtBuild) -> None:
    expected = sample_build.scalar("select count(*) from staging.stg_family_b__loans")
    output = read_with_old_duckdb(
        sample_build.warehouse, "select count(*) from staging.stg_family_b__loans"
    )
    assert output.startswith("1.1.3 ")
    assert f"[({expected},)]" in output
