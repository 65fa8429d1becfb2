"""Write source batches into the store: one transaction per source (or per venue-year unit), bulk Arrow
inserts, and replacement of everything a changed source contributed, so re-running is idempotent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from splitscope.sources.rows import SourceBatch

# Child tables first: deleting a paper removes everything hanging off it, whichever source added it.
_PAPERS_OF = "SELECT paper_id FROM papers WHERE source_id = ?"
_AUTHORSHIPS_OF = f"SELECT authorship_id FROM authorships WHERE paper_id IN ({_PAPERS_OF})"
_DELETE_PAPER_TREE = (
    f"DELETE FROM affiliation_mentions WHERE authorship_id IN ({_AUTHORSHIPS_OF})",
    f"DELETE FROM authorship_attributes WHERE authorship_id IN ({_AUTHORSHIPS_OF})",
    f"DELETE FROM authorships WHERE paper_id IN ({_PAPERS_OF})",
    f"DELETE FROM paper_affiliation_mentions WHERE paper_id IN ({_PAPERS_OF})",
    "DELETE FROM papers WHERE source_id = ?",
)
_DELETE_BY_SOURCE = (
    "DELETE FROM affiliation_mentions WHERE source_id = ?",
    "DELETE FROM authorship_attributes WHERE source_id = ?",
    "DELETE FROM paper_affiliation_mentions WHERE source_id = ?",
    "DELETE FROM openreview_aliases WHERE source_id = ?",
    "DELETE FROM quarantine WHERE source_id = ?",
    "DELETE FROM source_files WHERE source_id = ?",
    "DELETE FROM sources WHERE source_id = ?",
)


@dataclass(frozen=True)
class FileStamp:
    """What identifies a file on disk cheaply (no reading): used to skip unchanged inputs."""

    path: str
    file_size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        stat = path.stat()
        return cls(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def stored_stamp_matches(con: duckdb.DuckDBPyConnection, source_id: str, stamp: FileStamp) -> bool:
    row = con.execute(
        "SELECT path, file_size, mtime_ns FROM source_files WHERE source_id = ?", [source_id]
    ).fetchone()
    return row is not None and tuple(row) == (stamp.path, stamp.file_size, stamp.mtime_ns)


def stored_sha256(con: duckdb.DuckDBPyConnection, source_id: str) -> str | None:
    row = con.execute("SELECT sha256 FROM sources WHERE source_id = ?", [source_id]).fetchone()
    return None if row is None else str(row[0])


def record_stamp(con: duckdb.DuckDBPyConnection, source_id: str, stamp: FileStamp, sha256: str) -> None:
    con.execute("DELETE FROM source_files WHERE source_id = ?", [source_id])
    con.execute(
        "INSERT INTO source_files VALUES (?, ?, ?, ?, ?)",
        [source_id, stamp.path, stamp.file_size, stamp.mtime_ns, sha256],
    )


def is_stored(con: duckdb.DuckDBPyConnection, source_id: str) -> bool:
    return con.execute("SELECT 1 FROM sources WHERE source_id = ?", [source_id]).fetchone() is not None


def delete_source(con: duckdb.DuckDBPyConnection, source_id: str) -> None:
    """Remove every row a source created or attached (call inside a transaction)."""
    for statement in _DELETE_PAPER_TREE:
        con.execute(statement, [source_id])
    for statement in _DELETE_BY_SOURCE:
        con.execute(statement, [source_id])


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, arrow_table: pa.Table) -> None:
    view = f"_incoming_{table}_{os.getpid()}"
    con.register(view, arrow_table)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
    finally:
        con.unregister(view)


def replace_sources(
    con: duckdb.DuckDBPyConnection,
    batches: list[tuple[SourceBatch, FileStamp | None]],
    also_delete: tuple[str, ...] = (),
) -> None:
    """Atomically replace the listed sources' rows with the new batches. On any error nothing changes.

    Several sources may share the transaction (build groups small ones: a commit with primary-key
    indexes costs more than the rows); a source is never split across transactions.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        for source_id in (*also_delete, *(batch.source_id for batch, _ in batches)):
            if is_stored(con, source_id):  # a first load has nothing to delete: skip the scans
                delete_source(con, source_id)
        tables: dict[str, list[pa.Table]] = {}
        for batch, _ in batches:
            for name, table in batch.to_arrow().items():
                tables.setdefault(name, []).append(table)
        for name, parts in tables.items():
            insert_arrow(con, name, pa.concat_tables(parts))
        insert_source_rows(con, batches)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def insert_source_rows(
    con: duckdb.DuckDBPyConnection, batches: list[tuple[SourceBatch, FileStamp | None]]
) -> None:
    rows = [batch.source_row() for batch, _ in batches]
    insert_arrow(con, "sources", pa.Table.from_pylist(rows))
    stamps = [
        {
            "source_id": b.source_id,
            "path": st.path,
            "file_size": st.file_size,
            "mtime_ns": st.mtime_ns,
            "sha256": b.sha256,
        }
        for b, st in batches
        if st is not None
    ]
    if stamps:
        insert_arrow(con, "source_files", pa.Table.from_pylist(stamps))
