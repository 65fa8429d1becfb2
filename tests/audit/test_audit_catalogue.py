"""The curated catalogue: every entry names its source, org ids resolve, and the loader says which entry
lacks what (all problems at once)."""

from __future__ import annotations

import copy

import pytest

from splitscope.audit.catalog import build_catalog, load_catalog, read_data_files
from splitscope.errors import UnusableInputError
from splitscope.orgs.registry import load_registry


def test_every_entry_has_a_source():
    docs = read_data_files()
    entries = (
        [("publishers", e) for e in docs["publishers"]["publishers"]]
        + [("vendors", e) for e in docs["vendors"]["vendors"]]
        + [("packages", e) for e in docs["packages"]["packages"]]
        + [("environment", e) for e in docs["environment"]["variables"]]
        + [("providers", e) for e in docs["providers"]["providers"]]
    )
    missing = [(name, entry) for name, entry in entries if not str(entry.get("source") or "").strip()]
    assert missing == []
    assert len(entries) > 200
    for listed in ("outputs", "not_ids", "id_keyed", "model_flags", "opaque"):
        assert docs["keys"][f"{listed}_source"]


def test_a_missing_source_is_reported_with_the_entry():
    docs = copy.deepcopy(read_data_files())
    del docs["packages"]["packages"][0]["source"]
    del docs["environment"]["variables"][-1]["source"]
    with pytest.raises(UnusableInputError) as raised:
        build_catalog(load_registry(), docs)
    message = str(raised.value)
    assert "audit/data/packages.yaml: pypi:openai: missing 'source'" in message
    assert "audit/data/environment.yaml: ALEPH_ALPHA_API_KEY: missing 'source'" in message


def test_vendors_are_not_registry_duplicates_and_carry_jurisdictions():
    catalog = load_catalog()
    registry = load_registry()
    assert all(registry.get(vendor_id) is None for vendor_id in catalog.vendors)
    assert {v: catalog.jurisdiction(v) for v in ("groq", "xverse", "aleph_alpha", "dify")} == {
        "groq": "US",
        "xverse": "CN",
        "aleph_alpha": "DE",
        "dify": "unknown",  # publisher named, jurisdiction not established: never guessed
    }


def test_grown_catalogue_covers_the_names_public_code_uses():
    catalog = load_catalog()
    for variable in (
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "GROQ_API_KEY",
        "PERPLEXITY_API_KEY",
        "OPENROUTER_API_KEY",
        "AZURE_OPENAI_API_KEY",
        "AZURE_OPENAI_ENDPOINT",
        "OLLAMA_HOST",
    ):
        assert variable in catalog.environment
    assert catalog.org_for_host("api.xverse.cn") == ("xverse", True)
    assert catalog.org_for_host("api.smith.langchain.com") == ("langchain", True)
    for package in ("langchain-openai", "langchain-anthropic", "langchain-huggingface", "dify-client"):
        assert package in catalog.packages
    assert catalog.provider("langchain_community.chat_models.ChatZhipuAI").org == "zhipu"
    assert catalog.provider("llama_index.llms.openai.OpenAI").modules == ("llama_index.llms.openai",)


def test_name_prefixes_need_an_id_shaped_string():
    catalog = load_catalog()
    assert catalog.org_for_name("glm-4") == "zhipu"
    assert catalog.org_for_name("llama_instruct") is None  # underscore: a split or config name
    assert catalog.org_for_name("qwen 2") is None  # a tokenizer merge
    assert catalog.org_for_name("command") is None  # a bare prefix is not an id...
    assert catalog.org_for_name("command", bare=True) == "cohere"  # ...unless a model= argument names it
