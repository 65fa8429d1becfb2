"""Bootstrap intervals for shares and rates, resampling the units the metric counts (persons, papers).

A share is sum(numerator) / sum(denominator) over units; resampling whole units keeps the dependence
between a unit's numerator and denominator (e.g. fractional author shares of one paper) intact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 20261122  # fixed so reports are reproducible run to run
DENSE_PROFILE_LIMIT = 20_000_000  # profiles x categories cells (160 MB of float64) before going sparse


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
) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap sums of many quantities at once, resampling units with replacement.

    Input is long format: triple i adds value[i] to category[i] for unit[i] (0 <= unit < n_units;
    units without triples count as drawn-but-empty). Returns (categories, sums) where sums has shape
    (resamples, len(categories)): the total per category in each resample. One draw of units serves
    every category, so ratios of these sums (shares, rates, cosines) keep the dependence between their
    numerators and denominators.

    Units with identical contributions (e.g. every US-only paper) are pooled into one profile first:
    drawing n units with replacement is the same as a multinomial draw over profiles weighted by their
    sizes, which costs resamples x profiles instead of resamples x units.
    """
    unit = np.asarray(unit, dtype=np.int64)
    value = np.asarray(value, dtype=float)
    categories, category_index = np.unique(np.asarray(category), return_inverse=True)
    sums = np.zeros((resamples, len(categories)))
    if n_units == 0 or len(categories) == 0:
        return categories, sums
    profile_of_unit, (profile, cat, val) = _unit_profiles(unit, category_index, value, n_units)
    sizes = np.bincount(profile_of_unit, minlength=profile.max(initial=0) + 1)
    sums[:] = resampled_profile_sums(
        sizes, profile, cat, val, len(categories), resamples, seed, profile_of_unit=profile_of_unit
    )
    return categories, sums


def resampled_profile_sums(
    sizes: np.ndarray,
    profile: np.ndarray,
    category_index: np.ndarray,
    value: np.ndarray,
    n_categories: int,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    profile_of_unit: np.ndarray | None = None,
) -> np.ndarray:
    """Bootstrap category totals when units are already pooled into profiles.

    sizes[p] = number of units with profile p; triple i says each unit of profile[i] adds value[i] to
    category_index[i]. Resampling sum(sizes) units with replacement = a multinomial over profiles.
    Returns (resamples, n_categories).
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    n_units = int(sizes.sum())
    sums = np.zeros((resamples, n_categories))
    if n_units == 0 or len(profile) == 0:
        return sums
    counts = _profile_counts(np.random.default_rng(seed), sizes, profile_of_unit, resamples)
    profile, category_index = np.asarray(profile, dtype=np.int64), np.asarray(category_index, dtype=np.int64)
    value = np.asarray(value, dtype=float)
    if len(sizes) * n_categories <= DENSE_PROFILE_LIMIT:
        # Small enough for a dense profile x category matrix: one BLAS product does all the sums.
        matrix = np.zeros((len(sizes), n_categories))
        np.add.at(matrix, (profile, category_index), value)
        return counts @ matrix
    order = np.argsort(category_index, kind="stable")
    profile, category_index, value = profile[order], category_index[order], value[order]
    present = np.unique(category_index)
    starts = np.searchsorted(category_index, present)
    counts_by_profile = np.ascontiguousarray(counts.T)  # rows contiguous: gathers and sums run fast
    sums[:, present] = np.add.reduceat(counts_by_profile[profile] * value[:, None], starts, axis=0).T
    return sums


def _profile_counts(
    rng: np.random.Generator, sizes: np.ndarray, profile_of_unit: np.ndarray | None, resamples: int
) -> np.ndarray:
    """How often each profile is drawn in each resample of sum(sizes) units (resamples x profiles).

    Few profiles: a multinomial over profiles. Many (close to one per unit): drawing unit indices and
    counting them is faster; both are the same distribution.
    """
    n_units, n_profiles = int(sizes.sum()), len(sizes)
    if profile_of_unit is None or n_profiles * 4 < n_units:
        return rng.multinomial(n_units, sizes / n_units, size=resamples).astype(float)
    counts = np.empty((resamples, n_profiles))
    chunk = max(1, 4_000_000 // n_units)
    for first in range(0, resamples, chunk):
        size = min(chunk, resamples - first)
        drawn = profile_of_unit[rng.integers(0, n_units, size=(size, n_units))]
        drawn += np.arange(size)[:, None] * n_profiles
        counts[first : first + size] = np.bincount(drawn.ravel(), minlength=size * n_profiles).reshape(
            size, n_profiles
        )
    return counts


def _unit_profiles(
    unit: np.ndarray, category_index: np.ndarray, value: np.ndarray, n_units: int
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Profile id per unit (units with the same (category, value) multiset share one; profile 0 is
    'no triples'), and the triples of each profile as (profile, category, value) arrays."""
    order = np.lexsort((value, category_index, unit))
    unit, category_index, value = unit[order], category_index[order], value[order]
    bounds = np.searchsorted(unit, np.arange(n_units + 1))
    cat_bytes, val_bytes = category_index.astype(np.int64), value
    profile_ids: dict[bytes, int] = {b"": 0}
    profile_of_unit = np.zeros(n_units, dtype=np.int64)
    first_unit_of_profile = [-1]
    for u in range(n_units):
        lo, hi = bounds[u], bounds[u + 1]
        key = cat_bytes[lo:hi].tobytes() + val_bytes[lo:hi].tobytes()
        pid = profile_ids.get(key)
        if pid is None:
            pid = profile_ids[key] = len(profile_ids)
            first_unit_of_profile.append(u)
        profile_of_unit[u] = pid
    pieces = [
        (np.full(bounds[u + 1] - bounds[u], pid), slice(bounds[u], bounds[u + 1]))
        for pid, u in enumerate(first_unit_of_profile)
        if u >= 0
    ]
    profile = np.concatenate([p for p, _ in pieces]) if pieces else np.zeros(0, dtype=np.int64)
    rows = np.concatenate([np.arange(s.start, s.stop) for _, s in pieces]) if pieces else profile
    return profile_of_unit, (profile, category_index[rows], value[rows])


def percentile_interval(draws: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise percentile bounds (linear interpolation, as np.quantile) of bootstrap draws
    (resamples x k), ignoring NaN/inf draws; NaN where a column has no finite draw."""
    draws = np.where(np.isfinite(draws), draws, np.nan)
    if draws.ndim == 1:
        draws = draws[:, None]
    ordered = np.sort(draws, axis=0)  # NaN sorts last
    valid = np.isfinite(ordered).sum(axis=0)
    alpha = (1 - level) / 2
    bounds = []
    for q in (alpha, 1 - alpha):
        position = q * np.maximum(valid - 1, 0)
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        columns = np.arange(ordered.shape[1])
        low_value, high_value = ordered[below, columns], ordered[above, columns]
        bound = low_value + (high_value - low_value) * (position - below)
        bounds.append(np.where(valid > 0, bound, np.nan))
    return bounds[0], bounds[1]
