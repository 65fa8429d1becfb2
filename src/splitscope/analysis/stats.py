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


@dataclass(frozen=True)
class CategoryResamples:
    """Per-category totals of a weighted unit x category table, observed and under unit resampling."""

    categories: np.ndarray  # k category labels
    observed: np.ndarray  # k totals
    resampled: np.ndarray  # resamples x k totals
    n_units: int


def resample_category_totals(
    units,
    categories,
    weights,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> CategoryResamples:
    """Bootstrap the category totals of (unit, category, weight) rows by resampling whole units.

    Units with identical weight rows are collapsed into patterns first and the patterns drawn from a
    multinomial with their frequencies, which is the same distribution as drawing n units with
    replacement but costs resamples x patterns instead of resamples x units (most researchers have one
    country, so a year of 20,000 researchers has a few hundred patterns).
    """
    rows = pd.DataFrame({"unit": units, "category": categories, "weight": weights})
    rows = rows.groupby(["unit", "category"], sort=True, dropna=False)["weight"].sum().reset_index()
    category_codes, category_labels = pd.factorize(rows["category"], sort=True)
    rows["code"] = category_codes
    n_units = rows["unit"].nunique()
    if n_units == 0:
        empty = np.zeros((resamples, 0))
        return CategoryResamples(np.asarray(category_labels), np.zeros(0), empty, 0)
    rows["key"] = rows["code"].astype(str) + ":" + rows["weight"].round(12).astype(str)
    unit_key = rows.groupby("unit", sort=True)["key"].agg("|".join)
    pattern_of_unit, _ = pd.factorize(unit_key)
    frequencies = np.bincount(pattern_of_unit)
    representative = pd.Series(unit_key.index).groupby(pattern_of_unit).first()
    pattern_rows = rows.set_index("unit").loc[representative.to_numpy()]
    pattern_of_representative = pd.Series(np.arange(len(representative)), index=representative.to_numpy())
    pattern_index = pattern_of_representative.loc[pattern_rows.index].to_numpy()
    return _resample_patterns(
        pattern_index,
        pattern_rows["code"].to_numpy(),
        pattern_rows["weight"].to_numpy(dtype=float),
        frequencies,
        np.asarray(category_labels),
        resamples,
        seed,
    )


def _resample_patterns(pattern_index, codes, weights, frequencies, labels, resamples, seed):
    n_units, k = int(frequencies.sum()), len(labels)
    observed = np.bincount(codes, weights=weights * frequencies[pattern_index], minlength=k)
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n_units, frequencies / n_units, size=resamples)
    # Sparse product counts @ pattern-matrix: scale each non-zero by its pattern's draw count, then sum
    # the columns of each category (sorted so reduceat sees contiguous runs).
    order = np.argsort(codes, kind="stable")
    scaled = counts[:, pattern_index[order]] * weights[order]
    starts = np.flatnonzero(np.r_[True, np.diff(codes[order]) != 0])
    resampled = np.zeros((resamples, k))
    resampled[:, codes[order][starts]] = np.add.reduceat(scaled, starts, axis=1)
    return CategoryResamples(labels, observed, resampled, n_units)


def bootstrap_category_shares(
    frame: pd.DataFrame,
    group_cols: list[str],
    unit_col: str,
    category_col: str,
    weight_col: str,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
    prefix: str = "share",
) -> pd.DataFrame:
    """Per group and category: total weight, the share of the group's weight and its interval.

    Units (e.g. persons) are resampled within each group; a unit's weights may be split over several
    categories (fractional counting) and the shares of a group sum to 1.
    """
    alpha = (1 - level) / 2
    parts = []
    for key, part in frame.groupby(group_cols, dropna=False, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        draws = resample_category_totals(
            part[unit_col], part[category_col], part[weight_col], resamples, seed
        )
        total = draws.observed.sum()
        resampled_totals = draws.resampled.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = draws.resampled / resampled_totals
        low, high = np.quantile(shares, [alpha, 1 - alpha], axis=0)
        block = pd.DataFrame(
            {
                category_col: draws.categories,
                "weight": draws.observed,
                "n": draws.n_units,
                prefix: draws.observed / total if total else np.nan,
                f"{prefix}_ci_low": low,
                f"{prefix}_ci_high": high,
            }
        )
        for col, value in zip(group_cols, key, strict=True):
            block.insert(group_cols.index(col), col, value)
        parts.append(block)
    columns = [*group_cols, category_col, "weight", "n", prefix, f"{prefix}_ci_low", f"{prefix}_ci_high"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]
