from __future__ import annotations

import pytest

from splitscope.errors import UnusableInputError
from splitscope.orgs.registry import build_registry, load_registry
from splitscope.store import apply_schema


def test_schema_is_idempotent_and_has_canonical_tables(store):
    apply_schema(store)  # a second application must not fail or change anything
    tables = {r[0] for r in store.execute("select table_name from information_schema.tables").fetchall()}
    assert {"sources", "papers", "authorships", "affiliation_mentions", "quarantine"} <= tables


def test_packaged_registry_loads_and_links_parents():
    registry = load_registry()
    msra = registry.get("msra")
    assert msra is not None and msra.country == "CN" and msra.parent == "microsoft"
    assert registry.get("microsoft").multi_site


def test_registry_reports_every_problem_at_once():
    doc = {
        "orgs": [
            {"id": "a", "name": "A", "sector": "company", "country": "XX"},
            {"id": "b", "name": "B", "sector": "castle", "country": "US"},
            {"id": "c", "name": "C", "sector": "company", "country": "US", "parent": "nowhere"},
        ]
    }
    with pytest.raises(UnusableInputError) as err:
        build_registry([("test.yaml", doc)])
    message = str(err.value)
    assert "'XX' is not an ISO" in message and "'castle'" in message and "'nowhere'" in message
