"""The schema SQL and the one declaration of the canonical columns (store/batch.py) agree, so a source
writing by the declaration always fits the table."""

from __future__ import annotations

import pyarrow as pa
import pytest

from splitscope.store import apply_schema
from splitscope.store.batch import SOURCE_FILES_SCHEMA, SOURCES_SCHEMA, TABLE_SCHEMAS

# How each declared Arrow type is spelled in DuckDB's information_schema.
DUCKDB_TYPE = {
    pa.string(): "VARCHAR",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.bool_(): "BOOLEAN",
    pa.list_(pa.string()): "VARCHAR[]",
}
DECLARED = {**TABLE_SCHEMAS, "sources": SOURCES_SCHEMA, "source_files": SOURCE_FILES_SCHEMA}


def test_schema_is_idempotent_and_has_canonical_tables(store):
    apply_schema(store)  # a second application must not fail or change anything
    tables = {r[0] for r in store.execute("select table_name from information_schema.tables").fetchall()}
    assert {"sources", "papers", "authorships", "affiliation_mentions", "quarantine"} <= tables


@pytest.mark.parametrize("table", sorted(DECLARED))
def test_declared_columns_match_the_schema_sql(store, table):
    """Same names in the same order and the same types; columns the SQL has beyond the declaration
    come after it and are ones a source never writes (a default, or filled later by resolution)."""
    rows = store.execute(
        "select column_name, data_type, is_nullable, column_default from information_schema.columns "
        "where table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    declared = DECLARED[table]
    in_sql = [(name, data_type) for name, data_type, _, _ in rows[: len(declared)]]
    assert in_sql == [(f.name, DUCKDB_TYPE[f.type]) for f in declared]
    for name, _, nullable, default in rows[len(declared) :]:
        assert nullable == "YES" or default is not None, f"{table}.{name}: NOT NULL without a default"


def test_every_table_with_rows_from_a_source_is_declared(store):
    """A table carrying source_id is written by a source: it must be declared (or be bookkeeping)."""
    with_source_id = {
        r[0]
        for r in store.execute(
            "select table_name from information_schema.columns where column_name = 'source_id'"
        ).fetchall()
    }
    # authorship_affiliations: resolution's choice per authorship, which names the mention's source
    assert with_source_id - set(DECLARED) == {"authorship_affiliations"}
