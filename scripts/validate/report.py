"""The run's report: what was validated, what failed at which severity, and its printed summary."""

from __future__ import annotations

from dataclasses import dataclass, field

EXAMPLES = 5  # unexpected values quoted per failure in the printed summary


@dataclass
class Failure:
    severity: str
    expectation: str
    column: str | None
    observed: str
    expected: str
    why: str
    unexpected_count: int | None = None
    element_count: int | None = None
    sample_rows: list[int] = field(default_factory=list)  # index values of sampled rows


@dataclass
class TargetReport:
    layer: str
    name: str
    source: str | None
    status: str  # validated | absent | unreadable
    rows: int | None = None
    evaluated: int = 0
    failures: list[Failure] = field(default_factory=list)
    error: str | None = None
    # the Data Docs page of each severity's suite ({"critical": path, "warning": path})
    pages: dict[str, str] = field(default_factory=dict)

    def failed(self, severity: str) -> list[Failure]:
        return [failure for failure in self.failures if failure.severity == severity]

    @property
    def critical(self) -> bool:
        return self.status == "unreadable" or bool(self.failed("critical"))


@dataclass
class RunReport:
    warehouse: str
    as_of: dict[str, str | None]
    as_of_source: str
    targets: list[TargetReport]
    docs_index: str | None = None
    remote_assets_left: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 1 if any(target.critical for target in self.targets) else 0


def status_line(report: TargetReport) -> str:
    name = f"{report.layer}.{report.name}"
    if report.status == "absent":
        what = "no rows loaded (feed absent or empty)" if report.layer == "raw" else "no table"
        return f"  {name:<40} absent ({what}; not a failure)"
    if report.status == "unreadable":
        return f"  {name:<40} CRITICAL: {report.error}"
    counts = [
        f"{len(report.failed(level))} {level}{'s' * (len(report.failed(level)) > 1)}"
        for level in ("critical", "warning")
        if report.failed(level)
    ]
    verdict = ", ".join(counts) if counts else "all passed"
    checks = f"{report.rows:>10,} rows  {report.evaluated:>3} checks"
    return f"  {name:<40} {checks}  {verdict}"


def print_failures(report: RunReport, severity: str, heading: str) -> None:
    lines = []
    for target in report.targets:
        for failure in target.failed(severity):
            where = f"{target.layer}.{target.name}" + (
                f".{failure.column}" if failure.column else ""
            )
            lines += [
                f"  {where}: {failure.expectation}",
                f"      observed: {failure.observed}",
                f"      expected: {failure.expected}",
                f"      why:      {failure.why}",
            ]
    if lines:
        print(f"\n{heading}")
        print("\n".join(lines))


def print_summary(report: RunReport) -> None:
    as_of = ", ".join(f"{family} {day or 'n/a'}" for family, day in report.as_of.items())
    print(f"GX validation of {report.warehouse}; as of {as_of} ({report.as_of_source})")
    for target in report.targets:
        print(status_line(target))
    print_failures(report, "warning", "WARNINGS (data-quality shares to look at; not a failure):")
    print_failures(report, "critical", "CRITICAL (the table is unusable; exit status 1):")
    if report.remote_assets_left:
        print(
            f"\nnote: Data Docs still load {', '.join(report.remote_assets_left)} from the network"
        )
    criticals = sum(len(t.failed("critical")) + (t.status == "unreadable") for t in report.targets)
    warnings = sum(len(t.failed("warning")) for t in report.targets)
    print(
        f"\n{'FAILED' if report.exit_code else 'OK'}: {criticals} critical, "
        f"{warnings} warning{'s' * (warnings != 1)} "
        f"in {report.seconds:.1f}s"
    )
    print(f"Data Docs: {report.docs_index}")
