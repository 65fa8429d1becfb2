"""The ML-BOM validates against CycloneDX 1.6; checklists carry dates and sources and apply for a reason."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from splitscope.audit.bom import build_bom, validate_bom
from splitscope.audit.checklists import evaluate_checklists, load_checklists
from splitscope.audit.report import run_audit
from splitscope.errors import CheckFailedError

FIXTURE = Path(__file__).parent / "fixtures" / "stack_repo"


@pytest.fixture(scope="module")
def audit():
    return run_audit(FIXTURE)


def test_bom_validates_and_carries_supplier_and_jurisdiction(audit):
    bom = build_bom(audit.deps)  # validates, or raises
    assert bom["specVersion"] == "1.6"
    components = {c["name"]: c for c in bom["components"]}
    qwen = components["Qwen/Qwen2.5-7B-Instruct"]
    assert qwen["type"] == "machine-learning-model"
    assert qwen["supplier"] == {"name": "Alibaba Group"}
    assert {"name": "splitscope:jurisdiction", "value": "CN"} in qwen["properties"]
    assert qwen["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    assert {"name": "splitscope:licence", "value": "Apache-2.0"} in qwen["modelCard"]["properties"]
    c4 = components["allenai/c4"]
    assert c4["type"] == "data"
    assert c4["data"] == [
        {
            "type": "dataset",
            "name": "allenai/c4",
            "governance": {"owners": [{"organization": {"name": "Allen Institute for AI"}}]},
        }
    ]
    llama = components["meta-llama/Llama-3.1-8B-Instruct"]
    assert llama["licenses"] == [{"license": {"name": "llama3.1"}}]  # not an SPDX id
    unknown = components["bartowski/Qwen2.5-7B-Instruct-GGUF"]
    assert "supplier" not in unknown
    assert {"name": "splitscope:jurisdiction", "value": "unknown"} in unknown["properties"]
    assert len(bom["components"]) == len(audit.deps)


def test_schema_rejects_a_broken_model_card(audit):
    bom = copy.deepcopy(build_bom(audit.deps))
    model = next(c for c in bom["components"] if c["type"] == "machine-learning-model")
    model["modelCard"]["jurisdiction"] = "CN"  # not a modelCard field
    with pytest.raises(CheckFailedError, match="does not validate against CycloneDX 1.6"):
        validate_bom(bom)


def test_checklists_have_dates_and_sources():
    for name, doc in load_checklists().items():
        assert doc["version"] and doc["reviewed"], name
        for item in doc["items"]:
            assert item["date"] and item["source"], item["id"]
            assert item["date"] == "ongoing" or len(item["date"]) == 10  # ISO date


def test_checklists_apply_for_the_dependencies_found(audit):
    evaluated = {c["jurisdiction"]: {i["id"]: i for i in c["items"]} for c in evaluate_checklists(audit.deps)}
    dsp = evaluated["US"]["us-data-security-program"]
    assert dsp["applies"] and "api.deepseek.com (CN)" in dsp["because"]
    assert dsp["date"] == "2025-04-08" and dsp["source"] == "https://www.justice.gov/nsd/data-security"
    pipl = evaluated["CN"]["cn-pipl-cross-border"]
    assert pipl["applies"] and "api.openai.com (US)" in pipl["because"]


def test_checklists_not_triggered_without_such_dependencies():
    evaluated = {c["jurisdiction"]: {i["id"]: i for i in c["items"]} for c in evaluate_checklists([])}
    assert evaluated["US"]["us-data-security-program"]["applies"] is False
    assert evaluated["CN"]["cn-pipl-cross-border"]["applies"] is False
    assert evaluated["CN"]["cn-genai-interim-measures"]["because"] == ["always"]
