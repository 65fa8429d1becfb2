"""OpenAlex ids: the one parser of an id list a user gives (`S4306420609`, `https://openalex.org/C2`, …)
and the short form the store keeps."""

from __future__ import annotations

import re

from splitscope.errors import UnusableInputError

# The kinds a user can select works by, with the letter their ids start with.
ID_LETTERS = {"source": "S", "concept": "C", "topic": "T"}


def short_id(value: str) -> str:
    """'https://openalex.org/W123' → 'W123' (ids come as URLs in API and snapshot records)."""
    return value.rstrip("/").rsplit("/", 1)[-1]


def parse_ids(text: str, kind: str, label: str) -> list[str]:
    """Comma-separated ids of one kind, short and upper-case, in the order given. `label` names the
    input in the error ('--source', "filter 'source:…'")."""
    letter = ID_LETTERS[kind]
    ids = []
    for raw in text.split(","):
        value = short_id(raw.strip()).upper()
        if not re.fullmatch(rf"{letter}\d+", value):
            raise UnusableInputError(
                f"{label}: {raw.strip()!r} is not an OpenAlex {kind} id like {letter}4306420609"
            )
        ids.append(value)
    return ids
