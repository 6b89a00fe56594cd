"""The portability lint (scripts/check_portability.py): each DuckDB-only construct written in a
model fails with its file and line; the same construct inside a macro call, a Jinja or SQL
comment or a string literal does not; and the real models and singular tests pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.check_portability import check_source, main

MODEL = Path("models/m.sql")

# One line of model SQL per construct, each of which must be reported.
DUCKDB_ONLY = {
    "ASOF join": "from a asof left join b on a.k = b.k and a.d >= b.d",
    "QUALIFY": "from a qualify row_number() over (partition by k order by d) = 1",
    "list function": "select list_sum(amounts) as total from a",
    "unnest": "select unnest(xs) as x from a",
    "strftime/strptime": "select strftime(d, '%Y-%m') as month_label from a",
    "date_diff": "select date_diff('day', a, b) as days from t",
    "quantile/median": "select quantile_cont(x, 0.5) as q from t",
    "select * exclude": "select * exclude (name) from t",
    "union by name": "select 1 as a union all by name select 2 as a",
    "generate_series/range": "select * from generate_series(1, 10)",
    "recursive CTE": "with recursive r as (select 1 as n) select * from r",
    "'::' cast": "select amount::double as amount from t",
    "double-quoted identifier": 'select "LoanID" as loan_id from t',
    "type without length": "select cast(x as varchar) as x from t",
    "JSON function": "select json_object('a', a) as j from t",
    "floating-point aggregate": "select corr(x, y) as r, avg(x) as mean_x from t",
}


@pytest.mark.parametrize(("construct", "line"), sorted(DUCKDB_ONLY.items()))
def test_each_duckdb_only_construct_is_reported_with_its_line(construct: str, line: str) -> None:
    source = "with a as (\n    select 1 as k\n)\n" + line + "\n"
    findings = check_source(MODEL, source)
    assert [(f.construct, f.line) for f in findings if f.construct == construct] == [(construct, 4)]
    assert findings[0].render(Path(".")).startswith("models/m.sql:4: ")


def test_macro_calls_comments_and_literals_are_not_findings() -> None:
    source = "\n".join(
        [
            "{# an ASOF join, strftime, list_sum, with recursive: prose #}",
            "-- qualify, date_diff( and x::int in a comment",
            "/* generate_series( in a block comment */",
            "select",
            "    {{ dbt.datediff('a', 'b', 'day') }} as days,",
            "    {{ median('income') }} as median_income,",
            "    'say \"hi\" :: to list_sum(' as literal_text,",
            "    date_part('year', d) as year_number",
            "from t",
            "{{ asof_left_join('p', 'r', 'x', ['loan_id'], 'p.d', '>=', 'd') }}",
        ]
    )
    assert check_source(MODEL, source) == []


def test_line_numbers_survive_multiline_jinja_and_comments() -> None:
    source = "{#\n  two\n  lines\n#}\n{{ config(\n    materialized='table'\n) }}\n"
    source += "select x::int from t\n"
    assert [f.line for f in check_source(MODEL, source)] == [8]


def test_cli_fails_on_a_bad_file_and_names_it(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad_model.sql"
    bad.write_text("select 1 as a\nfrom t\nqualify a = 1\n")
    assert main([str(tmp_path)]) == 1
    assert f"{bad}:3: QUALIFY" in capsys.readouterr().out


def test_the_project_models_and_singular_tests_are_portable(capsys) -> None:
    assert main([]) == 0, capsys.readouterr().out
