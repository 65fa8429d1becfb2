"""The world universities list (Hipo, ../shared/data/reference/world_universities_and_domains.json.gz) as
registry organisations, read in place at build time.

Each entry becomes an education organisation with id 'wu:<first domain>', its name as the one alias and
its domains. A university the curated registry already holds (same domain or same normalised name) is
skipped: the curated entry carries the byline variants, acronyms and Chinese names.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from splitscope.errors import UnusableInputError
from splitscope.orgs.normalise import normalise
from splitscope.orgs.registry import Org, Registry

WORLD_UNIVERSITIES_FILE = "reference/world_universities_and_domains.json.gz"


def read_world_universities(path: Path) -> list[dict]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            entries = json.load(handle)
    except (OSError, ValueError) as exc:
        raise UnusableInputError(f"{path}: not a readable world-universities JSON file ({exc})") from None
    if not isinstance(entries, list):
        raise UnusableInputError(f"{path}: expected a JSON list of universities")
    return entries


def add_world_universities(registry: Registry, path: Path) -> int:
    """Add the list's universities the registry does not hold yet; returns how many were added."""
    known_domains = {d for org in registry for d in org.domains}
    known_names = {normalise(n) for org in registry for n in (org.name, *org.aliases)}
    added = 0
    for entry in read_world_universities(path):
        name, code = entry.get("name"), entry.get("alpha_two_code")
        domains = tuple(d.lower() for d in entry.get("domains") or () if isinstance(d, str))
        if not isinstance(name, str) or not isinstance(code, str) or len(code) != 2:
            continue
        if normalise(name) in known_names or any(d in known_domains for d in domains):
            continue
        org_id = f"wu:{domains[0]}" if domains else f"wu:{normalise(name).replace(' ', '-')}"
        if org_id in registry.orgs:  # two list entries sharing a first domain: keep the first
            continue
        registry.orgs[org_id] = Org(
            id=org_id,
            name=name,
            sector="education",
            country=code.upper(),
            aliases=(name,),
            domains=domains,
            source="world-universities",
        )
        known_domains.update(domains)
        added += 1
    return added
