"""The DAG rule check (scripts/check_dag.py): each rule fails on a small hand-made manifest,
a dag_rule_exception in meta turns its finding into a justified one, and the real project
reports no unjustified finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_dbt

from scripts.check_dag import RULES, check, main


def _model(name: str, folder: str, parents: list[str] = (), meta: dict | None = None) -> dict:
    return {
        "resource_type": "model",
        "name": name,
        "original_file_path": f"models/{folder}/{name}.sql",
        "depends_on": {"nodes": [f"model.p.{p}" if "." not in p else p for p in parents]},
        "config": {"meta": meta or {}},
    }


def _seed(name: str, schema: str) -> dict:
    return {
        "resource_type": "seed",
        "name": name,
        "original_file_path": f"seeds/{name}.csv",
        "config": {"schema": schema},
    }


def _exposure(name: str, parents: list[str]) -> dict:
    return {
        "resource_type": "exposure",
        "name": name,
        "original_file_path": "models/marts/_exposures.yml",
        "depends_on": {"nodes": [f"model.p.{p}" for p in parents]},
    }


def _manifest(*models: dict, seeds: tuple = (), exposures: tuple = ()) -> dict:
    nodes = {f"model.p.{m['name']}": m for m in models}
    nodes.update({f"seed.p.{s['name']}": s for s in seeds})
    exposure_nodes = {f"exposure.p.{e['name']}": e for e in exposures}
    return {"nodes": nodes, "sources": {}, "exposures": exposure_nodes}


# A clean chain every rule accepts: raw seed -> base -> stg -> int -> mart -> exposure.
CLEAN = [
    _model("base_a__orders", "staging/a/base", ["seed.p.orders"]),
    _model("stg_a__orders", "staging/a", ["base_a__orders"]),
    _model("int_orders_joined", "intermediate/a", ["stg_a__orders"]),
    _model("fct_orders", "marts/a", ["int_orders_joined"]),
]
CLEAN_SEEDS = (_seed("orders", "raw"), _seed("bands", "reference"))


def _rules(manifest: dict, justified: bool = False) -> list[str]:
    return sorted(f.rule for f in check(manifest) if (f.justification is not None) == justified)


def test_a_clean_layered_dag_has_no_finding() -> None:
    manifest = _manifest(
        *CLEAN,
        _model("int_bands", "intermediate/a", ["seed.p.bands"]),  # a reference seed is not raw
        seeds=CLEAN_SEEDS,
        exposures=(_exposure("dashboard", ["fct_orders"]),),
    )
    assert check(manifest) == []


def test_staging_reading_a_stg_model_fails() -> None:
    manifest = _manifest(
        *CLEAN, _model("base_a__payments", "staging/a/base", ["seed.p.orders", "stg_a__orders"])
    )
    [finding] = check(manifest)
    assert finding.rule == "staging_reads_staging"
    assert finding.path == "models/staging/a/base/base_a__payments.sql"
    assert "stg_a__orders" in finding.message


def test_staging_reading_a_base_model_is_fine() -> None:
    manifest = _manifest(*CLEAN, _model("base_a__payments", "staging/a/base", ["base_a__orders"]))
    assert check(manifest) == []


def test_an_intermediate_model_reading_a_raw_seed_fails() -> None:
    manifest = _manifest(
        *CLEAN, _model("int_raw_peek", "intermediate/a", ["seed.p.orders"]), seeds=CLEAN_SEEDS
    )
    assert _rules(manifest) == ["non_staging_reads_raw"]


def test_a_mart_reading_staging_and_the_intermediate_built_from_it_fails() -> None:
    manifest = _manifest(
        *CLEAN[:3], _model("fct_orders", "marts/a", ["int_orders_joined", "stg_a__orders"])
    )
    # also a rejoin (stg -> int -> fct and stg -> fct), which the evaluator reports too
    assert _rules(manifest) == ["mart_reads_staging", "rejoined_concept"]


def test_a_rejoined_upstream_concept_fails() -> None:
    manifest = _manifest(
        *CLEAN,
        _model("int_b", "intermediate/a", ["int_orders_joined"]),
        _model("int_c", "intermediate/a", ["int_b", "int_orders_joined"]),
    )
    [finding] = check(manifest)
    assert finding.rule == "rejoined_concept"
    assert finding.path == "models/intermediate/a/int_c.sql"


def test_no_rejoin_when_the_middle_model_has_another_child() -> None:
    manifest = _manifest(
        *CLEAN,
        _model("int_b", "intermediate/a", ["int_orders_joined"]),
        _model("int_c", "intermediate/a", ["int_b", "int_orders_joined"]),
        _model("int_d", "intermediate/a", ["int_b"]),
    )
    assert "rejoined_concept" not in _rules(manifest)


def test_fanout_to_more_than_three_leaf_marts_fails() -> None:
    leaves = [_model(f"rpt_{i}", "marts/a", ["int_orders_joined"]) for i in range(4)]
    manifest = _manifest(*CLEAN[:3], *leaves)
    [finding] = check(manifest)
    assert finding.rule == "model_fanout"
    assert finding.path == "models/intermediate/a/int_orders_joined.sql"
    # three leaves (and a non-leaf child) are within the threshold
    manifest = _manifest(*CLEAN, *leaves[:3], _model("rpt_of_fct", "marts/a", ["fct_orders"]))
    assert check(manifest) == []


def test_a_mart_reading_another_areas_mart_fails_but_core_is_shared() -> None:
    manifest = _manifest(*CLEAN, _model("rpt_b", "marts/b", ["fct_orders"]))
    assert _rules(manifest) == ["cross_area_mart"]
    core = _model("fct_core", "marts/core", ["int_orders_joined"])
    manifest = _manifest(*CLEAN, core, _model("rpt_b", "marts/b", ["fct_core"]))
    assert check(manifest) == []
    manifest = _manifest(*CLEAN, _model("fct_core", "marts/core", ["fct_orders"]))
    assert _rules(manifest) == ["cross_area_mart"]


def test_an_exposure_reading_a_non_mart_fails() -> None:
    manifest = _manifest(*CLEAN, exposures=(_exposure("dashboard", ["int_orders_joined"]),))
    [finding] = check(manifest)
    assert finding.rule == "exposure_reads_non_mart"
    assert finding.node_id == "exposure.p.dashboard"


def test_an_exception_in_meta_justifies_only_the_rule_it_names(tmp_path: Path) -> None:
    leaves = [_model(f"rpt_{i}", "marts/a", ["int_orders_joined"]) for i in range(4)]
    wrong_rule = {"dag_rule_exception": "rejoined_concept: not this one"}
    right_rule = {"dag_rule_exception": ["model_fanout: each leaf is one chart"]}
    for meta, justified in ((wrong_rule, False), (right_rule, True)):
        middle = _model("int_orders_joined", "intermediate/a", ["stg_a__orders"], meta)
        manifest = _manifest(*CLEAN[:2], middle, *leaves)
        assert _rules(manifest, justified=justified) == ["model_fanout"]
        assert _rules(manifest, justified=not justified) == []
        path = tmp_path / "manifest.json"
        path.write_text(json.dumps(manifest))
        assert main(["--manifest", str(path)]) == (0 if justified else 1)


def test_every_rule_has_a_failing_case_above() -> None:
    assert set(RULES) == {
        "staging_reads_staging",
        "non_staging_reads_raw",
        "mart_reads_staging",
        "rejoined_concept",
        "model_fanout",
        "cross_area_mart",
        "exposure_reads_non_mart",
    }


def test_a_missing_manifest_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--manifest", str(tmp_path / "absent.json")]) == 2
    assert "dbt parse" in capsys.readouterr().err


def test_the_project_has_no_unjustified_finding(tmp_path: Path) -> None:
    parse = run_dbt(["parse"], tmp_path)
    assert parse.success, parse.log[-2000:]
    findings = check(json.loads((tmp_path / "target" / "manifest.json").read_text()))
    unjustified = [f"{f.rule}: {f.path}: {f.message}" for f in findings if f.justification is None]
    assert unjustified == []
