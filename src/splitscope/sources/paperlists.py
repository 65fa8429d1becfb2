"""Paper Copilot paper lists (`<venue>/<venue><year>.json[.gz]`) → canonical rows.

One file is one source. Every record becomes a paper (with its authorships and affiliation mentions) or
a quarantine row; the counts reconcile. The quirks handled here are documented in docs/data.md.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from splitscope.sources import text
from splitscope.sources.reading import RawInput, parse_json_list
from splitscope.sources.rows import SourceBatch

KIND = "paperlists"
FILE_NAME = re.compile(r"^(?P<venue>[a-z0-9]+?)(?P<year>\d{4})\.json(?:\.gz)?$")

# Statuses of submissions that are not accepted main-conference papers (data README, "Statuses").
NOT_ACCEPTED = ("reject", "withdraw", "desk reject", "active")
# Presentation tiers above a regular poster. ICLR 2023 labels its spotlight tier 'Top-25%'.
TOP_TIER = ("oral", "spotlight", "highlight", "top-5%", "top-25%", "top 5%", "top 25%", "award")

# Profile fields that follow `or_profile` order, not byline order (data README, "Profile-field order").
PROFILE_FIELDS = ("aff", "aff_domain", "email", "position", "orcid", "aff_country_unique_index")


def source_id_for(venue: str, year: int) -> str:
    return f"{KIND}:{venue}/{venue}{year}"


def is_accepted(status: str) -> bool:
    lowered = status.lower()
    return not (lowered.startswith(NOT_ACCEPTED) or "workshop" in lowered)


def is_top_tier(status: str) -> bool:
    lowered = status.lower()
    return is_accepted(status) and any(tier in lowered for tier in TOP_TIER)


@dataclass
class IndexedPaper:
    """What the openreview-authors join needs to know about one stored paper."""

    paper_id: str
    names: list[str]
    authorship_rows: list[list[Any]]  # mutable authorship rows, byline order
    paper_row_index: int


@dataclass
class ParsedPaperList:
    batch: SourceBatch
    by_source_id: dict[str, IndexedPaper] = field(default_factory=dict)


def parse_paperlist(raw: RawInput, venue: str, year: int) -> ParsedPaperList:
    records = parse_json_list(raw)
    batch = SourceBatch(source_id_for(venue, year), KIND, venue, year, raw.uri, raw.sha256, len(raw.data))
    parsed = ParsedPaperList(batch)
    per_paper_style = has_per_paper_aff_lists(records)
    if per_paper_style:
        batch.note("file_aff_is_per_paper_list")
    seen_ids: dict[str, int] = {}
    for index, record in enumerate(records):
        batch.records_read += 1
        reason = record_problem(record)
        if reason is None:
            source_paper_id = paper_source_id(record, seen_ids)
            if source_paper_id.startswith("dup:"):
                reason = (
                    f"duplicate id {source_paper_id[4:]!r} (first at index {seen_ids[source_paper_id[4:]]})"
                )
            else:
                seen_ids[source_paper_id] = index
        if reason is not None:
            batch.quarantine(f"[{index}]", reason, quarantine_text(record))
            continue
        add_paper(parsed, record, source_paper_id, venue, year, per_paper_style)
    return parsed


def record_problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        return f"record is not an object but a JSON {type(record).__name__}"
    if not text.clean(record.get("title")):
        return "missing title"
    if "author" not in record and "authors" not in record:
        return "missing author field"
    author = record.get("author", record.get("authors"))
    if author is not None and not isinstance(author, str | list):
        return f"author field is a {type(author).__name__}, not a string"
    if isinstance(author, str) and text.EMAIL_BLOCK.search(author):
        return "author string holds an e-mail block; names cannot be split"
    return None


def paper_source_id(record: dict[str, Any], seen: dict[str, int]) -> str:
    """The record's own id; files without ids (CVPR, ICCV, SIGGRAPH ...) get a title-derived one."""
    raw_id = text.clean(record.get("id"))
    if raw_id:
        return f"dup:{raw_id}" if raw_id in seen else raw_id
    digest = hashlib.sha1(text.normalise_title(record["title"]).encode()).hexdigest()[:12]
    candidate, suffix = f"t{digest}", 1
    while candidate in seen:  # same title twice in one file: both are kept, in file order
        suffix += 1
        candidate = f"t{digest}-{suffix}"
    return candidate


def quarantine_text(record: Any) -> str:
    return text.mask_emails(orjson.dumps(record).decode("utf-8", "replace")[:20000])


def has_per_paper_aff_lists(records: list[Any]) -> bool:
    """True when `aff` lists the paper's distinct institutions rather than one entry per author.

    Measured, not hard-coded per venue: in such files (CVPR 2020-2024, ICCV 2021/2023, SIGGRAPH ...)
    most multi-author papers have an entry count different from the author count, and entries never
    rarely repeat within a paper, whereas per-author lists repeat the shared institution of co-authors.
    """
    compared = mismatched = repeated = 0
    for record in records:
        if not isinstance(record, dict):
            continue
        names = author_names(record)
        slots = [s for s in text.split_slots(record.get("aff")) if s]
        if len(names) < 2 or len(slots) < 1:
            continue
        compared += 1
        mismatched += len(slots) != len(names)
        repeated += len(set(slots)) < len(slots)
    if compared < 5:
        return False
    # Measured: per-paper files mismatch in 93-95% of papers with 6% repeats (CVPR 2020-2024, ICCV 2021);
    # per-author files with dropped empty entries mismatch in ~36% with 75% repeats (NeurIPS 2021).
    return mismatched / compared > 0.6 and repeated / compared < 0.2


def author_names(record: dict[str, Any]) -> list[str]:
    names = text.split_authors(record.get("author", record.get("authors")))
    if text.is_doubled_byline(names):
        return names[: len(names) // 2]
    return names


def add_paper(
    parsed: ParsedPaperList,
    record: dict[str, Any],
    source_paper_id: str,
    venue: str,
    year: int,
    per_paper_style: bool,
) -> None:
    batch = parsed.batch
    paper_id = f"{venue}{year}:{source_paper_id}"
    status = text.clean(record.get("status"))
    is_openreview = "openreview.net" in str(record.get("site", "")) or "~" in str(record.get("authorids", ""))
    batch.rows["papers"].append(
        [
            paper_id,
            venue,
            year,
            text.clean(record["title"]),
            status or None,
            text.clean(record.get("track")) or None,
            is_accepted(status),
            is_top_tier(status),
            [k for k in text.split_slots(record.get("keywords")) if k] or None,
            text.clean(record.get("primary_area")) or None,
            batch.source_id,
            source_paper_id,
            source_paper_id if is_openreview else None,
        ]
    )
    batch.papers_stored += 1
    names = text.split_authors(record.get("author", record.get("authors")))
    doubled = text.is_doubled_byline(names)
    if doubled:
        names = names[: len(names) // 2]
        batch.note("doubled_byline")
    authorship_rows = add_authorships(batch, record, paper_id, names, doubled)
    add_affiliations(batch, record, paper_id, authorship_rows, per_paper_style, doubled)
    parsed.by_source_id[source_paper_id] = IndexedPaper(
        paper_id, names, authorship_rows, len(batch.rows["papers"]) - 1
    )


def profile_to_byline(ids: list[str], profile: list[str]) -> list[int] | None:
    """For each `or_profile` slot, the byline index it describes; None when the order cannot be trusted.

    `or_profile` lists first the authors whose id was found as given (in byline order), then those
    resolved through an alias or an e-mail, appended at the end (data README). Profile fields follow it.
    """
    if not text.has_content(profile) or profile == ids:
        return list(range(len(ids)))
    if len(profile) != len(ids):
        return None
    in_profile = set(profile)
    direct = [j for j, author_id in enumerate(ids) if author_id and author_id in in_profile]
    if [profile[k] for k in range(len(direct))] != [ids[j] for j in direct]:
        return None
    resolved_later = [j for j in range(len(ids)) if j not in set(direct)]
    return direct + resolved_later


def per_author_slots(record: dict[str, Any], name: str, order: list[int] | None, count: int) -> list[str]:
    """A profile field as one slot per byline position ('' where unknown); [] when it does not align."""
    slots = text.split_slots(record.get(name))
    if len(slots) != count or order is None:
        return []
    by_byline = [""] * count
    for slot_index, byline_index in enumerate(order):
        by_byline[byline_index] = slots[slot_index]
    return by_byline


def field_order(record: dict[str, Any], ids: list[str], count: int) -> list[int] | None:
    profile = text.split_slots(record.get("or_profile"))
    if not profile or len(ids) != count:
        return list(range(count))
    return profile_to_byline(ids, profile)


def add_authorships(
    batch: SourceBatch, record: dict[str, Any], paper_id: str, names: list[str], doubled: bool
) -> list[list[Any]]:
    count = len(names)
    ids = text.split_slots(record.get("authorids"))
    if doubled and len(ids) == 2 * count:
        ids = ids[:count]
    order = field_order(record, ids, count)
    profile_ids = per_author_slots(record, "or_profile", order, count)
    domains = per_author_slots(record, "aff_domain", order, count) or per_author_slots(
        record, "email", order, count
    )
    positions = per_author_slots(record, "position", order, count)
    orcids = per_author_slots(record, "orcid", order, count)
    ids_align = len(ids) == count
    rows: list[list[Any]] = []
    for i, name in enumerate(names):
        given_id = ids[i] if ids_align else ""
        or_id = text.openreview_id(profile_ids[i]) if profile_ids else None
        domain = (text.email_domain(domains[i]) if domains else None) or text.email_domain(given_id)
        row = [
            f"{paper_id}#{i + 1}",
            paper_id,
            i + 1,
            name,
            or_id or text.openreview_id(given_id),
            (orcids[i] or None) if orcids else None,
            domain,
            (positions[i] or None) if positions else None,
            batch.source_id,
        ]
        rows.append(row)
    batch.rows["authorships"].extend(rows)
    return rows


def country_labels(record: dict[str, Any], slot_count: int) -> list[list[str | None]] | None:
    """Per aff slot, the country label of each '+' part; None when the index does not align."""
    labels = text.split_slots(record.get("aff_country_unique"))
    index_slots = text.split_slots(record.get("aff_country_unique_index"))
    if not labels or len(index_slots) != slot_count:
        return None
    result: list[list[str | None]] = []
    for slot in index_slots:
        parts: list[str | None] = []
        for index_text in text.split_plus(slot):
            position = int(index_text) if index_text.isdigit() else -1
            parts.append(text.country_label(labels[position]) if 0 <= position < len(labels) else None)
        result.append(parts)
    return result


def add_affiliations(
    batch: SourceBatch,
    record: dict[str, Any],
    paper_id: str,
    authorship_rows: list[list[Any]],
    per_paper_style: bool,
    doubled: bool,
) -> None:
    slots = text.split_slots(record.get("aff"))
    if not text.has_content(slots):
        return
    count = len(authorship_rows)
    countries = country_labels(record, len(slots))
    ids = text.split_slots(record.get("authorids"))
    if doubled and len(ids) == 2 * count:
        ids = ids[:count]
    order = field_order(record, ids, count)
    if per_paper_style and count == 1:  # the single author holds every institution of the paper
        add_author_mentions(batch, authorship_rows, slots, countries, [0])
        return
    if per_paper_style:
        reason = "per-paper institution list"
    elif count == 0:
        reason = "no author names"
    elif len(slots) != count:
        reason = f"count mismatch: {len(slots)} affiliation entries for {count} authors"
    elif order is None:
        reason = "profile field order differs from the byline and cannot be mapped"
    else:
        add_author_mentions(batch, authorship_rows, slots, countries, order)
        return
    batch.note("papers_with_paper_level_affiliations")
    add_paper_mentions(batch, paper_id, slots, countries, reason)


def add_author_mentions(
    batch: SourceBatch,
    authorship_rows: list[list[Any]],
    slots: list[str],
    countries: list[list[str | None]] | None,
    order: list[int],
) -> None:
    if len(authorship_rows) == 1 and len(slots) > 1:  # single author of a per-paper list: all are theirs
        slots, order = ["+".join(s for s in slots if s)], [0]
        countries = [[c for parts in countries for c in parts]] if countries else None
    mentions = batch.rows["affiliation_mentions"]
    for slot_index, slot in enumerate(slots):
        parts = text.split_plus(slot)
        labels = countries[slot_index] if countries else []
        authorship_id = authorship_rows[order[slot_index]][0]
        for part_index, affiliation in enumerate(parts):
            label = aligned_label(labels, part_index, len(parts))
            mentions.append((authorship_id, part_index + 1, affiliation, batch.source_id, "aff", label))


def aligned_label(labels: list[str | None], part_index: int, part_count: int) -> str | None:
    if len(labels) == part_count:
        return labels[part_index]
    if len(labels) == 1:
        return labels[0]
    return None


def add_paper_mentions(
    batch: SourceBatch,
    paper_id: str,
    slots: list[str],
    countries: list[list[str | None]] | None,
    reason: str,
) -> None:
    mentions = batch.rows["paper_affiliation_mentions"]
    order = 0
    for slot_index, slot in enumerate(slots):
        parts = text.split_plus(slot)
        labels = countries[slot_index] if countries else []
        for part_index, affiliation in enumerate(parts):
            order += 1
            label = aligned_label(labels, part_index, len(parts))
            mentions.append((paper_id, order, affiliation, batch.source_id, "aff", reason, label))


def discover_paperlists(mirror_dir: Path) -> list[tuple[str, int, Path]]:
    """(venue, year, path) for every `<venue>/<venue><year>.json[.gz]` under a mirror, sorted."""
    found: dict[tuple[str, int], Path] = {}
    for path in sorted(mirror_dir.glob("*/*.json*")):
        match = FILE_NAME.match(path.name)
        if not match or match["venue"] != path.parent.name:
            continue
        key = (match["venue"], int(match["year"]))
        # a plain .json next to a .json.gz: the plain one wins (a user's fresher download)
        if key not in found or path.suffix == ".json":
            found[key] = path
    return [(venue, year, path) for (venue, year), path in sorted(found.items())]
