"""`orgs show`: registry entries by id, by any name (normalised), all holders of a shared name."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from splitscope.cli import app
from splitscope.errors import UnusableInputError
from splitscope.orgs.lookup import find_orgs
from splitscope.orgs.registry import build_registry

REGISTRY = {
    "orgs": [
        {"id": "neu", "name": "Northeastern University", "sector": "education", "country": "US"},
        {"id": "neu_cn", "name": "Northeastern University", "aliases": ["东北大学"], "sector": "education",
         "country": "CN"},
        {"id": "msra", "name": "Microsoft Research Asia", "aliases": ["MSRA"], "sector": "company",
         "country": "CN"},
    ]
}  # fmt: skip


def test_by_id_then_by_normalised_name_and_every_holder_of_a_shared_name():
    registry = build_registry([("test.yaml", REGISTRY)])
    assert [o.id for o in find_orgs(registry, "msra")] == ["msra"]  # the id
    assert [o.id for o in find_orgs(registry, "MSRA")] == ["msra"]  # an alias
    assert [o.id for o in find_orgs(registry, "microsoft-research  asia")] == ["msra"]  # normalised
    assert [o.id for o in find_orgs(registry, "Northeastern University")] == ["neu", "neu_cn"]
    assert [o.id for o in find_orgs(registry, "东北大学")] == ["neu_cn"]
    with pytest.raises(UnusableInputError, match="no organisation in the registry is called 'Nowhere'"):
        find_orgs(registry, "Nowhere")


def test_orgs_show_finds_by_alias():
    result = CliRunner().invoke(app, ["orgs", "show", "MSRA", "--json"])
    assert result.exit_code == 0
    assert [o["id"] for o in json.loads(result.output)] == ["msra"]
