"""Where linkage loses recall and precision, by cause: for `eval persons` (persons/evaluate.py).

Every missed pair (two records of one OpenReview profile left in two persons) and every wrong pair (two
profiles' records in one person) falls into one category; a category's B-cubed loss is its share of the
B-cubed recall (or precision) lost, so the losses add up to 1 - recall (1 - precision).

Missed pairs, in this order:
- unlinkable: a name the linker does not compare (one word, CJK script, over 100 characters);
- name variant: spacing or umlaut spelling / word order / middle name or initial / another form (a
  nickname, a transliteration, another name altogether);
- same name, same venue-year;
- same name, another venue-year, when the two persons share a co-author, organisation, e-mail domain or
  topic word, or, when they share none of these, 'career change' (co-authors, organisation and topic all
  changed at once: a mover and a namesake look alike there).
Wrong pairs: same name (namesakes, or one researcher's duplicate OpenReview profiles, which the truth
counts as two people) or different names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

import pandas as pd

from splitscope.resolve.persons.name_forms import compact, core_key

SHARED = ("coauthors", "orgs", "domains", "topic_words")


def _variant(a: str, b: str) -> str:
    if compact(a) == compact(b):
        return "name variant: spacing or umlaut spelling"
    ta, tb = a.split(), b.split()
    if sorted(ta) == sorted(tb):
        return "name variant: word order"
    if len(ta) > 1 and len(tb) > 1:
        if core_key(ta) is not None and core_key(ta) == core_key(tb):
            return "name variant: middle name or initial"
        if (len(ta[0]) == 1 or len(tb[0]) == 1) and ta[0][0] == tb[0][0] and ta[-1] == tb[-1]:
            return "name variant: middle name or initial"
    return "name variant: other (nickname, transliteration, another name)"


def _missed(a: Any, b: Any, shared: bool) -> str:
    for record in (a, b):
        if isinstance(record.unlinkable, str):
            return f"unlinkable: {record.unlinkable}"
    if a.name_norm != b.name_norm:
        return _variant(a.name_norm, b.name_norm)
    if a.venue_year == b.venue_year:
        return "same name, same venue-year"
    if shared:
        return "same name, other venue-year, sharing a co-author, organisation, domain or topic word"
    return "same name, other venue-year, career change (nothing shared)"


def _gathered(frame: pd.DataFrame) -> dict[str, dict[str, set[str]]]:
    """Per predicted person, every co-author, organisation, domain and topic word of its records."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: {c: set() for c in SHARED})
    for row in frame.itertuples(index=False):
        for column in SHARED:
            values = getattr(row, column)
            if values is not None and not isinstance(values, float):
                out[row.predicted][column].update(values)
    return out


def loss_by_category(frame: pd.DataFrame) -> dict[str, dict[str, dict[str, float]]]:
    """`frame`: one labelled record a row, with truth, predicted, name_norm, unlinkable, venue_year and
    the SHARED columns. Returns {'recall': {category: {pairs, b3_loss}}, 'precision': {...}}."""
    n = len(frame)
    true_size, pred_size = Counter(frame["truth"]), Counter(frame["predicted"])
    gathered = _gathered(frame)
    recall: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for truth, group in frame.groupby("truth", sort=True):
        if group["predicted"].nunique() < 2:
            continue
        for a, b in combinations(list(group.itertuples(index=False)), 2):
            if a.predicted == b.predicted:
                continue
            ga, gb = gathered[a.predicted], gathered[b.predicted]
            shared = any(ga[c] & gb[c] for c in SHARED)
            cell = recall[_missed(a, b, shared)]
            cell[0] += 1
            cell[1] += 2 / true_size[truth] / n
    precision: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for predicted, group in frame.groupby("predicted", sort=True):
        if group["truth"].nunique() < 2:
            continue
        for a, b in combinations(list(group.itertuples(index=False)), 2):
            if a.truth != b.truth:
                cell = precision["same name" if a.name_norm == b.name_norm else "different names"]
                cell[0] += 1
                cell[1] += 2 / pred_size[predicted] / n
    return {
        side: {k: {"pairs": int(v[0]), "b3_loss": round(v[1], 6)} for k, v in sorted(cells.items())}
        for side, cells in (("recall", recall), ("precision", precision))
    }
