from __future__ import annotations

import numpy as np
import pytest

from splitscope.analysis.bootstrap import bootstrap_share
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


def test_bootstrap_share_estimate_and_interval_bracket_truth():
    rng = np.random.default_rng(1)
    draws = rng.random(2000) < 0.3
    interval = bootstrap_share(draws)
    assert interval.estimate == pytest.approx(draws.mean())
    assert interval.low < 0.3 < interval.high and interval.high - interval.low < 0.06


def test_bootstrap_ratio_of_sums_uses_denominators():
    interval = bootstrap_share([1, 0, 2], [2, 2, 4])
    assert interval.estimate == pytest.approx(3 / 8)
    assert bootstrap_share([]).estimate is None
