"""SARIF 2.1.0 log of an audit, so findings show in code-scanning UIs next to the JSON, HTML and BOM.

One rule per dependency kind; one result per place a dependency occurs, with its publisher and
jurisdiction in the message and in `properties`. Level: `error` when the dependency's jurisdiction is in
--fail-on, `warning` when it is cross-border for --home, `note` otherwise. Validated against the
published 2.1.0 schema in the tests (tests/audit/test_audit_sarif.py).
"""

from __future__ import annotations

from typing import Any

from splitscope.audit.attribute import NOT_APPLICABLE, UNKNOWN, Dependency
from splitscope.audit.model import KINDS

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
RULE_TEXT = {
    "model": "Model weights from a publisher",
    "dataset": "Dataset from a publisher",
    "api": "Hosted model API of a vendor",
    "hub": "Model hub or hub redirection",
    "package": "Package tying the code to a model vendor, hub or server",
    "benchmark": "Evaluation benchmark",
    "serving": "Self-hosted model server",
}


def _level(dep: Dependency, home: str | None, fail_on: list[str]) -> str:
    jurisdiction = dep.attribution.jurisdiction
    if jurisdiction in fail_on:
        return "error"
    if home and jurisdiction not in (home, UNKNOWN, NOT_APPLICABLE):
        return "warning"
    return "note"


def _rule(kind: str) -> dict[str, Any]:
    return {
        "id": f"splitscope/{kind}",
        "name": kind.capitalize(),
        "shortDescription": {"text": RULE_TEXT[kind]},
        "help": {"text": "See docs/audit.md in splitscope: what is detected and how it is attributed."},
    }


def _result(dep: Dependency, place_index: int, level: str, rule_index: int) -> dict[str, Any]:
    place = dep.places[place_index]
    attribution = dep.attribution
    message = (
        f"{dep.kind} {dep.label}: publisher {attribution.org_name}, jurisdiction {attribution.jurisdiction}"
        + (f" ({place.note})" if place.note else "")
    )
    location: dict[str, Any] = {"artifactLocation": {"uri": place.file, "uriBaseId": "%SRCROOT%"}}
    if place.line > 0:
        location["region"] = {"startLine": place.line, "snippet": {"text": place.evidence}}
    return {
        "ruleId": f"splitscope/{dep.kind}",
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {"splitscopeDependency/v1": f"{dep.kind}:{dep.label}"},
        "properties": {
            "subject": dep.label,
            "publisher": attribution.org_name,
            "jurisdiction": attribution.jurisdiction,
            "attribution": attribution.basis,
            "detector": place.detector,
        },
    }


def build_sarif(
    deps: list[Dependency], version: str, home: str | None = None, fail_on: list[str] | None = None
) -> dict[str, Any]:
    kinds = [kind for kind in KINDS if any(dep.kind == kind for dep in deps)]
    results = [
        _result(dep, index, _level(dep, home, fail_on or []), kinds.index(dep.kind))
        for dep in deps
        for index in range(len(dep.places))
    ]
    driver = {
        "name": "splitscope audit",
        "semanticVersion": version,
        "rules": [_rule(kind) for kind in kinds],
    }
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the scanned repository's root"}}},
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
