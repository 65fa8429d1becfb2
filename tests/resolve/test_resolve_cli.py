"""Wiring and exit codes of `resolve`, `orgs show` and `eval affiliations` (the library functions are tested
in test_affiliations.py and test_gold_affiliations.py)."""

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


def test_orgs_show_finds_by_alias():
    result = CliRunner().invoke(app, ["orgs", "show", "MSRA", "--json"])
    assert result.exit_code == 0
    assert [o["id"] for o in json.loads(result.output)] == ["msra"]


def test_eval_affiliations_on_one_real_file(shared_data):
    path = shared_data / "paperlists" / "acml" / "acml2010.json.gz"
    result = CliRunner().invoke(app, ["eval", "affiliations", "--json", str(path)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    # 70 labelled author affiliations (counted by hand in the file), every one answered and agreeing;
    # the hardest is 'Dorodnicyn Computing Centre of the Russian Academy of Sciences' (curated RAS, RU).
    assert scores["n"] == 70 and scores["precision"] == 1.0 and scores["coverage"] == 1.0
    assert set(scores["per_country"]) >= {"US", "CN", "HK"}
    missing = CliRunner().invoke(app, ["eval", "affiliations", str(shared_data / "nope2010.json")])
    assert missing.exit_code == 2
