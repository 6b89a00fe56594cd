"""Measure one command (wall, peak RSS, machine load) and read a dbt build's per-node times.

Used by scripts/benchmark.py. Peak RSS comes from GNU time (/usr/bin/time), which
reports the largest resident set of the command's process tree; the DuckDB engine
runs inside the dbt process, so for a build it is the build's memory. Node times
come from the build's run_results.json, grouped by layer with the manifest beside
it (dbt runs several nodes at once, so node seconds add up to more than the wall
time; shares are of the summed node seconds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GNU_TIME = Path("/usr/bin/time")
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

    def summary(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 1),
            "peak_rss_mib": self.peak_rss_mib,
            "load_before": self.load_before,
            "load_after": self.load_after,
        }


def load_average() -> float:
    """The 1-minute load average (the other work sharing the cores)."""
    return round(os.getloadavg()[0], 2)


def measure(
    command: list[str], cwd: Path, env: dict[str, str] | None = None, check: bool = True
) -> Measured:
    """Run a command to completion under GNU time; exit with its output when it fails."""
    load_before = load_average()
    handle, name = tempfile.mkstemp(prefix="benchmark-time-", suffix=".txt")
    os.close(handle)
    rss_file = Path(name)
    wrapped = (
        [str(GNU_TIME), "-f", "%M", "-o", str(rss_file), *command] if GNU_TIME.exists() else command
    )
    started = time.perf_counter()
    done = subprocess.run(wrapped, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if check and done.returncode != 0:
        output = done.stdout[-3000:] + done.stderr[-2000:]
        sys.exit(f"benchmark: {' '.join(command[:3])} … failed:\n{output}")
    peak = None
    if rss_file.exists():
        lines = [line for line in rss_file.read_text().splitlines() if line.strip().isdigit()]
        peak = round(int(lines[-1]) / 1024, 1) if lines else None
        rss_file.unlink()
    return Measured(seconds, peak, load_before, load_average(), done.stdout + done.stderr)


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
