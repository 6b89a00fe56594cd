"""dbt docs are the map of the project: everything described, exposures resolvable.

Reads the manifest and catalog that `dbt docs generate --static` writes for the
bundled sample build, so "every column" means every column actually in the
warehouse, not only those somebody remembered to list in YAML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROJECT_DIR, DbtBuild, run_dbt

PACKAGE = "loans_warehouse"
DESCRIBED_NODES = ("model", "seed", "analysis", "snapshot")


@pytest.fixture(scope="module")
def docs(sample_build: DbtBuild) -> dict[str, Any]:
    workdir = sample_build.warehouse.parent
    generated = run_dbt(["docs", "generate", "--static"], workdir, target_name="docs_target")
    assert generated.success, generated.log[-3000:]
    target = workdir / "docs_target"
    return {
        "manifest": json.loads((target / "manifest.json").read_text()),
        "catalog": json.loads((target / "catalog.json").read_text()),
        "static": target / "static_index.html",
    }


def own(items: dict[str, Any]) -> dict[str, Any]:
    return {key: item for key, item in items.items() if item.get("package_name") == PACKAGE}


def test_every_model_seed_and_analysis_is_described(docs: dict[str, Any]) -> None:
    nodes = own(docs["manifest"]["nodes"])
    undescribed = sorted(
        node["unique_id"]
        for node in nodes.values()
        if node["resource_type"] in DESCRIBED_NODES and not node["description"].strip()
    )
    assert undescribed == []


def test_every_column_in_the_warehouse_is_described(docs: dict[str, Any]) -> None:
    nodes = docs["manifest"]["nodes"]
    missing = []
    for unique_id, table in docs["catalog"]["nodes"].items():
        node = nodes[unique_id]
        if node.get("package_name") != PACKAGE:
            continue
        described = {
            name.lower()
            for name, column in node["columns"].items()
            if column.get("description", "").strip()
        }
        missing += [
            f"{node['name']}.{column}"
            for column in table["columns"]
            if column.lower() not in described
        ]
    assert missing == []


def test_every_macro_of_the_project_is_described(docs: dict[str, Any]) -> None:
    macros = own(docs["manifest"]["macros"])
    undescribed = sorted(
        macro["name"] for macro in macros.values() if not macro["description"].strip()
    )
    assert undescribed == []


def test_every_var_is_documented_in_the_docs_overview(docs: dict[str, Any]) -> None:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    overview = docs["manifest"]["docs"]["doc.loans_warehouse.__overview__"]["block_contents"]
    missing = [name for name in project["vars"] if f"`{name}`" not in overview]
    assert missing == []


def test_every_exposure_depends_on_nodes_that_exist(docs: dict[str, Any]) -> None:
    manifest = docs["manifest"]
    exposures = own(manifest["exposures"])
    assert exposures, "the charts, the dashboard and the BI marts are declared as exposures"
    known = set(manifest["nodes"]) | set(manifest["sources"])
    for exposure in exposures.values():
        depends_on = exposure["depends_on"]["nodes"]
        assert depends_on, exposure["name"]
        assert set(depends_on) <= known, exposure["name"]
        assert exposure["description"].strip(), exposure["name"]


def test_static_docs_is_one_offline_file(docs: dict[str, Any]) -> None:
    static: Path = docs["static"]
    html = static.read_text()
    assert len(html) > 100_000, "the manifest and catalog are embedded in the page"
    remote = re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["']https?://""", html)
    assert remote == []


def test_the_bi_exposure_lists_every_mart(docs: dict[str, Any]) -> None:
    manifest = docs["manifest"]
    marts = {
        unique_id
        for unique_id, node in own(manifest["nodes"]).items()
        if node["resource_type"] == "model" and node["name"].startswith(("fct_", "dim_", "rpt_"))
    }
    listed = {
        node
        for name in ("bi_published_snapshot", "bi_default_model_marts")  # the latter: DuckDB only
        for node in manifest["exposures"][f"exposure.loans_warehouse.{name}"]["depends_on"]["nodes"]
    }
    assert listed == marts


def test_the_dashboard_exposure_lists_the_marts_the_dashboard_reads(docs: dict[str, Any]) -> None:
    code = "\n".join(path.read_text() for path in (PROJECT_DIR / "dashboard").rglob("*.py"))
    read = {f"model.{PACKAGE}.{name}" for name in re.findall(r"\bmarts\.([a-z_]+)", code)}
    exposures = docs["manifest"]["exposures"]
    listed = {
        node
        for name in ("dashboard", "dashboard_default_model")  # the latter: DuckDB only
        for node in exposures[f"exposure.{PACKAGE}.{name}"]["depends_on"]["nodes"]
    }
    assert read, "the dashboard reads marts"
    assert listed == read


# --- the project's own reference: docs/*.md, rendered into the docs front page -------------

DOCS_DIR = PROJECT_DIR / "docs"
LOCAL_LINK = "]("


def markdown_table(path: Path, first_header: str) -> list[list[str]]:
    """The body rows (cells stripped) of the table in `path` whose first header cell is given."""
    rows: list[list[str]] = []
    in_table = False
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            if rows:
                return rows
            in_table = False
        elif not in_table and cells[0] == first_header:
            in_table = True
        elif in_table and not set(cells[0]) <= {"-", ":"}:
            rows.append(cells)
    return rows


def test_the_docs_front_page_is_generated_from_docs_md() -> None:
    from scripts.docs_overview import OVERVIEW_FILE, render_overview

    assert OVERVIEW_FILE.read_text(encoding="utf-8") == render_overview(), (
        "models/overview.md is stale: docs/*.md changed; run `python -m scripts.docs_overview`"
    )


def test_the_static_docs_show_the_metrics_and_the_input_contract(docs: dict[str, Any]) -> None:
    """Every row of the var table and of the quarantine-reason table reaches the offline page."""
    html = docs["static"].read_text(encoding="utf-8")
    lines = {
        "metrics.md": [
            line
            for line in (DOCS_DIR / "metrics.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `") and LOCAL_LINK not in line
        ],
        "input_contract.md": [
            line
            for line in (DOCS_DIR / "input_contract.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `") and LOCAL_LINK not in line
        ],
    }
    for name, wanted in lines.items():
        assert len(wanted) > 10, f"docs/{name} has its tables"
        missing = [
            line
            for line in wanted
            if json.dumps(line)[1:-1] not in html
            and json.dumps(line, ensure_ascii=False)[1:-1] not in html
        ]
        assert missing == [], f"lines of docs/{name} absent from static_index.html"


def var_value_words(value: Any) -> list[str]:
    """The words a default must show in the var table: keys and scalar leaves, lower case."""
    if isinstance(value, dict):
        return [
            word
            for key, item in value.items()
            for word in [str(key).lower(), *var_value_words(item)]
        ]
    if isinstance(value, list):
        return [word for item in value for word in var_value_words(item)]
    return ["null" if value is None else str(value).lower()]


def reader_files(name: str) -> set[Path]:
    """The file of a model (models/**/<name>.sql) or of a macro's definition."""
    models = set((PROJECT_DIR / "models").rglob(f"{name}.sql"))
    defining = re.compile(r"{%-?\s*macro\s+" + re.escape(name) + r"\s*\(")
    macros = {
        path
        for path in (PROJECT_DIR / "macros").rglob("*.sql")
        if defining.search(path.read_text())
    }
    return models | macros


def test_the_var_table_of_docs_metrics_md_matches_the_code() -> None:
    """Each var: listed once, its default shown, and "read by" naming exactly the SQL reading it."""
    declared = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    rows = {row[0].strip("`"): row for row in markdown_table(DOCS_DIR / "metrics.md", "var")}
    assert sorted(rows) == sorted(declared), "docs/metrics.md lists every var of dbt_project.yml"
    sql_files = [*(PROJECT_DIR / "models").rglob("*.sql"), *(PROJECT_DIR / "macros").rglob("*.sql")]
    for name, value in declared.items():
        _, default, _meaning, read_by = rows[name]
        if name != "feed_contract":
            shown = default.lower().replace("−", "-")
            absent = [word for word in var_value_words(value) if word not in shown]
            assert absent == [], f"default of var {name} in docs/metrics.md: {default}"
        named = re.findall(r"`([a-z_0-9]+)`", read_by)
        documented = set().union(*(reader_files(reader) for reader in named))
        assert all(reader_files(reader) for reader in named), f"{name}: {named} must all exist"
        reading = {path for path in sql_files if f"var('{name}'" in path.read_text()}
        assert documented == reading, (
            f"var {name}: docs/metrics.md says it is read by {named}; the SQL reading it is "
            f"{sorted(path.relative_to(PROJECT_DIR).as_posix() for path in reading)}"
        )


def test_the_front_page_generator_keeps_the_text_and_fits_it_into_one_page(tmp_path: Path) -> None:
    from scripts.docs_overview import render_overview

    (tmp_path / "metrics.md").write_text(
        "# Metrics\n\nSee [the contract](input_contract.md) and [dbt](https://www.getdbt.com).\n"
        "\n```\n# not a heading\n```\n\nA {{ jinja }}-looking {% tag %} stays as written.\n"
    )
    (tmp_path / "input_contract.md").write_text("# Input contract\n\n## Feeds\n")
    (tmp_path / "zzz_extra.md").write_text("# Extra\n")
    page = render_overview(tmp_path)

    body = page.split("{% raw %}\n", 1)[1].split("{% endraw %}", 1)[0]
    order = [body.index(title) for title in ("## Metrics", "## Input contract", "## Extra")]
    assert order == sorted(order), "metrics, then the contract, then the other docs by name"
    assert "### Feeds" in body
    assert "\n# not a heading\n" in body, "code blocks are left alone"
    assert "See the contract and [dbt](https://www.getdbt.com)." in body
    assert "A {{ jinja }}-looking {% tag %} stays as written." in body
    assert page.count("{% docs __overview__ %}") == 1 and page.endswith("{% enddocs %}\n")


def test_the_front_page_generator_refuses_text_that_would_end_the_docs_block(
    tmp_path: Path,
) -> None:
    from scripts.docs_overview import render_overview

    (tmp_path / "metrics.md").write_text("# Metrics\n\n{% endraw %} breaks out\n")
    with pytest.raises(ValueError, match="endraw"):
        render_overview(tmp_path)


def model_names(folder: str) -> set[str]:
    """The models of a folder of models/, by file name."""
    return {path.stem for path in (PROJECT_DIR / "models" / folder).rglob("*.sql")}


def test_the_readme_marts_table_lists_every_mart() -> None:
    """A mart added (or renamed) without a row in the README's "What the marts are" table fails."""
    rows = markdown_table(PROJECT_DIR / "README.md", "area")
    listed = {name for row in rows for name in re.findall(r"`([a-z_0-9]+)`", row[-1])}
    marts = {name for name in model_names("marts") if name.startswith(("fct_", "dim_", "rpt_"))}
    assert marts, "models/marts holds the marts"
    assert sorted(marts - listed) == [], "marts missing from the README's marts table"
    named_marts = {name for name in listed if name.startswith(("fct_", "dim_", "rpt_"))}
    assert sorted(named_marts - marts) == [], "the marts table names marts that do not exist"


def test_the_architecture_names_every_intermediate_model() -> None:
    """docs/architecture.md is where each concept lives: every int_ model is named there."""
    text = (DOCS_DIR / "architecture.md").read_text(encoding="utf-8")
    intermediates = model_names("intermediate")
    assert intermediates, "models/intermediate holds the int_ models"
    assert sorted(name for name in intermediates if f"`{name}`" not in text) == []
