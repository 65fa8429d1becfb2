"""The resolver scored against labels.

`evaluate_store` (`splitscope eval affiliations PATH…`): our country per labelled author affiliation vs
papercopilot's `aff_country_unique` labels (a noisy reference: see docs/affiliations.md for who is right
where they disagree), over a store the caller loaded (pipeline/labelled.py reads the files: resolve never
reads a source). The labels file Hong Kong, Macau and Taiwan under China; we answer HK, MO, TW. Scoring
maps our answer to the labels' convention (HK/MO/TW → CN) and says so; per-country figures are given both
ways.

`score_gold`: a hand-labelled gold set (tests/resolve/affiliations/data/gold_affiliations.tsv) of distinct
real affiliation strings with the country a person reads from them ('-' when it cannot be told).
precision = correct / answered among strings with a gold country; recall = correct / strings with a gold
country; `answered_where_gold_cannot_tell` counts answers given where the gold says the string does not
tell.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pycountry

from splitscope.errors import UnusableInputError
from splitscope.resolve.affiliations.resolver import AffiliationResolver

REPORTED_COUNTRIES = ("US", "CN", "GB", "DE", "CA", "KR", "JP", "SG", "HK", "FR")
LABEL_CONVENTION = {"HK": "CN", "MO": "CN", "TW": "CN"}
LABEL_NAMES = {  # papercopilot's spellings pycountry does not know
    "South Korea": "KR", "Russia": "RU", "Iran": "IR", "Vietnam": "VN", "Czech Republic": "CZ",
    "Turkey": "TR", "Taiwan": "TW", "UAE": "AE", "Macau": "MO", "Hong Kong": "HK", "State of Palestine": "PS",
    "Palestine": "PS", "Korea": "KR", "Macao": "MO", "Laos": "LA", "Bolivia": "BO", "Venezuela": "VE",
    "Syria": "SY", "Tanzania": "TZ", "Moldova": "MD",
}  # fmt: skip


def label_code(label: str) -> str | None:
    if label in LABEL_NAMES:
        return LABEL_NAMES[label]
    try:
        return pycountry.countries.lookup(label).alpha_2
    except LookupError:
        return None


def evaluate_store(con: duckdb.DuckDBPyConnection, resolver: AffiliationResolver) -> dict[str, Any]:
    """Score `resolver` on every labelled author affiliation in the store `con` (paper lists loaded as
    `build` loads them: pipeline/labelled.py)."""
    rows = con.execute("""
        select m.affiliation, m.country_label, coalesce(a.email_domain, '')
        from affiliation_mentions m join authorships a using (authorship_id)
        where m.country_label is not null
    """).fetchall()
    return score(rows, resolver)


def score(rows: list[tuple[str, str, str]], resolver: AffiliationResolver) -> dict[str, Any]:
    n = resolved = correct = 0
    unlabelled = Counter()
    per_label: dict[str, Counter] = {}
    per_ours: dict[str, Counter] = {}
    disagreements: Counter = Counter()
    methods: Counter = Counter()
    for affiliation, label, domain in rows:
        truth = label_code(label)
        if truth is None:
            unlabelled[label] += 1
            continue
        n += 1
        answer = resolver.resolve(affiliation, domain)
        per_label.setdefault(truth, Counter())["n"] += 1
        if answer.country is None:
            continue
        resolved += 1
        ours = answer.country
        as_label = LABEL_CONVENTION.get(ours, ours)
        ok = as_label == LABEL_CONVENTION.get(truth, truth)
        correct += ok
        methods[(answer.method, ok)] += 1
        per_label[truth]["resolved"] += 1
        per_label[truth]["correct"] += ok
        for prefix, key in (("own:", ours), ("label:", as_label)):  # as we say it, and as the labels would
            bucket = per_ours.setdefault(prefix + key, Counter())
            bucket["resolved"] += 1
            bucket["correct"] += ok
        if not ok:
            disagreements[(affiliation, label, ours, answer.evidence)] += 1
    return {
        "precision": correct / resolved if resolved else None,
        "coverage": resolved / n if n else None,
        "n": n,
        "resolved": resolved,
        "correct": correct,
        "convention": "our HK/MO/TW counted as CN, as the labels file them",
        "per_country": {c: _per_country(c, per_ours, per_label) for c in REPORTED_COUNTRIES},
        "by_method": {
            m: {"resolved": methods[(m, True)] + methods[(m, False)], "correct": methods[(m, True)]}
            for m in sorted({m for m, _ in methods})
        },
        "top_disagreements": [
            {"affiliation": a, "label": lab, "ours": o, "evidence": e, "count": c}
            for (a, lab, o, e), c in disagreements.most_common(20)
        ],
        "labels_not_understood": dict(unlabelled),
    }


def _per_country(code: str, per_ours: dict[str, Counter], per_label: dict[str, Counter]) -> dict[str, Any]:
    """Precision of our answers equal to `code` (as we say it, and in the labels' convention), and the
    coverage of authors the labels put there."""
    own, conv = per_ours.get("own:" + code, Counter()), per_ours.get("label:" + code, Counter())
    labelled = per_label.get(code, Counter())
    return {
        "precision": own["correct"] / own["resolved"] if own["resolved"] else None,
        "precision_label_convention": conv["correct"] / conv["resolved"] if conv["resolved"] else None,
        "answers": own["resolved"],
        "labelled": labelled["n"],
        "coverage": labelled["resolved"] / labelled["n"] if labelled["n"] else None,
    }


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
