"""Topic slices: which papers a `--topic` query selects, matched over title and keywords.

Matching rule (docs/collaboration.md, "Topic slices"):
- the query is a preset name (`llm`) or a list of phrases separated by `,` or `|`;
- a paper matches when ANY phrase occurs in its title or in one of its keywords,
  case-insensitively, on word boundaries (`gpt` does not match `gptq`... but does match `GPT-4`);
- inside a phrase, words may be separated by any run of spaces or hyphens
  (`in context learning` matches `In-Context Learning`), and the last word may take a plural `s`
  (`large language model` matches `Large Language Models`).
Abstracts are not used: most paper lists in the shared corpus have none, so using them where present
would make the slice's definition change from venue to venue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from splitscope.errors import UnusableInputError

# The LLM preset: phrases that name large language models or the techniques that came with them.
# 'language model' alone is left out on purpose: it also names the n-gram and RNN models of pre-2018 NLP.
TOPIC_PRESETS: dict[str, tuple[str, ...]] = {
    "llm": (
        "large language model",
        "llm",
        "gpt",
        "chatgpt",
        "llama",
        "instruction tuning",
        "instruction tuned",
        "in context learning",
        "chain of thought",
        "rlhf",
        "pretrained language model",
        "pre trained language model",
        "foundation model",
    ),
}


@dataclass(frozen=True)
class TopicQuery:
    label: str  # what the user passed, for filters/notes
    phrases: tuple[str, ...]

    @property
    def regex(self) -> str:
        """One case-insensitive RE2 pattern (DuckDB regexp_matches) matching any phrase."""
        alternatives = [_phrase_pattern(p) for p in self.phrases]
        return r"(?i)\b(?:" + "|".join(alternatives) + r")\b"

    def matches(self, text: str) -> bool:
        """The same rule in Python (used by tests and for explaining a match)."""
        return re.search(self.regex, text) is not None

    def to_dict(self) -> dict[str, object]:
        return {"query": self.label, "phrases": list(self.phrases)}


def _phrase_pattern(phrase: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    return r"[\s\-]+".join(words) + "s?"


def parse_topic(text: str | None) -> TopicQuery | None:
    """A preset name or a `,`/`|`-separated phrase list; None when no topic was asked for."""
    if text is None:
        return None
    raw = text.strip()
    if not raw:
        raise UnusableInputError(
            "--topic: empty topic; give a phrase such as 'large language model' or 'llm'"
        )
    preset = TOPIC_PRESETS.get(raw.lower())
    if preset is not None:
        return TopicQuery(raw.lower(), preset)
    phrases = tuple(p.strip().lower() for p in re.split(r"[,|]", raw) if p.strip())
    for phrase in phrases:
        if not re.search(r"\w", phrase):
            raise UnusableInputError(f"--topic: {phrase!r} has no letters or digits to match")
    if not phrases:
        raise UnusableInputError(f"--topic: {text!r} holds no phrase")
    return TopicQuery(raw, phrases)


def topic_query(topic: str | TopicQuery | None) -> TopicQuery | None:
    """What a caller passed as a topic: a query string (parsed here), a parsed TopicQuery, or None."""
    return parse_topic(topic) if isinstance(topic, str) else topic


def topic_sql(topic: TopicQuery | None, title_col: str = "title", keywords_col: str = "keywords") -> str:
    """SQL predicate for the topic (the pattern is built from escaped words, then quoted for SQL)."""
    if topic is None:
        return "true"
    pattern = topic.regex.replace("'", "''")
    text = f"{title_col} || ' | ' || coalesce(array_to_string({keywords_col}, ' | '), '')"
    return f"regexp_matches({text}, '{pattern}')"
