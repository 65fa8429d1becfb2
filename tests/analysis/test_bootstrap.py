"""Bootstrap intervals (analysis/bootstrap.py): the ratio-of-sums share, and the pattern-collapsed category
bootstrap, which must agree with plain unit resampling (bootstrap_share)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from splitscope.analysis.bootstrap import bootstrap_category_shares, bootstrap_share, iter_category_resamples


def _researchers(n: int = 3000, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = pd.DataFrame({"year": 2020, "unit": np.arange(n), "country": rng.choice(["US", "CN", "GB"], n)})
    duals = rows.iloc[: n // 10].assign(country="FR")  # a tenth split their year with a second country
    rows = pd.concat([rows, duals], ignore_index=True)
    rows["weight"] = 1 / rows.groupby("unit")["unit"].transform("size")
    return rows


def test_category_shares_match_unit_resampling():
    rows = _researchers()
    table = bootstrap_category_shares(rows, ["year"], "unit", "country", "weight").set_index("country")
    assert table["share"].sum() == pytest.approx(1.0)
    assert table.loc["FR", "weight"] == pytest.approx(150.0) and table.loc["FR", "n"] == 3000
    us_per_unit = rows.assign(us=(rows.country == "US") * rows.weight).groupby("unit")["us"].sum()
    plain = bootstrap_share(us_per_unit.to_numpy())
    assert table.loc["US", "share"] == pytest.approx(plain.estimate)
    # Same distribution, different draws: the bounds agree to well within the interval's width.
    width = plain.high - plain.low
    assert table.loc["US", "share_ci_low"] == pytest.approx(plain.low, abs=0.15 * width)
    assert table.loc["US", "share_ci_high"] == pytest.approx(plain.high, abs=0.15 * width)


def test_resampled_totals_keep_the_number_of_units():
    rows = _researchers(500)
    [(key, draws)] = iter_category_resamples(rows, ["year"], "unit", "country", "weight", resamples=50)
    assert key == (2020,)
    assert list(draws.categories) == ["CN", "FR", "GB", "US"]
    assert draws.resampled.sum(axis=1) == pytest.approx(np.full(50, 500.0))
    assert draws.observed.sum() == pytest.approx(500.0)


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
