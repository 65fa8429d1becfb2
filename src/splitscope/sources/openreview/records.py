"""OpenReview API v2 records → canonical rows: accepted papers (notes) with their authorships, and their
authors' profiles (career and education history) as history rows (fetching: api.py).

Profiles are stored as history rows; a profile shows today's job, so positions are only evidence inside
their own start/end years (open-ended ones stop at the year the profile was fetched).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pycountry

from splitscope.errors import UnusableInputError
from splitscope.sources.text import mask_emails, normalise_title

# OpenReview group prefixes → papercopilot venue codes, so API papers share ids with the paper lists.
VENUE_CODES = {
    "neurips": "nips",
    "nips": "nips",
    "iclr": "iclr",
    "icml": "icml",
    "colm": "colm",
    "corl": "corl",
    "robot-learning": "corl",
    "aclweb": "acl",
    "thecvf": "cvpr",
}

_LEVELS = (  # order matters: 'postdoc' must not read as a doctorate
    ("postdoc", None),
    ("bachelor", "bachelor"),
    ("undergrad", "bachelor"),
    (r"\bb\.?s\.?c?\b", "bachelor"),
    (r"\bb\.?eng\b", "bachelor"),
    ("master", "master"),
    (r"\bm\.?s\.?c?\b", "master"),
    (r"\bm\.?eng\b", "master"),
    ("mphil", "master"),
    (r"\bph\.?\s?d\b", "doctorate"),
    ("doctoral", "doctorate"),
    ("dphil", "doctorate"),
)


@dataclass(frozen=True)
class PapersHeld:
    """What other sources already hold for the venue-year: an API note matching either is merged."""

    paper_ids: set[str] = field(default_factory=set)
    normalised_titles: set[str] = field(default_factory=set)

    def holds(self, paper: dict[str, Any]) -> bool:
        return (
            paper["paper_id"] in self.paper_ids or normalise_title(paper["title"]) in self.normalised_titles
        )


class RecordProblem(ValueError):
    """A record that cannot be stored; the message becomes its quarantine reason."""


@dataclass
class VenueLoad:
    source_id: str
    records_read: int = 0
    papers_stored: int = 0
    records_merged: int = 0
    records_quarantined: int = 0
    profiles_stored: int = 0
    profiles_quarantined: int = 0
    history_rows: int = 0
    quarantine: list[tuple[str, str, str]] = field(default_factory=list)


def venue_code_and_year(venue_id: str) -> tuple[str, int]:
    """'NeurIPS.cc/2024/Conference' → ('nips', 2024)."""
    parts = venue_id.split("/")
    if len(parts) < 2 or not parts[1].isdigit():
        raise UnusableInputError(
            f"{venue_id!r} is not an OpenReview venue id like 'NeurIPS.cc/2024/Conference'"
        )
    prefix = parts[0].split(".")[0].lower()
    return VENUE_CODES.get(prefix, re.sub(r"[^a-z0-9]", "", prefix)), int(parts[1])


def classify_position(position: str | None) -> tuple[str, str | None]:
    """('education', level) for student roles, ('position', None) for everything else."""
    text = (position or "").lower()
    if "student" not in text and not re.search(
        r"\b(bachelor|undergrad|master|ph\.?\s?d|b\.?sc|m\.?sc)", text
    ):
        return "position", None
    for pattern, level in _LEVELS:
        if re.search(pattern, text):
            return ("position", None) if level is None else ("education", level)
    return "education", None


def _value(content: dict[str, Any], key: str) -> Any:
    item = content.get(key)
    return item.get("value") if isinstance(item, dict) else item


def _status_from_venue(venue_text: str | None) -> str:
    text = (venue_text or "").lower()
    for status in ("oral", "spotlight", "highlight", "poster"):
        if status in text:
            return status.capitalize()
    return "Accept"


def parse_note(
    note: Any, venue: str, year: int, source_id: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(note, dict) or not isinstance(note.get("content"), dict) or not note.get("id"):
        raise RecordProblem("note is not an object with 'id' and 'content'")
    content = note["content"]
    title = _value(content, "title")
    authors = _value(content, "authors")
    authorids = _value(content, "authorids") or []
    if not isinstance(title, str) or not title.strip():
        raise RecordProblem("note has no title")
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise RecordProblem("note 'authors' is not a list of names")
    if not isinstance(authorids, list):
        raise RecordProblem("note 'authorids' is not a list")
    status = _status_from_venue(_value(content, "venue"))
    paper_id = f"{venue}{year}:{note['id']}"
    keywords = _value(content, "keywords")
    paper = {
        "paper_id": paper_id,
        "venue": venue,
        "year": year,
        "title": " ".join(title.split()),
        "status": status,
        "track": None,
        "accepted": True,
        "top_tier": status in ("Oral", "Spotlight", "Highlight"),
        "keywords": [k for k in keywords if isinstance(k, str)] if isinstance(keywords, list) else None,
        "primary_area": _value(content, "primary_area"),
        "source_id": source_id,
        "source_paper_id": note["id"],
        "openreview_forum_id": note.get("forum") or note["id"],
    }
    authorships = []
    for index, name in enumerate(authors):
        author_id = authorids[index] if index < len(authorids) and isinstance(authorids[index], str) else ""
        authorships.append(
            {
                "authorship_id": f"{paper_id}#{index + 1}",
                "paper_id": paper_id,
                "position": index + 1,
                "name": " ".join(name.split()),
                "openreview_id": author_id if author_id.startswith("~") else None,
                "orcid": None,
                "email_domain": author_id.rsplit("@", 1)[1].lower() if "@" in author_id else None,
                "position_title": None,
                "source_id": source_id,
            }
        )
    return paper, authorships


def _country_code(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def _year(value: Any) -> int | None:
    if isinstance(value, int) and 1900 < value < 2100:
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
        return int(value)
    return None


def parse_profile(
    profile: Any, source_id: str, fetched_year: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(profile, dict) or not isinstance(profile.get("id"), str):
        raise RecordProblem("profile is not an object with an 'id'")
    content = profile.get("content")
    if not isinstance(content, dict):
        raise RecordProblem(f"profile {profile['id']}: no 'content' object")
    names = content.get("names") if isinstance(content.get("names"), list) else []
    usernames = sorted(
        {n["username"] for n in names if isinstance(n, dict) and isinstance(n.get("username"), str)}
        | {profile["id"]}
    )
    preferred = next((n.get("fullname") for n in names if isinstance(n, dict) and n.get("preferred")), None)
    emails = content.get("emailsConfirmed") or content.get("emails") or []
    domains = sorted({e.rsplit("@", 1)[1].lower() for e in emails if isinstance(e, str) and "@" in e})
    history = content.get("history", [])
    if not isinstance(history, list):
        raise RecordProblem(f"profile {profile['id']}: 'history' is not a list")
    rows = []
    for order, entry in enumerate(history, start=1):
        if not isinstance(entry, dict):
            raise RecordProblem(f"profile {profile['id']}: history entry {order} is not an object")
        institution = entry.get("institution") if isinstance(entry.get("institution"), dict) else {}
        kind, level = classify_position(entry.get("position"))
        given_country = _country_code(institution.get("country"))
        rows.append(
            {
                "profile_id": profile["id"],
                "entry_order": order,
                "kind": kind,
                "degree_level": level,
                "position": entry.get("position"),
                "institution_name": institution.get("name"),
                "institution_domain": (institution.get("domain") or "").lower() or None,
                "institution_country": given_country,
                "start_year": _year(entry.get("start")),
                "end_year": _year(entry.get("end")),
                "country": given_country,
                "country_method": "profile" if given_country else "unknown",
                "source_id": source_id,
            }
        )
    profile_row = {
        "profile_id": profile["id"],
        "preferred_name": preferred,
        "usernames": usernames,
        "email_domains": domains,
        "source_id": source_id,
        "fetched_year": fetched_year,
    }
    return profile_row, rows


def _quarantine(load: VenueLoad, locator: str, reason: str, record: Any) -> None:
    load.quarantine.append((locator, reason, mask_emails(json.dumps(record, default=str))[:20000]))


def parse_venue(
    venue_id: str,
    notes: list[Any],
    profiles: list[Any],
    held: PapersHeld | None = None,
    fetched_year: int | None = None,
) -> tuple[VenueLoad, dict[str, list[dict[str, Any]]]]:
    """Turn fetched notes and profiles into rows; bad records go to the load's quarantine list."""
    venue, year = venue_code_and_year(venue_id)
    fetched_year = fetched_year or date.today().year
    load = VenueLoad(source_id=f"openreview-api:{venue_id}")
    tables: dict[str, list[dict[str, Any]]] = {
        "papers": [],
        "authorships": [],
        "openreview_profiles": [],
        "profile_history": [],
    }
    seen: set[str] = set()
    for index, note in enumerate(notes):
        load.records_read += 1
        try:
            paper, authorships = parse_note(note, venue, year, load.source_id)
        except RecordProblem as problem:
            load.records_quarantined += 1
            _quarantine(load, f"note {index}", str(problem), note)
            continue
        if paper["paper_id"] in seen:
            load.records_quarantined += 1
            _quarantine(load, f"note {index}", f"duplicate note id {paper['source_paper_id']}", note)
        elif held is not None and held.holds(paper):
            load.records_merged += 1  # another source (the paper list) holds this paper already
        else:
            tables["papers"].append(paper)
            tables["authorships"].extend(authorships)
            load.papers_stored += 1
        seen.add(paper["paper_id"])
    seen_profiles: set[str] = set()
    for index, profile in enumerate(profiles):
        try:
            profile_row, history = parse_profile(profile, load.source_id, fetched_year)
        except RecordProblem as problem:
            load.profiles_quarantined += 1
            _quarantine(load, f"profile {index}", str(problem), profile)
            continue
        if profile_row["profile_id"] in seen_profiles:
            continue  # two requested alias ids can return the same profile
        seen_profiles.add(profile_row["profile_id"])
        tables["openreview_profiles"].append(profile_row)
        tables["profile_history"].extend(history)
        load.profiles_stored += 1
        load.history_rows += len(history)
    return load, tables
