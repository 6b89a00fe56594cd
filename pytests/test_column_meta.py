"""The marts' column vocabulary: every column meta is a label and a known format (dbt
side), with an optional hover definition (help); a label and a help in the snapshot
manifest are what the dashboard shows (AppTest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PROJECT_DIR, DbtBuild
from streamlit.testing.v1 import AppTest
from test_publish import run_results

from scripts.publish import publish

# The kinds dashboard/ui/labels.py formats (fmt, TABLE_FORMATS...).
KINDS = {"count", "amount", "pct", "share", "score", "number", "text", "bool", "date"}
APP = PROJECT_DIR / "dashboard" / "app.py"


def test_every_mart_column_meta_has_a_label_and_a_known_format(sample_build: DbtBuild) -> None:
    manifest = json.loads(run_results(sample_build).with_name("manifest.json").read_text())
    marts = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and "/marts/" in f"/{node['original_file_path']}"
    ]
    labelled, bad = 0, []
    for node in marts:
        for name, column in node["columns"].items():
            meta = column.get("meta") or {}
            if not meta:
                continue
            labelled += 1
            if not str(meta.get("label") or "").strip() or meta.get("format") not in KINDS:
                bad.append(f"{node['name']}.{name}: {meta}")
            if "help" in meta and not str(meta["help"]).strip():
                bad.append(f"{node['name']}.{name}: empty help")
    assert labelled > 100, "the mart YAML lost its column meta"
    assert not bad, bad


def test_a_label_and_a_help_changed_in_the_manifest_show_on_the_page(
    sample_build: DbtBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = tmp_path / "published"
    publish(
        sample_build.warehouse,
        published,
        run_results(sample_build),
        1,
        dbt_manifest=run_results(sample_build).with_name("manifest.json"),
    )
    manifest_file = (published / "manifest.json").resolve()  # the snapshot's own file
    manifest = json.loads(manifest_file.read_text())
    overview = manifest["columns"]["rpt_portfolio_overview"]
    assert overview["disbursed_amount"]["label"] == "Disbursed"
    # the hover definitions are the YAML's meta help, exported with the labels
    assert manifest["columns"]["rpt_branch_kpis"]["collection_rate"]["help"] == (
        "Repaid ÷ disbursed."
    )
    assert manifest["columns"]["fct_loan_repayment"]["paid_ratio"]["help"] == (
        "Paid to date ÷ planned to date."
    )
    # pages name no mart, so a column reads the same in every mart: relabel it in each
    for columns in manifest["columns"].values():
        if "disbursed_amount" in columns:
            columns["disbursed_amount"]["label"] = "Lent out"
            columns["disbursed_amount"]["help"] = "Everything lent, in one figure."
    manifest_file.write_text(json.dumps(manifest))
    monkeypatch.syspath_prepend(str(PROJECT_DIR))
    monkeypatch.chdir(PROJECT_DIR)
    monkeypatch.setenv("LOANS_PUBLISHED_DIR", str(published))
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not app.exception, [e.value for e in app.exception]
    labels = {metric.label: metric.proto.help for metric in app.metric}
    assert "Lent out" in labels, labels
    assert "Disbursed" not in labels
    assert labels["Lent out"] == "Everything lent, in one figure."
