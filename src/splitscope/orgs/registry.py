"""Load the curated organisation registry (data/*.yaml) and check it, reporting every problem at once.

Each YAML file holds a list under `orgs:`. An entry:

    - id: msra                      # unique slug
      name: Microsoft Research Asia
      aliases: [MSRA, Microsoft Research Asia, 微软亚洲研究院]
      country: CN                   # ISO 3166-1 alpha-2; null for multi-site organisations
      default_country: US           # multi-site only: used when the string names no location
      sector: company               # education | company | government | nonprofit | facility
      parent: microsoft             # optional id of the parent organisation
      domains: [microsoft.com]      # optional web / e-mail domains
      ror: https://ror.org/...      # optional
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import yaml

from splitscope.errors import UnusableInputError
from splitscope.orgs.normalise import normalise

SECTORS = ("education", "company", "government", "nonprofit", "facility")
KNOWN_KEYS = frozenset(
    {"id", "name", "sector", "country", "default_country", "aliases", "parent", "domains", "ror"}
)
# A normalised alias of more tokens is not looked up (nor matched inside a byline by the resolver).
MAX_ALIAS_TOKENS = 12


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    sector: str
    country: str | None = None
    default_country: str | None = None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    domains: tuple[str, ...] = ()
    ror: str | None = None
    source: str = ""

    @property
    def multi_site(self) -> bool:
        return self.country is None


@dataclass
class Registry:
    orgs: dict[str, Org] = field(default_factory=dict)

    def get(self, org_id: str) -> Org | None:
        return self.orgs.get(org_id)

    def __len__(self) -> int:
        return len(self.orgs)

    def __iter__(self):
        return iter(self.orgs.values())

    def family(self, org_id: str) -> str:
        """The top of `org_id`'s parent chain: Microsoft Research Asia and Microsoft are one organisation
        with several sites (a chain that loops stops where it would repeat)."""
        seen = {org_id}
        org = self.orgs.get(org_id)
        while org is not None and org.parent and org.parent not in seen:
            seen.add(org.parent)
            org_id, org = org.parent, self.orgs.get(org.parent)
        return org_id

    def alias_index(self) -> dict[str, tuple[str, ...]]:
        """Normalised name or alias → ids of the organisations that carry it, in registry order (a name
        several organisations share, such as Northeastern University, maps to all of them)."""
        index: dict[str, tuple[str, ...]] = {}
        for org in self:
            for alias in {org.name, *org.aliases}:
                key = normalise(alias)
                if key and len(key.split()) <= MAX_ALIAS_TOKENS:
                    current = index.get(key, ())
                    if org.id not in current:
                        index[key] = (*current, org.id)
        return index


def _valid_country(code: Any) -> bool:
    return isinstance(code, str) and pycountry.countries.get(alpha_2=code) is not None


def _entry_problems(entry: Any, where: str) -> list[str]:
    if not isinstance(entry, dict):
        return [f"{where}: not a mapping"]
    problems = []
    unknown = sorted(set(entry) - KNOWN_KEYS)
    if unknown:  # e.g. an unquoted comma in a flow mapping turned part of a name into a key
        problems.append(f"{where}: unknown key(s) {', '.join(map(str, unknown))}")
    for key in ("id", "name", "sector"):
        if not isinstance(entry.get(key), str) or not entry.get(key):
            problems.append(f"{where}: missing '{key}'")
    if entry.get("sector") not in SECTORS:
        problems.append(f"{where}: sector {entry.get('sector')!r} not one of {', '.join(SECTORS)}")
    country, default = entry.get("country"), entry.get("default_country")
    if country is not None and not _valid_country(country):
        problems.append(f"{where}: country {country!r} is not an ISO 3166-1 alpha-2 code")
    if default is not None and not _valid_country(default):
        problems.append(f"{where}: default_country {default!r} is not an ISO 3166-1 alpha-2 code")
    if country is None and default is None:
        problems.append(f"{where}: needs 'country', or 'default_country' for a multi-site organisation")
    for key in ("aliases", "domains"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{where}: '{key}' must be a list of strings")
    return problems


def _to_org(entry: dict[str, Any], source: str) -> Org:
    return Org(
        id=entry["id"],
        name=entry["name"],
        sector=entry["sector"],
        country=entry.get("country"),
        default_country=entry.get("default_country"),
        aliases=tuple(entry.get("aliases", [])),
        parent=entry.get("parent"),
        domains=tuple(d.lower() for d in entry.get("domains", [])),
        ror=entry.get("ror"),
        source=source,
    )


def build_registry(documents: Iterable[tuple[str, Any]]) -> Registry:
    """Validate (source name, parsed YAML) documents into one registry; raise with every problem found."""
    problems: list[str] = []
    registry = Registry()
    for source, doc in documents:
        entries = doc.get("orgs") if isinstance(doc, dict) else None
        if not isinstance(entries, list):
            problems.append(f"{source}: expected a top-level 'orgs:' list")
            continue
        for index, entry in enumerate(entries):
            where = f"{source}: entry {index + 1}" + (
                f" ({entry.get('id')})" if isinstance(entry, dict) and entry.get("id") else ""
            )
            entry_problems = _entry_problems(entry, where)
            if entry_problems:
                problems.extend(entry_problems)
                continue
            if entry["id"] in registry.orgs:
                problems.append(f"{where}: duplicate id (also in {registry.orgs[entry['id']].source})")
                continue
            registry.orgs[entry["id"]] = _to_org(entry, source)
    for org in registry:
        if org.parent and org.parent not in registry.orgs:
            problems.append(f"{org.source}: {org.id}: parent {org.parent!r} is not in the registry")
    if problems:
        raise UnusableInputError("organisation registry: " + "; ".join(problems))
    return registry


def _read_yaml(path: Path | Any, name: str) -> tuple[str, Any]:
    try:
        return name, yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise UnusableInputError(f"{name}: not valid YAML ({exc})") from exc


def load_registry(extra_files: Iterable[Path] = ()) -> Registry:
    """The packaged curated registry (orgs/data/*.yaml) plus any extra YAML files."""
    folder = resources.files("splitscope.orgs") / "data"
    packaged = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    docs = [_read_yaml(f, f"orgs/data/{f.name}") for f in packaged]
    docs += [_read_yaml(Path(p), str(p)) for p in extra_files]
    return build_registry(docs)
