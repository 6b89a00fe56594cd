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
    exposure = manifest["exposures"]["exposure.loans_warehouse.bi_published_snapshot"]
    assert set(exposure["depends_on"]["nodes"]) == marts


def test_the_dashboard_exposure_lists_the_marts_the_dashboard_reads(docs: dict[str, Any]) -> None:
    code = "\n".join(path.read_text() for path in (PROJECT_DIR / "dashboard").rglob("*.py"))
    read = {f"model.{PACKAGE}.{name}" for name in re.findall(r"\bmarts\.([a-z_]+)", code)}
    exposure = docs["manifest"]["exposures"][f"exposure.{PACKAGE}.dashboard"]
    assert read, "the dashboard reads marts"
    assert set(exposure["depends_on"]["nodes"]) == read
