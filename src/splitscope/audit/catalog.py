"""The audit's curated data (audit/data/*.yaml) loaded, checked against the organisation registry, indexed.

Every problem in the data files is reported at once (UnusableInputError), like the registry loader:
unknown org ids, missing versions, and any entry without a `source` (where the curator read it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from splitscope.audit.catalog_model import (
    Catalog,
    Package,
    Provider,
    Vendor,
    normalise_package,
)
from splitscope.errors import UnusableInputError
from splitscope.orgs.registry import Registry, load_registry

__all__ = ["Catalog", "Package", "Provider", "build_catalog", "load_catalog", "normalise_package"]

DATA_FILES = (
    "publishers",
    "vendors",
    "packages",
    "environment",
    "providers",
    "keys",
    "benchmarks",
    "licences",
    "dual_source",
)
ROLES = ("api_sdk", "hub_client", "framework")
ECOSYSTEMS = ("pypi", "npm", "docker")
KEY_LISTS = ("outputs", "not_ids", "id_keyed", "model_flags", "opaque", "data_files")


class _Check:
    """Collects every problem in the data files, so all are reported at once."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.problems: list[str] = []

    def org(self, org_id: Any, where: str) -> None:
        if org_id is not None and self.catalog.org(org_id) is None:
            self.problems.append(f"{where}: org {org_id!r} is not in the organisation registry or vendors")

    def source(self, entry: dict[str, Any], where: str) -> None:
        if not str(entry.get("source") or "").strip():
            self.problems.append(f"{where}: missing 'source'")


def _add_vendors(check: _Check, doc: dict[str, Any]) -> None:
    for entry in doc.get("vendors", []):
        where = f"audit/data/vendors.yaml: {entry.get('id')}"
        check.source(entry, where)
        if check.catalog.registry.get(entry["id"]) is not None:
            check.problems.append(f"{where}: already in the organisation registry (delete it here)")
        check.catalog.vendors[entry["id"]] = Vendor(
            entry["id"], entry["name"], entry.get("country"), entry.get("source", "")
        )


def _add_publishers(check: _Check, doc: dict[str, Any]) -> None:
    catalog = check.catalog
    for entry in doc.get("publishers", []):
        org_id = entry.get("org")
        where = f"audit/data/publishers.yaml: {org_id}"
        check.org(org_id, where)
        check.source(entry, where)
        for hub_org in entry.get("hub_orgs", []):
            catalog.hub_orgs[hub_org.lower()] = org_id
        for host in entry.get("api_hosts", []):
            catalog.api_hosts[host.lower()] = org_id
        for prefix in entry.get("name_prefixes", []):
            catalog.name_prefixes.append((prefix.lower(), org_id))
    catalog.name_prefixes.sort(key=lambda pair: -len(pair[0]))
    for entry in doc.get("unknown_operator_hosts", []):
        check.source(entry, f"audit/data/publishers.yaml: unknown host {entry.get('host')}")
        catalog.unknown_hosts[entry["host"].lower()] = entry.get("note", "")
    for listed in ("hub_hosts", "canonical_ids"):
        if doc.get(listed) and not doc.get(f"{listed}_source"):
            check.problems.append(f"audit/data/publishers.yaml: {listed} without '{listed}_source'")
    catalog.hub_hosts = {h.lower() for h in doc.get("hub_hosts", [])}
    catalog.canonical_ids = {k.lower(): v for k, v in (doc.get("canonical_ids") or {}).items()}


def _add_packages(check: _Check, doc: dict[str, Any]) -> None:
    catalog = check.catalog
    for entry in doc.get("packages", []):
        ecosystem = entry.get("ecosystem", "pypi")
        package = Package(
            entry["name"], entry.get("org"), entry["role"], tuple(entry.get("imports", [])), ecosystem
        )
        where = f"audit/data/packages.yaml: {ecosystem}:{package.name}"
        check.org(package.org, where)
        check.source(entry, where)
        if package.role not in ROLES:
            check.problems.append(f"{where}: unknown role {package.role!r}")
        if ecosystem not in ECOSYSTEMS:
            check.problems.append(f"{where}: unknown ecosystem {ecosystem!r}")
        if ecosystem == "npm":
            catalog.npm_packages[package.name] = package
        elif ecosystem == "docker":
            for image in entry.get("images", []):
                catalog.images[image.lower()] = package
        else:
            catalog.packages[normalise_package(package.name)] = package
        for module in package.imports:
            catalog.import_modules[module] = package


def _add_environment(check: _Check, doc: dict[str, Any]) -> None:
    for entry in doc.get("variables", []):
        where = f"audit/data/environment.yaml: {entry['name']}"
        for key in ("org", "hub"):
            check.org(entry.get(key), where)
        check.source(entry, where)
        check.catalog.environment[entry["name"]] = entry
    if doc.get("placeholder_keys") and not doc.get("placeholder_source"):
        check.problems.append("audit/data/environment.yaml: placeholder_keys without 'placeholder_source'")
    check.catalog.placeholder_keys = frozenset(str(v) for v in doc.get("placeholder_keys", []))


def _add_providers(check: _Check, doc: dict[str, Any]) -> None:
    for entry in doc.get("providers", []):
        where = f"audit/data/providers.yaml: {entry.get('class')} ({', '.join(entry.get('modules', []))})"
        check.org(entry.get("org"), where)
        check.source(entry, where)
        provider = Provider(
            name=entry["class"],
            modules=tuple(entry.get("modules", [])),
            org=entry.get("org"),
            host=entry.get("host"),
            model_keywords=tuple(entry.get("model", [])),
            model_position=entry.get("position"),
            base_url_keywords=tuple(entry.get("base_url", [])),
            exclusive=bool(entry.get("exclusive")),
            weights=bool(entry.get("weights")),
            base_env=entry.get("base_env", ""),
        )
        check.catalog.providers.setdefault(provider.name, []).append(provider)
    factories = doc.get("ai_sdk_factories") or {}
    check.source(factories, "audit/data/providers.yaml: ai_sdk_factories")
    for module, org_id in (factories.get("modules") or {}).items():
        check.org(org_id, f"audit/data/providers.yaml: ai_sdk_factories {module}")
        check.catalog.ai_sdk_factories[module] = org_id


def _add_keys(check: _Check, doc: dict[str, Any]) -> None:
    for name in KEY_LISTS:
        if not doc.get(f"{name}_source"):
            check.problems.append(f"audit/data/keys.yaml: {name} without '{name}_source'")
        values = (str(k) if name == "opaque" else str(k).lower() for k in doc.get(name, []))
        check.catalog.keys[name] = frozenset(values)


def _add_benchmarks(check: _Check, doc: dict[str, Any]) -> None:
    catalog = check.catalog
    raw = "|".join(entry["pattern"] for entry in doc.get("benchmarks", []))
    catalog.benchmark_any = re.compile(rf"(?<![A-Za-z0-9])(?:{raw})(?![A-Za-z0-9])", re.IGNORECASE)
    catalog.benchmark_literals = tuple(
        sorted({lit for e in doc.get("benchmarks", []) for lit in e.get("literals", [])})
    )
    for entry in doc.get("benchmarks", []):
        if not entry.get("literals"):
            check.problems.append(f"audit/data/benchmarks.yaml: {entry.get('name')}: missing 'literals'")
        try:
            pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{entry['pattern']})(?![A-Za-z0-9])", re.IGNORECASE)
        except re.error as exc:
            check.problems.append(f"audit/data/benchmarks.yaml: {entry.get('name')}: bad pattern ({exc})")
            continue
        catalog.benchmarks.append((entry["name"], pattern))


def _add_dual_source(check: _Check, doc: dict[str, Any]) -> None:
    for group in doc.get("groups", []):
        if not group.get("basis"):
            check.problems.append(f"audit/data/dual_source.yaml: {group.get('id')}: missing 'basis'")
        for member in group.get("members", []):
            for pattern in member.get("match", []):
                if pattern.startswith("api:"):
                    check.org(pattern[4:], f"audit/data/dual_source.yaml: {group.get('id')}")
        check.catalog.dual_source_groups.append(group)


def build_catalog(registry: Registry, docs: dict[str, Any]) -> Catalog:
    problems = [
        f"audit/data/{name}.yaml: expected a mapping with a 'version'"
        for name in DATA_FILES
        if not isinstance(docs.get(name), dict) or not docs[name].get("version")
    ]
    if problems:
        raise UnusableInputError("audit data: " + "; ".join(problems))
    catalog = Catalog(registry=registry, versions={name: str(docs[name]["version"]) for name in DATA_FILES})
    check = _Check(catalog)
    _add_vendors(check, docs["vendors"])  # first: the other files may name these organisations
    _add_publishers(check, docs["publishers"])
    _add_packages(check, docs["packages"])
    _add_environment(check, docs["environment"])
    _add_providers(check, docs["providers"])
    _add_keys(check, docs["keys"])
    _add_benchmarks(check, docs["benchmarks"])
    catalog.licences = list(docs["licences"].get("licences", []))
    catalog.licence_source = docs["licences"].get("source", "")
    _add_dual_source(check, docs["dual_source"])
    if check.problems:
        raise UnusableInputError("audit data: " + "; ".join(check.problems))
    return catalog


def _read(name: str) -> Any:
    path = resources.files("splitscope.audit") / "data" / f"{name}.yaml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise UnusableInputError(f"audit/data/{name}.yaml: not valid YAML ({exc})") from exc


def read_data_files() -> dict[str, Any]:
    return {name: _read(name) for name in DATA_FILES}


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The packaged audit data over the packaged organisation registry (cached: it never changes)."""
    return build_catalog(load_registry(), read_data_files())
