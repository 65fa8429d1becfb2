"""The affiliation resolver on real data from ../shared/data: `eval affiliations` on one paper list, and the
hand-labelled gold set with the world universities list loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from splitscope.cli import app
from splitscope.resolve.affiliations.evaluate import read_gold, score_gold
from splitscope.resolve.affiliations.resolver import default_resolver

pytestmark = pytest.mark.integration

GOLD = Path(__file__).parents[1] / "resolve" / "affiliations" / "data" / "gold_affiliations.tsv"


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


def test_precision_and_recall_on_gold(shared_data):
    result = score_gold(read_gold(GOLD), default_resolver(shared_data))
    # measured 1.00 / 0.915 (86 of 94 answered, all right); a wrong answer anywhere fails this
    assert result["precision"] == 1.0, result["mistakes"]
    assert result["recall"] >= 0.9
    assert result["answered_where_gold_cannot_tell"] == 0
