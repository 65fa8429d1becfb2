"""`splitscope eval affiliations PATH…`: our country per labelled author affiliation vs papercopilot's
`aff_country_unique` labels (a noisy reference: see docs/affiliations.md for who is right where they
disagree).

The labels file Hong Kong, Macau and Taiwan under China; we answer HK, MO, TW. Scoring maps our answer to
the labels' convention (HK/MO/TW → CN) and says so; per-country figures are given both ways.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pycountry

from splitscope.config import shared_data_dir
from splitscope.errors import UnusableInputError
from splitscope.resolve.affiliations import AffiliationResolver, default_resolver
from splitscope.sources.paperlists.parse import FILE_NAME, parse_paperlist
from splitscope.sources.reading import read_input
from splitscope.store import connect
from splitscope.store.write import replace_sources

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


def load_labelled(paths: list[Path], with_authors: bool = False) -> duckdb.DuckDBPyConnection:
    """The given paper lists in a throwaway in-memory store, parsed exactly as `build` parses them; with
    `with_authors`, each one's openreview-authors file from the shared bundle (OpenReview ids) too."""
    from splitscope.config import shared_data_dir
    from splitscope.sources.openreview import authors as openreview_authors

    con = connect(":memory:")
    shared = shared_data_dir()
    for path in paths:
        match = FILE_NAME.match(path.name)
        if not match:
            raise UnusableInputError(f"{path}: not a papercopilot file name (<venue><year>.json[.gz])")
        venue, year = match["venue"], int(match["year"])
        parsed = parse_paperlist(read_input(path, str(path)), venue, year)
        batches = []
        authors = (
            openreview_authors.find_file(shared / "openreview-authors", venue, year)
            if with_authors and shared
            else None
        )
        if authors is not None:
            extra = openreview_authors.parse_openreview_authors(
                read_input(authors, str(authors)), venue, year, parsed
            )
            batches.append((extra.freeze(), None))  # the authors file reads the paper list's rows: first
        replace_sources(con, [(parsed.batch.freeze(), None), *batches])
    return con


def evaluate(paths: list[Path], resolver: AffiliationResolver | None = None) -> dict[str, Any]:
    resolver = resolver or default_resolver(shared_data_dir())
    con = load_labelled(paths)
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
