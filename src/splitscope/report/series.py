"""Which groups a chart draws, in which order, and what it says about the rest.

Every chart leads with the US and China (and pairs of them), then the largest other groups by weight.
Points counted over fewer than `min_n` units are not drawn, nor points whose 95% interval spans more
of a 0–1 scale than a reader can use; the remaining small groups are summed (composition shares,
counts) or pooled (rates, weighted by n) into "other". Every choice is written into the chart's note,
and every row stays in the CSV export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

OTHER = "other"
# Below 30 counted units a share's 95% interval is about ±0.18 wide at p = 0.5: too coarse to compare
# countries, and the groups that produced "Armenia at 1.0" in the first report had n of 1 to 5.
MIN_N = 30
# Lines or bar groups per chart (plus "other"): beyond that, colours repeat and the legend wraps.
MAX_SERIES = 8
MAX_CATEGORIES = 12  # categories along a categorical x axis (plus "other")
# On a 0–1 scale an interval wider than 0.4 covers most of what the axis shows and stretches it for
# every other group; such points are left to the CSV.
MAX_INTERVAL = 0.4
# The column that measures a group's size, first one present wins (the analyses' names).
WEIGHT_COLUMNS = (
    "researchers",
    "papers_ij",
    "papers_full",
    "papers",
    "moves",
    "ties_from",
    "origin_researchers",
    "n",
)
FOLDS = ("auto", "sum", "rate", "none")


@dataclass(frozen=True)
class Rules:
    weight: str | None = None  # ranks groups; inferred from WEIGHT_COLUMNS
    n: str | None = None  # the units a point is computed over; shown in the hover, checked against min_n
    min_n: int = MIN_N
    max_interval: float | None = MAX_INTERVAL
    max_series: int = MAX_SERIES
    fold: str = "auto"  # sum | rate | none | auto (sum for composition shares, rate when n is known)


@dataclass
class Picked:
    frame: pd.DataFrame  # rows to draw; column "_label" is the series, x may have been folded too
    labels: list[str]  # series in drawing order (lead groups first, "other" last)
    n: str | None  # the count column kept for hovers (None when the table has none)
    notes: list[str] = field(default_factory=list)
    x_order: list[str] | None = None  # a categorical x axis: its categories in display order


def lead_rank(label: str) -> int:
    """0 US with CN · 1 US alone · 2 CN alone · 3 the US or China with another country (ranked by
    weight together) · 5 the rest · 6 anything unknown. `us_only`, `US · education` and `US-US` count as
    the US alone: two-letter words are country codes, longer words are not."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", label)]
    codes = [w for w in words if len(w) == 2 or w == OTHER]
    if label.islower() and "_" in label:
        # A category name such as "cn_intl_no_us" (papers without a US author): "no" negates the code
        # after it. Upper-case labels are country codes, where NO is Norway.
        codes = [w for i, w in enumerate(words) if w in codes and w != "no" and words[i - 1 : i] != ["no"]]
    us, cn = "us" in codes, "cn" in codes
    if "unknown" in words:
        return 6
    if us and cn:
        return 0
    if us or cn:
        alone = all(c in ("us", "cn") for c in codes)
        return (1 if us else 2) if alone else 3
    return 5


LEAD_RANKS = 5  # ranks below this name the US or China


def series_labels(frame: pd.DataFrame, color: list[str]) -> pd.Series:
    if not color:
        return pd.Series("all", index=frame.index)
    # A route (from_country, to_country) reads as an arrow; other category pairs as "a · b".
    joiner = " → " if color[0].startswith("from_") and len(color) == 2 else " · "
    labels = frame[color[0]].astype(str)
    for column in color[1:]:  # vectorised: a row-wise join took seconds on the large tables
        labels = labels.str.cat(frame[column].astype(str), sep=joiner)
    return labels


def pick_series(frame: pd.DataFrame, x: str, y: str, color: list[str], rules: Rules) -> Picked:
    frame = frame.assign(_label=series_labels(frame, color)).dropna(subset=[y])
    # A declared column the table lacks (renamed upstream) degrades to the defaults, not to an error.
    n = rules.n if rules.n in frame.columns else ("n" if "n" in frame.columns else None)
    notes: list[str] = []
    frame = _drop_thin_points(frame, y, n, rules, notes)
    if frame.empty:
        return Picked(frame, [], n, notes)
    fold = _fold_kind(frame, x, y, n, rules.fold)
    declared = rules.weight if rules.weight in frame.columns else None
    weight = declared or next((c for c in WEIGHT_COLUMNS if c in frame.columns), None)
    x_order = None
    if not pd.api.types.is_numeric_dtype(frame[x]):
        frame = frame.assign(**{x: frame[x].astype(str)})
        frame = _cap_groups(frame, x, x, y, n, weight, MAX_CATEGORIES, fold, notes, "categories")
        x_order = _ranked(frame, x, weight)
        if all(value[:1].isdigit() for value in x_order):  # periods ("2013-2015") read in time order
            x_order = sorted(x_order)
    frame = _cap_groups(frame, "_label", x, y, n, weight, rules.max_series, fold, notes, "groups")
    order = _ranked(frame, "_label", weight)
    return Picked(frame, order, n, notes, x_order)


def _drop_thin_points(
    frame: pd.DataFrame, y: str, n: str | None, rules: Rules, notes: list[str]
) -> pd.DataFrame:
    before, min_n, max_interval = set(frame["_label"]), rules.min_n, rules.max_interval
    if n is not None and min_n > 0:
        thin = frame[n] < min_n
        if thin.any():
            notes.append(f"Not drawn: {int(thin.sum())} points counted over fewer than {min_n} ({n}).")
            frame = frame[~thin]
    low, high = f"{y}_ci_low", f"{y}_ci_high"
    if max_interval is not None and {low, high} <= set(frame.columns) and _unit_scale(frame[y]):
        wide = (frame[high] - frame[low]) > max_interval
        if wide.any():
            notes.append(
                f"Not drawn: {int(wide.sum())} points whose 95% interval is wider than {max_interval}."
            )
            frame = frame[~wide]
    gone = before - set(frame["_label"])
    if gone:
        notes.append(f"{len(gone)} groups have no point left to draw.")
    return frame


def _unit_scale(values: pd.Series) -> bool:
    return bool(values.between(-1e-9, 1 + 1e-9).all())


def _fold_kind(frame: pd.DataFrame, x: str, y: str, n: str | None, fold: str) -> str:
    if fold != "auto":
        return fold
    totals = frame.groupby(x)[y].sum()
    # Composition shares: per x value the groups' shares add up to about 1, so a sum is meaningful.
    if len(totals) and frame["_label"].nunique() > 1 and totals.between(0.97, 1.03).all():
        return "sum"
    return "rate" if n is not None and _unit_scale(frame[y]) else "none"


def _ranked(frame: pd.DataFrame, key: str, weight: str | None) -> list[str]:
    sizes = frame.groupby(key)[weight].sum() if weight else frame.groupby(key).size()
    labels = [str(k) for k in sizes.index]
    by_size = dict(zip(labels, sizes.tolist(), strict=True))
    return sorted(labels, key=lambda k: (k == OTHER, lead_rank(k), -by_size[k], k))


def _cap_groups(
    frame: pd.DataFrame,
    key: str,
    x: str,
    y: str,
    n: str | None,
    weight: str | None,
    limit: int,
    fold: str,
    notes: list[str],
    what: str,
) -> pd.DataFrame:
    order = _ranked(frame, key, weight)
    if len(order) <= limit + 1:  # folding a single group into "other" would only rename it
        return frame
    kept, rest = order[:limit], order[limit:]
    shown = frame[frame[key].astype(str).isin(kept)]
    folded = frame[frame[key].astype(str).isin(rest)]
    lead = sum(1 for k in kept if lead_rank(k) < LEAD_RANKS)
    head = f"Drawn: {lead} {what} with the US or China"
    if len(kept) > lead:
        head += f", then the {len(kept) - lead} largest by {weight or 'rows'}"
    if fold == "sum" or (fold == "rate" and n is not None):
        other = _fold(folded, key, x, y, n, weight, fold)
        how = "summed" if fold == "sum" else f"pooled (weighted by {n})"
        notes.append(f"{head}; {len(rest)} smaller {what} {how} as “other”.")
        return pd.concat([shown, other], ignore_index=True)
    notes.append(f"{head}; {len(rest)} smaller {what} not drawn.")
    return shown


def _fold(
    folded: pd.DataFrame, key: str, x: str, y: str, n: str | None, weight: str | None, fold: str
) -> pd.DataFrame:
    """One "other" row per x (and per series when x itself was folded); no interval: the bootstrap
    resampled each group, not their sum."""
    keys = [x] if key == "_label" else ["_label"]
    if fold == "sum":
        columns = {y: (y, "sum")}
        if weight and weight != y:
            columns[weight] = (weight, "sum")
        if n:
            columns[n] = (n, "max")  # composition shares share one denominator per x
        other = folded.groupby(keys, as_index=False).agg(**columns)
    else:
        assert n is not None
        work = folded.assign(_mass=folded[y] * folded[n])
        other = work.groupby(keys, as_index=False).agg(_mass=("_mass", "sum"), **{n: (n, "sum")})
        other[y] = other["_mass"] / other[n]
        other = other.drop(columns="_mass")
        if weight and weight not in other.columns:
            other[weight] = folded.groupby(keys)[weight].sum().to_numpy()
    other[key] = OTHER
    return other
