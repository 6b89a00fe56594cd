"""Measure one command (wall, peak memory, machine load) and read a dbt build's per-node times.

Used by scripts/benchmark.py. Two peak-memory figures per command:

- `peak_rss_mib`, from GNU time (/usr/bin/time %M): the largest resident set of
  any ONE process of the command's tree (the kernel's ru_maxrss of the waited-for
  children), not their sum. The DuckDB engine runs inside the dbt process, so for
  a DuckDB build it is the build's memory.
- `peak_tree_rss_mib`, sampled here: every SAMPLE_SECONDS while the command
  runs, the resident sets of the command and all its descendants (found through
  the parent pid in /proc/<pid>/stat) are summed, and the largest sum is kept.
  A Spark build (dbt-spark's session method) runs the engine in a Java child
  process of dbt, so only this sum counts the JVM and the Python process
  together. It is a sample: a spike shorter than the interval can be missed,
  and pages shared between processes (libraries) are counted once per process.

Node times come from the build's run_results.json, grouped by layer with the
manifest beside it (dbt runs several nodes at once, so node seconds add up to
more than the wall time; shares are of the summed node seconds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GNU_TIME = Path("/usr/bin/time")
PROC = Path("/proc")
SAMPLE_SECONDS = 0.5
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4
CREDIT_LOSS_FOLDER = "/credit_loss/"
LAYERS = (
    "seeds",
    "base",
    "staging",
    "intermediate",
    "marts",
    "semantic",
    "data tests",
    "unit tests",
)


@dataclass
class Measured:
    """One command's wall time, peak resident memory and the machine's load around it."""

    seconds: float
    peak_rss_mib: float | None
    load_before: float
    load_after: float
    output: str = field(default="", repr=False)
    peak_tree_rss_mib: float | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 1),
            "peak_rss_mib": self.peak_rss_mib,
            "peak_tree_rss_mib": self.peak_tree_rss_mib,
            "load_before": self.load_before,
            "load_after": self.load_after,
        }


def load_average() -> float:
    """The 1-minute load average (the other work sharing the cores)."""
    return round(os.getloadavg()[0], 2)


def tree_pids(parents: Mapping[int, int], root: int) -> set[int]:
    """root and every process whose chain of parent pids leads to it (parents: pid -> ppid)."""
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    tree: set[int] = set()
    waiting = [root]
    while waiting:
        pid = waiting.pop()
        if pid not in tree:
            tree.add(pid)
            waiting.extend(children.get(pid, ()))
    return tree


def summed_rss_kib(rss_kib: Mapping[int, int], pids: Iterable[int]) -> int:
    """The resident sets of these processes added up (a process gone meanwhile counts 0)."""
    return sum(rss_kib.get(pid, 0) for pid in pids)


def _parent_pids(proc: Path) -> dict[int, int]:
    """pid -> parent pid of every process in /proc (the 4th field of /proc/<pid>/stat)."""
    parents = {}
    for entry in os.scandir(proc):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # exited since the listing
            continue
        # "pid (command name, may hold spaces or parentheses) state ppid ..."
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 1 :].split()[1])
    return parents


def _rss_kib(proc: Path, pids: Iterable[int]) -> dict[int, int]:
    """pid -> resident set in KiB (2nd field of /proc/<pid>/statm, in pages)."""
    rss = {}
    for pid in pids:
        try:
            rss[pid] = int((proc / str(pid) / "statm").read_text().split()[1]) * PAGE_KIB
        except (OSError, IndexError, ValueError):
            continue
    return rss


def tree_rss_kib(root: int, include_root: bool = True, proc: Path = PROC) -> int:
    """The summed resident set, now, of root's process tree (without root: include_root False)."""
    pids = tree_pids(_parent_pids(proc), root)
    if not include_root:
        pids.discard(root)
    return summed_rss_kib(_rss_kib(proc, pids), pids)


class TreePeakSampler:
    """Inside its `with` block, samples tree_rss_kib(root) every interval; keeps the largest."""

    def __init__(
        self,
        root: int,
        include_root: bool = True,
        interval: float = SAMPLE_SECONDS,
        proc: Path = PROC,
    ) -> None:
        self.root, self.include_root, self.interval, self.proc = root, include_root, interval, proc
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        self.peak_kib = max(self.peak_kib, tree_rss_kib(self.root, self.include_root, self.proc))

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> TreePeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float | None:
        return round(self.peak_kib / 1024, 1) if self.peak_kib else None


def measure(
    command: list[str], cwd: Path, env: dict[str, str] | None = None, check: bool = True
) -> Measured:
    """Run a command to completion under GNU time, its process tree's memory sampled meanwhile;
    exit with its output when it fails."""
    load_before = load_average()
    handle, name = tempfile.mkstemp(prefix="benchmark-time-", suffix=".txt")
    os.close(handle)
    rss_file = Path(name)
    timed = GNU_TIME.exists()
    wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(rss_file), *command] if timed else command
    sampling = PROC.is_dir()
    started = time.perf_counter()
    process = subprocess.Popen(
        wrapped, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # GNU time's own few MiB are left out of the tree's sum: the command is its child
    sampler = TreePeakSampler(process.pid, include_root=not timed)
    if sampling:
        with sampler:
            stdout, stderr = process.communicate()
    else:
        stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if check and process.returncode != 0:
        output = stdout[-3000:] + stderr[-2000:]
        sys.exit(f"benchmark: {' '.join(command[:3])} … failed:\n{output}")
    peak = None
    if rss_file.exists():
        lines = [line for line in rss_file.read_text().splitlines() if line.strip().isdigit()]
        peak = round(int(lines[-1]) / 1024, 1) if lines else None
        rss_file.unlink()
    return Measured(seconds, peak, load_before, load_average(), stdout + stderr, sampler.peak_mib)


def node_layer(node: dict[str, Any]) -> str:
    """The layer a manifest node belongs to, for the per-layer times."""
    kind = node["resource_type"]
    if kind == "seed":
        return "seeds"
    if kind == "test":
        return "data tests"
    if kind == "unit_test":
        return "unit tests"
    path = node.get("original_file_path", "")
    if "/base/" in path:
        return "base"
    for layer in ("staging", "intermediate", "marts", "semantic"):
        if path.startswith(f"models/{layer}/"):
            return layer
    return "other"


def is_credit_loss(node: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> bool:
    """A credit-loss model, or a data / unit test of one (issue 12's share of the build)."""
    if (
        CREDIT_LOSS_FOLDER in node.get("original_file_path", "")
        and node["resource_type"] == "model"
    ):
        return True
    if node["resource_type"] in ("test", "unit_test"):
        parents = node.get("depends_on", {}).get("nodes", [])
        return any(
            CREDIT_LOSS_FOLDER in nodes.get(parent, {}).get("original_file_path", "")
            for parent in parents
            if parent.startswith("model.")
        )
    return False


def build_times(target: Path, slowest: int) -> dict[str, Any]:
    """Per-node, per-layer and credit-loss seconds of the build whose target folder this is."""
    run_results = json.loads((target / "run_results.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    nodes = {**manifest["nodes"], **manifest.get("unit_tests", {})}
    results = run_results["results"]
    layers = dict.fromkeys(LAYERS, 0.0)
    credit_loss = 0.0
    for result in results:
        node = nodes.get(result["unique_id"], {"resource_type": "other"})
        layer = node_layer(node)
        layers[layer] = layers.get(layer, 0.0) + result["execution_time"]
        if is_credit_loss(node, nodes):
            credit_loss += result["execution_time"]
    total = sum(layers.values())
    ranked = sorted(results, key=lambda result: -result["execution_time"])
    return {
        "nodes": len(results),
        "failed": [r["unique_id"] for r in results if r["status"] in ("error", "fail")],
        "execution_seconds": round(run_results["elapsed_time"], 1),
        "node_seconds": round(total, 1),
        "layer_seconds": {layer: round(sec, 1) for layer, sec in layers.items() if sec},
        "credit_loss_seconds": round(credit_loss, 1),
        "credit_loss_share": round(credit_loss / total, 3) if total else None,
        # what the credit-loss nodes add to the build without them (issue 12's bound)
        "credit_loss_added": round(credit_loss / (total - credit_loss), 3)
        if total > credit_loss
        else None,
        "slowest": [
            {"node": r["unique_id"], "seconds": round(r["execution_time"], 2)}
            for r in ranked[:slowest]
        ],
    }


def fixed_cost_shares(build: dict[str, Any], fixed: dict[str, Any]) -> dict[str, float]:
    """dbt's fixed cost (the same nodes on next to no data) against the full build: the build's
    node time less it (its data work, seconds), its share of the node time, and its share of the
    wall time with the build's own start-up added (the floor of any run of every node; the
    build's start-up, not the sample run's, which parses afresh for its vars)."""
    startup = build["seconds"] - build["execution_seconds"]
    return {
        "build_data_work_seconds": round(
            build["execution_seconds"] - fixed["execution_seconds"], 1
        ),
        "share_of_build_execution": round(
            fixed["execution_seconds"] / build["execution_seconds"], 3
        ),
        "floor_share_of_build_wall": round(
            (startup + fixed["execution_seconds"]) / build["seconds"], 3
        ),
    }


def data_work_ratio(
    build: dict[str, Any], fixed: dict[str, Any], lower_bound: dict[str, Any]
) -> float:
    """The build's node time less dbt's fixed cost, divided by the hand-written script's time."""
    return round(
        fixed_cost_shares(build, fixed)["build_data_work_seconds"] / lower_bound["seconds"], 2
    )


def repeated_ratio(runs: list[tuple[float, float]]) -> dict[str, Any]:
    """Build ÷ lower bound over repeated runs: `runs` holds, in the order run, each build's node
    seconds and the seconds of the script run right after it (so both see the machine's speed
    of that moment). The ratio reported is the median of the runs' ratios (with an even count,
    the mean of the middle two); every run is kept beside it."""
    if not runs:
        raise ValueError("repeated_ratio needs at least one run")
    ratios = sorted(build / script for build, script in runs)
    middle = len(ratios) // 2
    median = ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2
    return {
        "runs": [
            {
                "build_execution_seconds": round(build, 1),
                "lower_bound_seconds": round(script, 1),
                "ratio": round(build / script, 2),
            }
            for build, script in runs
        ],
        "median_ratio": round(median, 2),
    }
