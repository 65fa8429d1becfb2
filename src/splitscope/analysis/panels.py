"""Chain-linked shares: yearly aggregates over several venues whose year-to-year changes are measured only
on the venues present (and gated in) in both years, so a venue entering or leaving the corpus moves no
trend (docs/talent.md, "Comparable trends"; the method choice is argued in docs/validation.md).

For consecutive years s < t of a series (years with at least one gated venue), the link is

    change(s -> t) = share_t(V_s ∩ V_t) - share_s(V_s ∩ V_t)

where share_y(V) is the share among the units (researcher-years, papers) of year y counted in a venue of V.
Levels are the cumulative changes plus one constant per chain, chosen so that the chained levels averaged
over the chain's years equal the pooled shares (each year's own gated venues) averaged over the same
years: the level is "on the chain's average venue mix", and no single year's mix sets it. Level
differences between any two years of one chain are sums of matched comparisons. A year whose venues
share none with the previous year's starts a new chain (`chain_segment`): levels of two chains do not
compare.

Because the links are differences of shares that sum to 1 over categories (countries, mix categories),
the chained levels of one year still sum to 1; they can leave [0, 1] when one year's matched venues differ
much from the chain's average mix, which the `pooled_share` column next to them shows.

Intervals: each year's pooled and overlap shares are bootstrapped by resampling that year's units (a
separate seed per draw, so two years' draws are independent), and the chained draws are summed the same
way as the estimates. Treating years as independent ignores that one researcher appears in several years
(positively correlated shares), which makes the intervals of changes conservative.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from splitscope.analysis.collab.resampled_totals import percentile_interval, resampled_sums

CHAIN_COLUMNS = ["pooled_share", "link_change", "link_venues", "chain_segment"]


@dataclass
class _Draws:
    """Shares of one pool of units: estimate (k,), bootstrap draws (resamples x k), units, totals."""

    estimate: np.ndarray
    draws: np.ndarray
    n_units: int
    totals: np.ndarray


@dataclass
class _Chain:
    members: pd.DataFrame  # unit, year, venue
    parts: pd.DataFrame  # unit, year, category, value
    categories: pd.Index
    resamples: int
    seed: int
    _draw_count: int = 0
    _by_year: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = field(default_factory=dict)
    # One draw per distinct pool: when a link's overlap is a whole year's venue set, the overlap share and
    # the pooled share are the same draws, so a single venue's chained series is exactly its own series.
    _pools: dict[tuple[int, frozenset[str]], _Draws] = field(default_factory=dict)

    def __post_init__(self) -> None:
        parts_by_year = dict(tuple(self.parts.groupby("year", sort=True)))
        for year, members in self.members.groupby("year", sort=True):
            self._by_year[int(year)] = (members, parts_by_year.get(year, self.parts.iloc[:0]))

    def pool(self, year: int, venues: frozenset[str]) -> _Draws:
        key = (year, venues)
        if key not in self._pools:
            self._pools[key] = self._pool(year, venues)
        return self._pools[key]

    def _pool(self, year: int, venues: frozenset[str]) -> _Draws:
        members, parts = self._by_year.get(year, (self.members.iloc[:0], self.parts.iloc[:0]))
        units = members.loc[members["venue"].isin(venues), "unit"].unique()
        rows = parts[parts["unit"].isin(units)]
        return self._draws(rows)

    def _draws(self, rows: pd.DataFrame) -> _Draws:
        k = len(self.categories)
        unit_codes, unit_values = pd.factorize(rows["unit"], sort=True)
        n_units = len(unit_values)
        if n_units == 0:
            nan = np.full(k, np.nan)
            return _Draws(nan, np.full((self.resamples, k), np.nan), 0, np.zeros(k))
        category = self.categories.get_indexer(rows["category"])
        value = rows["value"].to_numpy(dtype=float)
        # A fresh seed per pool: the same seed for two years would draw the same multinomial pattern and
        # correlate their shares artificially. Pools are drawn in a fixed order, so runs repeat exactly.
        self._draw_count += 1
        present, sums = resampled_sums(
            unit_codes, category, value, n_units, self.resamples, self.seed + self._draw_count
        )
        draws = np.zeros((self.resamples, k))
        draws[:, present] = sums
        totals = np.bincount(category, weights=value, minlength=k)
        return _Draws(totals / n_units, draws / n_units, n_units, totals)


def chained_shares(
    members: pd.DataFrame,
    parts: pd.DataFrame,
    venues_by_year: Mapping[int, frozenset[str]],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    link: bool = True,
) -> pd.DataFrame:
    """Chain-linked share of each category per year (with link=False, every year is its own segment and
    its level is the pooled share of its gated venues: the raw venue mix).

    members: unit, year, venue — a unit (researcher-year, paper) counts in the pool of every listed venue;
    parts: unit, year, category, value — a unit's contribution to each category (fractional weights that
    sum to 1, or 1 per category present for full counting); shares are totals / units with parts.
    venues_by_year: the gated-in venues of each year.

    Returns year, category, share (chained level), share_ci_low, share_ci_high, value (pooled total of the
    year), n (pooled units), and CHAIN_COLUMNS: pooled_share, link_change (from the previous year of the
    chain), link_venues (the overlap it was measured on), chain_segment.
    """
    columns = ["year", "category", "share", "share_ci_low", "share_ci_high", "value", "n", *CHAIN_COLUMNS]
    categories = pd.Index(sorted(parts["category"].dropna().unique()))
    if parts.empty or members.empty:
        return pd.DataFrame(columns=columns)
    chain = _Chain(members, parts, categories, resamples, seed)
    segments = _segments(chain, venues_by_year, link)
    frames = [_segment_rows(segment, number, categories) for number, segment in enumerate(segments, 1)]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


@dataclass
class _Year:
    year: int
    pooled: _Draws
    link: tuple[_Draws, _Draws] | None = None  # (previous year on the overlap, this year on it)
    overlap: frozenset[str] = frozenset()


def _segments(chain: _Chain, venues_by_year: Mapping[int, frozenset[str]], link: bool) -> list[list[_Year]]:
    segments: list[list[_Year]] = []
    previous: tuple[int, frozenset[str]] | None = None
    for year in sorted(venues_by_year):
        venues = venues_by_year[year]
        pooled = chain.pool(year, venues) if venues else None
        if pooled is None or pooled.n_units == 0:
            continue
        entry = _Year(year, pooled)
        overlap = venues & previous[1] if previous and link else frozenset()
        if previous and overlap:
            before, after = chain.pool(previous[0], overlap), chain.pool(year, overlap)
            if before.n_units and after.n_units:
                entry.link, entry.overlap = (before, after), overlap
        if entry.link is None:
            segments.append([])
        segments[-1].append(entry)
        previous = (year, venues)
    return segments


def _segment_rows(segment: list[_Year], number: int, categories: pd.Index) -> pd.DataFrame:
    # Cumulative matched change of every year from the segment's first year, estimates and draws alike.
    k, resamples = len(categories), segment[0].pooled.draws.shape[0]
    cumulative, cumulative_draws = np.zeros(k), np.zeros((resamples, k))
    steps: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    changes: dict[int, np.ndarray] = {}
    for entry in segment:
        if entry.link is not None:
            before, after = entry.link
            change = np.nan_to_num(after.estimate) - np.nan_to_num(before.estimate)
            cumulative = cumulative + change
            cumulative_draws = cumulative_draws + np.nan_to_num(after.draws) - np.nan_to_num(before.draws)
            changes[entry.year] = change
        steps[entry.year] = (cumulative, cumulative_draws)
    # Anchor: the constant that makes the chained levels, averaged over the segment's years, equal the
    # average pooled share. One year's odd venue mix (a year with only two venues) then weighs 1/n on
    # every level instead of setting all of them, as anchoring at a single year would.
    anchor = np.mean([np.nan_to_num(e.pooled.estimate) - steps[e.year][0] for e in segment], axis=0)
    anchor_draws = np.mean([np.nan_to_num(e.pooled.draws) - steps[e.year][1] for e in segment], axis=0)
    levels = {year: (anchor + c, anchor_draws + d) for year, (c, d) in steps.items()}
    blocks = []
    for entry in segment:
        estimate, draws = levels[entry.year]
        low, high = percentile_interval(draws)
        blocks.append(
            pd.DataFrame(
                {
                    "year": entry.year,
                    "category": categories,
                    "share": estimate,
                    "share_ci_low": low,
                    "share_ci_high": high,
                    "value": entry.pooled.totals,
                    "n": entry.pooled.n_units,
                    "pooled_share": entry.pooled.estimate,
                    "link_change": changes.get(entry.year, np.full(len(categories), np.nan)),
                    "link_venues": ",".join(sorted(entry.overlap)) or None,
                    "chain_segment": number,
                }
            )
        )
    frame = pd.concat(blocks, ignore_index=True)
    # Categories never seen in the segment are noise rows (a country of another chain): drop them.
    seen = frame.groupby("category")["value"].transform("sum") > 0
    return frame[seen]


def venues_by_year(coverage: pd.DataFrame, gate_column: str = "gated_in") -> dict[int, frozenset[str]]:
    """The gated-in venues of each year, from analysis.coverage.venue_year_coverage."""
    gated = coverage[coverage[gate_column]]
    return {int(year): frozenset(group["venue"]) for year, group in gated.groupby("year")}


def trend_series(
    members: pd.DataFrame,
    parts: pd.DataFrame,
    gated: Mapping[int, frozenset[str]],
    aggregate: str,
    resamples: int = DEFAULT_RESAMPLES,
) -> pd.DataFrame:
    """The selection's aggregate series: chain-linked ('panel') or pooled per year ('raw', with the chain
    columns left empty so the two modes have the same columns)."""
    frame = chained_shares(members, parts, gated, resamples, link=aggregate == "panel")
    if aggregate != "panel":
        frame["chain_segment"] = np.nan
    return frame


def group_series(
    members: pd.DataFrame,
    parts: pd.DataFrame,
    gated: Mapping[int, frozenset[str]],
    groups: Mapping[str, tuple[str, ...]],
    aggregate: str,
    resamples: int = DEFAULT_RESAMPLES,
) -> pd.DataFrame:
    """trend_series per venue group (same gate and panel rules), with a leading `venue_group` column;
    groups with no gated venue-year in the selection are left out."""
    frames = []
    for name, venues in groups.items():
        group_members = members[members["venue"].isin(venues)]
        group_gated = {y: v & frozenset(venues) for y, v in gated.items() if v & frozenset(venues)}
        if group_members.empty or not group_gated:
            continue
        units = group_members[["unit", "year"]].drop_duplicates()
        group_parts = parts.merge(units, on=["unit", "year"])
        frame = trend_series(group_members, group_parts, group_gated, aggregate, resamples)
        if not frame.empty:
            frames.append(frame.assign(venue_group=name))
    if not frames:
        return pd.DataFrame()
    frame = pd.concat(frames, ignore_index=True)
    return frame[["venue_group", *[c for c in frame.columns if c != "venue_group"]]]
