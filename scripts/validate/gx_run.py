"""Run the suites with GX (pandas route); write Data Docs whose index tells severities apart.

Each table gets one GX suite per severity, ``<layer>.<table>.critical`` and
``<layer>.<table>.warnings``. GX marks a validation "Failed" as soon as one expectation fails,
whatever its severity, so a table with warnings only used to show a red cross beside a run that
printed "0 critical". With one suite per severity the cross can only mean a critical failure; the
index's row of a warnings suite that failed is then drawn as an amber triangle, "Passed with
warnings" (``mark_warning_suites``), and its page lists each warning.

The GX context is ephemeral, on purpose: the suites are code, the values they depend on come from
each build, and the one output worth keeping, Data Docs, is written to a folder we choose under
the git-ignored ``target/``. Nothing else is written, nothing is fetched.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations.expectation import Expectation

from scripts.gx_suites.checks import Facts
from scripts.offline_docs import make_offline
from scripts.validate.report import EXAMPLES, Failure, TargetReport
from scripts.validate.warehouse import Target

SITE = "gx_data_docs"
DOCS_MARKER = ".validate-data-docs"  # the docs folder is emptied on each run only if it holds this
SUITE_OF = {"critical": "critical", "warning": "warnings"}  # severity -> suite name suffix
WARNINGS_SUFFIX = "." + SUITE_OF["warning"]


class UsageError(Exception):
    """The command line asks for something that cannot be done."""


def new_context(docs_dir: Path) -> Any:
    """An ephemeral GX context whose one Data Docs site is docs_dir."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # nothing leaves the machine
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        SITE,
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    return context


def short(value: Any) -> str:
    text = "|".join(map(str, value.values())) if isinstance(value, dict) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def sample_rows(result: dict[str, Any], index: str | None) -> list[dict[str, Any]]:
    """The sampled unexpected rows, each with its index column (e.g. source_row_number)."""
    rows = result.get("partial_unexpected_index_list") or []
    return [row for row in rows if index and isinstance(row, dict) and index in row]


def describe_observed(result: dict[str, Any], exception: dict[str, Any], index: str | None) -> str:
    if exception.get("raised_exception"):
        return f"error: {exception.get('exception_message')}"
    if "unexpected_count" in result:
        rows = sample_rows(result, index)[:EXAMPLES]
        examples = [
            f"{short({k: v for k, v in row.items() if k != index})} (row {row[index]})"
            for row in rows
        ] or [short(value) for value in result.get("partial_unexpected_list", [])[:EXAMPLES]]
        checked = (result.get("element_count") or 0) - (result.get("missing_count") or 0)
        share = result.get("unexpected_percent") or 0.0
        return f"{result['unexpected_count']:,} of {checked:,} rows checked ({share:.2f} %)" + (
            f", e.g. {', '.join(examples)}" if examples else ""
        )
    return short(result.get("observed_value"))


def describe_expected(kwargs: dict[str, Any]) -> str:
    hidden = {"column", "batch_id", "meta_properties_to_render", "result_format"}
    parts = [
        f"{key}={value}"
        for key, value in kwargs.items()
        if key not in hidden and value is not None and value is not False
    ]
    return ", ".join(parts)


def failures_of(result: Any, index: str | None) -> list[Failure]:
    failures = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        kwargs = dict(config.kwargs)
        failures.append(
            Failure(
                severity=str(getattr(config.severity, "value", config.severity)),
                expectation=config.type,
                column=kwargs.get("column"),
                observed=describe_observed(dict(item.result), dict(item.exception_info), index),
                expected=describe_expected(kwargs),
                why=(config.meta or {}).get("why", ""),
                unexpected_count=item.result.get("unexpected_count"),
                element_count=item.result.get("element_count"),
                sample_rows=[int(row[index]) for row in sample_rows(dict(item.result), index)],
            )
        )
    return failures


def suite_name(layer: str, name: str, severity: str) -> str:
    # GX files the pages in folders: validations/raw/orders/critical/...
    return f"{layer}.{name}.{SUITE_OF[severity]}"


def by_severity(expectations: list[Expectation]) -> dict[str, list[Expectation]]:
    groups: dict[str, list[Expectation]] = {severity: [] for severity in SUITE_OF}
    for expectation in expectations:
        groups[str(getattr(expectation.severity, "value", expectation.severity))].append(
            expectation
        )
    return {severity: group for severity, group in groups.items() if group}


def validate_target(
    context: Any,
    con: duckdb.DuckDBPyConnection,
    target: Target,
    facts: Facts,
    run_id: RunIdentifier,
) -> TargetReport:
    expectations = target.suite(facts)
    frame = target.read(con, expectations)
    asset = context.data_sources.get(target.layer).add_dataframe_asset(name=target.name)
    batch = asset.add_batch_definition_whole_dataframe("all rows")
    result_format: dict[str, Any] = {"result_format": "SUMMARY"}
    if target.index_column:
        result_format["unexpected_index_column_names"] = [target.index_column]
    report = TargetReport(target.layer, target.name, target.relation, "validated", rows=len(frame))
    for severity, group in by_severity(expectations).items():
        suite = gx.ExpectationSuite(name=suite_name(target.layer, target.name, severity))
        for expectation in group:
            suite.add_expectation(expectation)
        suite = context.suites.add(suite)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
        )
        result = definition.run(
            batch_parameters={"dataframe": frame}, result_format=result_format, run_id=run_id
        )
        report.evaluated += len(result.results)
        report.failures += failures_of(result, target.index_column)
    return report


# --------------------------------------------------------------------------------------------
# Data Docs
# --------------------------------------------------------------------------------------------
def prepare_docs_dir(docs_dir: Path) -> None:
    """Start from an empty folder; wipe only one this tool wrote (it holds DOCS_MARKER)."""
    if docs_dir.exists() and any(docs_dir.iterdir()):
        if not (docs_dir / DOCS_MARKER).exists():
            raise UsageError(
                f"--docs-dir {docs_dir} is not empty and was not written by scripts.validate"
            )
        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / DOCS_MARKER).write_text("Data Docs written by scripts.validate\n")


ROW_START = "{'validation_success':"
FAILED_ICON = "fas fa-times text-danger ge-failed-icon"
WARNING_ICON = "fas fa-exclamation-triangle text-warning ge-warning-icon"


def mark_warning_suites(index_html: str) -> str:
    """Draw a failed warnings suite's row of the index as 'Passed with warnings' (amber)."""
    head, *rows = index_html.split(ROW_START)
    marked = []
    for row in rows:
        suite = re.search(r"'_expectation_suite_name_sort': '([^']*)'", row)
        if suite and suite[1].endswith(WARNINGS_SUFFIX):
            row = row.replace(
                FAILED_ICON, WARNING_ICON + '" title="Passed with warnings', 1
            ).replace(
                "'_validation_success_text': 'Failed'",
                "'_validation_success_text': 'Passed with warnings'",
                1,
            )
        marked.append(row)
    return ROW_START.join([head, *marked])


def build_docs(context: Any, docs_dir: Path, reports: list[TargetReport]) -> set[str]:
    context.build_data_docs(site_names=[SITE])
    index = docs_dir / "index.html"
    index.write_text(mark_warning_suites(index.read_text(encoding="utf-8")), encoding="utf-8")
    for report in reports:
        if report.status != "validated":
            continue
        for severity in SUITE_OF:
            suite = suite_name(report.layer, report.name, severity)
            pages = sorted((docs_dir / "validations" / suite.replace(".", "/")).rglob("*.html"))
            if pages:
                report.pages[severity] = str(pages[-1])
    return make_offline(docs_dir)
