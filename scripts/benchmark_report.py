"""Markdown for the benchmark: one size's report, the cost curve over every size measured on
DuckDB, and DuckDB beside Spark for every size measured on both (engines.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scripts.benchmark_stats import LAYERS

ENGINE_NAMES = {"duckdb": "DuckDB", "spark": "Spark"}
LAYER_ORDER = (*LAYERS, "other")


def _seconds(step: dict[str, Any] | None) -> str:
    return "reused" if step is None else f"{step['seconds']:.1f}"


def _memory(step: dict[str, Any] | None, key: str = "peak_rss_mib") -> str:
    if not step or step.get(key) is None:
        return "n/a"
    return f"{step[key] / 1024:.2f} GiB"


def _load(step: dict[str, Any] | None) -> str:
    return "" if not step else f"{step['load_before']} → {step['load_after']}"


def markdown(report: dict[str, Any]) -> str:
    """The report of one benchmark run."""
    build = report["build"]
    lower = report.get("lower_bound")
    validate = report.get("validate")
    engine = report.get("engine", "duckdb")
    spark = engine == "spark"
    lines = [
        f"# Benchmark on {ENGINE_NAMES[engine]}: {report['loans']:,} Family A loans, "
        f"{report['family_b_loans']:,} Family B loans ({report['format']})",
        "",
        f"Run {report['run_at']} on {report['machine']}; git {report['git_revision']}; "
        f"as of {report['as_of_date']}. Settings from the environment (unset = the profile's "
        f"default): {report['settings']}.",
        "",
        "Machine load is the 1-minute load average before → after the step (2 cores: "
        "above 2 the step shared the cores with other work, and its time is inflated). "
        "Peak RSS: of the largest single process (GNU time), and of the whole process tree "
        "summed (sampled every 0.5 s; "
        + (
            "the Spark engine is a Java child process of dbt, so this sum, JVM + Python, is "
            "the build's memory; GNU time counts a process only once its parent has waited "
            "for it, and dbt does not wait for the JVM, so its figure is dbt's Python process"
            if spark
            else "DuckDB runs inside the dbt process, so for the build both are about the same"
        )
        + "; a step of a few seconds can show a lower sum, its peak falling between samples).",
        "",
        "| step | seconds | peak RSS, largest process | peak RSS, process tree | load |",
        "|---|---|---|---|---|",
        f"| generate feeds | {_seconds(report['generate'])} | {_memory(report['generate'])} "
        f"| {_memory(report['generate'], 'peak_tree_rss_mib')} | {_load(report['generate'])} |",
        f"| dbt build, all models and tests ({build['nodes']} nodes) | {build['seconds']:.1f} "
        f"| {_memory(build)} | {_memory(build, 'peak_tree_rss_mib')} | {_load(build)} |",
        f"| … of which dbt start-up (parse, connect) | {build['dbt_startup_seconds']:.1f} | | | |",
        f"| … of which running the nodes | {build['execution_seconds']:.1f} | | | |",
    ]
    for step, label in ((lower, "hand-written DuckDB lower bound (script time)"),
                        (validate, "GX validation (`python -m scripts.validate`)")):  # fmt: skip
        if step:
            lines.append(
                f"| {label} | {step['seconds']:.1f} | {_memory(step)} "
                f"| {_memory(step, 'peak_tree_rss_mib')} | {_load(step)} |"
            )
    stored = (
        f"Spark warehouse folder (Parquet tables): {report['warehouse_mib']} MiB"
        if spark
        else f"Warehouse file: {report['warehouse_mib']} MiB"
    )
    lines += ["", f"{stored}; {report['loan_months']:,} loan-month states.", ""]
    if report.get("not_run"):
        lines += [
            "Not run on this engine:",
            "",
            *[f"- {step}: {why}" for step, why in report["not_run"].items()],
            "",
        ]
    if lower:
        differences = lower.get("differences", {})
        lines += [
            "## Against the hand-written lower bound",
            "",
            f"Build (nodes, without dbt start-up) ÷ lower bound = "
            f"**{report['ratio_build_to_lower_bound']}×** "
            f"(with start-up: {build['seconds'] / lower['seconds']:.2f}×).",
            "",
            *repeated_lines(report.get("repeated")),
            "The script's results against the warehouse's (rows in one and not the other, "
            f"both ways; 0 = identical): {differences}.",
            "",
            f"Script steps (seconds): {lower['step_seconds']}.",
            "",
        ]
    if report.get("fixed_cost"):
        lines += fixed_cost_section(report)
    lines += [
        "## Where the time goes",
        "",
        "Summed node seconds ("
        + (
            "the Spark profile runs one node at a time, so the sum stays within the wall time"
            if spark
            else "dbt runs several nodes at once, so the sum exceeds the wall time"
        )
        + f"): {build['node_seconds']}. Layer `other`: dbt's on-run-start / on-run-end hooks "
        "(the checks of the vars and of the raw feeds' headers).",
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
    if report.get("monthly"):
        lines += monthly_section(report["monthly"], report.get("fixed_cost"))
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
    if report.get("marts_not_built"):
        lines += [
            f"Marts not built on {ENGINE_NAMES[engine]} (disabled for this engine in the "
            f"project): {', '.join(report['marts_not_built'])}.",
            "",
        ]
    return "\n".join(lines)


def repeated_lines(repeated: dict[str, Any] | None) -> list[str]:
    """The runs behind a median ratio (none for a single run)."""
    if not repeated:
        return []
    runs = repeated["runs"]
    return [
        f"That is the median of {len(runs)} runs, each a full build followed by the script "
        "(the other figures of this report are the first run's):",
        "",
        "| run | build, node seconds | lower bound, seconds | ratio |",
        "|---|---|---|---|",
        *[
            f"| {number} | {run['build_execution_seconds']} | {run['lower_bound_seconds']} "
            f"| {run['ratio']}× |"
            for number, run in enumerate(runs, start=1)
        ],
        "",
    ]


def fixed_cost_section(report: dict[str, Any]) -> list[str]:
    """dbt's fixed cost (the same nodes on the bundled sample) against the build."""
    fixed = report["fixed_cost"]
    lines = [
        "## dbt's fixed cost",
        "",
        f"The same models and data tests built on the bundled sample ({fixed['nodes']} nodes; "
        "about 3,000 loans, next to no data work) took "
        f"{fixed['seconds']:.1f} s: {fixed['dbt_startup_seconds']:.1f} s of start-up and "
        f"{fixed['execution_seconds']:.1f} s running the nodes. That is what running these "
        "nodes through dbt costs at any size (compiling each, a connection, a query and its "
        "bookkeeping per node, on two cores): "
        f"**{fixed['share_of_build_execution']:.0%}** of this build's node time.",
        "",
    ]
    if "ratio_data_work_to_lower_bound" in report:
        lines += [
            f"The build's data work (nodes less that fixed cost, "
            f"{fixed['build_data_work_seconds']:.1f} s) ÷ lower "
            f"bound = **{report['ratio_data_work_to_lower_bound']}×**. The script computes the "
            "core results only; the build also parses and checks every raw row, trains the "
            "learned default model, computes the credit-loss and Family B marts and runs the "
            "data tests.",
            "",
        ]
    return lines + [
        "A monthly `dbt build` runs every node as well, so however little data it recomputes "
        f"it cannot take less than about **{fixed['floor_share_of_build_wall']:.0%}** of this "
        "full build's wall time (its start-up plus this fixed cost).",
        "",
    ]


def monthly_section(monthly: dict[str, Any], fixed: dict[str, Any] | None = None) -> list[str]:
    """The monthly run (benchmark --monthly) against the full build of the same feeds."""
    full, run = monthly["full"], monthly["run"]
    history = monthly["month_history"]
    equal = history["only_in_full"] == 0 and history["only_in_monthly"] == 0
    equal &= history["rows_full"] == history["rows_monthly"]

    def row(label: str, step: dict[str, Any]) -> str:
        models = step.get("models", {})
        return (
            f"| {label} | {step['seconds']} | {step['execution_seconds']} | "
            f"{step['node_seconds']} | {models.get('int_loan_months_snapshotted', '-')} | "
            f"{models.get('fct_loan_month_snapshots', '-')} | {_memory(step)} | {_load(step)} |"
        )

    return [
        "## Monthly run",
        "",
        f"Last month's delivery: these feeds with Family A cut at {monthly['cut_date']} "
        "(scripts/feeds_cut.py; the other feeds unchanged), built fully "
        f"({monthly['last_month_build']['seconds']} s). Then this month's `dbt build` "
        "(every model and test, the same command as the full build) on that warehouse: "
        f"{monthly['recomputed'] or 'no incremental log line (full build)'}.",
        "",
        "| build of this month's feeds | wall s | dbt execution s | node seconds | "
        "int_loan_months_snapshotted s | fct_loan_month_snapshots s | peak RSS | load |",
        "|---|---|---|---|---|---|---|---|",
        row("full build (fresh file)", full),
        row("monthly run (last month's file)", run),
        "",
        f"Monthly run ÷ full build: **{monthly['wall_ratio']:.0%}** of the wall time, "
        f"{monthly['node_ratio']:.0%} of the node seconds (goal: at most 20 % at 1M). "
        f"Month history equal to the full build's: **{'yes' if equal else 'NO'}** "
        f"({history['rows_monthly']:,} rows; {history['only_in_full']} only in the full build, "
        f"{history['only_in_monthly']} only in the monthly run). Only the month history is "
        "incremental: the base and staging tables, every other intermediate model and mart "
        "and every test are built again in full."
        + (
            f" The floor of any run of every node is about {fixed['floor_share_of_build_wall']:.0%}"
            " (dbt's fixed cost, above)."
            if fixed
            else ""
        ),
        "",
        "| slowest nodes of the monthly run | seconds |",
        "|---|---|",
        *[f"| `{r['node']}` | {r['seconds']} |" for r in run["slowest"]],
        "",
    ]


def cost_curve(results_dir: Path) -> str:
    """One table over every <loans>_loans.json in the folder, smallest first."""
    reports = sorted(
        (json.loads(path.read_text()) for path in results_dir.glob("*_loans.json")),
        key=lambda report: report["loans"],
    )
    # DuckDB only (<loans>_loans_spark.json does not match the glob; an engine field says so too)
    reports = [
        report
        for report in reports
        if "execution_seconds" in report.get("build", {})
        and report.get("engine", "duckdb") == "duckdb"
    ]
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


def engine_peak_mib(report: dict[str, Any]) -> float | None:
    """The build's memory on its engine: Spark's process tree summed (the JVM is a child of
    dbt), DuckDB's dbt process as GNU time measures it (the engine runs inside it)."""
    if report.get("engine", "duckdb") == "spark":
        return report["build"].get("peak_tree_rss_mib")
    return report["build"].get("peak_rss_mib")


def _ratio(spark: float | None, duck: float | None) -> str:
    if spark is None or not duck:
        return "n/a"
    return f"{spark / duck:.2f}×"


def _gib(mib: float | None) -> str:
    return "n/a" if mib is None else f"{mib / 1024:.2f} GiB"


def engine_pairs(results_dir: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(DuckDB, Spark) reports of every size with both <loans>_loans.json and
    <loans>_loans_spark.json in the folder, smallest first."""
    pairs = []
    for duck_path in results_dir.glob("*_loans.json"):
        spark_path = duck_path.with_name(f"{duck_path.stem}_spark.json")
        if spark_path.exists():
            pairs.append((json.loads(duck_path.read_text()), json.loads(spark_path.read_text())))
    return sorted(pairs, key=lambda pair: pair[0]["loans"])


def _size_section(duck: dict[str, Any], spark: dict[str, Any]) -> list[str]:
    duck_build, spark_build = duck["build"], spark["build"]

    def row(label: str, duck_value: float | None, spark_value: float | None) -> str:
        shown = [
            "n/a" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
            for value in (duck_value, spark_value)
        ]
        return f"| {label} | {shown[0]} | {shown[1]} | {_ratio(spark_value, duck_value)} |"

    layers = [layer for layer in LAYER_ORDER if layer in duck_build["layer_seconds"]
              or layer in spark_build["layer_seconds"]]  # fmt: skip
    layers += sorted(
        {*duck_build["layer_seconds"], *spark_build["layer_seconds"]} - set(LAYER_ORDER)
    )
    lines = [
        f"## {duck['loans']:,} loans",
        "",
        f"DuckDB run {duck['run_at']} (git {duck['git_revision']}, load "
        f"{_load(duck_build)}); Spark run {spark['run_at']} (git {spark['git_revision']}, load "
        f"{_load(spark_build)}); Spark settings: {spark['settings']}.",
        "",
    ]
    same_feeds = all(duck.get(key) == spark.get(key) for key in ("family_b_loans", "format"))
    if not same_feeds:
        lines += [
            "**Not the same feeds**: DuckDB "
            f"{duck.get('family_b_loans')} Family B loans ({duck.get('format')}), Spark "
            f"{spark.get('family_b_loans')} ({spark.get('format')}).",
            "",
        ]
    lines += [
        "| | DuckDB | Spark | Spark ÷ DuckDB |",
        "|---|---|---|---|",
        row("build, wall time (s)", duck_build["seconds"], spark_build["seconds"]),
        row(
            "… dbt start-up (s)",
            duck_build["dbt_startup_seconds"],
            spark_build["dbt_startup_seconds"],
        ),
        row(
            "… running the nodes, dbt execution (s)",
            duck_build["execution_seconds"],
            spark_build["execution_seconds"],
        ),
        row("summed node seconds", duck_build["node_seconds"], spark_build["node_seconds"]),
        *[
            row(
                f"… {layer} (node s)",
                duck_build["layer_seconds"].get(layer, 0.0),
                spark_build["layer_seconds"].get(layer, 0.0),
            )
            for layer in layers
        ],
        row("nodes run", duck_build["nodes"], spark_build["nodes"]),
        "| peak memory (DuckDB: dbt process; Spark: JVM + Python summed) "
        f"| {_gib(engine_peak_mib(duck))} | {_gib(engine_peak_mib(spark))} "
        f"| {_ratio(engine_peak_mib(spark), engine_peak_mib(duck))} |",
        f"| peak RSS, largest process (GNU time; on Spark dbt's Python process, not the JVM) "
        f"| {_memory(duck_build)} | {_memory(spark_build)} | |",
        f"| peak RSS, process tree summed | {_memory(duck_build, 'peak_tree_rss_mib')} "
        f"| {_memory(spark_build, 'peak_tree_rss_mib')} | |",
        "",
    ]
    return lines


def engines(results_dir: Path) -> str:
    """DuckDB beside Spark for every size with a report of each engine in the folder."""
    pairs = engine_pairs(results_dir)
    lines = [
        "# DuckDB and Spark side by side",
        "",
        "The same generated feeds built by the full `dbt build` (every model and test) on each "
        "engine (`python -m scripts.benchmark --loans N [--engine spark]`; Spark: dbt-spark's "
        "session method, a local Spark on this one machine). Peak memory is what the engine "
        "holds: DuckDB runs inside the dbt process (GNU time's peak of that process); Spark runs "
        "in a Java child process of dbt, so its figure is the summed resident set of dbt's "
        "process tree (JVM + Python, sampled every 0.5 s). The learned default model (a dbt "
        "Python model) and its marts are built on DuckDB only, so Spark runs fewer nodes. "
        "Read every time beside its load figure (2 cores: above 2 the build shared them).",
        "",
    ]
    if not pairs:
        return "\n".join([*lines, "No size has been measured on both engines yet.", ""])
    lines += [
        "| loans | DuckDB build s | Spark build s | Spark ÷ DuckDB | DuckDB peak | Spark peak "
        "| Spark ÷ DuckDB |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {duck['loans']:,} | {duck['build']['seconds']:.1f} "
            f"| {spark['build']['seconds']:.1f} "
            f"| {_ratio(spark['build']['seconds'], duck['build']['seconds'])} "
            f"| {_gib(engine_peak_mib(duck))} | {_gib(engine_peak_mib(spark))} "
            f"| {_ratio(engine_peak_mib(spark), engine_peak_mib(duck))} |"
            for duck, spark in pairs
        ],
        "",
    ]
    for duck, spark in pairs:
        lines += _size_section(duck, spark)
    return "\n".join(lines)
