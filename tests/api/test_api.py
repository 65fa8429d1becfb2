"""The library surface: commands called as functions, with typed inputs and results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from splitscope import api
from splitscope.config import load_settings
from splitscope.errors import CheckFailedError, UnusableInputError
from splitscope.selection import parse_selection

PAPERS = [
    {"id": "1", "title": "One", "author": "Ada Lovelace; Wei Zhang", "aff": "MIT; Tsinghua University"},
    {"id": "2", "title": "Two", "author": "Ada Lovelace", "aff": "Massachusetts Institute of Technology"},
]


@pytest.fixture()
def built(tmp_path: Path):
    mirror = tmp_path / "mirror" / "x"
    mirror.mkdir(parents=True)
    (mirror / "x2020.json").write_text(json.dumps(PAPERS), encoding="utf-8")
    settings = load_settings(db=tmp_path / "s.duckdb", mirror=tmp_path / "mirror", shared=tmp_path)
    summary = api.build(settings, parse_selection(None, None), progress=False)
    return settings, summary


def test_build_status_and_person_as_functions(built):
    settings, summary = built
    assert summary.problem is None and summary.to_dict()["papers_stored"] == 2
    status = api.status(settings).to_dict()
    assert status["totals"]["authorships"] == 3 and status["totals"]["share_with_affiliation"] == 1.0
    persons = api.person(settings, "Ada Lovelace").to_dict()
    assert sum(person["authorships"] for person in persons) == 2
    countries = {
        country for person in persons for paper in person["papers"] for country in paper["countries"]
    }
    assert countries == {"US"}


def test_a_missing_store_is_one_error(tmp_path: Path):
    settings = load_settings(db=tmp_path / "none.duckdb")
    with pytest.raises(UnusableInputError, match="none.duckdb: no such store"):
        api.status(settings)
    with pytest.raises(UnusableInputError, match="no such store"):
        api.talent(settings, parse_selection(None, None))


def test_resolve_returns_a_plain_document(tmp_path: Path):
    answer = api.resolve_affiliation(
        load_settings(cache=tmp_path), "Dept. of CS, Tsinghua University"
    ).to_dict()
    assert answer["country"] == "CN" and answer["org_id"] is not None


def test_audit_gate_is_the_results_problem_after_the_bom_is_written(tmp_path: Path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text(
        "from transformers import AutoModelForCausalLM\n"
        'model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-7B-Instruct")\n',
        encoding="utf-8",
    )
    options = api.AuditOptions(fail_on="CN", bom=tmp_path / "bom.json")
    result = api.audit(repo, options)
    assert isinstance(result.problem, CheckFailedError) and "CN" in str(result.problem)
    assert (tmp_path / "bom.json").is_file() and result.to_dict()["dependencies"]
