"""A content fingerprint of a store: two stores with the same canonical and derived rows have the same
fingerprint, whatever order the rows were written in and wherever the input files lay.

Per table: the row count and the sum (mod 2**64) of a hash of every row, which does not depend on row
order. Left out, because they say when or where rather than what: load and training timestamps, the
input paths (`sources.uri`, the whole of `source_files`: paths, sizes and mtimes used to skip unchanged
files) and `pipeline_state` (bookkeeping of the last run).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb

SKIPPED_TABLES = {"source_files", "pipeline_state"}
SKIPPED_COLUMNS = {"loaded_at", "quarantined_at", "trained_at", "updated_at", "uri"}


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    hash: str

    def to_dict(self) -> dict[str, object]:
        return {"rows": self.rows, "hash": self.hash}


@dataclass(frozen=True)
class StoreFingerprint:
    tables: dict[str, TableFingerprint]

    @property
    def digest(self) -> str:
        """One hex digest over every table's fingerprint, in table-name order."""
        text = "\n".join(f"{name} {fp.rows} {fp.hash}" for name, fp in sorted(self.tables.items()))
        return hashlib.sha256(text.encode()).hexdigest()

    def to_dict(self) -> dict[str, object]:
        return {"digest": self.digest, "tables": {n: fp.to_dict() for n, fp in sorted(self.tables.items())}}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = 'main' "
        "and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    return [name for (name,) in rows if name not in SKIPPED_COLUMNS]


def table_fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> TableFingerprint:
    quoted = ", ".join(f'"{c}"' for c in _columns(con, table))
    # hash() of a row struct: NULLs and column boundaries are part of what is hashed
    rows, total = con.execute(
        f"select count(*), coalesce(sum(hash(struct_pack({quoted}))::hugeint), 0) % 18446744073709551616 "
        f'from "{table}"'
    ).fetchone()  # type: ignore[misc]
    return TableFingerprint(int(rows), f"{int(total):016x}")


def store_fingerprint(con: duckdb.DuckDBPyConnection) -> StoreFingerprint:
    tables = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' "
            "and table_type = 'BASE TABLE' order by table_name"
        ).fetchall()
        if name not in SKIPPED_TABLES
    ]
    return StoreFingerprint({name: table_fingerprint(con, name) for name in tables})
