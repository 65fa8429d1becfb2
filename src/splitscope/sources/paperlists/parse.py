"""Paper Copilot paper lists (`<venue>/<venue><year>.json[.gz]`) → canonical rows: papers, and through
authors.py and affiliations.py their authorships and affiliation mentions.

One file is one source. Every record becomes a paper (with its authorships and affiliation mentions) or
a quarantine row; the counts reconcile. The quirks handled here are documented in docs/data.md.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from splitscope.sources import text
from splitscope.sources.paperlists.affiliations import add_affiliations
from splitscope.sources.paperlists.authors import apply_author_facts, create_authorships, field_order
from splitscope.sources.reading import RawInput, parse_json_list
from splitscope.store.batch import SourceBatch

KIND = "paperlists"
FILE_NAME = re.compile(r"^(?P<venue>[a-z0-9]+?)(?P<year>\d{4})\.json(?:\.gz)?$")

# Statuses of submissions that are not accepted main-conference papers (data README, "Statuses").
NOT_ACCEPTED = ("reject", "withdraw", "desk reject", "active")
# Presentation tiers above a regular poster. ICLR 2023 labels its spotlight tier 'Top-25%'.
TOP_TIER = ("oral", "spotlight", "highlight", "top-5%", "top-25%", "top 5%", "top 25%", "award")


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
