"""Totals of many quantities over one set of units, with their bootstrap draws, for ratio metrics.

Collaboration tables need many shares over the same papers (six categories, every country, every
combination); drawing the papers once and reading every share off the same resamples is both faster
and coherent (the six category shares of one resample still sum to 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from splitscope.analysis.stats import DEFAULT_RESAMPLES, DEFAULT_SEED, percentile_interval, resampled_sums


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
