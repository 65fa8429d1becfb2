"""The indexed catalogue of the audit's curated data and its look-ups (built and checked in catalog.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from splitscope.orgs.registry import Registry

# An API model name, Ollama tag or GGUF base name: no spaces, no underscores, no slashes (a slash makes
# it a hub id, read separately). Name prefixes attribute only strings of this shape: a split name such
# as "llama_instruct" or a tokenizer merge "qwen 2" is not a model name.
MODEL_NAME_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9.:+-]{0,80}")


@dataclass(frozen=True)
class Package:
    name: str
    org: str | None
    role: str
    imports: tuple[str, ...]
    ecosystem: str = "pypi"


@dataclass(frozen=True)
class Vendor:
    """An organisation the registry lacks (audit/data/vendors.yaml), shaped like a registry org."""

    id: str
    name: str
    country: str | None
    source: str
    default_country: str | None = None


@dataclass(frozen=True)
class Provider:
    """A client or provider class (audit/data/providers.yaml)."""

    name: str
    modules: tuple[str, ...]
    org: str | None
    host: str | None  # default host; "local" for servers on the user's machine
    model_keywords: tuple[str, ...]
    model_position: int | None
    base_url_keywords: tuple[str, ...]
    exclusive: bool
    weights: bool
    base_env: str = ""


@dataclass
class Catalog:
    registry: Registry
    versions: dict[str, str]
    vendors: dict[str, Vendor] = field(default_factory=dict)
    hub_orgs: dict[str, str] = field(default_factory=dict)  # lower-case hub org -> org id
    api_hosts: dict[str, str] = field(default_factory=dict)  # host -> org id
    unknown_hosts: dict[str, str] = field(default_factory=dict)  # host -> note
    hub_hosts: set[str] = field(default_factory=set)
    name_prefixes: list[tuple[str, str]] = field(default_factory=list)  # (prefix, org id), longest first
    canonical_ids: dict[str, str] = field(default_factory=dict)
    packages: dict[str, Package] = field(default_factory=dict)  # normalised PyPI name -> Package
    npm_packages: dict[str, Package] = field(default_factory=dict)  # npm name -> Package
    images: dict[str, Package] = field(default_factory=dict)  # container image repository -> Package
    import_modules: dict[str, Package] = field(default_factory=dict)  # module -> Package
    environment: dict[str, dict[str, Any]] = field(default_factory=dict)
    placeholder_keys: frozenset[str] = frozenset()
    providers: dict[str, list[Provider]] = field(default_factory=dict)  # class name -> candidates
    ai_sdk_factories: dict[str, str] = field(default_factory=dict)  # npm module -> org id
    keys: dict[str, frozenset[str]] = field(default_factory=dict)  # outputs, not_ids, id_keyed, model_flags
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

    def org(self, org_id: str | None) -> Any:
        """The registry organisation, or the audit's own vendor entry, or None."""
        if not org_id:
            return None
        return self.registry.get(org_id) or self.vendors.get(org_id)

    def jurisdiction(self, org_id: str | None) -> str:
        org = self.org(org_id)
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

    def org_for_name(self, name: str, bare: bool = False) -> str | None:
        """Org whose name prefix starts `name` (an API model name, Ollama tag, GGUF base name).
        Only strings shaped like a model name qualify, and the bare prefix ("llama", "command") only
        where the context says the string names a model (`bare`): a prefix alone never makes an id."""
        if not MODEL_NAME_SHAPE.fullmatch(name):
            return None
        lowered = name.lower()
        for prefix, org_id in self.name_prefixes:
            if lowered.startswith(prefix):
                rest = lowered[len(prefix) :]
                if (rest and (not rest[0].isalpha() or prefix.endswith("-"))) or (not rest and bare):
                    return org_id
        return None

    def provider(self, qualified: str) -> Provider | None:
        """The provider class a qualified call target names (module prefix decides between namesakes)."""
        name = qualified.rsplit(".", 1)[-1]
        for candidate in self.providers.get(name, []):
            if any(qualified.startswith(module) for module in candidate.modules):
                return candidate
        return None


def normalise_package(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
