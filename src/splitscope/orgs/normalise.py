"""One normal form for affiliation strings, aliases and place names, so lookups are exact dict hits.

Lower case, accents folded (Université → universite), '&' read as 'and', every other punctuation mark a
space, whitespace collapsed. CJK characters are kept as they are (Chinese names are matched as written).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PUNCT = re.compile(r"[^\w\u3400-\u9fff]+|_")
_APOSTROPHES = re.compile(r"[’'`´]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# PDF extraction leaves spacing accents before their letter: 'Montr ´eal', '´Ecole', 'F´ed´erale'.
_LOOSE_ACCENT = re.compile(r"\s?[´¨ˆ˜]\s?(?=\w)")


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    if text.isascii():  # most strings: no accents to fold (the per-character pass is the slow part)
        folded = text
    else:
        decomposed = unicodedata.normalize("NFKD", _LOOSE_ACCENT.sub("", text))
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = _APOSTROPHES.sub("", folded.replace("&", " and ").replace("ß", "ss")).lower()
    return " ".join(_PUNCT.sub(" ", folded).split())


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
