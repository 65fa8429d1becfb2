"""Totals of many quantities over one set of units, with their bootstrap draws, for ratio metrics.

Collaboration tables need many shares over the same papers (six categories, every country, every
combination); drawing the papers once and reading every share off the same resamples is both faster
and coherent (the six category shares of one resample still sum to 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED

DENSE_PROFILE_LIMIT = 20_000_000  # profiles x categories cells (160 MB of float64) before going sparse


class ResampledTotals:
    """Per category: the total over all units and its totals in each bootstrap resample."""

    def __init__(
        self,
        unit: np.ndarray,
        code: np.ndarray,
        value: np.ndarray,
        n_units: int,
        names: Sequence[str],
        resamples: int = DEFAULT_RESAMPLES,
        seed: int = DEFAULT_SEED,
    ) -> None:
        """Triple i adds value[i] to category names[code[i]] for unit[i] (0 <= unit < n_units)."""
        codes_present, draws = resampled_sums(unit, code, value, n_units, resamples=resamples, seed=seed)
        self._index = {names[int(c)]: i for i, c in enumerate(codes_present)}
        self._draws = draws
        estimates = np.bincount(
            np.searchsorted(codes_present, code), weights=value, minlength=len(codes_present)
        )
        self._estimates = {names[int(c)]: float(estimates[i]) for i, c in enumerate(codes_present)}
        self.n_units = n_units

    @classmethod
    def from_frame(
        cls, triples: pd.DataFrame, n_units: int, resamples: int = DEFAULT_RESAMPLES
    ) -> ResampledTotals:
        """From a frame with columns unit, category (str), value."""
        codes, names = pd.factorize(triples["category"])
        return cls(
            triples["unit"].to_numpy(),
            codes,
            triples["value"].to_numpy(dtype=float),
            n_units,
            [str(n) for n in names],
            resamples,
        )

    def categories(self, prefix: str) -> list[str]:
        """Category names starting with prefix, prefix removed, sorted."""
        return sorted(c[len(prefix) :] for c in self._index if c.startswith(prefix))

    def total(self, category: str) -> float:
        return self._estimates.get(category, 0.0)

    def draws(self, category: str) -> np.ndarray:
        index = self._index.get(category)
        if index is None:
            return np.zeros(self._draws.shape[0])
        return self._draws[:, index]

    def ratios(
        self, numerators: Sequence[str], denominators: Sequence[str] | str
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Estimate, low and high of numerator/denominator for each pair (NaN where undefined)."""
        dens = [denominators] * len(numerators) if isinstance(denominators, str) else list(denominators)
        est_num = np.array([self.total(c) for c in numerators])
        est_den = np.array([self.total(c) for c in dens])
        draw_num = np.column_stack([self.draws(c) for c in numerators]) if numerators else None
        draw_den = np.column_stack([self.draws(c) for c in dens]) if numerators else None
        return _ratio_with_interval(est_num, est_den, draw_num, draw_den)

    def cosines(
        self, joint: Sequence[str], first: Sequence[str], second: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Salton's cosine joint / sqrt(first * second) per triple of category names, with intervals."""
        est = np.array([self.total(c) for c in joint])
        est_norm = np.sqrt(
            np.array([self.total(a) * self.total(b) for a, b in zip(first, second, strict=True)])
        )
        if not joint:
            empty = np.array([])
            return empty, empty, empty
        draw = np.column_stack([self.draws(c) for c in joint])
        draw_norm = np.sqrt(
            np.column_stack([self.draws(a) * self.draws(b) for a, b in zip(first, second, strict=True)])
        )
        return _ratio_with_interval(est, est_norm, draw, draw_norm)


def _ratio_with_interval(est_num, est_den, draw_num, draw_den):
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(est_den > 0, est_num / np.where(est_den > 0, est_den, 1), np.nan)
        if draw_num is None:
            return estimate, estimate.copy(), estimate.copy()
        ratios = np.where(draw_den > 0, draw_num / np.where(draw_den > 0, draw_den, 1), np.nan)
    low, high = percentile_interval(ratios)
    undefined = ~np.isfinite(estimate)
    low[undefined], high[undefined] = np.nan, np.nan
    return estimate, low, high


def category_codes(labels: pd.Series, prefix: str, names: list[str], lookup: dict[str, int]) -> np.ndarray:
    """Integer codes for prefix+label, extending the shared names list (so strings are built once)."""
    codes, uniques = pd.factorize(labels)
    mapped = np.empty(len(uniques), dtype=np.int64)
    for i, label in enumerate(uniques):
        name = f"{prefix}{label}"
        if name not in lookup:
            lookup[name] = len(names)
            names.append(name)
        mapped[i] = lookup[name]
    return mapped[codes]


def unit_index(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, int]:
    """Dense 0..n-1 codes for the distinct values of frame[column], and n."""
    codes, uniques = pd.factorize(frame[column], sort=False)
    return codes.astype(np.int64), len(uniques)


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
