"""Score the resolver on a hand-labelled gold set (tests/resolve/data/gold_affiliations.tsv): distinct real
affiliation strings with the country a person reads from them ('-' when it cannot be told).

precision = correct / answered among strings with a gold country; recall = correct / strings with a gold
country; `wrong_on_unlabelled` counts answers given where the gold says the string does not tell.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from splitscope.errors import UnusableInputError
from splitscope.resolve.affiliations import AffiliationResolver


def read_gold(path: Path) -> list[tuple[str | None, str]]:
    rows: list[tuple[str | None, str]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UnusableInputError(f"{path}: cannot read gold file ({exc.strerror or exc})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.startswith("country\t"):
            continue
        country, _, quoted = line.partition("\t")
        try:
            text = json.loads(quoted)
        except ValueError:
            raise UnusableInputError(f"{path}:{number}: affiliation is not a JSON string") from None
        rows.append((None if country == "-" else country, text))
    return rows


def score_gold(rows: list[tuple[str | None, str]], resolver: AffiliationResolver) -> dict[str, Any]:
    labelled = answered = correct = answered_unlabelled = 0
    mistakes = []
    for gold, text in rows:
        ours = resolver.resolve(text).country
        if gold is None:
            answered_unlabelled += ours is not None
            continue
        labelled += 1
        if ours is None:
            continue
        answered += 1
        correct += ours == gold
        if ours != gold:
            mistakes.append({"affiliation": text, "gold": gold, "ours": ours})
    return {
        "n": len(rows),
        "with_gold_country": labelled,
        "precision": correct / answered if answered else 0.0,
        "recall": correct / labelled if labelled else 0.0,
        "answered_where_gold_cannot_tell": answered_unlabelled,
        "mistakes": mistakes,
    }
