"""Markdown for the benchmark: one size's report and the cost curve over every size measured."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _seconds(step: dict[str, Any] | None) -> str:
    return "reused" if step is None else f"{step['seconds']:.1f}"


def _memory(step: dict[str, Any] | None) -> str:
    if not step or step.get("peak_rss_mib") is None:
        return "n/a"
    return f"{step['peak_rss_mib'] / 1024:.2f} GiB"


def _load(step: dict[str, Any] | None) -> str:
    return "" if not step else f"{step['load_before']} → {step['load_after']}"


def markdown(report: dict[str, Any]) -> str:
    """The report of one benchmark run."""
    build = report["build"]
    lower = report.get("lower_bound")
    validate = report.get("validate")
    lines = [
        f"# Benchmark: {report['loans']:,} Family A loans, "
        f"{report['family_b_loans']:,} Family B loans ({report['format']})",
        "",
        f"Run {report['run_at']} on {report['machine']}; git {report['git_revision']}; "
        f"as of {report['as_of_date']}. Settings from the environment (unset = the profile's "
        f"default): {report['settings']}.",
        "",
        "Machine load is the 1-minute load average before → after the step (2 cores: "
        "above 2 the step shared the cores with other work, and its time is inflated).",
        "",
        "| step | seconds | peak RSS | load |",
        "|---|---|---|---|",
        f"| generate feeds | {_seconds(report['generate'])} | {_memory(report['generate'])} "
        f"| {_load(report['generate'])} |",
        f"| dbt build, all models and tests ({build['nodes']} nodes) | {build['seconds']:.1f} "
        f"| {_memory(build)} | {_load(build)} |",
        f"| … of which dbt start-up (parse, connect) | {build['dbt_startup_seconds']:.1f} | | |",
        f"| … of which running the nodes | {build['execution_seconds']:.1f} | | |",
    ]
    if lower:
        lines.append(
            f"| hand-written DuckDB lower bound (script time) | {lower['seconds']:.1f} "
            f"| {_memory(lower)} | {_load(lower)} |"
        )
    if validate:
        lines.append(
            f"| GX validation (`python -m scripts.validate`) | {validate['seconds']:.1f} "
            f"| {_memory(validate)} | {_load(validate)} |"
        )
    lines += ["", f"Warehouse file: {report['warehouse_mib']} MiB; "
              f"{report['loan_months']:,} loan-month states.", ""]  # fmt: skip
    if lower:
        differences = lower.get("differences", {})
        lines += [
            "## Against the hand-written lower bound",
            "",
            f"Build (nodes, without dbt start-up) ÷ lower bound = "
            f"**{report['ratio_build_to_lower_bound']}×** "
            f"(with start-up: {build['seconds'] / lower['seconds']:.2f}×).",
            "",
            "The script's results against the warehouse's (rows in one and not the other, "
            f"both ways; 0 = identical): {differences}.",
            "",
            f"Script steps (seconds): {lower['step_seconds']}.",
            "",
        ]
    lines += [
        "## Where the time goes",
        "",
        f"Summed node seconds (dbt runs several nodes at once, so the sum exceeds the wall "
        f"time): {build['node_seconds']}.",
        "",
        "| layer | node seconds | share |",
        "|---|---|---|",
        *[
            f"| {layer} | {sec} | {sec / build['node_seconds']:.0%} |"
            for layer, sec in build["layer_seconds"].items()
        ],
        "",
        f"Credit-loss models and their tests (issue 12): {build['credit_loss_seconds']} node "
        f"seconds, {build['credit_loss_share']:.1%} of the build's node seconds: they add "
        f"**{build.get('credit_loss_added') or 0:.1%}** to the node seconds of the rest of "
        "the build (goal: at most 20 %).",
        "",
        "| slowest nodes | seconds |",
        "|---|---|",
        *[f"| `{row['node']}` | {row['seconds']} |" for row in build["slowest"]],
        "",
    ]
    if validate:
        lines += ["## GX validation", "", "Last lines of its output:", "", "```",
                  *validate["tail"], "```", ""]  # fmt: skip
    lines += [
        "## Rows",
        "",
        "| feed | loaded | quarantined |",
        "|---|---|---|",
        *[
            f"| {feed} | {row['loaded']:,} | {row['quarantined']:,} |"
            for feed, row in report["feeds"].items()
        ],
        "",
        "| mart | rows |",
        "|---|---|",
        *[f"| {mart} | {rows:,} |" for mart, rows in report["mart_rows"].items()],
        "",
    ]
    return "\n".join(lines)


def cost_curve(results_dir: Path) -> str:
    """One table over every <loans>_loans.json in the folder, smallest first."""
    reports = sorted(
        (json.loads(path.read_text()) for path in results_dir.glob("*_loans.json")),
        key=lambda report: report["loans"],
    )
    reports = [report for report in reports if "execution_seconds" in report.get("build", {})]
    layers = sorted({layer for report in reports for layer in report["build"]["layer_seconds"]})
    lines = [
        "# Cost curve",
        "",
        "Full dbt build (every model and test) per size, from the reports beside this file "
        "(`make benchmark BENCHMARK_LOANS=N`). Load = 1-minute load average before → after "
        "the build on a 2-core machine.",
        "",
        "| loans | loan-months | build s | nodes s | peak RSS | warehouse MiB | lower bound s "
        "| ratio | GX s | GX peak | load | run at |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for report in reports:
        build, lower, gx = report["build"], report.get("lower_bound"), report.get("validate")
        lines.append(
            f"| {report['loans']:,} | {report['loan_months']:,} | {build['seconds']:.1f} "
            f"| {build['execution_seconds']:.1f} | {_memory(build)} | {report['warehouse_mib']} "
            f"| {lower['seconds'] if lower else 'n/a'} "
            f"| {report.get('ratio_build_to_lower_bound', 'n/a')} "
            f"| {gx['seconds'] if gx else 'n/a'} | {_memory(gx)} | {_load(build)} "
            f"| {report['run_at']} |"
        )
    lines += [
        "",
        "Node seconds per layer:",
        "",
        "| loans | " + " | ".join(layers) + " |",
        "|---|" + "---|" * len(layers),
        *[
            f"| {report['loans']:,} | "
            + " | ".join(str(report["build"]["layer_seconds"].get(layer, 0)) for layer in layers)
            + " |"
            for report in reports
        ],
        "",
    ]
    return "\n".join(lines)
