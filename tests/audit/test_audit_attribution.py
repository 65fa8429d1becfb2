"""Attribution to publisher and jurisdiction, licences, dual sources, eval parity (fixture repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

from splitscope.audit.report import check_fail_on, parse_fail_on, run_audit
from splitscope.errors import CheckFailedError, UnusableInputError

FIXTURE = Path(__file__).parent / "fixtures" / "stack_repo"


@pytest.fixture(scope="module")
def audit():
    return run_audit(FIXTURE, home="US")


def _dep(audit, kind, subject):
    return next(d for d in audit.deps if d.kind == kind and d.subject == subject)


@pytest.mark.parametrize(
    ("kind", "subject", "org", "jurisdiction", "licence"),
    [
        ("model", "Qwen/Qwen2.5-7B-Instruct", "alibaba", "CN", "Apache-2.0"),
        ("model", "meta-llama/Llama-3.1-8B-Instruct", "meta", "US", "llama3.1"),
        ("model", "google/gemma-2-9b-it", "google", "US", "gemma"),
        ("model", "BAAI/bge-base-en-v1.5", "baai", "CN", "MIT"),
        ("model", "deepseek-ai/DeepSeek-R1", "deepseek", "CN", "MIT"),
        ("model", "ZhipuAI/glm-4-9b-chat", "zhipu", "CN", "unknown"),
        ("model", "moonshotai/Kimi-K2-Instruct", "moonshot", "CN", "modified-mit"),
        ("model", "01-ai/Yi-1.5-9B-Chat", "zero_one_ai", "CN", "Apache-2.0"),
        ("model", "mistralai/Mistral-7B-Instruct-v0.3", "mistral", "FR", "Apache-2.0"),
        ("model", "internlm/internlm2_5-7b-chat", "shanghai_ai_lab", "CN", "unknown"),
        ("model", "google-bert/bert-base-uncased", "google", "US", "Apache-2.0"),
        ("model", "qwen2.5:7b", "alibaba", "CN", "unknown"),
        ("model", "deepseek-r1:8b", "deepseek", "CN", "unknown"),
        ("api", "api.deepseek.com", "deepseek", "CN", ""),
        ("api", "dashscope.aliyuncs.com", "alibaba", "CN", ""),
        ("api", "api.moonshot.cn", "moonshot", "CN", ""),
        ("api", "open.bigmodel.cn", "zhipu", "CN", ""),
        ("api", "api.minimax.chat", "minimax", "CN", ""),
        ("api", "api.openai.com", "openai", "US", ""),
        ("api", "qianfan", "baidu", "CN", ""),
        ("api", "volcengine-python-sdk", "bytedance", "CN", ""),
        ("api", "DEEPSEEK_API_KEY", "deepseek", "CN", ""),
        ("hub", "VLLM_USE_MODELSCOPE=True", "alibaba", "CN", ""),
        ("dataset", "allenai/c4", "ai2", "US", ""),
        ("dataset", "BAAI/Infinity-Instruct", "baai", "CN", ""),
        ("package", "anthropic", "anthropic", "US", ""),
    ],
)
def test_attribution(audit, kind, subject, org, jurisdiction, licence):
    dep = _dep(audit, kind, subject)
    assert (dep.attribution.org_id, dep.attribution.jurisdiction, dep.licence) == (org, jurisdiction, licence)


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("model", "bartowski/Qwen2.5-7B-Instruct-GGUF"),
        ("model", "./weights/model.gguf"),
        ("dataset", "cais/mmlu"),
        ("hub", "hf-mirror.com"),
    ],
)
def test_unknown_publishers_stay_unknown(audit, kind, subject):
    dep = _dep(audit, kind, subject)
    assert (dep.attribution.org_id, dep.attribution.jurisdiction) == (None, "unknown")


def test_unresolved_model_is_unknown(audit):
    unresolved = [d for d in audit.deps if d.kind == "model" and d.subject == ""]
    assert [(d.places[0].file, d.places[0].line, d.attribution.jurisdiction) for d in unresolved] == [
        ("app/models.py", 26, "unknown")
    ]


def test_community_frameworks_are_not_border_dependencies(audit):
    assert _dep(audit, "package", "vllm").attribution.jurisdiction == "n/a"
    assert all(row["jurisdiction"] != "n/a" for row in audit.document["exposure"])


def test_exposure_counts_reconcile(audit):
    rows = audit.document["exposure"]
    counted = sum(row["dependencies"] for row in rows)
    assert counted == sum(1 for d in audit.deps if d.attribution.jurisdiction != "n/a")
    cn = next(row for row in rows if row["jurisdiction"] == "CN")
    assert cn["cross_border"] is True
    assert next(row for row in rows if row["jurisdiction"] == "US")["cross_border"] is False


def test_dual_source_for_qwen_offers_other_jurisdictions(audit):
    qwen = next(s for s in audit.document["dual_source"] if s["current"] == "Qwen/Qwen2.5-7B-Instruct")
    assert qwen["group"] == "open-chat-7b-class"
    assert [(a["model"], a["jurisdiction"]) for a in qwen["alternatives"]] == [
        ("meta-llama/Llama-3.1-8B-Instruct", "US"),
        ("mistralai/Mistral-7B-Instruct-v0.3", "FR"),
        ("google/gemma-2-9b-it", "US"),
    ]
    deepseek_api = next(s for s in audit.document["dual_source"] if s["current"] == "DeepSeek API")
    assert {a["jurisdiction"] for a in deepseek_api["alternatives"]} == {"US", "FR"}


def test_eval_parity_finds_results_for_both_or_one(audit):
    parity = audit.document["eval_parity"]
    assert parity["benchmarks"] == ["C-Eval", "GSM8K", "HumanEval", "MMLU"]
    pairs = {(p["benchmark"], p["current"], p["alternative"]): p for p in parity["pairs"]}
    mmlu = pairs[("MMLU", "Qwen/Qwen2.5-7B-Instruct", "meta-llama/Llama-3.1-8B-Instruct")]
    assert (mmlu["current_result"], mmlu["alternative_result"], mmlu["parity"]) == (
        "results/leaderboard.md:3",
        "results/leaderboard.md:4",
        True,
    )
    gsm8k = pairs[("GSM8K", "Qwen/Qwen2.5-7B-Instruct", "meta-llama/Llama-3.1-8B-Instruct")]
    assert (gsm8k["current_result"], gsm8k["alternative_result"], gsm8k["parity"]) == (
        "results/leaderboard.md:5",
        None,
        False,
    )


def test_rationale_stub_per_model(audit):
    stubs = {s["subject"]: s["markdown"] for s in audit.document["rationales"]}
    qwen = stubs["Qwen/Qwen2.5-7B-Instruct"]
    assert "Publisher: Alibaba Group (jurisdiction CN)" in qwen
    assert "Licence: Apache-2.0" in qwen
    assert "app/models.py:24" in qwen and "configs/train.yaml:3" in qwen
    assert "Why this model: TODO" in qwen


def test_fail_on(audit):
    assert parse_fail_on("CN, unknown") == ["CN", "unknown"]
    with pytest.raises(UnusableInputError, match="--fail-on 'china'"):
        parse_fail_on("china")
    with pytest.raises(CheckFailedError, match=r"^\d+ dependencies in CN: "):
        check_fail_on(audit, ["CN"])
    check_fail_on(audit, ["RU"])  # nothing from RU: passes
