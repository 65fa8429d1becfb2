"""The person-level links an OpenReview profile names (ORCID, Google Scholar, DBLP), read from an
openreview-authors file.

They serve one purpose: scoring the person linker. OpenReview keeps some researchers as two profiles it
never merged (`~Steven_Hoi2` and `~Steven_HOI1`, both naming Scholar user JoLjflYAAAAJ); with the ids as
truth, a linker that joins them is counted wrong. The linker never sees these links (they are not
loaded into the store), so folding such profiles in the truth cannot reward the linker for using them.
"""

from __future__ import annotations

import re
import unicodedata

from splitscope.sources import text
from splitscope.sources.openreview.authors import read_records
from splitscope.sources.reading import RawInput

# Profile fields follow `or_profile` order (data README, "Profile-field order"): slot i is profile i.
LINK_FIELDS = ("orcid", "google_scholar", "dblp")
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
_SCHOLAR = re.compile(r"(?:user=|^)([A-Za-z0-9_-]{12})(?:$|&)")
_DBLP_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?dblp\.(?:org|uni-trier\.de)/(?:pid/|pers/hd/|pers/)?")


def normalise_link(field: str, value: str) -> str | None:
    """'orcid:0000-…', 'scholar:JoLjflYAAAAJ' or 'dblp:h/stevenchhoi'; None when the value is no link
    of that kind (the fields are typed in by hand: bare ids and URLs both occur)."""
    value = value.strip()
    if field == "orcid":
        match = _ORCID.search(value)
        return f"orcid:{match.group(1)}" if match else None
    if field == "google_scholar":
        match = _SCHOLAR.search(value)
        return f"scholar:{match.group(1)}" if match else None
    path = re.sub(r"(?:\.html)?/*$", "", _DBLP_PREFIX.sub("", value)).lower()
    return f"dblp:{path}" if "/" in path else None


def profile_links(raw: RawInput) -> dict[str, set[str]]:
    """Profile id ('~First_Last1') → the links its profile names, over every record of the file."""
    links: dict[str, set[str]] = {}
    for _, record in read_records(raw):
        if not isinstance(record, dict):
            continue
        profiles = text.split_slots(record.get("or_profile"))
        for field in LINK_FIELDS:
            values = text.split_slots(record.get(field))
            if len(values) != len(profiles):
                continue
            for profile, value in zip(profiles, values, strict=True):
                link = normalise_link(field, value) if profile.startswith("~") and value else None
                if link:
                    links.setdefault(profile, set()).add(link)
    return links


def profile_name_words(profile: str) -> frozenset[str]:
    """'~Pietro_Liò1' → {pietro, lio}: the name a profile id spells, accents and case folded."""
    folded = unicodedata.normalize("NFKD", profile).encode("ascii", "ignore").decode().lower()
    return frozenset(w for w in re.split(r"[^a-z]+", folded) if w)


def same_researcher(links: dict[str, set[str]]) -> dict[str, str]:
    """Profile → the profile standing for its researcher, for profiles that name a common link and spell
    the same name (a shared link alone also joins a co-author's profile where one was typed into the
    wrong profile: '~LINGYU_DUAN1' and '~Lin_Zhang8'). Profiles joined to no other are left out."""
    parent: dict[str, str] = {}

    def root(profile: str) -> str:
        while parent.setdefault(profile, profile) != profile:
            parent[profile] = parent[parent[profile]]
            profile = parent[profile]
        return profile

    by_link: dict[tuple[str, frozenset[str]], list[str]] = {}
    for profile in sorted(links):
        for link in links[profile]:
            by_link.setdefault((link, profile_name_words(profile)), []).append(profile)
    for profiles in by_link.values():
        for other in profiles[1:]:
            parent[root(other)] = root(profiles[0])
    groups: dict[str, list[str]] = {}
    for profile in parent:
        groups.setdefault(root(profile), []).append(profile)
    return {p: min(group) for group in groups.values() if len(group) > 1 for p in group}
