"""When two normalised names may belong to one person (a constraint of the clustering, persons/clusters.py).

The same relations as the name levels of the model (persons/model.py) and the keys of persons/records.py:
the same name; the same letters apart from spaces and the spelling of German umlauts ('Hernández-Lobato' =
'Hernández Lobato', 'Schoelkopf' = 'Schölkopf'); the same words in another order; the same first and last
name around other middle names; an initial that fits. Anything else ('Heeseung Kim' and 'Hoki Kim', 'Jia
Li' and 'Junnan Li') is two people, however much else they share: on the tuning files 45 of the 46 record
pairs at that level inside one predicted person were two people. A person may gather 'H. Jin Kim', but not
then both 'Heeseung Kim' and 'Hoki Kim' through it.
"""

from __future__ import annotations

import re
from functools import lru_cache

# 'oe' is never pinyin; 'ue' is, after j, l, n, q, x, y ('Yue' is not 'Yu'), so it is folded only elsewhere.
# The same two rules as COMPACT_SQL.
UMLAUT_SPELLINGS = ((re.compile("oe"), "o"), (re.compile("([^jlnqxy])ue"), r"\1u"))
COMPACT_SQL = (
    "regexp_replace(regexp_replace(array_to_string({tokens}, ''), 'oe', 'o', 'g'), "
    "'([^jlnqxy])ue', '\\1u', 'g')"
)


def compact(name_norm: str) -> str:
    """The name's letters without spaces, umlauts spelt as one vowel (the SQL of persons/records.py)."""
    letters = name_norm.replace(" ", "")
    for spelling, replacement in UMLAUT_SPELLINGS:
        letters = spelling.sub(replacement, letters)
    return letters


def core_key(tokens: list[str]) -> str | None:
    middle = [t for t in tokens[:-1] if len(t) > 1]
    return f"{middle[0]} {tokens[-1]}" if middle else None


@lru_cache(maxsize=1 << 18)
def compatible(a: str, b: str) -> bool:
    """May `a` and `b` (normalised names) be one person's?"""
    if a == b or compact(a) == compact(b):
        return True
    ta, tb = a.split(), b.split()
    if len(ta) < 2 or len(tb) < 2:
        return False
    if sorted(ta) == sorted(tb):
        return True
    core = core_key(ta)
    if core is not None and core == core_key(tb):
        return True
    abbreviated = len(ta[0]) == 1 or len(tb[0]) == 1
    return abbreviated and ta[0][0] == tb[0][0] and ta[-1] == tb[-1]


def all_compatible(names_a: frozenset[str], names_b: frozenset[str]) -> bool:
    return all(compatible(x, y) if x <= y else compatible(y, x) for x in names_a for y in names_b)
