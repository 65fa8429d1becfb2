"""The world universities list (Hipo/university-domains-list, mirrored in ../shared/data/reference/) read
in place into registry organisations: name, country and web domains of ~10,000 universities."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from splitscope.config import shared_data_dir
from splitscope.errors import UnusableInputError
from splitscope.orgs.registry import Org

FILE_NAME = "world_universities_and_domains.json.gz"


def default_path() -> Path | None:
    shared = shared_data_dir()
    if shared is None:
        return None
    path = Path(shared) / "reference" / FILE_NAME
    return path if path.exists() else None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]


def load_world_universities(path: Path | None = None) -> list[Org]:
    """Orgs from the list (empty when the file is absent: the curated registry still works)."""
    path = path or default_path()
    if path is None:
        return []
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            entries = json.load(handle)
    except (OSError, ValueError) as exc:
        raise UnusableInputError(f"{path}: not a readable world-universities JSON list ({exc})") from exc
    orgs: list[Org] = []
    used: set[str] = set()
    for entry in entries:
        name, country = entry.get("name"), entry.get("alpha_two_code")
        if not name or not country or len(country) != 2:
            continue
        org_id = f"wu:{country.lower()}:{_slug(name)}"
        while org_id in used:
            org_id += "~"
        used.add(org_id)
        orgs.append(
            Org(
                id=org_id,
                name=name,
                sector="education",
                country=country.upper(),
                aliases=(name,),
                domains=tuple(d.lower() for d in entry.get("domains") or []),
                source="world-universities",
            )
        )
    return orgs
