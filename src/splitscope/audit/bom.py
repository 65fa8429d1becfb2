"""CycloneDX 1.6 ML-BOM: models (`machine-learning-model`), datasets (`data`), APIs and packages, each
with supplier and jurisdiction. cyclonedx-python-lib builds the document; it cannot write `modelCard`
or `data` yet, so those are added to its JSON here, and the whole document is validated against the
official 1.6 JSON schema (bundled with the library, checked offline).
"""

from __future__ import annotations

import json
from typing import Any

from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.license import DisjunctiveLicense
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.spdx import is_supported_id
from cyclonedx.validation.json import JsonStrictValidator

from splitscope.audit.attribute import UNKNOWN, Dependency
from splitscope.audit.model import API, DATASET, HUB, MODEL
from splitscope.errors import CheckFailedError

COMPONENT_TYPES = {MODEL: ComponentType.MACHINE_LEARNING_MODEL, DATASET: ComponentType.DATA}


def _ref(index: int, dep: Dependency) -> str:
    return f"{dep.kind}-{index}"


def _component(index: int, dep: Dependency) -> Component:
    properties = [
        Property(name="splitscope:jurisdiction", value=dep.attribution.jurisdiction),
        Property(name="splitscope:kind", value=dep.kind),
        Property(name="splitscope:attribution", value=dep.attribution.basis),
    ]
    properties += [Property(name="splitscope:evidence", value=f"{p.file}:{p.line}") for p in dep.places[:10]]
    licences = []
    if dep.licence and dep.licence != UNKNOWN:
        licences = [
            DisjunctiveLicense(id=dep.licence)
            if is_supported_id(dep.licence)
            else DisjunctiveLicense(name=dep.licence)
        ]
    supplier = OrganizationalEntity(name=dep.attribution.org_name) if dep.attribution.org_id else None
    kind = COMPONENT_TYPES.get(
        dep.kind, ComponentType.LIBRARY if dep.kind == "package" else ComponentType.PLATFORM
    )
    return Component(
        name=dep.label,
        type=kind,
        bom_ref=_ref(index, dep),
        supplier=supplier,
        properties=properties,
        licenses=licences,
        description=f"{dep.kind} found by splitscope audit" if dep.kind in (API, HUB) else None,
    )


def _model_card(dep: Dependency) -> dict[str, Any]:
    card: dict[str, Any] = {
        "properties": [
            {"name": "splitscope:jurisdiction", "value": dep.attribution.jurisdiction},
            {"name": "splitscope:licence", "value": dep.licence or UNKNOWN},
        ],
    }
    if dep.attribution.org_id:
        card["considerations"] = {"useCases": [f"used at {p.file}:{p.line}" for p in dep.places[:5]]}
    return card


def _component_data(dep: Dependency) -> list[dict[str, Any]]:
    data: dict[str, Any] = {"type": "dataset", "name": dep.label}
    if dep.attribution.org_id:
        data["governance"] = {"owners": [{"organization": {"name": dep.attribution.org_name}}]}
    return [data]


def build_bom(deps: list[Dependency]) -> dict[str, Any]:
    """The ML-BOM as a JSON-ready dict (validated: raises CheckFailedError if the schema rejects it)."""
    bom = Bom()
    for index, dep in enumerate(deps, 1):
        bom.components.add(_component(index, dep))
    document = json.loads(JsonV1Dot6(bom).output_as_string())
    by_ref = {component["bom-ref"]: component for component in document.get("components", [])}
    for index, dep in enumerate(deps, 1):
        component = by_ref[_ref(index, dep)]
        if dep.kind == MODEL:
            component["modelCard"] = _model_card(dep)
        elif dep.kind == DATASET:
            component["data"] = _component_data(dep)
    document["metadata"]["tools"] = {"components": [{"type": "application", "name": "splitscope"}]}
    validate_bom(document)
    return document


def validate_bom(document: dict[str, Any]) -> None:
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(document))
    if error is not None:
        raise CheckFailedError(f"ML-BOM does not validate against CycloneDX 1.6: {error}")
