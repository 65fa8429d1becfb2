"""papercopilot/openreview `authors/<venue>/<venue><year>.jsonl` (or `.json`) → enrichment of a paper list.

The bundle's openreview-authors files (read by `build` with the paper list of the same venue-year), not
the OpenReview API (api.py): OpenReview's own author records as papercopilot captured them.

One record per OpenReview forum id with names, OpenReview ids, profile affiliations, e-mail domains and
positions. Joined to the paper list of the same venue-year by id; where the list uses site ids (NeurIPS
2024, ICML 2025) by the exact normalised author-name set. A record that joins no paper of the list is
another submission: it goes to quarantine and is never counted as a paper.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from splitscope.sources import text
from splitscope.sources.paperlists.authors import apply_author_facts, create_authorships, field_order
from splitscope.sources.paperlists.parse import IndexedPaper, ParsedPaperList, quarantine_text
from splitscope.sources.reading import (
    RawInput,
    bad_line_reason,
    bad_line_text,
    is_bad_line,
    parse_json_lines,
    parse_json_list,
)
from splitscope.store.batch import BASIS_PROFILE_CRAWL, SourceBatch

KIND = "openreview_authors"
# Below this share of records joining by id, the paper list uses its own ids: join by names instead.
ID_JOIN_MIN_SHARE = 0.05


def source_id_for(venue: str, year: int) -> str:
    return f"openreview-authors:{venue}/{venue}{year}"


def find_file(authors_dir: Path, venue: str, year: int) -> Path | None:
    for suffix in (".jsonl", ".jsonl.gz", ".json", ".json.gz"):
        candidate = authors_dir / venue / f"{venue}{year}{suffix}"
        if candidate.exists():
            return candidate
    return None


def read_records(raw: RawInput) -> list[tuple[str, Any]]:
    """(locator, record) pairs from a JSON-lines file or a JSON array file."""
    stripped = raw.data.lstrip()
    if stripped.startswith(b"["):
        return [(f"[{i}]", record) for i, record in enumerate(parse_json_list(raw))]
    return [(f"line {number}", record) for number, record in parse_json_lines(raw)]


def name_key(names: list[str]) -> tuple[str, ...]:
    return tuple(sorted(text.normalise_name(n) for n in names))


def build_name_index(papers: dict[str, IndexedPaper]) -> dict[tuple[str, ...], IndexedPaper | None]:
    """Name-set → paper; None marks a name set two papers share (ambiguous, never joined)."""
    index: dict[tuple[str, ...], IndexedPaper | None] = {}
    for paper in papers.values():
        if paper.names:
            key = name_key(paper.names)
            index[key] = None if key in index else paper
    return index


def parse_openreview_authors(raw: RawInput, venue: str, year: int, paperlist: ParsedPaperList) -> SourceBatch:
    """Rows from one authors file, joined to `paperlist` (whose authorship rows it may fill in)."""
    batch = SourceBatch(source_id_for(venue, year), KIND, venue, year, raw.uri, raw.sha256, len(raw.data))
    records = read_records(raw)
    ids = [str(r.get("id", "")) for _, r in records if isinstance(r, dict)]
    id_hits = sum(1 for i in ids if i in paperlist.by_source_id)
    by_names = id_hits < ID_JOIN_MIN_SHARE * max(len(ids), 1)
    name_index = build_name_index(paperlist.by_source_id) if by_names else {}
    if by_names:  # a name set two records share cannot say which record is the listed paper
        seen_keys: set[tuple[str, ...]] = set()
        for _, record in records:
            if isinstance(record, dict):
                key = name_key(text.split_authors(record.get("author")))
                if key in seen_keys and key in name_index:
                    name_index[key] = None
                seen_keys.add(key)
    used: dict[str, str] = {}
    for locator, record in records:
        batch.records_read += 1
        paper, reason = match_paper(record, paperlist, by_names, name_index, used)
        if paper is None:
            raw_text = bad_line_text(record) if is_bad_line(record) else quarantine_text(record)
            batch.quarantine(locator, reason, raw_text)
            continue
        used[paper.paper_id] = locator
        batch.records_merged += 1
        enrich_paper(batch, record, paper, paperlist)
    if by_names:
        batch.note("joined_by_name_set")
    return batch


def match_paper(
    record: Any,
    paperlist: ParsedPaperList,
    by_names: bool,
    name_index: dict[tuple[str, ...], IndexedPaper | None],
    used: dict[str, str],
) -> tuple[IndexedPaper | None, str]:
    if is_bad_line(record):
        return None, bad_line_reason(record)
    if not isinstance(record, dict):
        return None, f"record is not an object but a JSON {type(record).__name__}"
    if by_names:
        names = text.split_authors(record.get("author"))
        key = name_key(names)
        if not names:
            return None, "no author names to join by (paper list uses its own ids)"
        if key not in name_index:
            return None, "no paper of the list has this exact author-name set (another submission?)"
        paper = name_index[key]
        if paper is None:
            return None, "author-name set shared by several papers or records: ambiguous, not joined"
    else:
        paper = paperlist.by_source_id.get(text.clean(record.get("id")))
        if paper is None:
            return None, "id not in the paper list (another submission, not a paper of the list)"
    if paper.paper_id in used:
        return None, f"second record for {paper.paper_id} (first: {used[paper.paper_id]})"
    return paper, ""


def enrich_paper(
    batch: SourceBatch, record: dict[str, Any], paper: IndexedPaper, paperlist: ParsedPaperList
) -> None:
    names = text.split_authors(record.get("author"))
    paper_row = paperlist.batch.rows["papers"][paper.paper_row_index]
    forum_id = text.clean(record.get("id"))
    if forum_id and paper_row[-1] is None:
        paper_row[-1] = forum_id
    if not paper.authorship_rows:
        paper.authorship_rows = create_authorships(batch, paper.paper_id, names)
        batch.note("authorships_created")
    elif len(names) != len(paper.authorship_rows):
        add_unaligned(
            batch,
            record,
            paper,
            f"author count differs: {len(names)} here, {len(paper.authorship_rows)} in the paper list",
        )
        return
    add_attributes(batch, record, paper.authorship_rows, names)


def add_attributes(
    batch: SourceBatch, record: dict[str, Any], rows: list[list[Any]], names: list[str]
) -> None:
    count = len(names)
    ids = text.split_slots(record.get("authorids"))
    order = field_order(record, ids, count, names)
    apply_author_facts(batch, record, ids, order, rows, record_attributes=True)
    slots = text.split_slots(record.get("aff"))
    if not text.has_content(slots):
        return
    if len(slots) != count or order is None:
        reason = (
            f"count mismatch: {len(slots)} affiliation entries for {count} authors"
            if len(slots) != count
            else "profile field order differs from the byline and cannot be mapped"
        )
        add_paper_level(batch, rows[0][1], slots, reason)
        return
    mentions = batch.rows["affiliation_mentions"]
    for slot_index, slot in enumerate(slots):
        authorship_id = rows[order[slot_index]][0]
        for part_index, affiliation in enumerate(text.split_plus(slot)):
            mentions.append(
                (
                    authorship_id,
                    part_index + 1,
                    affiliation,
                    batch.source_id,
                    "aff",
                    None,
                    BASIS_PROFILE_CRAWL,
                )
            )


def add_unaligned(batch: SourceBatch, record: dict[str, Any], paper: IndexedPaper, reason: str) -> None:
    batch.note("author_count_differs")
    slots = text.split_slots(record.get("aff"))
    if text.has_content(slots):
        add_paper_level(batch, paper.paper_id, slots, reason)


def add_paper_level(batch: SourceBatch, paper_id: str, slots: list[str], reason: str) -> None:
    mentions = batch.rows["paper_affiliation_mentions"]
    order = 0
    for slot in slots:
        for affiliation in text.split_plus(slot):
            order += 1
            mentions.append(
                (paper_id, order, affiliation, batch.source_id, "aff", reason, None, BASIS_PROFILE_CRAWL)
            )
