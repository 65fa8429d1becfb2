from __future__ import annotations

import pytest

from splitscope.errors import UnusableInputError
from splitscope.orgs.registry import build_registry, load_registry


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
