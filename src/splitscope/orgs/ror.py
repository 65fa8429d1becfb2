"""`splitscope orgs import-ror FILE.zip`: the ROR v2 data dump as a registry file.

The dump (https://zenodo.org/communities/ror-data) is a zip holding `…_schema_v2.json` (newer dumps also
hold a v1 file): a JSON list of records with `id`, `names[{value, types, lang}]`, `types`, `status`,
`domains`, `links`, `locations[{geonames_details{country_code}}]` and `relationships`. We keep active
records, every name (display, labels, aliases, acronyms) as aliases, the first location's country, the
ROR type as sector, domains and web-link hosts, and the parent relationship.

Everything is validated before anything is written, and the file is replaced atomically: a malformed
dump leaves the previous registry file as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from splitscope.errors import UnusableInputError
from splitscope.orgs.normalise import normalise
from splitscope.orgs.registry import Registry, _read_yaml, build_registry

SECTOR_OF_TYPE = {
    "education": "education", "company": "company", "government": "government",
    "nonprofit": "nonprofit", "facility": "facility", "healthcare": "facility", "archive": "facility",
    "funder": "nonprofit", "other": "nonprofit",
}  # fmt: skip
ROR_PREFIX = "https://ror.org/"


def read_ror_records(dump: Path) -> list[Any]:
    try:
        if dump.suffix == ".zip":
            with zipfile.ZipFile(dump) as archive:
                names = [n for n in archive.namelist() if n.endswith(".json")]
                v2 = [n for n in names if "schema_v2" in n] or names
                if len(v2) != 1:
                    raise UnusableInputError(f"{dump}: expected one ROR v2 JSON file in the zip, found {v2}")
                data = json.loads(archive.read(v2[0]))
        else:
            data = json.loads(dump.read_bytes())
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise UnusableInputError(f"{dump}: not a readable ROR dump ({exc})") from None
    if not isinstance(data, list):
        raise UnusableInputError(f"{dump}: a ROR dump is a JSON list of organisations")
    return data


def ror_entry(record: Any, index: int) -> tuple[dict[str, Any] | None, str | None]:
    """(registry entry, None), (None, None) for an inactive record, or (None, problem)."""
    if not isinstance(record, dict):
        return None, f"record {index + 1}: not an object"
    ror_id = record.get("id")
    if not isinstance(ror_id, str) or not ror_id.startswith(ROR_PREFIX):
        return None, f"record {index + 1}: id {ror_id!r} is not a ROR id"
    if record.get("status", "active") != "active":
        return None, None
    names = [n for n in record.get("names") or [] if isinstance(n, dict) and isinstance(n.get("value"), str)]
    display = next((n["value"] for n in names if "ror_display" in (n.get("types") or [])), None)
    if display is None and names:
        display = names[0]["value"]
    locations = record.get("locations") or []
    country = None
    if locations and isinstance(locations[0], dict):
        country = (locations[0].get("geonames_details") or {}).get("country_code")
    if not display or not isinstance(country, str) or len(country) != 2:
        return None, f"record {index + 1} ({ror_id}): needs a display name and a location country code"
    types = record.get("types") or ["other"]
    parent = next(
        (
            r.get("id")
            for r in record.get("relationships") or []
            if isinstance(r, dict) and r.get("type") == "parent"
        ),
        None,
    )
    hosts = {
        urlparse(link.get("value", "")).hostname
        for link in record.get("links") or []
        if isinstance(link, dict)
    }
    domains = sorted({d.lower() for d in record.get("domains") or [] if isinstance(d, str)}
                     | {h.removeprefix("www.") for h in hosts if h})  # fmt: skip
    entry = {
        "id": "ror:" + ror_id.removeprefix(ROR_PREFIX),
        "name": display,
        "aliases": sorted({n["value"] for n in names}),
        "country": country.upper(),
        "sector": SECTOR_OF_TYPE.get(types[0], "nonprofit"),
        "domains": domains,
        "ror": ror_id,
    }
    if isinstance(parent, str) and parent.startswith(ROR_PREFIX):
        entry["parent"] = "ror:" + parent.removeprefix(ROR_PREFIX)
    return entry, None


def import_ror(dump: Path, target: Path) -> dict[str, Any]:
    records = read_ror_records(dump)
    entries, problems, inactive = [], [], 0
    for index, record in enumerate(records):
        entry, problem = ror_entry(record, index)
        if problem:
            problems.append(problem)
        elif entry is None:
            inactive += 1
        else:
            entries.append(entry)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise UnusableInputError(f"{dump}: {len(problems)} malformed record(s), nothing imported: {shown}")
    known = {e["id"] for e in entries}
    for entry in entries:  # a parent that is inactive or outside the dump: keep the child, drop the link
        if entry.get("parent") not in known:
            entry.pop("parent", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", dir=target.parent, delete=False, suffix=".tmp", encoding="utf-8"
    ) as f:
        f.write(f"# Imported from {dump.name} by `splitscope orgs import-ror`.\n")
        yaml.safe_dump({"orgs": entries}, f, allow_unicode=True, sort_keys=False)
    os.replace(f.name, target)
    return {"orgs": len(entries), "inactive_skipped": inactive, "file": str(target)}


def add_ror_registry(registry: Registry, path: Path) -> int:
    """Merge an imported ROR registry file: organisations the registry does not hold yet (by domain or
    normalised name) are added with source 'ror'. Returns how many."""
    imported = build_registry([_read_yaml(path, str(path))])
    known_domains = {d for org in registry for d in org.domains}
    known_names = {normalise(n) for org in registry for n in (org.name, *org.aliases)}
    added = 0
    for org in imported:
        if normalise(org.name) in known_names or any(d in known_domains for d in org.domains):
            continue
        parent = org.parent if org.parent in imported.orgs else None
        registry.orgs[org.id] = replace(org, source="ror", parent=parent)
        added += 1
    for org_id, org in list(registry.orgs.items()):  # parents that were skipped as duplicates
        if org.source == "ror" and org.parent and org.parent not in registry.orgs:
            registry.orgs[org_id] = replace(org, parent=None)
    return added
