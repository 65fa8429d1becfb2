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


def quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """DuckDB draws its own progress bar on stdout for long queries: it would break `--json` output."""
    con.execute("SET enable_progress_bar = false")
    return con


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    for _name, sql in schema_statements():
        con.execute(sql)


def connect(db_path: Path | str = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Connect and make sure every canonical table exists. ':memory:' gives a throwaway store."""
    path = str(db_path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = quiet(duckdb.connect(path, read_only=read_only))
    if not read_only:
        apply_schema(con)
    return con


def open_store(
    db_path: Path | str, read_only: bool = True, require: tuple[str, ...] = ("papers",)
) -> duckdb.DuckDBPyConnection:
    """A built store, or one clear error: no file, not a DuckDB file, or a store without the tables the
    caller reads (`require`). The one place that says "no such store"."""
    from splitscope.errors import UnusableInputError

    if not Path(db_path).is_file():
        raise UnusableInputError(f"{db_path}: no such store; run `splitscope build` first or pass --db")
    try:
        con = quiet(duckdb.connect(str(db_path), read_only=read_only))
    except duckdb.Error as exc:
        raise UnusableInputError(f"{db_path}: cannot open as a DuckDB store ({exc})") from None
    present = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    missing = [name for name in require if name not in present]
    if missing:
        con.close()
        raise UnusableInputError(
            f"{db_path}: not a built splitscope store (no table {', '.join(missing)}); run `splitscope build`"
        )
    return con
