"""Canonical Parquet of an OpenAlex flatten → the store, in one transaction per ingest, through the
store's one writer (Parquet streamed by DuckDB: a world-scale flatten does not fit in memory).

Idempotent: a re-ingest of the same snapshot (same source id) first deletes everything that source wrote.
A work another source already holds (same `openalex:W…` paper id, e.g. from an API fetch) is counted as
merged and its rows are not written again: the holder keeps it.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from splitscope.sources.openalex.flatten import (
    TABLES,
    FlattenSummary,
    authors_source_id,
    flatten_snapshot,
    table_path,
)
from splitscope.sources.openalex.flatten_sql import FlattenEngine, Progress
from splitscope.sources.openalex.query import WorkFilter
from splitscope.store.batch import ParquetRows, SourceBatch
from splitscope.store.keys import check_unique_keys
from splitscope.store.write import bulk_load_settings, replace_sources

KIND = "openalex"


@dataclass
class IngestSummary:
    flatten: FlattenSummary
    papers_stored: int = 0
    held_elsewhere: int = 0  # works another source already holds: counted as merged
    table_rows: dict[str, int] = field(default_factory=dict)
    post_ingest_steps: list[str] = field(default_factory=list)

    @property
    def records_read(self) -> int:
        return self.flatten.records_read

    @property
    def records_merged(self) -> int:
        return self.flatten.counts["works_merged"] + self.held_elsewhere

    @property
    def records_quarantined(self) -> int:
        return self.flatten.counts["works_quarantined"]

    @property
    def reconciles(self) -> bool:
        return self.flatten.reconciles and self.records_read == (
            self.papers_stored + self.records_merged + self.records_quarantined
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.flatten.source_id,
            "records_read": self.records_read,
            "papers_stored": self.papers_stored,
            "records_merged": self.records_merged,
            "records_quarantined": self.records_quarantined,
            "works_filtered_out": self.flatten.works_filtered_out,
            "held_elsewhere": self.held_elsewhere,
            "reconciles": self.reconciles,
            "table_rows": self.table_rows,
            "post_ingest_steps": self.post_ingest_steps,
            "flatten": self.flatten.to_dict(),
        }


def flatten_and_load(
    con: duckdb.DuckDBPyConnection,
    snapshot_dir: Path,
    work_filter: WorkFilter,
    engine: FlattenEngine,
    source_id: str | None = None,
    *,
    out_dir: Path | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Flatten the snapshot (into `out_dir`, kept, or a temporary folder) and load it."""
    with tempfile.TemporaryDirectory(prefix="splitscope-openalex-") as scratch:
        target = out_dir or Path(scratch)
        flattened = flatten_snapshot(
            snapshot_dir, target, work_filter, engine, source_id=source_id, progress=progress
        )
        return load_flattened(con, target, flattened)


def load_flattened(con: duckdb.DuckDBPyConnection, out_dir: Path, flattened: FlattenSummary) -> IngestSummary:
    works, authors = source_batches(out_dir, flattened)
    batches = [(works, None)] if authors is None else [(works, None), (authors, None)]
    # a snapshot without data/authors this time replaces the author histories an earlier ingest stored
    gone = (authors_source_id(flattened.source_id),) if authors is None else ()
    with bulk_load_settings(con):
        written = replace_sources(con, batches, also_delete=gone, skip_held_papers=True)
    check_unique_keys(con)
    summary = IngestSummary(flattened, written.rows.get("papers", 0), written.held_elsewhere)
    summary.table_rows = {table: written.rows.get(table, 0) for table in TABLES}
    return summary


def source_batches(out_dir: Path, flattened: FlattenSummary) -> tuple[SourceBatch, SourceBatch | None]:
    """The works source (every Parquet table: the quarantine holds both sources' rows, told apart by
    source_id) and, when the snapshot has data/authors, the authors source (its sources row only)."""
    counts = flattened.counts
    snapshot = Path(flattened.snapshot_dir)
    works = SourceBatch(
        flattened.source_id,
        KIND,
        None,
        None,
        str(snapshot / "data" / "works"),
        _manifest_sha256(snapshot, "works"),
        flattened.gz_bytes,
        records_read=flattened.records_read,
        papers_stored=counts["works_stored"],
        records_merged=counts["works_merged"],
        records_quarantined=counts["works_quarantined"],
    )
    works.tables = {
        table: ParquetRows(table_path(out_dir, table), flattened.table_rows[table])
        for table in TABLES
        if table in flattened.table_rows
    }
    if not (snapshot / "data" / "authors").is_dir():
        return works, None
    # the authors source counts author records the stored works name; papers_stored holds the author
    # records stored (the sources table has one set of columns for every kind of input)
    stored, merged, quarantined = (
        counts[k] for k in ("authors_stored", "authors_merged", "authors_quarantined")
    )
    authors = SourceBatch(
        authors_source_id(flattened.source_id),
        KIND,
        None,
        None,
        str(snapshot / "data" / "authors"),
        _manifest_sha256(snapshot, "authors"),
        None,
        records_read=stored + merged + quarantined,
        papers_stored=stored,
        records_merged=merged,
        records_quarantined=quarantined,
    )
    authors.tables = {}
    return works, authors


def _manifest_sha256(snapshot: Path, entity: str) -> str | None:
    """The snapshot's identity without reading hundreds of GB: the manifest lists every file with its
    size and record count (the sources table's sha256 of the uncompressed bytes would cost a full read)."""
    manifest = snapshot / "data" / entity / "manifest"
    return hashlib.sha256(manifest.read_bytes()).hexdigest() if manifest.is_file() else None
