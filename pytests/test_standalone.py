"""The repository stands on its own: no file sends the reader outside it.

Someone who cloned only this repository has no ``../shared`` folder beside it and
none of the team's spec files (METRICS.md, CONTRACT.md, STYLE.md, DESIGN.md). The
project's own reference is docs/metrics.md, docs/input_contract.md and
docs/architecture.md. The one allowed exception: tests may read the real published
data set from ``../shared/datasets/`` (and skip with a clear reason when it is
absent).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT_DIR

# A path into the folder beside the repository, with the part after it (if any).
SHARED_PATH = re.compile(r"\.\./shared(?P<rest>/[\w.*-]*)?")
# The team's spec files, which are not part of the repository (docs/metrics.md is).
SPEC_FILE = re.compile(r"(?<![\w/])(?:METRICS|CONTRACT|STYLE|DESIGN)\.md\b")
THIS_FILE = Path(__file__).resolve().relative_to(PROJECT_DIR).as_posix()


def tracked_text_files() -> list[Path]:
    if shutil.which("git") is None or not (PROJECT_DIR / ".git").exists():
        pytest.skip("not a git checkout: the tracked files cannot be listed")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, check=True, text=True
    ).stdout
    return [Path(name) for name in listed.split("\0") if name]


def is_data_set_reference(path: Path, line: str) -> bool:
    """A test reading the published data set, and naming only that folder of ../shared."""
    if path.parts[0] != "pytests" or SPEC_FILE.search(line):
        return False
    rests = [match.group("rest") for match in SHARED_PATH.finditer(line)]
    return all(rest in (None, "/") or rest.startswith("/datasets") for rest in rests)


def outside_references() -> dict[str, list[str]]:
    """file -> its lines that refer the reader outside the repository."""
    found: dict[str, list[str]] = {}
    for path in tracked_text_files():
        if path.as_posix() == THIS_FILE:
            continue
        try:
            text = (PROJECT_DIR / path).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary files (images) and files deleted in the work tree
        for number, line in enumerate(text.splitlines(), start=1):
            if not (SHARED_PATH.search(line) or SPEC_FILE.search(line)):
                continue
            if is_data_set_reference(path, line):
                continue
            found.setdefault(path.as_posix(), []).append(f"{number}: {line.strip()[:120]}")
    return found


def test_the_checker_tells_allowed_from_outside_references() -> None:
    data_set = Path("pytests/conftest.py")
    assert is_data_set_reference(data_set, 'DATA = "../shared/datasets/loan_performance"')
    assert is_data_set_reference(data_set, "skip: the data set lives in ../shared/")
    assert not is_data_set_reference(data_set, "see ../shared/METRICS.md")
    assert not is_data_set_reference(data_set, "the rules of METRICS.md")
    assert not is_data_set_reference(Path("README.md"), "../shared/datasets/loan_performance")
    assert SPEC_FILE.search("as CONTRACT.md says")
    assert not SPEC_FILE.search("see docs/metrics.md")


def test_no_file_refers_outside_the_repository() -> None:
    found = outside_references()
    report = "\n".join(
        f"  {path}\n" + "\n".join(f"      line {line}" for line in lines)
        for path, lines in sorted(found.items())
    )
    assert not found, (
        f"{len(found)} tracked file(s) refer the reader outside the repository (../shared or the "
        "team's spec files). Point them at docs/metrics.md, docs/input_contract.md or "
        "docs/architecture.md instead; only tests may read ../shared/datasets/ (the published "
        "data set). Expected to fail on a helper's branch until the lead sweeps the files other "
        f"helpers own:\n{report}"
    )
