"""Small facts about what the pipeline last did (schema/45_pipeline.sql), read and written by key."""

from __future__ import annotations

import duckdb

BUILD_RUNNING = "running"
BUILD_COMPLETE = "complete"
# The tables person linkage derives; emptying them makes the next link a full one.
PERSON_LINK_TABLES = ("authorship_person", "persons", "person_link_model")


def read_state(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """None when unknown, also in a store written before the table existed (opened read-only)."""
    present = con.execute(
        "select count(*) from information_schema.tables where table_name = 'pipeline_state'"
    ).fetchone()
    if not present or not present[0]:
        return None
    row = con.execute("select value from pipeline_state where key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def write_state(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute(
        "insert or replace into pipeline_state (key, value, updated_at) values (?, ?, current_timestamp)",
        [key, value],
    )


def forget_person_links(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the derived person tables in one transaction: the next link starts from nothing."""
    con.execute("begin transaction")
    try:
        for table in PERSON_LINK_TABLES:
            con.execute(f"delete from {table}")
        con.execute("delete from pipeline_state where key = 'persons_link'")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
