"""Attribution: a finding's hint (hub org, host, package, name prefix) -> registry org -> jurisdiction,
plus the model's licence where the curated table knows it. Nothing matched means "unknown", never a guess.

Findings are grouped into dependencies: one per (kind, subject), with every place it occurs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from typing import Any

from splitscope.audit.catalog import Catalog, Package, normalise_package
from splitscope.audit.model import BENCHMARK, MODEL, PACKAGE, Finding

UNKNOWN = "unknown"
NOT_APPLICABLE = "n/a"  # community framework with no publishing organisation: not a border dependency


@dataclass(frozen=True)
class Attribution:
    org_id: str | None
    org_name: str
    jurisdiction: str
    basis: str


@dataclass
class Dependency:
    kind: str
    subject: str  # "" for an unresolved expression (then keyed by its first place)
    attribution: Attribution
    licence: str  # models only; "" otherwise
    role: str = ""  # packages: api_sdk | hub_client | framework
    places: list[Finding] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.subject or f"(unresolved at {self.places[0].file}:{self.places[0].line})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.label,
            "org": self.attribution.org_id,
            "publisher": self.attribution.org_name,
            "jurisdiction": self.attribution.jurisdiction,
            "basis": self.attribution.basis,
            "licence": self.licence,
            "role": self.role,
            "places": [
                {
                    "file": p.file,
                    "line": p.line,
                    "evidence": p.evidence,
                    "detector": p.detector,
                    "note": p.note,
                }
                for p in self.places
            ],
        }


def _known(catalog: Catalog, org_id: str | None, basis: str) -> Attribution:
    org = catalog.org(org_id)
    if org is None:
        return Attribution(None, UNKNOWN, UNKNOWN, basis + " (no registry organisation)")
    return Attribution(org.id, org.name, catalog.jurisdiction(org.id), f"{basis} -> {org.id} ({org.source})")


def attribute(catalog: Catalog, finding: Finding) -> Attribution:
    scheme, _, value = finding.hint.partition(":")
    if scheme == "hub":
        return _known(catalog, catalog.hub_orgs.get(value.lower()), f"hub organisation {value!r}")
    if scheme == "host":
        org_id, _ = catalog.org_for_host(value)
        note = catalog.unknown_hosts.get(value, "")
        return _known(catalog, org_id, f"host {value}" + (f" [{note}]" if note else ""))
    if scheme == "org":
        return _known(catalog, value, f"{finding.subject or 'setting'}")
    if scheme == "self":
        return Attribution(None, "self-hosted", NOT_APPLICABLE, finding.note or "self-hosted server")
    if scheme == "package":
        package = package_named(catalog, value)
        if package is not None and package.org is None:
            return Attribution(
                None, "community project", NOT_APPLICABLE, f"package {value} (no single publisher)"
            )
        return _known(catalog, package.org if package else None, f"package {value}")
    if scheme == "name":
        return _known(catalog, catalog.org_for_name(value, bare=True), f"model-name prefix of {value!r}")
    reason = finding.note or "no publisher named"
    return Attribution(None, UNKNOWN, UNKNOWN, reason)


def package_named(catalog: Catalog, name: str) -> Package | None:
    """A catalogued distribution by its catalogue name: PyPI, then npm, then container images."""
    found = catalog.packages.get(normalise_package(name)) or catalog.npm_packages.get(name)
    return found or next((p for p in catalog.images.values() if p.name == name), None)


def licence_of(catalog: Catalog, model_id: str) -> str:
    for entry in catalog.licences:
        if fnmatch(model_id.lower(), entry["pattern"].lower()):
            return entry["licence"]
    return UNKNOWN


def dependencies(catalog: Catalog, findings: list[Finding]) -> list[Dependency]:
    """Group findings (benchmarks excluded) into attributed dependencies, in first-seen order."""
    grouped: dict[tuple[str, str], Dependency] = {}
    for finding in findings:
        if finding.kind == BENCHMARK:
            continue
        key = (finding.kind, finding.subject or f"{finding.file}:{finding.line}")
        if key not in grouped:
            package = package_named(catalog, finding.subject) if finding.kind == PACKAGE else None
            role = package.role if package else ""
            licence = (
                licence_of(catalog, finding.subject) if finding.kind == MODEL and finding.subject else ""
            )
            grouped[key] = Dependency(
                finding.kind, finding.subject, attribute(catalog, finding), licence, role
            )
        grouped[key].places.append(finding)
    return list(grouped.values())
