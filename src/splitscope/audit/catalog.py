"""The audit's curated data (audit/data/*.yaml) loaded, checked against the organisation registry, indexed.

Every problem in the data files is reported at once (UnusableInputError), like the registry loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from splitscope.errors import UnusableInputError
from splitscope.orgs.registry import Registry, load_registry

DATA_FILES = ("publishers", "packages", "environment", "benchmarks", "licences", "dual_source")


@dataclass(frozen=True)
class Package:
    name: str
    org: str | None
    role: str
    imports: tuple[str, ...]


@dataclass
class Catalog:
    registry: Registry
    versions: dict[str, str]
    hub_orgs: dict[str, str] = field(default_factory=dict)  # lower-case hub org -> org id
    api_hosts: dict[str, str] = field(default_factory=dict)  # host -> org id
    unknown_hosts: dict[str, str] = field(default_factory=dict)  # host -> note
    hub_hosts: set[str] = field(default_factory=set)
    name_prefixes: list[tuple[str, str]] = field(default_factory=list)  # (prefix, org id), longest first
    canonical_ids: dict[str, str] = field(default_factory=dict)
    packages: dict[str, Package] = field(default_factory=dict)  # normalised distribution name -> Package
    import_modules: dict[str, Package] = field(default_factory=dict)  # module -> Package
    environment: dict[str, dict[str, Any]] = field(default_factory=dict)
    benchmarks: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    benchmark_any: re.Pattern[str] = re.compile(r"(?!x)x")  # matches when any benchmark does
    benchmark_literals: tuple[str, ...] = ()
    licences: list[dict[str, str]] = field(default_factory=list)
    licence_source: str = ""
    dual_source_groups: list[dict[str, Any]] = field(default_factory=list)

    def names_benchmark(self, text: str) -> bool:
        """Whether `text` names any benchmark (substring gate first: the regular expression is slow)."""
        lowered = text.lower()
        return any(lit in lowered for lit in self.benchmark_literals) and bool(
            self.benchmark_any.search(text)
        )

    def jurisdiction(self, org_id: str | None) -> str:
        org = self.registry.get(org_id) if org_id else None
        if org is None:
            return "unknown"
        return org.country or org.default_country or "unknown"

    def org_for_host(self, host: str) -> tuple[str | None, bool]:
        """(org id, operator known) for a host or any of its parent domains."""
        host = host.lower().rstrip(".")
        parts = host.split(".")
        for start in range(len(parts) - 1):
            candidate = ".".join(parts[start:])
            if candidate in self.api_hosts:
                return self.api_hosts[candidate], True
            if candidate in self.unknown_hosts:
                return None, False
        return None, False

    def is_hub_host(self, host: str) -> bool:
        host = host.lower()
        return any(host == hub or host.endswith("." + hub) for hub in self.hub_hosts)

    def org_for_name(self, name: str) -> str | None:
        """Org whose name prefix starts `name` (an API model name, Ollama tag, GGUF base name)."""
        lowered = name.lower()
        for prefix, org_id in self.name_prefixes:
            if lowered.startswith(prefix):
                rest = lowered[len(prefix) :]
                if not rest or not rest[0].isalpha() or prefix.endswith("-"):
                    return org_id
        return None


def normalise_package(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _read(name: str) -> Any:
    path = resources.files("splitscope.audit") / "data" / f"{name}.yaml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise UnusableInputError(f"audit/data/{name}.yaml: not valid YAML ({exc})") from exc


def _check_org(org_id: Any, where: str, registry: Registry, problems: list[str]) -> None:
    if org_id is not None and registry.get(org_id) is None:
        problems.append(f"{where}: org {org_id!r} is not in the organisation registry")


def _add_publishers(catalog: Catalog, doc: dict[str, Any], problems: list[str]) -> None:
    for entry in doc.get("publishers", []):
        org_id = entry.get("org")
        _check_org(org_id, f"audit/data/publishers.yaml: {org_id}", catalog.registry, problems)
        for hub_org in entry.get("hub_orgs", []):
            catalog.hub_orgs[hub_org.lower()] = org_id
        for host in entry.get("api_hosts", []):
            catalog.api_hosts[host.lower()] = org_id
        for prefix in entry.get("name_prefixes", []):
            catalog.name_prefixes.append((prefix.lower(), org_id))
    catalog.name_prefixes.sort(key=lambda pair: -len(pair[0]))
    for entry in doc.get("unknown_operator_hosts", []):
        catalog.unknown_hosts[entry["host"].lower()] = entry.get("note", "")
    catalog.hub_hosts = {h.lower() for h in doc.get("hub_hosts", [])}
    catalog.canonical_ids = {k.lower(): v for k, v in (doc.get("canonical_ids") or {}).items()}


def _add_packages(catalog: Catalog, doc: dict[str, Any], problems: list[str]) -> None:
    for entry in doc.get("packages", []):
        package = Package(entry["name"], entry.get("org"), entry["role"], tuple(entry.get("imports", [])))
        _check_org(package.org, f"audit/data/packages.yaml: {package.name}", catalog.registry, problems)
        if package.role not in ("api_sdk", "hub_client", "framework"):
            problems.append(f"audit/data/packages.yaml: {package.name}: unknown role {package.role!r}")
        catalog.packages[normalise_package(package.name)] = package
        for module in package.imports:
            catalog.import_modules[module] = package


def _add_environment(catalog: Catalog, doc: dict[str, Any], problems: list[str]) -> None:
    for entry in doc.get("variables", []):
        for key in ("org", "hub"):
            _check_org(
                entry.get(key), f"audit/data/environment.yaml: {entry['name']}", catalog.registry, problems
            )
        catalog.environment[entry["name"]] = entry


def _add_benchmarks(catalog: Catalog, doc: dict[str, Any], problems: list[str]) -> None:
    raw = "|".join(entry["pattern"] for entry in doc.get("benchmarks", []))
    catalog.benchmark_any = re.compile(rf"(?<![A-Za-z0-9])(?:{raw})(?![A-Za-z0-9])", re.IGNORECASE)
    catalog.benchmark_literals = tuple(
        sorted({lit for e in doc.get("benchmarks", []) for lit in e.get("literals", [])})
    )
    for entry in doc.get("benchmarks", []):
        if not entry.get("literals"):
            problems.append(f"audit/data/benchmarks.yaml: {entry.get('name')}: missing 'literals'")
    for entry in doc.get("benchmarks", []):
        try:
            pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{entry['pattern']})(?![A-Za-z0-9])", re.IGNORECASE)
        except re.error as exc:
            problems.append(f"audit/data/benchmarks.yaml: {entry.get('name')}: bad pattern ({exc})")
            continue
        catalog.benchmarks.append((entry["name"], pattern))


def _add_dual_source(catalog: Catalog, doc: dict[str, Any], problems: list[str]) -> None:
    for group in doc.get("groups", []):
        if not group.get("basis"):
            problems.append(f"audit/data/dual_source.yaml: {group.get('id')}: missing 'basis'")
        for member in group.get("members", []):
            for pattern in member.get("match", []):
                if pattern.startswith("api:"):
                    _check_org(
                        pattern[4:],
                        f"audit/data/dual_source.yaml: {group.get('id')}",
                        catalog.registry,
                        problems,
                    )
        catalog.dual_source_groups.append(group)


def build_catalog(registry: Registry, docs: dict[str, Any]) -> Catalog:
    problems: list[str] = []
    for name in DATA_FILES:
        if not isinstance(docs.get(name), dict) or not docs[name].get("version"):
            problems.append(f"audit/data/{name}.yaml: expected a mapping with a 'version'")
    if problems:
        raise UnusableInputError("audit data: " + "; ".join(problems))
    catalog = Catalog(registry=registry, versions={name: str(docs[name]["version"]) for name in DATA_FILES})
    _add_publishers(catalog, docs["publishers"], problems)
    _add_packages(catalog, docs["packages"], problems)
    _add_environment(catalog, docs["environment"], problems)
    _add_benchmarks(catalog, docs["benchmarks"], problems)
    catalog.licences = list(docs["licences"].get("licences", []))
    catalog.licence_source = docs["licences"].get("source", "")
    _add_dual_source(catalog, docs["dual_source"], problems)
    if problems:
        raise UnusableInputError("audit data: " + "; ".join(problems))
    return catalog


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The packaged audit data over the packaged organisation registry (cached: it never changes)."""
    return build_catalog(load_registry(), {name: _read(name) for name in DATA_FILES})
