"""The one normal form of names: what the registry's alias index and the resolver both look up."""

from __future__ import annotations

import pytest

from splitscope.orgs.normalise import has_cjk, normalise


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Université de Montréal", "universite de montreal"),  # accents folded
        ("Montr ´eal", "montreal"),  # PDF extraction's loose accent before its letter
        ("Texas A&M University", "texas a and m university"),  # '&' read as 'and'
        ("King's College London", "kings college london"),  # apostrophes dropped, not spaced
        ("Max-Planck_Institut", "max planck institut"),  # other punctuation, '_' too, is a space
        ("清华大学, Beijing", "清华大学 beijing"),  # CJK kept as written
    ],
)
def test_normal_form(text, normal):
    assert normalise(text) == normal


def test_has_cjk():
    assert has_cjk("清华大学") and not has_cjk("Tsinghua University")
