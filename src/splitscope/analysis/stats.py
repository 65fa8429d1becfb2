"""Bootstrap intervals for shares and rates, resampling the units the metric counts (persons, papers).

A share is sum(numerator) / sum(denominator) over units; resampling whole units keeps the dependence
between a unit's numerator and denominator (e.g. fractional author shares of one paper) intact.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 20261122  # fixed so reports are reproducible run to run


@dataclass(frozen=True)
class Interval:
    estimate: float | None
    low: float | None
    high: float | None


def bootstrap_share(
    numerator,
    denominator=None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> Interval:
    """Ratio of sums with a percentile bootstrap interval. denominator defaults to 1 per unit."""
    num = np.asarray(numerator, dtype=float)
    den = np.ones_like(num) if denominator is None else np.asarray(denominator, dtype=float)
    n = len(num)
    if n == 0 or den.sum() == 0:
        return Interval(None, None, None)
    estimate = float(num.sum() / den.sum())
    rng = np.random.default_rng(seed)
    # Draw counts per unit instead of index arrays: memory O(resamples x n) either way, but matmul is fast.
    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=resamples)
    num_sums, den_sums = counts @ num, counts @ den
    with np.errstate(invalid="ignore", divide="ignore"):
        ratios = num_sums / den_sums
    ratios = ratios[np.isfinite(ratios)]
    alpha = (1 - level) / 2
    low, high = np.quantile(ratios, [alpha, 1 - alpha])
    return Interval(estimate, float(low), float(high))


def bootstrap_share_by_group(
    frame: pd.DataFrame,
    group_cols: list[str],
    numerator: str,
    denominator: str | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    prefix: str = "share",
) -> pd.DataFrame:
    """Per group: n units, the share and its interval, as columns prefix, prefix_ci_low, prefix_ci_high."""
    rows = []
    for key, part in frame.groupby(group_cols, dropna=False, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        interval = bootstrap_share(
            part[numerator],
            None if denominator is None else part[denominator],
            resamples=resamples,
            seed=seed,
        )
        rows.append(
            {
                **dict(zip(group_cols, key, strict=True)),
                "n": len(part),
                prefix: interval.estimate,
                f"{prefix}_ci_low": interval.low,
                f"{prefix}_ci_high": interval.high,
            }
        )
    columns = [*group_cols, "n", prefix, f"{prefix}_ci_low", f"{prefix}_ci_high"]
    return pd.DataFrame(rows, columns=columns)


def resampled_sums(
    unit: np.ndarray,
    category: np.ndarray,
    value: np.ndarray,
    n_units: int,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    chunk: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap sums of many quantities at once, resampling units with replacement.

    Input is long format: triple i adds value[i] to category[i] for unit[i] (0 <= unit < n_units).
    Returns (categories, sums) where sums has shape (resamples, len(categories)): the total per
    category in each resample. One draw of units serves every category, so ratios of these sums
    (shares, rates, cosines) keep the dependence between their numerators and denominators.
    """
    unit = np.asarray(unit, dtype=np.int64)
    value = np.asarray(value, dtype=float)
    categories, category_index = np.unique(np.asarray(category), return_inverse=True)
    order = np.argsort(category_index, kind="stable")
    unit_sorted, value_sorted = unit[order], value[order]
    starts = np.searchsorted(category_index[order], np.arange(len(categories)))
    sums = np.zeros((resamples, len(categories)))
    if n_units == 0 or len(categories) == 0:
        return categories, sums
    rng = np.random.default_rng(seed)
    for first in range(0, resamples, chunk):
        size = min(chunk, resamples - first)
        # How often each unit is drawn in each resample: bincount over row-offset indices.
        draws = rng.integers(0, n_units, size=(size, n_units))
        draws += np.arange(size)[:, None] * n_units
        counts = np.bincount(draws.ravel(), minlength=size * n_units).reshape(size, n_units)
        weighted = counts[:, unit_sorted] * value_sorted
        sums[first : first + size] = np.add.reduceat(weighted, starts, axis=1)
    return categories, sums


def percentile_interval(draws: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise percentile bounds of bootstrap draws (resamples x k), ignoring NaN/inf draws."""
    alpha = (1 - level) / 2
    clean = np.where(np.isfinite(draws), draws, np.nan)
    with warnings.catch_warnings():
        # An all-NaN column (a category absent from every resample's denominator) gives NaN bounds.
        warnings.simplefilter("ignore", RuntimeWarning)
        low = np.nanquantile(clean, alpha, axis=0)
        high = np.nanquantile(clean, 1 - alpha, axis=0)
    return low, high
