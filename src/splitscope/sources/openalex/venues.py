"""The venue map (venues.yaml): papercopilot venue code → the OpenAlex source ids that hold its papers.

One venue may have several ids (OpenAlex splits some conferences into per-year proceedings), and one id
belongs to one venue. The file says for each id where it came from and whether it was checked live; the
check itself is venue_check.py (`splitscope openalex venues --check`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from splitscope.errors import UnusableInputError

_VENUE_CODE = re.compile(r"[a-z][a-z0-9]*")
_SOURCE_ID = re.compile(r"S\d+")
_FIELDS = {"id", "name", "years", "from", "checked_live"}


@dataclass(frozen=True)
class VenueSource:
    venue: str  # papercopilot code, e.g. 'nips'
    source_id: str  # short OpenAlex id, e.g. 'S4306420609'
    name: str  # the display name OpenAlex is said to give it
    years: tuple[int, ...] | None  # years it is known to hold; None = not known here
    provenance: str  # where the id comes from
    checked_live: str | None  # date of a live check of the source record, None when never checked

    def to_dict(self) -> dict[str, Any]:
        return {
            "venue": self.venue,
            "source_id": self.source_id,
            "name": self.name,
            "years": list(self.years) if self.years is not None else None,
            "from": self.provenance,
            "checked_live": self.checked_live,
        }


def parse_venue_map(data: Any, label: str = "venues.yaml") -> list[VenueSource]:
    """The map's entries in file order; every problem of the file in one error (a wrong id would
    silently relabel another venue's works, so a malformed entry is never skipped)."""
    problems: list[str] = []
    venues = data.get("venues") if isinstance(data, dict) else None
    if not isinstance(venues, dict):
        raise UnusableInputError(f"{label}: expected a top-level 'venues:' mapping")
    found: list[VenueSource] = []
    owner: dict[str, str] = {}
    for venue, entries in venues.items():
        if not isinstance(venue, str) or not _VENUE_CODE.fullmatch(venue):
            problems.append(f"venue code {venue!r} is not a lower-case papercopilot code")
            continue
        if not isinstance(entries, list) or not entries:
            problems.append(f"{venue}: expected a list of source entries")
            continue
        for index, entry in enumerate(entries, 1):
            where = f"{venue} entry {index}"
            parsed = _parse_entry(venue, entry, where, problems)
            if parsed is None:
                continue
            if parsed.source_id in owner:
                problems.append(
                    f"{where}: {parsed.source_id} is already listed under {owner[parsed.source_id]}"
                )
                continue
            owner[parsed.source_id] = venue
            found.append(parsed)
    if problems:
        raise UnusableInputError(f"{label}: " + "; ".join(problems))
    return found


def _parse_entry(venue: str, entry: Any, where: str, problems: list[str]) -> VenueSource | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: expected a mapping")
        return None
    unknown = set(entry) - _FIELDS
    missing = _FIELDS - set(entry)
    if unknown or missing:
        problems.append(f"{where}: unknown fields {sorted(unknown)}, missing {sorted(missing)}")
        return None
    source_id = str(entry["id"])
    if not _SOURCE_ID.fullmatch(source_id):
        problems.append(f"{where}: {source_id!r} is not a short OpenAlex source id like S4306420609")
        return None
    years = entry["years"]
    if years is not None and not (
        isinstance(years, list) and years and all(isinstance(y, int) and 1900 < y < 2100 for y in years)
    ):
        problems.append(f"{where}: years must be null or a list of years")
        return None
    checked = entry["checked_live"]
    if checked is not False and not (isinstance(checked, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", checked)):
        problems.append(f"{where}: checked_live must be false or a date YYYY-MM-DD")
        return None
    if not str(entry["from"]).strip() or not str(entry["name"]).strip():
        problems.append(f"{where}: 'from' and 'name' must say something")
        return None
    return VenueSource(
        venue,
        source_id,
        str(entry["name"]),
        tuple(sorted(years)) if years is not None else None,
        str(entry["from"]),
        checked or None,
    )


@cache
def venue_map() -> tuple[VenueSource, ...]:
    """The packaged map (read once per process)."""
    text = resources.files("splitscope.sources.openalex").joinpath("venues.yaml").read_text(encoding="utf-8")
    return tuple(parse_venue_map(yaml.safe_load(text)))


def venue_of_source() -> dict[str, str]:
    """Source id → venue code, for the flatten's papers.venue."""
    return {entry.source_id: entry.venue for entry in venue_map()}


def source_ids(venue: str) -> tuple[str, ...]:
    """Every source id of a venue, in file order; unusable input when the map has none."""
    ids = tuple(entry.source_id for entry in venue_map() if entry.venue == venue)
    if not ids:
        known = ", ".join(sorted({entry.venue for entry in venue_map()}))
        raise UnusableInputError(f"venue {venue!r} has no OpenAlex source in the venue map (known: {known})")
    return ids


def mapped_venues() -> list[str]:
    return sorted({entry.venue for entry in venue_map()})
