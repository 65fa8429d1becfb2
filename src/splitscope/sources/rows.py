"""Canonical rows one source produces, collected column-wise and handed to the store as Arrow tables.

Sources append plain tuples (cheap in Python); `to_arrow` transposes them once per table, so the store
receives a handful of bulk inserts per source instead of one INSERT per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

_STR = pa.string()
_INT = pa.int32()
_BOOL = pa.bool_()

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "papers": pa.schema(
        [
            ("paper_id", _STR),
            ("venue", _STR),
            ("year", _INT),
            ("title", _STR),
            ("status", _STR),
            ("track", _STR),
            ("accepted", _BOOL),
            ("top_tier", _BOOL),
            ("keywords", pa.list_(_STR)),
            ("primary_area", _STR),
            ("source_id", _STR),
            ("source_paper_id", _STR),
            ("openreview_forum_id", _STR),
        ]
    ),
    "authorships": pa.schema(
        [
            ("authorship_id", _STR),
            ("paper_id", _STR),
            ("position", _INT),
            ("name", _STR),
            ("openreview_id", _STR),
            ("orcid", _STR),
            ("email_domain", _STR),
            ("position_title", _STR),
            ("source_id", _STR),
        ]
    ),
    "affiliation_mentions": pa.schema(
        [
            ("authorship_id", _STR),
            ("mention_order", _INT),
            ("affiliation", _STR),
            ("source_id", _STR),
            ("source_field", _STR),
            ("country_label", _STR),
        ]
    ),
    "paper_affiliation_mentions": pa.schema(
        [
            ("paper_id", _STR),
            ("mention_order", _INT),
            ("affiliation", _STR),
            ("source_id", _STR),
            ("source_field", _STR),
            ("reason", _STR),
            ("country_label", _STR),
        ]
    ),
    "authorship_attributes": pa.schema(
        [
            ("authorship_id", _STR),
            ("source_id", _STR),
            ("openreview_id", _STR),
            ("orcid", _STR),
            ("email_domain", _STR),
            ("position_title", _STR),
        ]
    ),
    "openreview_aliases": pa.schema([("alias_id", _STR), ("profile_id", _STR), ("source_id", _STR)]),
    "quarantine": pa.schema([("source_id", _STR), ("locator", _STR), ("reason", _STR), ("raw_record", _STR)]),
}
# Index of each authorships column, for sources that fill gaps in rows another source created.
AUTHORSHIP_COL = {name: i for i, name in enumerate(TABLE_SCHEMAS["authorships"].names)}


@dataclass
class SourceBatch:
    """Everything one source contributes, plus the counts that must reconcile."""

    source_id: str
    kind: str
    venue: str | None
    year: int | None
    uri: str
    sha256: str
    bytes: int
    records_read: int = 0
    papers_stored: int = 0
    records_merged: int = 0
    records_quarantined: int = 0
    rows: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in TABLE_SCHEMAS})
    notes: dict[str, int] = field(default_factory=dict)
    tables: dict[str, pa.Table] | None = None  # set by freeze(): Arrow pickles cheaply across processes

    def quarantine(self, locator: str, reason: str, raw_record: str | None) -> None:
        self.rows["quarantine"].append((self.source_id, locator, reason, raw_record))
        self.records_quarantined += 1

    def note(self, key: str, count: int = 1) -> None:
        """Counters for docs and tests (e.g. how many papers had a count mismatch)."""
        self.notes[key] = self.notes.get(key, 0) + count

    def reconciles(self) -> bool:
        return self.records_read == self.papers_stored + self.records_merged + self.records_quarantined

    def source_row(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "kind": self.kind,
            "venue": self.venue,
            "year": self.year,
            "uri": self.uri,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "records_read": self.records_read,
            "papers_stored": self.papers_stored,
            "records_merged": self.records_merged,
            "records_quarantined": self.records_quarantined,
        }

    def to_arrow(self) -> dict[str, pa.Table]:
        if self.tables is not None:
            return self.tables
        return {name: rows_to_table(name, rows) for name, rows in self.rows.items() if rows}

    @property
    def row_count(self) -> int:
        if self.tables is not None:
            return sum(t.num_rows for t in self.tables.values())
        return sum(len(rows) for rows in self.rows.values())

    def freeze(self) -> SourceBatch:
        """Convert the rows to Arrow once and drop the tuples."""
        self.tables = self.to_arrow()
        self.rows = {name: [] for name in TABLE_SCHEMAS}
        return self


def rows_to_table(name: str, rows: list[Any]) -> pa.Table:
    schema = TABLE_SCHEMAS[name]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema.names]
    arrays = [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)
