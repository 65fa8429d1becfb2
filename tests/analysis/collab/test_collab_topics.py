from __future__ import annotations

import pytest

from splitscope.analysis.collab.topics import parse_topic, topic_sql
from splitscope.errors import UnusableInputError


def test_llm_preset_matches_phrases_plurals_and_hyphens():
    llm = parse_topic("LLM")
    assert llm is not None and llm.label == "llm"
    assert llm.matches("Scaling Large Language Models to 100B")
    assert llm.matches("In-Context Learning without labels")
    assert llm.matches("Probing GPT-4 for bias") and llm.matches("Efficient LLMs")
    assert not llm.matches("A recurrent language model for speech")  # pre-LLM 'language model' is out
    assert not llm.matches("GPTQ quantisation")  # word boundary: gpt is not a prefix match


def test_free_text_phrases_and_errors():
    topic = parse_topic("diffusion model, score matching")
    assert topic is not None and topic.phrases == ("diffusion model", "score matching")
    assert topic.matches("Denoising Diffusion Models") and not topic.matches("Diffusion of innovations")
    with pytest.raises(UnusableInputError):
        parse_topic("  ")
    with pytest.raises(UnusableInputError):
        parse_topic("--, ||")
    assert parse_topic(None) is None and topic_sql(None) == "true"


def test_topic_sql_matches_like_python(store):
    topic = parse_topic("o'brien method")
    rows = store.execute(
        f"select {topic_sql(topic, 't', 'k')} from (values ('The O''Brien Methods', ['x'])) v(t, k)"
    ).fetchall()
    assert rows == [(True,)]
