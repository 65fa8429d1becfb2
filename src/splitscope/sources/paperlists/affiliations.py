"""The affiliation slots of a paper-list record → affiliation mentions: per author when the slots align
with the byline, else per paper with the reason why not (data README: per-paper institution lists,
count mismatches, profile-ordered fields).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from splitscope.sources import text
from splitscope.store.batch import BASIS_PAPER, BASIS_PROFILE_CRAWL, SourceBatch


def affiliation_basis(record: dict[str, Any]) -> str:
    """Paper Copilot fills `aff` of OpenReview venues from the authors' profiles as crawled, and those
    records carry the per-author profile fields (`position`, `or_profile`; data README); elsewhere `aff`
    is what the paper or the proceedings site printed."""
    return BASIS_PROFILE_CRAWL if "position" in record or "or_profile" in record else BASIS_PAPER


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
    basis = affiliation_basis(record)
    if per_paper_style and count == 1:  # the single author holds every institution of the paper
        add_author_mentions(batch, authorship_rows, slots, countries, [0], basis)
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
        add_author_mentions(batch, authorship_rows, slots, countries, order, basis)
        return
    batch.note("papers_with_paper_level_affiliations")
    add_paper_mentions(batch, paper_id, slots, countries, reason, basis)


def add_author_mentions(
    batch: SourceBatch,
    authorship_rows: list[list[Any]],
    slots: list[str],
    countries: list[list[str | None]] | None,
    order: list[int],
    basis: str = BASIS_PAPER,
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
            mentions.append(
                (authorship_id, part_index + 1, affiliation, batch.source_id, "aff", label, basis)
            )


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
    basis: str = BASIS_PAPER,
) -> None:
    mentions = batch.rows["paper_affiliation_mentions"]
    order = 0
    for slot_index, slot in enumerate(slots):
        parts = text.split_plus(slot)
        labels = countries[slot_index] if countries else []
        for part_index, affiliation in enumerate(parts):
            order += 1
            label = aligned_label(labels, part_index, len(parts))
            mentions.append((paper_id, order, affiliation, batch.source_id, "aff", reason, label, basis))
