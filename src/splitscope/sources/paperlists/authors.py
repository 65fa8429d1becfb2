"""The authors of a papercopilot record (paper lists and openreview-authors files alike): which byline
position each profile field describes, the authorship rows, and the per-author facts (OpenReview id,
ORCID, e-mail domain, position) filled into them.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Any

from splitscope.sources import text
from splitscope.store.batch import AUTHORSHIP_COL, SourceBatch

# Profile fields that follow `or_profile` order, not byline order (data README, "Profile-field order").
PROFILE_FIELDS = ("aff", "aff_domain", "email", "position", "orcid", "aff_country_unique_index")
_FACT_FIELDS = ("or_profile", "aff_domain", "email", "position", "orcid")


def profile_to_byline(ids: list[str], profile: list[str], names: list[str] | None = None) -> list[int] | None:
    """For each `or_profile` slot, the byline index it describes; None when the order cannot be trusted.

    `or_profile` lists first the authors whose id was found as given (in byline order), then those
    resolved through an alias or an e-mail, appended at the end (data README). Profile fields follow it.
    The appended ones are not in byline order (ICLR 2022 '86sEVRfeGYS' lists Mahmood before Sutton), so
    two or more are matched to their byline authors by the name words of the profile id; when no single
    assignment fits best, the order is not trusted.
    """
    if not text.has_content(profile) or profile == ids:
        return list(range(len(ids)))
    if len(profile) != len(ids):
        return None
    in_profile = set(profile)
    direct = [j for j, author_id in enumerate(ids) if author_id and author_id in in_profile]
    if [profile[k] for k in range(len(direct))] != [ids[j] for j in direct]:
        return None
    direct_set = set(direct)
    appended = [j for j in range(len(ids)) if j not in direct_set]
    resolved = profile[len(direct) :]
    if len(appended) >= 2 and any(resolved):
        matched = _match_by_name_words(
            resolved, [_name_words(ids[j], names[j] if names else "") for j in appended]
        )
        if matched is None:
            return None
        appended = [appended[k] for k in matched]
    return direct + appended


def _name_words(*values: str) -> frozenset[str]:
    """Words of a name or profile id ('~Richard_S._Sutton1' → richard, sutton), accents folded."""
    words: set[str] = set()
    for value in values:
        folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
        words.update(w for w in re.split(r"[^a-z]+", folded.split("@")[0]) if len(w) > 1)
    return frozenset(words)


_MAX_APPENDED = 6  # 720 assignments; more appended authors than this are left unaligned


def _match_by_name_words(resolved: list[str], byline_words: list[frozenset[str]]) -> list[int] | None:
    """The byline position (into byline_words) of each resolved profile id, when one assignment shares
    strictly more name words than every other; None otherwise."""
    if len(resolved) > _MAX_APPENDED:
        return None
    profile_words = [_name_words(p) for p in resolved]
    scored = sorted(
        (
            (sum(len(profile_words[k] & byline_words[j]) for k, j in enumerate(perm)), perm)
            for perm in itertools.permutations(range(len(resolved)))
        ),
        reverse=True,
    )
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return list(scored[0][1])


def per_author_slots(record: dict[str, Any], name: str, order: list[int] | None, count: int) -> list[str]:
    """A profile field as one slot per byline position ('' where unknown); [] when absent or unaligned."""
    value = record.get(name)
    if not value:
        return []
    slots = text.split_slots(value)
    if len(slots) != count or order is None:
        return []
    by_byline = [""] * count
    for slot_index, byline_index in enumerate(order):
        by_byline[byline_index] = slots[slot_index]
    return by_byline


def field_order(
    record: dict[str, Any], ids: list[str], count: int, names: list[str] | None = None
) -> list[int] | None:
    """Byline index of each profile-field slot (identity unless `or_profile` reorders them)."""
    raw_profile = record.get("or_profile")
    if not raw_profile or len(ids) != count:
        return list(range(count))
    return profile_to_byline(ids, text.split_slots(raw_profile), names)


def create_authorships(batch: SourceBatch, paper_id: str, names: list[str]) -> list[list[Any]]:
    source_id = batch.source_id
    rows = [
        [f"{paper_id}#{i}", paper_id, i, name, None, None, None, None, source_id]
        for i, name in enumerate(names, start=1)
    ]
    batch.rows["authorships"].extend(rows)
    return rows


def apply_author_facts(
    batch: SourceBatch,
    record: dict[str, Any],
    ids: list[str],
    order: list[int] | None,
    rows: list[list[Any]],
    record_attributes: bool,
) -> None:
    """OpenReview id, ORCID, e-mail domain and position per authorship, from byline ids and profile fields.

    Values already on a row (set by the source that created it) win; with `record_attributes` the facts
    are also kept per source in authorship_attributes.
    """
    count = len(rows)
    # byline ids matter only as OpenReview ids or e-mail addresses (ICRA/IROS hold IEEE ids: '/3708…')
    given = ids if len(ids) == count and any(i[:1] == "~" or "@" in i for i in ids) else []
    if not given and not any(record.get(name) for name in _FACT_FIELDS):
        return
    profile_ids = per_author_slots(record, "or_profile", order, count)
    domains = per_author_slots(record, "aff_domain", order, count) or per_author_slots(
        record, "email", order, count
    )
    positions = per_author_slots(record, "position", order, count)
    orcids = per_author_slots(record, "orcid", order, count)
    if not (given or profile_ids or domains or positions or orcids):
        return
    for i, row in enumerate(rows):
        given_id = given[i] if given else ""
        given_openreview = text.openreview_id(given_id) if given_id[:1] == "~" else None
        openreview = (text.openreview_id(profile_ids[i]) if profile_ids else None) or given_openreview
        domain = (text.email_domain(domains[i]) if domains else None) or (
            text.email_domain(given_id) if "@" in given_id else None
        )
        facts = (
            openreview,
            (orcids[i] or None) if orcids else None,
            domain,
            (positions[i] or None) if positions else None,
        )
        if given_openreview and openreview != given_openreview:
            batch.rows["openreview_aliases"].append((given_openreview, openreview, batch.source_id))
        if record_attributes and any(facts):
            batch.rows["authorship_attributes"].append((row[0], batch.source_id, *facts))
        for column, value in zip(_FACT_COLUMNS, facts, strict=True):
            if value and row[column] is None:
                row[column] = value


_FACT_COLUMNS = tuple(AUTHORSHIP_COL[c] for c in ("openreview_id", "orcid", "email_domain", "position_title"))
