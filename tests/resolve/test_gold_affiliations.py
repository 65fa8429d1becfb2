"""The resolver against the hand-labelled gold set (100 distinct real strings; how they were drawn and
labelled: the header of data/gold_affiliations.tsv). Needs the world universities list from ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from splitscope.errors import UnusableInputError
from splitscope.resolve.affiliations.evaluate import read_gold, score_gold

GOLD = Path(__file__).parent / "data" / "gold_affiliations.tsv"


def test_gold_file_is_what_the_header_says():
    rows = read_gold(GOLD)
    assert len(rows) == 100
    assert sum(country is None for country, _ in rows) == 6  # person names and two startups
    assert (
        "HK",
        "Emerging Technologies Institute, The University of Hong Kong, Hong Kong, SAR, China.",
    ) in rows


def test_precision_and_recall_on_gold(shared_data):
    from splitscope.resolve.affiliations.resolver import default_resolver

    result = score_gold(read_gold(GOLD), default_resolver(shared_data))
    # measured 1.00 / 0.915 (86 of 94 answered, all right); a wrong answer anywhere fails this
    assert result["precision"] == 1.0, result["mistakes"]
    assert result["recall"] >= 0.9
    assert result["answered_where_gold_cannot_tell"] == 0


def test_bad_gold_line_is_a_clear_error(tmp_path):
    bad = tmp_path / "gold.tsv"
    bad.write_text("US\tnot json\n", encoding="utf-8")
    with pytest.raises(UnusableInputError, match="gold.tsv:1"):
        read_gold(bad)
