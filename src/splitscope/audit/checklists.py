"""US and China compliance checklists from versioned rule files (audit/checklists/*.yaml), evaluated
against the attributed dependencies: each item says whether the findings make it relevant, and why.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from splitscope.audit.attribute import NOT_APPLICABLE, Dependency
from splitscope.audit.model import API, MODEL, PACKAGE
from splitscope.errors import UnusableInputError

CHECKLISTS = ("us", "cn")
ITEM_KEYS = ("id", "title", "authority", "date", "source", "applies_when", "action")


def _check(name: str, doc: Any) -> list[str]:
    if not isinstance(doc, dict):
        return [f"audit/checklists/{name}.yaml: not a mapping"]
    problems = [
        f"audit/checklists/{name}.yaml: missing '{key}'"
        for key in ("jurisdiction", "version", "reviewed", "items")
        if not doc.get(key)
    ]
    for index, item in enumerate(doc.get("items") or []):
        problems += [
            f"audit/checklists/{name}.yaml: item {index + 1}: missing '{key}'"
            for key in ITEM_KEYS
            if not item.get(key)
        ]
    return problems


def load_checklists() -> dict[str, dict[str, Any]]:
    docs: dict[str, Any] = {}
    problems: list[str] = []
    for name in CHECKLISTS:
        path = resources.files("splitscope.audit") / "checklists" / f"{name}.yaml"
        docs[name] = yaml.safe_load(path.read_text(encoding="utf-8"))
        problems += _check(name, docs[name])
    if problems:
        raise UnusableInputError("checklists: " + "; ".join(problems))
    return docs


def _is_api(dep: Dependency) -> bool:
    return dep.kind == API or (dep.kind == PACKAGE and dep.role == "api_sdk")


def _triggers(condition: Any, deps: list[Dependency]) -> list[str]:
    """Labels of the dependencies that make an item apply ([] = not triggered; ['always'] = unconditional)."""
    if condition == "always":
        return ["always"]
    if not isinstance(condition, dict) or len(condition) != 1:
        raise UnusableInputError(f"checklists: cannot read applies_when {condition!r}")
    ((test, codes),) = condition.items()
    relevant = [d for d in deps if d.attribution.jurisdiction != NOT_APPLICABLE]
    if test == "api_in":
        chosen = [d for d in relevant if _is_api(d) and d.attribution.jurisdiction in codes]
    elif test == "weights_in":
        chosen = [d for d in relevant if d.kind == MODEL and d.attribution.jurisdiction in codes]
    elif test == "any_in":
        chosen = [d for d in relevant if d.attribution.jurisdiction in codes]
    elif test == "any_outside":
        chosen = [d for d in relevant if d.attribution.jurisdiction != codes]
    else:
        raise UnusableInputError(f"checklists: unknown applies_when test {test!r}")
    return sorted({f"{d.label} ({d.attribution.jurisdiction})" for d in chosen})


def evaluate_checklists(deps: list[Dependency]) -> list[dict[str, Any]]:
    out = []
    for name, doc in load_checklists().items():
        items = []
        for item in doc["items"]:
            because = _triggers(item["applies_when"], deps)
            items.append(
                {
                    **{k: item.get(k) for k in (*ITEM_KEYS, "date_meaning")},
                    "applies": bool(because),
                    "because": because,
                }
            )
        out.append(
            {
                "checklist": name,
                "jurisdiction": doc["jurisdiction"],
                "version": str(doc["version"]),
                "reviewed": str(doc["reviewed"]),
                "items": items,
            }
        )
    return out
