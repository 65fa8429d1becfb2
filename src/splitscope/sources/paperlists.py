"""Paper Copilot paper lists (`<venue>/<venue><year>.json[.gz]`) → canonical rows.

One file is one source. Every record becomes a paper (with its authorships and affiliation mentions) or
a quarantine row; the counts reconcile. The quirks handled here are documented in docs/data.md.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from splitscope.sources import text
from splitscope.sources.reading import RawInput, parse_json_list
from splitscope.store.batch import SourceBatch

KIND = "paperlists"
FILE_NAME = re.compile(r"^(?P<venue>[a-z0-9]+?)(?P<year>\d{4})\.json(?:\.gz)?$")

# Statuses of submissions that are not accepted main-conference papers (data README, "Statuses").
NOT_ACCEPTED = ("reject", "withdraw", "desk reject", "active")
# Presentation tiers above a regular poster. ICLR 2023 labels its spotlight tier 'Top-25%'.
TOP_TIER = ("oral", "spotlight", "highlight", "top-5%", "top-25%", "top 5%", "top 25%", "award")

# Profile fields that follow `or_profile` order, not byline order (data README, "Profile-field order").
PROFILE_FIELDS = ("aff", "aff_domain", "email", "position", "orcid", "aff_country_unique_index")
_FACT_FIELDS = ("or_profile", "aff_domain", "email", "position", "orcid")


def source_id_for(venue: str, year: int) -> str:
    return f"{KIND}:{venue}/{venue}{year}"


@lru_cache(maxsize=512)  # a file has a handful of distinct statuses
def is_accepted(status: str) -> bool:
    lowered = status.lower()
    return not (lowered.startswith(NOT_ACCEPTED) or "workshop" in lowered)


@lru_cache(maxsize=512)
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


@dataclass(slots=True)
class Prepared:
    """One record's byline-level splits, computed once and used by file-style detection and rows."""

    names: list[str]
    doubled: bool
    ids: list[str]
    aff: list[str]
    garbled_byline: bool = False


def prepare(record: dict[str, Any]) -> Prepared:
    author = record.get("author", record.get("authors"))
    if isinstance(author, str) and "@" in author and text.EMAIL_BLOCK.search(author):
        # A pasted title-page block (names, footnote digits, `{a;b}@x.org`) cannot be split into names:
        # keep the paper without authorships (unknown beats wrong); openreview-authors may supply them.
        return Prepared([], False, [], text.split_slots(record.get("aff")), garbled_byline=True)
    names = text.split_authors(author)
    ids = text.split_slots(record.get("authorids"))
    doubled = text.is_doubled_byline(names)
    if doubled:
        names = names[: len(names) // 2]
        if len(ids) == 2 * len(names):
            ids = ids[: len(names)]
    return Prepared(names, doubled, ids, text.split_slots(record.get("aff")))


def parse_paperlist(raw: RawInput, venue: str, year: int) -> ParsedPaperList:
    records = parse_json_list(raw)
    batch = SourceBatch(source_id_for(venue, year), KIND, venue, year, raw.uri, raw.sha256, len(raw.data))
    parsed = ParsedPaperList(batch)
    problems = [record_problem(record) for record in records]
    prepared = [prepare(r) if p is None else None for r, p in zip(records, problems, strict=True)]
    per_paper_style = has_per_paper_aff_lists([p for p in prepared if p is not None])
    if per_paper_style:
        batch.note("file_aff_is_per_paper_list")
    seen_ids: dict[str, int] = {}
    for index, (record, reason, prep) in enumerate(zip(records, problems, prepared, strict=True)):
        batch.records_read += 1
        if reason is None:
            source_paper_id = paper_source_id(record, seen_ids)
            if source_paper_id.startswith("dup:"):
                first = seen_ids[source_paper_id[4:]]
                reason = f"duplicate id {source_paper_id[4:]!r} (first at index {first})"
            else:
                seen_ids[source_paper_id] = index
        if reason is not None or prep is None:
            batch.quarantine(f"[{index}]", reason or "unreadable record", quarantine_text(record))
            continue
        add_paper(parsed, record, prep, source_paper_id, venue, year, per_paper_style)
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


def has_per_paper_aff_lists(prepared: list[Prepared]) -> bool:
    """True when `aff` lists the paper's distinct institutions rather than one entry per author.

    Measured, not hard-coded per venue: in such files (CVPR 2020-2024, ICCV 2021/2023, SIGGRAPH ...)
    most multi-author papers have an entry count different from the author count, and entries
    rarely repeat within a paper, whereas per-author lists repeat the shared institution of co-authors.
    """
    compared = mismatched = repeated = 0
    for prep in prepared:
        if len(prep.names) < 2 or not prep.aff:
            continue
        slots = [s for s in prep.aff if s]
        if not slots:
            continue
        compared += 1
        mismatched += len(slots) != len(prep.names)
        repeated += len(set(slots)) < len(slots)
    if compared < 5:
        return False
    # Measured: per-paper files mismatch in 93-95% of papers with 6% repeats (CVPR 2020-2024, ICCV 2021);
    # per-author files with dropped empty entries mismatch in ~36% with 75% repeats (NeurIPS 2021).
    return mismatched / compared > 0.6 and repeated / compared < 0.2


def add_paper(
    parsed: ParsedPaperList,
    record: dict[str, Any],
    prep: Prepared,
    source_paper_id: str,
    venue: str,
    year: int,
    per_paper_style: bool,
) -> None:
    batch = parsed.batch
    paper_id = f"{venue}{year}:{source_paper_id}"
    status = _clean_label(record.get("status"))
    is_openreview = "openreview.net" in str(record.get("site", "")) or "~" in str(record.get("authorids", ""))
    keywords = record.get("keywords")
    batch.rows["papers"].append(
        [
            paper_id,
            venue,
            year,
            text.clean(record["title"]),
            status or None,
            _clean_label(record.get("track")) or None,
            is_accepted(status),
            is_top_tier(status),
            ([k for k in text.split_slots(keywords) if k] or None) if keywords else None,
            _clean_label(record.get("primary_area")) or None,
            batch.source_id,
            source_paper_id,
            source_paper_id if is_openreview else None,
        ]
    )
    batch.papers_stored += 1
    if prep.doubled:
        batch.note("doubled_byline")
    if prep.garbled_byline:
        batch.note("byline_with_email_block_not_split")
    order = field_order(record, prep.ids, len(prep.names), prep.names)
    authorship_rows = create_authorships(batch, paper_id, prep.names)
    apply_author_facts(batch, record, prep.ids, order, authorship_rows, record_attributes=False)
    add_affiliations(batch, record, paper_id, prep.aff, authorship_rows, per_paper_style, order)
    parsed.by_source_id[source_paper_id] = IndexedPaper(
        paper_id, prep.names, authorship_rows, len(batch.rows["papers"]) - 1
    )


def _clean_label(value: Any) -> str:
    """status, track, primary_area: a few distinct values per file, so cleaned once each."""
    return _clean_cached(value) if isinstance(value, str) else text.clean(value)


@lru_cache(maxsize=4096)
def _clean_cached(value: str) -> str:
    return text.clean(value)


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


# authorships columns: openreview_id, orcid, email_domain, position_title
_FACT_COLUMNS = (4, 5, 6, 7)


def country_labels(record: dict[str, Any], slot_count: int) -> list[list[str | None]] | None:
    """Per aff slot, the country label of each '+' part; None when the index does not align."""
    per_slot = _country_labels(
        str(record.get("aff_country_unique")), str(record.get("aff_country_unique_index"))
    )
    return per_slot if per_slot is not None and len(per_slot) == slot_count else None


@lru_cache(maxsize=4096)  # co-authored papers repeat the same few label/index pairs
def _country_labels(labels_text: str, index_text: str) -> list[list[str | None]] | None:
    labels = text.split_slots(labels_text)
    index_slots = text.split_slots(index_text)
    if not labels:
        return None
    by_index = {str(i): text.country_label(label) for i, label in enumerate(labels)}
    return [[by_index.get(part) for part in text.split_plus(slot)] for slot in index_slots]


def add_affiliations(
    batch: SourceBatch,
    record: dict[str, Any],
    paper_id: str,
    slots: list[str],
    authorship_rows: list[list[Any]],
    per_paper_style: bool,
    order: list[int] | None,
) -> None:
    if not text.has_content(slots):
        return
    count = len(authorship_rows)
    countries = country_labels(record, len(slots)) if record.get("aff_country_unique") else None
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
