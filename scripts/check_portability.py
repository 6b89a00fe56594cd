"""Portability lint: no DuckDB-only SQL in a model or a singular test.

The warehouse builds on DuckDB and on Apache Spark (dbt-spark). Anything engine-specific belongs
in a dispatched macro (macros/engine/ and the like: a duckdb__ and a spark__ or default__
implementation); models (models/**/*.sql) and singular tests (tests/**/*.sql) hold only SQL both
engines read alike, or call those macros. The same lint keeps builds reproducible: an aggregate
that sums doubles (avg, corr, var_pop, stddev...) adds in whatever order the engine's threads
finish, so two builds of the same feeds differ in the last bits; macros average() and
exact_sum() sum exactly instead.

What is checked is the SQL text a model writes itself: Jinja comments, Jinja expressions and
statements ({{ ... }}, {% ... %}, which is where macros are called) and SQL comments are blanked
first, keeping line numbers, and string literals are blanked before the syntax checks (the
double-quote check looks at everything outside single-quoted literals). There is no exceptions
list: a finding is fixed by moving the construct into a dispatched macro.

Usage: python -m scripts.check_portability [paths...]   (default: models tests)
Prints `file:line: construct -- hint` per finding; exit status 1 when there is any.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from scripts.settings import PROJECT_DIR

DEFAULT_PATHS = ("models", "tests")

# (name, pattern over lowercased SQL with literals blanked, what to use instead)
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (name, re.compile(pattern), hint)
    for name, pattern, hint in (
        ("ASOF join", r"\basof\s+(left\s+)?join\b", "macro asof_left_join()"),
        ("QUALIFY", r"\bqualify\b", "a window column in a CTE, filtered in the next"),
        ("list function", r"\blist_\w+\s*\(", "a dispatched macro"),
        ("unnest", r"\bunnest\s*\(", "a dispatched macro (e.g. month_end_series())"),
        ("strftime/strptime", r"\bstr[fp]time\s*\(", "dbt.date_trunc() or a macro"),
        ("date_diff", r"(?<![.\w])date_?diff\s*\(", "dbt.datediff()"),
        ("date_add/date_sub", r"(?<![.\w])date_(add|sub)\s*\(", "dbt.dateadd()"),
        ("date_trunc", r"(?<![.\w])date_trunc\s*\(", "dbt.date_trunc() (a date on both engines)"),
        ("quantile/median", r"\b(quantile(_cont|_disc)?|median)\s*\(", "macro median()"),
        ("select * exclude", r"\bexclude\s*\(", "list the columns"),
        ("select * replace", r"\*\s*replace\s*\(", "list the columns"),
        ("union by name", r"\bunion\s+(all\s+)?by\s+name\b", "union all with the same columns"),
        ("generate_series/range", r"\b(generate_series|range)\s*\(", "dbt.generate_series()"),
        ("recursive CTE", r"\bwith\s+recursive\b", "a dispatched macro"),
        ("string_agg", r"\bstring_agg\s*\(", "dbt.listagg()"),
        ("JSON function", r"\b(json_\w+|to_json|struct_pack)\s*\(|->>?", "macro row_to_json()"),
        ("epoch", r"\bepoch(_ms|_us)?\s*\(", "dbt.datediff()"),
        ("COLUMNS(...)", r"\bcolumns\s*\(", "list the columns"),
        (
            "type without length",
            r"\b(varchar|text|hugeint|ubigint|uinteger)\b(?!\s*\()",
            "dbt.type_string() / dbt.type_bigint() ...",
        ),
        ("'::' cast", r"::", "cast(x as type)"),
        (
            "floating-point aggregate",
            r"\b(avg|corr|covar_\w+|var_\w+|variance|stddev(_\w+)?|regr_\w+)\s*\(",
            "macro average() or exact_sum() (a double summed in thread order differs between runs)",
        ),
    )
)

JINJA_BLOCK = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
SQL_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
SQL_LINE_COMMENT = re.compile(r"--[^\n]*")
STRING_LITERAL = re.compile(r"'(?:[^']|'')*'")
DOUBLE_QUOTED = re.compile(r'"[^"\n]*"')


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    construct: str
    hint: str
    text: str

    def render(self, root: Path) -> str:
        try:
            shown = self.path.relative_to(root)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: {self.construct} -- use {self.hint}: {self.text.strip()}"


def _blank(match: re.Match[str]) -> str:
    """The match replaced by spaces, its line breaks kept (so line numbers stay)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def sql_text(source: str) -> str:
    """The SQL a file writes itself: Jinja and SQL comments blanked, line breaks kept."""
    text = JINJA_BLOCK.sub(_blank, source)
    text = SQL_BLOCK_COMMENT.sub(_blank, text)
    return SQL_LINE_COMMENT.sub(_blank, text)


def check_source(path: Path, source: str) -> list[Finding]:
    """Every DuckDB-only construct in one file's SQL, one finding per rule and line."""
    original_lines = source.splitlines()
    text = sql_text(source)
    findings: list[Finding] = []
    for number, line in enumerate(text.splitlines(), start=1):
        original = original_lines[number - 1] if number <= len(original_lines) else ""
        without_literals = STRING_LITERAL.sub(_blank, line)
        if DOUBLE_QUOTED.search(without_literals):
            construct = "double-quoted identifier"
            findings.append(Finding(path, number, construct, "a plain lowercase name", original))
        lowered = without_literals.lower()
        for name, pattern, hint in RULES:
            if pattern.search(lowered):
                findings.append(Finding(path, number, name, hint, original))
    return findings


def sql_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(path.rglob("*.sql")))
        else:
            raise SystemExit(f"check_portability: no such file or folder: {path}")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="files or folders (default: models tests)")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.paths] or [PROJECT_DIR / p for p in DEFAULT_PATHS]
    files = sql_files(paths)
    findings = [f for path in files for f in check_source(path, path.read_text(encoding="utf-8"))]
    for finding in findings:
        print(finding.render(Path.cwd()))
    if findings:
        print(
            f"check_portability: {len(findings)} DuckDB-only construct(s) in models/tests; "
            "move each into a dispatched macro (duckdb__ + spark__/default__)."
        )
        return 1
    print(f"check_portability: {len(files)} SQL files portable (no DuckDB-only syntax).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
