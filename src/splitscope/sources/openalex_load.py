"""Canonical Parquet of an OpenAlex flatten → the store, in one transaction per ingest.

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

from splitscope.sources.openalex_snapshot import (
    FlattenSummary,
    Progress,
    WorkFilter,
    authors_source_id,
    check_engine,
    flatten_snapshot,
    table_path,
)
from splitscope.store.keys import check_unique_keys
from splitscope.store.write import delete_source, is_stored

_OPENALEX_TABLES = (
    "openalex_authorships",
    "openalex_authorship_institutions",
    "openalex_author_affiliation_years",
)
# Tables whose rows hang off a paper: skipped for works another source holds.
_BY_PAPER = {
    "papers": "paper_id",
    "authorships": "paper_id",
    "affiliation_mentions": "split_part(authorship_id, '#', 1)",
    "openalex_authorships": "split_part(authorship_id, '#', 1)",
    "openalex_authorship_institutions": "split_part(authorship_id, '#', 1)",
}


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


def ingest_snapshot(
    con: duckdb.DuckDBPyConnection,
    snapshot_dir: Path,
    work_filter: WorkFilter,
    engine: str = "duckdb",
    source_id: str | None = None,
    *,
    out_dir: Path | None = None,
    spark_master: str | None = None,
    post_ingest: bool = False,
    progress: Progress | None = None,
) -> IngestSummary:
    """Flatten the snapshot (into `out_dir`, kept, or a temporary folder) and load it. With
    `post_ingest`, run the build's resolution and linkage steps afterwards (the CLI does)."""
    with tempfile.TemporaryDirectory(prefix="splitscope-openalex-") as scratch:
        target = out_dir or Path(scratch)
        flattened = flatten_snapshot(
            snapshot_dir,
            target,
            work_filter,
            engine,
            source_id=source_id,
            spark_master=spark_master,
            progress=progress,
        )
        summary = load_flattened(con, target, flattened)
    if post_ingest:
        from splitscope.pipeline.build import run_post_ingest_steps

        summary.post_ingest_steps = run_post_ingest_steps(con)
    return summary


def load_flattened(con: duckdb.DuckDBPyConnection, out_dir: Path, flattened: FlattenSummary) -> IngestSummary:
    from splitscope.pipeline.build import bulk_load_settings

    source_id = flattened.source_id
    authors_id = authors_source_id(source_id)
    summary = IngestSummary(flattened)
    with bulk_load_settings(con):
        con.execute("BEGIN TRANSACTION")
        try:
            for sid in (source_id, authors_id):
                if is_stored(con, sid):
                    delete_source(con, sid)
                for table in _OPENALEX_TABLES:
                    con.execute(f"DELETE FROM {table} WHERE source_id = ?", [sid])
            papers = table_path(out_dir, "papers")
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _openalex_held AS SELECT paper_id FROM papers "
                "WHERE paper_id IN (SELECT paper_id FROM read_parquet(?))",
                [papers],
            )
            summary.held_elsewhere = _scalar(con, "SELECT count(*) FROM _openalex_held")
            for table in (*_BY_PAPER, *_OPENALEX_TABLES[2:], "quarantine"):
                summary.table_rows[table] = _insert(con, out_dir, table)
            summary.papers_stored = summary.table_rows["papers"]
            _insert_sources(con, flattened, summary)
            con.execute("DROP TABLE _openalex_held")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    check_unique_keys(con)
    return summary


def _insert(con: duckdb.DuckDBPyConnection, out_dir: Path, table: str) -> int:
    """Insert one table's Parquet; return the rows inserted. Straight from Parquet to the store (no
    Arrow table in Python): a world-scale flatten does not fit in memory, DuckDB streams it."""
    path = out_dir / table
    if not path.is_dir() and not (out_dir / f"{table}.parquet").is_file():
        return 0
    source = f"read_parquet({_quote(table_path(out_dir, table))})"
    where = ""
    if table in _BY_PAPER:
        where = f" WHERE {_BY_PAPER[table]} NOT IN (SELECT paper_id FROM _openalex_held)"
    before = _scalar(con, f"SELECT count(*) FROM {table}")
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {source}{where}")
    return _scalar(con, f"SELECT count(*) FROM {table}") - before


def _insert_sources(
    con: duckdb.DuckDBPyConnection, flattened: FlattenSummary, summary: IngestSummary
) -> None:
    counts = flattened.counts
    snapshot = Path(flattened.snapshot_dir)
    row = (
        "INSERT INTO sources (source_id, kind, venue, year, uri, sha256, bytes, records_read, papers_stored,"
    )
    row += " records_merged, records_quarantined) VALUES (?, 'openalex', NULL, NULL, ?, ?, ?, ?, ?, ?, ?)"
    con.execute(
        row,
        [
            flattened.source_id,
            str(snapshot / "data" / "works"),
            _manifest_sha256(snapshot, "works"),
            flattened.gz_bytes,
            summary.records_read,
            summary.papers_stored,
            summary.records_merged,
            summary.records_quarantined,
        ],
    )
    if (snapshot / "data" / "authors").is_dir():
        # the authors source counts author records the stored works name; papers_stored holds the
        # author records stored (the sources table has one set of columns for every kind of input)
        stored, merged, quarantined = (
            counts[k] for k in ("authors_stored", "authors_merged", "authors_quarantined")
        )
        con.execute(
            row,
            [
                authors_source_id(flattened.source_id),
                str(snapshot / "data" / "authors"),
                _manifest_sha256(snapshot, "authors"),
                None,
                stored + merged + quarantined,
                stored,
                merged,
                quarantined,
            ],
        )


def _manifest_sha256(snapshot: Path, entity: str) -> str | None:
    """The snapshot's identity without reading hundreds of GB: the manifest lists every file with its
    size and record count (the sources table's sha256 of the uncompressed bytes would cost a full read)."""
    manifest = snapshot / "data" / entity / "manifest"
    return hashlib.sha256(manifest.read_bytes()).hexdigest() if manifest.is_file() else None


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def run_ingest_snapshot(
    snapshot_dir: Path,
    filters: list[str],
    engine: str = "duckdb",
    spark_master: str | None = None,
    out_dir: Path | None = None,
    db: Path | None = None,
    show_progress: bool = True,
    post_ingest: bool = True,
) -> IngestSummary:
    """The library side of `splitscope openalex ingest-snapshot`: parse the filters, check the snapshot
    before opening the store (a typo in DIR must not create an empty store), ingest with a progress bar."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    from splitscope.config import load_settings
    from splitscope.sources.openalex_layout import read_snapshot
    from splitscope.store import connect

    work_filter = WorkFilter.parse(filters)
    check_engine(engine)
    total = read_snapshot(snapshot_dir).gz_bytes
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        disable=not show_progress,
    )
    con = connect(load_settings(db=db).db_path)
    try:
        with bar:
            task = bar.add_task(f"flatten ({engine})", total=total)
            return ingest_snapshot(
                con,
                snapshot_dir,
                work_filter,
                engine,
                out_dir=out_dir,
                spark_master=spark_master,
                post_ingest=post_ingest,
                progress=lambda done: bar.advance(task, done),
            )
    finally:
        con.close()
