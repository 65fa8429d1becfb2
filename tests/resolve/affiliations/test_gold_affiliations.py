"""The hand-labelled gold set (100 distinct real strings; how they were drawn and labelled: the header of
data/gold_affiliations.tsv) and its reader. The resolver's score on it needs the world universities list
from ../shared: tests/integration/test_affiliations_real.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from splitscope.errors import UnusableInputError
from splitscope.resolve.affiliations.evaluate import read_gold

GOLD = Path(__file__).parent / "data" / "gold_affiliations.tsv"


def test_gold_file_is_what_the_header_says():
    rows = read_gold(GOLD)
    assert len(rows) == 100
    assert sum(country is None for country, _ in rows) == 6  # person names and two startups
    assert (
        "HK",
        "Emerging Technologies Institute, The University of Hong Kong, Hong Kong, SAR, China.",
    ) in rows


def test_bad_gold_line_is_a_clear_error(tmp_path):
    bad = tmp_path / "gold.tsv"
    bad.write_text("US\tnot json\n", encoding="utf-8")
    with pytest.raises(UnusableInputError, match="gold.tsv:1"):
        read_gold(bad)
