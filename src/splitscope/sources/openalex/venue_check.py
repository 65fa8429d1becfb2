"""The live check of the venue map (`splitscope openalex venues --check`): for every source id, its
OpenAlex source record (`GET /sources/S…`: does the display name agree with the map's?) and the years it
holds works for (`GET /works?filter=primary_location.source.id:S…&group_by=publication_year`). Two
requests per id, through the same client as a fetch (cache, mirror, key, budget).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from splitscope.sources.http import FetchError, PoliteClient
from splitscope.sources.openalex.venues import VenueSource
from splitscope.sources.text import normalise_title


@dataclass
class SourceCheck:
    entry: VenueSource
    found_name: str | None = None
    source_type: str | None = None
    works_by_year: dict[int, int] = field(default_factory=dict)
    problem: str | None = None

    @property
    def agrees(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.entry.to_dict(),
            "found_name": self.found_name,
            "source_type": self.source_type,
            "works_by_year": {str(y): n for y, n in sorted(self.works_by_year.items())},
            "agrees": self.agrees,
            "problem": self.problem,
        }


# Words that name an edition or a publisher rather than the venue: "Proceedings of the 36th Annual
# Conference on ..." and "... Conference on ..." are one venue; "... and Applications" is another.
_EDITION = re.compile(r"\b(proceedings of( the)?|the|\d+(st|nd|rd|th)?|annual|ieee|cvf|acm)\b")


def names_agree(expected: str, found: str) -> bool:
    """Equal once casefolded, punctuation, years, ordinals and 'Proceedings of the' are dropped: a
    containment test would take ICMLA for ICML."""

    def core(name: str) -> str:
        return " ".join(_EDITION.sub(" ", normalise_title(name)).split())

    return bool(core(expected)) and core(expected) == core(found)


def check_source(client: PoliteClient, entry: VenueSource) -> SourceCheck:
    check = SourceCheck(entry)
    try:
        record = client.get_json(f"/sources/{entry.source_id}", {"select": "id,display_name,type"})
    except FetchError as error:
        check.problem = f"no source record ({error})"
        return check
    if not isinstance(record, dict) or not isinstance(record.get("display_name"), str):
        check.problem = "the source record has no display_name"
        return check
    check.found_name, check.source_type = record["display_name"], record.get("type")
    groups = client.get_json(
        "/works",
        {"filter": f"primary_location.source.id:{entry.source_id}", "group_by": "publication_year"},
    )
    for group in (groups or {}).get("group_by") or []:
        try:
            check.works_by_year[int(group["key"])] = int(group["count"])
        except (KeyError, TypeError, ValueError):
            continue
    if not names_agree(entry.name, check.found_name):
        check.problem = f"OpenAlex calls it {check.found_name!r}, the map says {entry.name!r}"
    elif entry.years and not set(entry.years) <= set(check.works_by_year):
        missing = sorted(set(entry.years) - set(check.works_by_year))
        check.problem = f"the map says it holds {missing}, OpenAlex has no works for them"
    return check
