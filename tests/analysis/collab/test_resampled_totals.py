from __future__ import annotations

import numpy as np
import pytest

from splitscope.analysis.collab.resampled_totals import (
    percentile_interval,
    resampled_profile_sums,
    resampled_sums,
)


def test_resampled_sums_match_unit_bootstrap_moments():
    # 300 units add 1 to 'a', 700 add 2 to 'b': a resample's total of 'a' is Binomial(1000, .3).
    units = np.arange(1000)
    category = np.where(units < 300, "a", "b")
    value = np.where(units < 300, 1.0, 2.0)
    names, sums = resampled_sums(units, category, value, 1000, resamples=4000)
    assert list(names) == ["a", "b"]
    assert sums[:, 0].mean() == pytest.approx(300, rel=0.01)
    assert sums[:, 0].std() == pytest.approx(np.sqrt(1000 * 0.3 * 0.7), rel=0.06)
    assert np.allclose(sums[:, 0] + sums[:, 1] / 2, 1000)  # every unit is in exactly one category


def test_units_without_triples_still_count_as_drawn():
    _, sums = resampled_sums(np.array([0]), np.array(["x"]), np.array([1.0]), 4, resamples=4000)
    assert sums[:, 0].mean() == pytest.approx(1.0, rel=0.05)  # 4 draws x 1/4


def test_many_distinct_units_take_the_index_draw_path_with_same_distribution():
    units = np.arange(400)
    value = np.linspace(0, 1, 400)  # every unit its own profile
    _, sums = resampled_sums(units, np.full(400, "v"), value, 400, resamples=4000)
    assert sums[:, 0].mean() == pytest.approx(value.sum(), rel=0.01)
    assert sums[:, 0].std() == pytest.approx(np.sqrt(400) * value.std(), rel=0.06)


def test_profile_sums_and_intervals():
    sums = resampled_profile_sums(np.array([5, 5]), np.array([0]), np.array([1]), np.array([1.0]), 2, 2000)
    assert (sums[:, 0] == 0).all() and sums[:, 1].mean() == pytest.approx(5, rel=0.03)
    low, high = percentile_interval(np.array([[1.0, np.nan], [2.0, np.nan], [3.0, np.inf]]))
    assert low[0] == pytest.approx(np.quantile([1, 2, 3], 0.025)) and np.isnan(low[1]) and np.isnan(high[1])
