"""The canonical columns of every table a source writes, declared once, and the batch a source hands to
the store (store/write.py).

Sources append plain tuples (cheap in Python); `to_arrow` transposes them once per table, so the store
receives a handful of bulk inserts per source instead of one INSERT per row. A source too large for
memory (the OpenAlex flatten) hands Parquet files instead (`ParquetRows`), which DuckDB streams.

The schema SQL (schema/*.sql) creates the tables; tests/store/test_batch_columns.py checks that every
declaration here agrees with it (names, order, types), so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

import pyarrow as pa

_STR = pa.string()
_INT = pa.int32()
_BIGINT = pa.int64()
_BOOL = pa.bool_()
_STRS = pa.list_(_STR)

# Where an affiliation string comes from (affiliation_mentions.basis, carried into authorship_affiliations):
# printed on the paper; an OpenReview profile as crawled later (it says where the author is at crawl
# time, not in the paper's year); a dated profile-history entry covering the paper's year; OpenAlex.
AFFILIATION_BASES = ("paper", "profile_crawl", "profile_dated", "openalex")
BASIS_PAPER, BASIS_PROFILE_CRAWL, BASIS_PROFILE_DATED, BASIS_OPENALEX = AFFILIATION_BASES

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    # 00_core.sql
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
            ("keywords", _STRS),
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
            ("basis", _STR),
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
            ("basis", _STR),
        ]
    ),
    # 40_ingest.sql
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
    # 22_openreview_aliases.sql
    "openreview_aliases": pa.schema([("alias_id", _STR), ("profile_id", _STR), ("source_id", _STR)]),
    # 00_core.sql (quarantined_at: the store's default)
    "quarantine": pa.schema([("source_id", _STR), ("locator", _STR), ("reason", _STR), ("raw_record", _STR)]),
    # 30_openreview.sql (profile_history's org_id and sector are filled by resolution, not by a source)
    "openreview_profiles": pa.schema(
        [
            ("profile_id", _STR),
            ("preferred_name", _STR),
            ("usernames", _STRS),
            ("email_domains", _STRS),
            ("source_id", _STR),
            ("fetched_year", _INT),
        ]
    ),
    "profile_history": pa.schema(
        [
            ("profile_id", _STR),
            ("entry_order", _INT),
            ("kind", _STR),
            ("degree_level", _STR),
            ("position", _STR),
            ("institution_name", _STR),
            ("institution_domain", _STR),
            ("institution_country", _STR),
            ("start_year", _INT),
            ("end_year", _INT),
            ("country", _STR),
            ("country_method", _STR),
            ("source_id", _STR),
        ]
    ),
    # 50_openalex.sql
    "openalex_authorships": pa.schema(
        [
            ("authorship_id", _STR),
            ("openalex_author_id", _STR),
            ("author_position", _STR),
            ("is_corresponding", _BOOL),
            ("countries", _STRS),
            ("source_id", _STR),
        ]
    ),
    "openalex_authorship_institutions": pa.schema(
        [
            ("authorship_id", _STR),
            ("institution_order", _INT),
            ("institution_id", _STR),
            ("ror", _STR),
            ("display_name", _STR),
            ("country_code", _STR),
            ("institution_type", _STR),
            ("source_id", _STR),
        ]
    ),
    "openalex_author_affiliation_years": pa.schema(
        [
            ("openalex_author_id", _STR),
            ("institution_id", _STR),
            ("display_name", _STR),
            ("country_code", _STR),
            ("year", _INT),
            ("source_id", _STR),
        ]
    ),
}
# The bookkeeping rows the writer adds for every source (00_core.sql, 40_ingest.sql; loaded_at: default).
SOURCES_SCHEMA = pa.schema(
    [
        ("source_id", _STR),
        ("kind", _STR),
        ("venue", _STR),
        ("year", _INT),
        ("uri", _STR),
        ("sha256", _STR),
        ("bytes", _BIGINT),
        ("records_read", _INT),
        ("papers_stored", _INT),
        ("records_merged", _INT),
        ("records_quarantined", _INT),
    ]
)
SOURCE_FILES_SCHEMA = pa.schema(
    [("source_id", _STR), ("path", _STR), ("file_size", _BIGINT), ("mtime_ns", _BIGINT), ("sha256", _STR)]
)
# Index of each authorships column, for sources that fill gaps in rows another source created.
AUTHORSHIP_COL = {name: i for i, name in enumerate(TABLE_SCHEMAS["authorships"].names)}


def columns(table: str) -> tuple[str, ...]:
    """The canonical column names of one table, in order."""
    return tuple(TABLE_SCHEMAS[table].names)


@dataclass(frozen=True)
class ParquetRows:
    """One table's rows as Parquet files (a file or a glob) that DuckDB streams into the store: a
    world-scale flatten does not fit in memory as an Arrow table."""

    path: str
    num_rows: int


TableRows: TypeAlias = pa.Table | ParquetRows


@dataclass
class SourceBatch:
    """Everything one source contributes, plus the counts that must reconcile."""

    source_id: str
    kind: str
    venue: str | None
    year: int | None
    uri: str
    sha256: str | None  # of the uncompressed bytes; None when the source is not one file (an API)
    bytes: int | None
    records_read: int = 0
    papers_stored: int = 0
    records_merged: int = 0
    records_quarantined: int = 0
    rows: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in TABLE_SCHEMAS})
    notes: dict[str, int] = field(default_factory=dict)
    tables: dict[str, TableRows] | None = None  # set by freeze(): Arrow pickles cheaply across processes

    def quarantine(self, locator: str, reason: str, raw_record: str | None) -> None:
        self.rows["quarantine"].append((self.source_id, locator, reason, raw_record))
        self.records_quarantined += 1

    def note(self, key: str, count: int = 1) -> None:
        """Counters for docs and tests (e.g. how many papers had a count mismatch)."""
        self.notes[key] = self.notes.get(key, 0) + count

    def reconciles(self) -> bool:
        return self.records_read == self.papers_stored + self.records_merged + self.records_quarantined

    def source_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in SOURCES_SCHEMA.names}

    def to_arrow(self) -> dict[str, TableRows]:
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
    """Tuples (or lists) in column order → an Arrow table of the declared schema."""
    schema = TABLE_SCHEMAS[name]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema.names]
    arrays = [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def dicts_to_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as dicts keyed by column name (a missing key is NULL) → an Arrow table of the declared schema."""
    return pa.Table.from_pylist(rows, schema=TABLE_SCHEMAS[name])
