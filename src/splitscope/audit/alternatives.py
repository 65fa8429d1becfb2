"""Dual-source suggestions from the curated table, eval parity per pair, a rationale stub per model."""

from __future__ import annotations

import re
from fnmatch import fnmatch
from typing import Any

from splitscope.audit.attribute import UNKNOWN, Dependency
from splitscope.audit.catalog import Catalog
from splitscope.audit.model import API, BENCHMARK, MODEL, Finding


def _member_jurisdiction(catalog: Catalog, member: dict[str, Any]) -> tuple[str | None, str]:
    api = next((m[4:] for m in member["match"] if m.startswith("api:")), None)
    if api:
        return api, catalog.jurisdiction(api)
    org_id = catalog.hub_orgs.get(member["model"].split("/")[0].lower())
    return org_id, catalog.jurisdiction(org_id)


def _matches(member: dict[str, Any], dependency: Dependency) -> bool:
    if dependency.kind == API:
        return f"api:{dependency.attribution.org_id}" in member["match"]
    return any(fnmatch(dependency.subject.lower(), pattern.lower()) for pattern in member["match"])


def dual_source(catalog: Catalog, deps: list[Dependency]) -> list[dict[str, Any]]:
    """For each attributed model and API vendor: comparable candidates from other jurisdictions."""
    suggestions: list[dict[str, Any]] = []
    seen: set[str] = set()
    for dep in deps:
        if dep.kind not in (MODEL, API) or dep.attribution.jurisdiction == UNKNOWN or not dep.subject:
            continue
        current = f"api:{dep.attribution.org_id}" if dep.kind == API else dep.subject
        if current in seen:
            continue
        seen.add(current)
        entry: dict[str, Any] = {
            "current": dep.subject if dep.kind == MODEL else f"{dep.attribution.org_name} API",
            "kind": dep.kind,
            "jurisdiction": dep.attribution.jurisdiction,
            "group": None,
            "basis": None,
            "alternatives": [],
            "table_version": catalog.versions["dual_source"],
        }
        for group in catalog.dual_source_groups:
            if not any(_matches(member, dep) for member in group["members"]):
                continue
            entry["group"], entry["basis"] = group["id"], group["basis"]
            for member in group["members"]:
                org_id, jurisdiction = _member_jurisdiction(catalog, member)
                if jurisdiction not in (UNKNOWN, dep.attribution.jurisdiction):
                    entry["alternatives"].append(
                        {"model": member["model"], "org": org_id, "jurisdiction": jurisdiction}
                    )
            break
        suggestions.append(entry)
    return suggestions


def result_name(model: str) -> str:
    """The name results tables use: last path segment of a hub id, or the API model in parentheses."""
    inside = re.search(r"\(([^)]+)\)", model)
    return (inside.group(1) if inside else model.split("/")[-1]).lower()


def _result_place(
    catalog: Catalog, lines: list[tuple[str, int, str]], benchmark: str, model: str
) -> str | None:
    pattern = next(p for name, p in catalog.benchmarks if name == benchmark)
    name = result_name(model)
    for file, number, text in lines:
        if name in text.lower() and pattern.search(text):
            return f"{file}:{number}"
    return None


def eval_parity(
    catalog: Catalog,
    findings: list[Finding],
    suggestions: list[dict[str, Any]],
    result_lines: list[tuple[str, int, str]],
) -> dict[str, Any]:
    """Benchmarks the repository names, and whether a results line exists for current and alternative."""
    benchmarks = sorted({f.subject for f in findings if f.kind == BENCHMARK})
    rows = []
    for suggestion in suggestions:
        for alternative in suggestion["alternatives"]:
            for benchmark in benchmarks:
                current_at = _result_place(catalog, result_lines, benchmark, suggestion["current"])
                alternative_at = _result_place(catalog, result_lines, benchmark, alternative["model"])
                rows.append(
                    {
                        "benchmark": benchmark,
                        "current": suggestion["current"],
                        "current_result": current_at,
                        "alternative": alternative["model"],
                        "alternative_result": alternative_at,
                        "parity": current_at is not None and alternative_at is not None,
                    }
                )
    return {
        "benchmarks": benchmarks,
        "pairs": rows,
        "method": "a result exists when one line of a data or documentation file names both the benchmark "
        "and the model (last segment of its id, case-insensitive)",
    }


def rationale_stub(dep: Dependency, suggestion: dict[str, Any] | None) -> dict[str, Any]:
    """A public-facing explanation to complete by hand: facts filled in, judgements left as TODO."""
    alternatives = ", ".join(
        f"{a['model']} ({a['jurisdiction']})" for a in (suggestion or {}).get("alternatives", [])
    )
    text = "\n".join(
        [
            f"## {dep.label}",
            f"- Publisher: {dep.attribution.org_name} (jurisdiction {dep.attribution.jurisdiction})",
            f"- Licence: {dep.licence or 'n/a'}",
            f"- Used at: {', '.join(f'{p.file}:{p.line}' for p in dep.places[:5])}",
            f"- Alternatives considered: {alternatives or 'none in the curated table'}",
            "- Why this model: TODO (task fit, measured quality, cost, latency)",
            "- Data sent across borders: TODO (what leaves your infrastructure, and to whom)",
            "- Fallback plan: TODO (which alternative, and what evaluation shows parity)",
        ]
    )
    return {"subject": dep.label, "markdown": text}
