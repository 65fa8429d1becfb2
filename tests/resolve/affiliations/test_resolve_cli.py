"""Wiring and exit codes of `resolve` (the resolver is tested in test_affiliation_resolver.py; `orgs show`
in tests/orgs/test_org_lookup.py; `eval affiliations` on a real file in
tests/integration/test_affiliations_real.py)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from splitscope.cli import app


def test_resolve_prints_answer_and_evidence():
    result = CliRunner().invoke(app, ["resolve", "Microsoft Research Asia, Beijing, China", "--json"])
    assert result.exit_code == 0
    answer = json.loads(result.output)
    assert (answer["org_id"], answer["country"], answer["method"]) == ("msra", "CN", "alias")
    assert "msra" in answer["evidence"]
    garbage = CliRunner().invoke(app, ["resolve", "   ", "--json"])
    assert garbage.exit_code == 0 and json.loads(garbage.output)["method"] == "unknown"
