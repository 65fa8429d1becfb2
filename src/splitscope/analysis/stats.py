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
