from __future__ import annotations

from splitscope.store import apply_schema


def test_schema_is_idempotent_and_has_canonical_tables(store):
    apply_schema(store)  # a second application must not fail or change anything
    tables = {r[0] for r in store.execute("select table_name from information_schema.tables").fetchall()}
    assert {"sources", "papers", "authorships", "affiliation_mentions", "quarantine"} <= tables
