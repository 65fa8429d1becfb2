"""The issue-19 patterns, one hand-written fixture each, with the exact dependencies a careful reader
lists (tests/audit/expected/*.yaml) and exact findings at the places that prove each detection path.

Fixtures: ts_chat_app (TypeScript chat UI), langchain_cn (LangChain/LlamaIndex with Chinese providers,
setup.py, setup.cfg, .env, a notebook), vllm_local (vLLM/Ollama/TGI served locally), yaml_recipe
(training recipes with outputs and dataset mixtures), large_json (model folder, non-ASCII data, npm locks).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from splitscope.audit.report import run_audit

HERE = Path(__file__).parent
FIXTURES = ("ts_chat_app", "langchain_cn", "vllm_local", "yaml_recipe", "large_json")


@pytest.fixture(scope="module")
def audits():
    return {name: run_audit(HERE / "fixtures" / name) for name in FIXTURES}


def _found(audit, kind=None):
    return {
        (d.kind, d.subject, d.attribution.jurisdiction)
        for d in audit.deps
        if d.kind != "serving" and (kind is None or d.kind == kind)
    }


def _findings(audit):
    return {(f.kind, f.file, f.line, f.subject, f.detector) for f in audit.scan.findings}


@pytest.mark.parametrize("name", FIXTURES)
def test_dependencies_are_exactly_the_hand_listed_ones(audits, name):
    expected = yaml.safe_load((HERE / "expected" / f"{name}.yaml").read_text(encoding="utf-8"))
    assert _found(audits[name]) == {tuple(str(p) for p in row) for row in expected["dependencies"]}
    assert audits[name].scan.skipped == []


def test_typescript_chat_app(audits):
    audit = audits["ts_chat_app"]
    assert {
        ("package", "package.json", 8, "@anthropic-ai/sdk", "deps:npm"),
        ("package", "yarn.lock", 15, "@mistralai/mistralai", "deps:yarn-lock"),
        ("api", "src/lib/providers.ts", 11, "api.deepseek.com", "js:OpenAI"),
        ("api", "src/lib/providers.ts", 16, "openrouter.ai", "js:OpenAI"),  # baseURL through a const
        ("api", "src/lib/providers.ts", 12, "DEEPSEEK_API_KEY", "js:env"),
        ("api", "src/lib/providers.ts", 25, "deepseek-chat", "js:api_model"),
        ("api", "src/lib/providers.ts", 32, "gemini-1.5-flash", "js:api_model"),
        ("api", "src/app/api/chat/route.ts", 6, "gpt-4o-mini", "js:ai-sdk"),
        ("api", "src/lib/models.ts", 5, "claude-3-5-sonnet-20241022", "js:value"),
    } <= _findings(audit)
    subjects = {f.subject for f in audit.scan.findings}
    # Commented out (moonshot), in a JSDoc comment (gpt-4o-mini's line 22, api.mistral.ai), or a JSX
    # option value that is not under a model-like key, or the Go file nobody reads.
    assert "api.moonshot.cn" not in subjects and "api.mistral.ai" not in subjects
    assert "claude-3-haiku" not in subjects
    assert not any(f.line == 22 for f in audit.scan.findings if f.file == "src/lib/providers.ts")
    assert audit.document["files"] == {"seen": 9, "read": 8, "skipped": 0, "not_analysed": {"Go": 1}}


def test_langchain_app_with_chinese_providers(audits):
    audit = audits["langchain_cn"]
    assert {
        ("api", "app/llms.py", 8, "qwen-max", "python:ChatTongyi"),
        ("api", "app/llms.py", 9, "open.bigmodel.cn", "python:ChatZhipuAI"),
        ("api", "app/llms.py", 11, "generalv3.5", "python:ChatSparkLLM"),  # exclusive class: no prefix
        ("api", "app/llms.py", 14, "text-embedding-v3", "python:DashScopeEmbeddings"),
        ("model", "app/llms.py", 13, "BAAI/bge-large-zh-v1.5", "python:HuggingFaceEmbeddings"),
        ("api", "app/settings.py", 7, "deepseek-chat", "python:dict"),
        ("model", "app/settings.py", 14, "BAAI/bge-reranker-v2-m3", "python:assignment"),
        ("api", "app/settings.py", 25, "qwen-plus", "python:ChatOpenAI"),  # dict.get default -> class attr
        ("api", "app/settings.py", 25, "api.xverse.cn", "python:ChatOpenAI"),  # PROVIDERS[name]["base_url"]
        ("api", "notebooks/demo.ipynb", 31, "qwen-long", "python:Tongyi"),  # constant from an earlier cell
        ("package", "setup.py", 8, "dify-client", "deps:setup.py"),
        ("package", "setup.cfg", 11, "langchain-ollama", "deps:setup-cfg"),
    } <= _findings(audit)
    by_subject = {d.subject: d for d in audit.deps}
    assert by_subject["text-embedding-v3"].attribution.org_id == "alibaba"  # not OpenAI's text-embedding-
    assert by_subject["api.dify.ai"].attribution.org_name == "Dify (LangGenius)"
    notebook = [f for f in audit.scan.findings if f.file == "notebooks/demo.ipynb"]
    assert "gpt-4o" not in {f.subject for f in notebook}  # a markdown cell


def test_local_servers_are_serving_not_vendor_apis(audits):
    audit = audits["vllm_local"]
    serving = {d.subject for d in audit.deps if d.kind == "serving"}
    assert serving == {
        "localhost:8000",
        "0.0.0.0:11434",
        "127.0.0.1:8000",
        "localhost:8001",
        "host.docker.internal:11434",
        "192.168.1.20:8000",
        "vllm:8000",
    }
    assert all(d.attribution.jurisdiction == "n/a" for d in audit.deps if d.kind == "serving")
    assert not [d for d in audit.deps if d.kind == "api"]
    qwen = next(d for d in audit.deps if d.subject == "qwen2.5-7b")
    assert (qwen.kind, qwen.attribution.jurisdiction) == ("model", "CN")
    assert qwen.places[0].note == "served by the self-hosted server at 127.0.0.1:8000"
    items = {i["id"]: i for c in audit.document["checklists"] for i in c["items"]}
    assert items["us-data-security-program"]["applies"] is False  # no Chinese hosted API
    assert items["us-padfa"]["applies"] is False
    assert (
        "model",
        "Dockerfile",
        4,
        "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
        "shell:--model",
    ) in _findings(audit)
    assert ("model", "deploy/docker-compose.yml", 9, "THUDM/glm-4-9b-chat", "config:yaml:--model-id") in (
        _findings(audit)
    )


def test_recipe_outputs_and_split_names_are_not_dependencies(audits):
    audit = audits["yaml_recipe"]
    subjects = {f.subject for f in audit.scan.findings}
    for absent in ("my-org/Qwen2.5-1.5B-SFT", "my-org/llama-3.1-8b-dpo", "my-org/Qwen2.5-0.5B-sft"):
        assert absent not in subjects  # hub_model_id, push_to_hub target
    for absent in ("aya_en", "llama_instruct", "command_r", "train_sft", "olmo-style-dpo"):
        assert absent not in subjects  # dataset configs, splits, run name: prefixes alone are not ids
    assert ("dataset", "recipes/llama3-8b/dpo/config.yaml", 6, "argilla/dpo-mix-7k", "config:yaml") in (
        _findings(audit)
    )


def test_model_folder_and_lockfiles(audits):
    audit = audits["large_json"]
    found = _findings(audit)
    assert ("model", "model/config.json", 2, "Qwen/Qwen2.5-7B-Instruct", "config:json") in found
    assert ("model", "data/zh_distilled.json", 5, "gpt-4-0613", "config:json") in found  # non-ASCII file
    assert ("package", "web/package-lock.json", 10, "@anthropic-ai/sdk", "deps:npm-lock") in found
    assert ("package", "web/pnpm-lock.yaml", 7, "@langchain/openai", "deps:pnpm-lock") in found
    assert not [f for f in audit.scan.findings if f.file.startswith("model/tokenizer")]
    assert "qwen2" not in {f.subject for f in audit.scan.findings}  # model_type names a class
