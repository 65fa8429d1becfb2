"""The one parser of what a user selects: venue sets, year ranges, and what it rejects."""

from __future__ import annotations

import pytest

from splitscope.errors import UnusableInputError
from splitscope.selection import parse_selection


def test_selection_parses_sets_ranges_and_rejects_garbage():
    sel = parse_selection("ml-core,cvpr", "2014-2018")
    assert sel.venues == ("nips", "icml", "iclr", "cvpr") and sel.years == (2014, 2018)
    assert sel.includes("nips", 2016) and not sel.includes("nips", 2019) and not sel.includes("aaai", 2016)
    assert parse_selection("all", None).venues is None
    with pytest.raises(UnusableInputError):
        parse_selection("nips'; drop table papers", None)
    with pytest.raises(UnusableInputError):
        parse_selection(None, "2018-2014")
