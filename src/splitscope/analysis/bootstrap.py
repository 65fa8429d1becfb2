"""Bootstrap intervals for shares and rates, resampling the units the metric counts (persons, papers).

A share is sum(numerator) / sum(denominator) over units; resampling whole units keeps the dependence
between a unit's numerator and denominator (e.g. fractional author shares of one paper) intact.
"""

from __future__ import annotations

from collections.abc import Iterator
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


@dataclass(frozen=True)
class CategoryResamples:
    """Per-category totals of a weighted unit x category table, observed and under unit resampling."""

    categories: np.ndarray  # k category labels
    observed: np.ndarray  # k totals
    resampled: np.ndarray  # resamples x k totals
    n_units: int


def iter_category_resamples(
    frame: pd.DataFrame,
    group_cols: list[str],
    unit_col: str,
    category_col: str,
    weight_col: str,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Iterator[tuple[tuple, CategoryResamples]]:
    """Per group, the category totals observed and under resampling of the group's units.

    Units with identical weight rows are collapsed into patterns and the patterns drawn from a
    multinomial with their frequencies: the same distribution as drawing n units with replacement, at a
    cost of resamples x patterns instead of resamples x units (most researchers have one country, so a
    year of 20,000 researchers has a few hundred patterns). Patterns are found once for all groups.
    """
    keys = [*group_cols, unit_col]
    rows = frame.groupby([*keys, category_col], dropna=False, sort=True)[weight_col].sum().reset_index()
    if rows.empty:
        return
    codes, label_index = pd.factorize(rows[category_col], sort=True)
    labels = np.asarray(label_index, dtype=object)  # once: indexing an Arrow-backed Index per group is slow
    weights = rows[weight_col].to_numpy(dtype=float)
    unit_of_row = rows.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
    first_row_of_unit = np.flatnonzero(np.r_[True, np.diff(unit_of_row) != 0])
    rows_per_unit = np.bincount(unit_of_row)
    pattern_of_unit = _pattern_ids(codes, weights, first_row_of_unit)
    unit_frame = rows.iloc[first_row_of_unit][group_cols].reset_index(drop=True)
    unit_frame["pattern"] = pattern_of_unit
    # Rows of each pattern, taken from its first unit, in CSR form (start offset, length).
    first_unit_of_pattern = pd.Series(np.arange(len(pattern_of_unit))).groupby(pattern_of_unit).first()
    first_units = first_unit_of_pattern.to_numpy()
    starts, lengths = first_row_of_unit[first_units], rows_per_unit[first_units]
    for key, part in unit_frame.groupby(group_cols, dropna=False, sort=True):
        patterns, frequencies = np.unique(part["pattern"].to_numpy(), return_counts=True)
        pattern_index = np.repeat(np.arange(len(patterns)), lengths[patterns])
        offset_in_pattern = np.arange(len(pattern_index)) - np.repeat(
            np.cumsum(lengths[patterns]) - lengths[patterns], lengths[patterns]
        )
        take = starts[patterns][pattern_index] + offset_in_pattern
        # Category codes local to the group, so a draw matrix has the group's categories only.
        group_codes, local_codes = np.unique(codes[take], return_inverse=True)
        draws = _resample_patterns(
            pattern_index, local_codes, weights[take], frequencies, len(group_codes), resamples, seed
        )
        yield (
            key if isinstance(key, tuple) else (key,),
            CategoryResamples(labels[group_codes], draws.observed, draws.resampled, draws.n_units),
        )


def _mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads integer keys over 64 bits (wrapping arithmetic intended)."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _pattern_ids(codes: np.ndarray, weights: np.ndarray, first_row_of_unit: np.ndarray) -> np.ndarray:
    """Same id for units whose (category, weight) rows are the same multiset.

    Each row is hashed twice (128 bits) and a unit's hash is the wrapping sum over its rows, which does not
    depend on row order; a collision between two different patterns has probability ~2**-128.
    """
    weight_key = np.round(weights * 1e9).astype(np.uint64)
    with np.errstate(over="ignore"):
        row_value = _mix64(codes) + weight_key
    first, second = _mix64(row_value), _mix64(row_value ^ np.uint64(0x5DEECE66D))
    with np.errstate(over="ignore"):
        unit_hashes = np.stack(
            [np.add.reduceat(first, first_row_of_unit), np.add.reduceat(second, first_row_of_unit)], axis=1
        )
    _, pattern_of_unit = np.unique(unit_hashes, axis=0, return_inverse=True)
    return pattern_of_unit.ravel()


def _resample_patterns(pattern_index, codes, weights, frequencies, k, resamples, seed) -> CategoryResamples:
    n_units = int(frequencies.sum())
    observed = np.bincount(codes, weights=weights * frequencies[pattern_index], minlength=k)
    rng = np.random.default_rng(seed)
    # Transposed (patterns x resamples) so gathering a pattern's draws reads one contiguous row.
    counts = rng.multinomial(n_units, frequencies / n_units, size=resamples).T.astype(float)
    # Sparse product pattern-matrix' @ counts: scale each non-zero by its pattern's draws, then sum the
    # rows of each category (sorted so reduceat sees contiguous runs).
    order = np.argsort(codes, kind="stable")
    scaled = counts[pattern_index[order]] * weights[order, None]
    starts = np.flatnonzero(np.r_[True, np.diff(codes[order]) != 0])
    resampled = np.zeros((k, resamples))
    resampled[codes[order][starts]] = np.add.reduceat(scaled, starts, axis=0)
    resampled = resampled.T
    return CategoryResamples(np.arange(k), observed, resampled, n_units)


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
    columns = [*group_cols, category_col, "weight", "n", prefix, f"{prefix}_ci_low", f"{prefix}_ci_high"]
    # Collect plain arrays and build one frame at the end: a DataFrame per group costs more than the draws.
    blocks: dict[str, list] = {col: [] for col in columns}
    for key, draws in iter_category_resamples(
        frame, group_cols, unit_col, category_col, weight_col, resamples, seed
    ):
        k, total = len(draws.categories), draws.observed.sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = draws.resampled / draws.resampled.sum(axis=1, keepdims=True)
        low, high = np.quantile(shares, [alpha, 1 - alpha], axis=0)
        for col, value in zip(group_cols, key, strict=True):
            blocks[col].append([value] * k)
        blocks[category_col].append(draws.categories)
        blocks["weight"].append(draws.observed)
        blocks["n"].append(np.full(k, draws.n_units))
        blocks[prefix].append(draws.observed / total if total else np.full(k, np.nan))
        blocks[f"{prefix}_ci_low"].append(low)
        blocks[f"{prefix}_ci_high"].append(high)
    if not blocks["n"]:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame({col: np.concatenate(parts) for col, parts in blocks.items()})[columns]
