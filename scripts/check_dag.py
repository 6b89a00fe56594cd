"""Check the dbt DAG against the project's layering rules (dbt-project-evaluator equivalents).

Reads a dbt manifest (target/manifest.json, written by any dbt command: run `dbt parse` first)
and reports every finding with the file it is about. Layers come from the model's folder:
models/staging (base_ and stg_ models), models/intermediate, models/marts/<area>.

Rules (name: what is a finding):
  staging_reads_staging      a base_/stg_ model reads a stg_ model (staging reads only raw rows
                             and base_ models)
  non_staging_reads_raw      a model outside staging reads a raw seed (schema raw) or a source
  mart_reads_staging         a mart reads a staging model and also another parent built from
                             that same staging model (read the intermediate only)
  rejoined_concept           A -> B -> C and A -> C where B has no child but C (evaluator's
                             fct_rejoining_of_upstream_concepts)
  model_fanout               a model with more than 3 direct children that are leaf marts
                             (marts no model reads)
  cross_area_mart            a mart of marts/<area> reads a mart of another marts/<area>
                             (marts/core holds the conformed marts every area may read; a core
                             mart reads no area's mart)
  exposure_reads_non_mart    an exposure depends on a node that is not a mart

A finding on a node whose meta holds `dag_rule_exception: "<rule>: <why>"` (a string or a list
of them) is listed as justified, not as a failure. Exit status 1 when any finding is unjustified.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scripts.settings import PROJECT_DIR

FANOUT_THRESHOLD = 3
SHARED_MART_AREA = "core"
RULES = (
    "staging_reads_staging",
    "non_staging_reads_raw",
    "mart_reads_staging",
    "rejoined_concept",
    "model_fanout",
    "cross_area_mart",
    "exposure_reads_non_mart",
)


@dataclass(frozen=True)
class Finding:
    rule: str
    node_id: str  # the node whose design the finding is about (and whose meta can justify it)
    path: str
    message: str
    justification: str | None = None


def _meta(node: dict) -> dict:
    meta = dict(node.get("config", {}).get("meta") or {})
    meta.update(node.get("meta") or {})
    return meta


def exception_for(node: dict, rule: str) -> str | None:
    """The node's justification for `rule` (a dag_rule_exception starting with the rule's name)."""
    raw = _meta(node).get("dag_rule_exception")
    reasons = [raw] if isinstance(raw, str) else list(raw or [])
    for reason in reasons:
        name, _, why = str(reason).partition(":")
        if name.strip() == rule and why.strip():
            return why.strip()
    return None


class Dag:
    """The models, raw inputs and exposures of a manifest, with their layers."""

    def __init__(self, manifest: dict):
        self.nodes: dict[str, dict] = {
            **manifest.get("nodes", {}),
            **manifest.get("sources", {}),
            **manifest.get("exposures", {}),
        }
        self.models = {k: v for k, v in self.nodes.items() if v.get("resource_type") == "model"}
        self.parents: dict[str, list[str]] = {
            k: sorted(set(v.get("depends_on", {}).get("nodes", [])) & set(self.nodes))
            for k, v in self.nodes.items()
            if v.get("resource_type") in ("model", "exposure")
        }
        self.model_children: dict[str, set[str]] = {k: set() for k in self.models}
        for child, parents in self.parents.items():
            if child not in self.models:
                continue
            for parent in parents:
                if parent in self.models:
                    self.model_children[parent].add(child)

    def path(self, node_id: str) -> str:
        node = self.nodes[node_id]
        return node.get("original_file_path") or node.get("path") or node_id

    def name(self, node_id: str) -> str:
        return self.nodes[node_id].get("name", node_id)

    def _folder(self, node_id: str) -> list[str]:
        return Path(self.nodes[node_id].get("original_file_path", "")).parts

    def layer(self, node_id: str) -> str | None:
        parts = self._folder(node_id)
        if node_id in self.models and len(parts) > 1 and parts[0] == "models":
            return parts[1]
        return None

    def mart_area(self, node_id: str) -> str | None:
        parts = self._folder(node_id)
        if self.layer(node_id) == "marts":
            return parts[2] if len(parts) > 3 else ""
        return None

    def is_raw(self, node_id: str) -> bool:
        node = self.nodes[node_id]
        if node.get("resource_type") == "source":
            return True
        return node.get("resource_type") == "seed" and node.get("config", {}).get("schema") == "raw"

    def ancestors(self, node_id: str) -> set[str]:
        seen: set[str] = set()
        stack = list(self.parents.get(node_id, []))
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.parents.get(current, []))
        return seen


def _staging_reads_staging(dag: Dag) -> Iterable[tuple[str, str]]:
    for model in dag.models:
        if dag.layer(model) != "staging":
            continue
        for parent in dag.parents[model]:
            if dag.layer(parent) == "staging" and dag.name(parent).startswith("stg_"):
                yield model, f"{dag.name(model)} reads staging model {dag.name(parent)}"


def _non_staging_reads_raw(dag: Dag) -> Iterable[tuple[str, str]]:
    for model in dag.models:
        if dag.layer(model) == "staging":
            continue
        for parent in dag.parents[model]:
            if dag.is_raw(parent):
                yield model, f"{dag.name(model)} reads raw {dag.name(parent)}"


def _mart_reads_staging(dag: Dag) -> Iterable[tuple[str, str]]:
    for model in dag.models:
        if dag.layer(model) != "marts":
            continue
        parents = dag.parents[model]
        for staged in (p for p in parents if dag.layer(p) == "staging"):
            via = sorted(dag.name(p) for p in parents if p != staged and staged in dag.ancestors(p))
            if via:
                yield (
                    model,
                    (
                        f"{dag.name(model)} reads staging model {dag.name(staged)} "
                        f"and {', '.join(via)} built from it"
                    ),
                )


def _rejoined_concept(dag: Dag) -> Iterable[tuple[str, str]]:
    for child in dag.models:
        parents = set(dag.parents[child])
        for middle in parents & set(dag.models):
            if dag.model_children[middle] != {child}:
                continue
            for upstream in sorted(parents & set(dag.parents[middle])):
                yield (
                    child,
                    (
                        f"{dag.name(upstream)} -> {dag.name(middle)} -> {dag.name(child)} and "
                        f"{dag.name(upstream)} -> {dag.name(child)}, "
                        f"{dag.name(middle)} has no other child"
                    ),
                )


def _model_fanout(dag: Dag) -> Iterable[tuple[str, str]]:
    leaf_marts = {m for m in dag.models if dag.layer(m) == "marts" and not dag.model_children[m]}
    for model in dag.models:
        leaves = sorted(dag.name(c) for c in dag.model_children[model] & leaf_marts)
        if len(leaves) > FANOUT_THRESHOLD:
            yield model, f"{dag.name(model)} feeds {len(leaves)} leaf marts: {', '.join(leaves)}"


def _cross_area_mart(dag: Dag) -> Iterable[tuple[str, str]]:
    for model in dag.models:
        area = dag.mart_area(model)
        if area is None:
            continue
        for parent in dag.parents[model]:
            parent_area = dag.mart_area(parent)
            if parent_area not in (None, area, SHARED_MART_AREA):
                yield (
                    model,
                    (
                        f"{dag.name(model)} (marts/{area}) reads "
                        f"{dag.name(parent)} (marts/{parent_area})"
                    ),
                )


def _exposure_reads_non_mart(dag: Dag) -> Iterable[tuple[str, str]]:
    for exposure, node in dag.nodes.items():
        if node.get("resource_type") != "exposure":
            continue
        for parent in dag.parents[exposure]:
            if dag.layer(parent) != "marts":
                yield exposure, f"exposure {dag.name(exposure)} reads non-mart {dag.name(parent)}"


CHECKS = {
    "staging_reads_staging": _staging_reads_staging,
    "non_staging_reads_raw": _non_staging_reads_raw,
    "mart_reads_staging": _mart_reads_staging,
    "rejoined_concept": _rejoined_concept,
    "model_fanout": _model_fanout,
    "cross_area_mart": _cross_area_mart,
    "exposure_reads_non_mart": _exposure_reads_non_mart,
}


def check(manifest: dict) -> list[Finding]:
    """Every finding of every rule over `manifest`, justified or not."""
    dag = Dag(manifest)
    findings = []
    for rule, finder in CHECKS.items():
        for node_id, message in finder(dag):
            findings.append(
                Finding(
                    rule=rule,
                    node_id=node_id,
                    path=dag.path(node_id),
                    message=message,
                    justification=exception_for(dag.nodes[node_id], rule),
                )
            )
    return findings


def report(findings: list[Finding]) -> str:
    lines = []
    for finding in findings:
        if finding.justification is None:
            lines.append(f"FAIL {finding.rule}: {finding.path}: {finding.message}")
    for finding in findings:
        if finding.justification is not None:
            lines.append(
                f"justified {finding.rule}: {finding.path}: {finding.message}"
                f" (meta dag_rule_exception: {finding.justification})"
            )
    failures = sum(f.justification is None for f in findings)
    lines.append(
        f"DAG rules: {failures} unjustified finding(s), "
        f"{len(findings) - failures} justified in meta dag_rule_exception."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.check_dag",
        description=__doc__.split("\n\n")[0],
        epilog="Rules: " + ", ".join(RULES) + ". See the module docstring for each.",
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        default=PROJECT_DIR / "target" / "manifest.json",
        help="dbt manifest to check (default: target/manifest.json; run `dbt parse` first)",
    )
    args = parser.parse_args(argv)
    if not args.manifest.is_file():
        print(f"No dbt manifest at {args.manifest}: run `dbt parse` first.", file=sys.stderr)
        return 2
    try:
        manifest = json.loads(args.manifest.read_text())
    except json.JSONDecodeError as error:
        print(f"{args.manifest} is not valid JSON: {error}", file=sys.stderr)
        return 2
    findings = check(manifest)
    print(report(findings))
    return 1 if any(f.justification is None for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
