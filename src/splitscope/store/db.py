"""Open the DuckDB store and apply the canonical schema (schema/*.sql, in name order)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb


def schema_statements() -> list[tuple[str, str]]:
    """(file name, SQL text) for every schema file, in application order."""
    folder = resources.files("splitscope.store") / "schema"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    for _name, sql in schema_statements():
        con.execute(sql)


def connect(db_path: Path | str = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Connect and make sure every canonical table exists. ':memory:' gives a throwaway store."""
    path = str(db_path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(path, read_only=read_only)
    if not read_only:
        apply_schema(con)
    return con
