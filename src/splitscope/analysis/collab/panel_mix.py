"""Comparable collaboration trends: the `scope = 'all'` rows of collab.paper_mix and collab.country_counts
chain-linked over the venues gated in both years (analysis/panels.py), and collab.paper_mix_by_venue,
the same series per venue group.

The per-venue rows (`scope` = a venue code) are left as computed: one venue's series has no venue mix to
correct. Under `--raw-mix` the `all` rows keep the pooled shares and the chain columns stay empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from splitscope.analysis.collab.paper_counts import MIX_CATEGORIES, MIX_COLUMNS
from splitscope.analysis.coverage import venue_groups
from splitscope.analysis.metric_table import MetricTable
from splitscope.analysis.panels import CHAIN_COLUMNS, group_series, trend_series

COHORTS = {"all": None, "top_tier": True}


def _cohort(frame: pd.DataFrame, cohort: str) -> pd.DataFrame:
    return frame if COHORTS[cohort] is None else frame[frame["top_tier"].astype(bool)]


def _members(papers: pd.DataFrame) -> pd.DataFrame:
    return papers.rename(columns={"paper_id": "unit"})[["unit", "year", "venue"]]


def _selected_counts(selected: pd.DataFrame, cohort: str, venues: tuple[str, ...] | None = None) -> pd.Series:
    rows = _cohort(selected, cohort)
    if venues is not None:
        rows = rows[rows["venue"].isin(venues)]
    return rows.groupby("year").size()


def chained_mix_rows(
    papers: pd.DataFrame,
    selected: pd.DataFrame,
    gated: dict[int, frozenset[str]],
    aggregate: str,
    resamples: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows replacing paper_mix's `all` rows, collab.paper_mix_by_venue rows), both in MIX_COLUMNS."""
    overall, by_venue = [], []
    for cohort in COHORTS:
        rows = _cohort(papers, cohort)
        members = _members(rows)
        parts = pd.DataFrame(
            {"unit": rows["paper_id"], "year": rows["year"], "category": rows["category"], "value": 1.0}
        )
        series = trend_series(members, parts, gated, aggregate, resamples)
        overall.append(_mix_shape(series, "all", cohort, _selected_counts(selected, cohort)))
        groups = group_series(members, parts, gated, venue_groups(), aggregate, resamples)
        for name, venues in venue_groups().items():
            group = groups[groups["venue_group"] == name] if len(groups) else groups
            if group.empty:
                continue
            counts = _selected_counts(selected, cohort, venues)
            by_venue.append(_mix_shape(group, name, cohort, counts).assign(venue_group=name))
    by_venue_frame = (
        pd.concat(by_venue, ignore_index=True)[["venue_group", *MIX_COLUMNS]]
        if by_venue
        else pd.DataFrame(columns=["venue_group", *MIX_COLUMNS])
    )
    return pd.concat(overall, ignore_index=True), by_venue_frame


def _mix_shape(series: pd.DataFrame, scope: str, cohort: str, selected: pd.Series) -> pd.DataFrame:
    """Chained series (category rows) → paper_mix rows, every category in every year with selected
    papers: a year whose papers have no country keeps its rows (papers_with_country 0, shares null), so a
    gap shows instead of vanishing."""
    series_years = series[["year", "n", "chain_segment"]].drop_duplicates("year")
    years = pd.DataFrame({"year": selected.index.astype(int)}).merge(series_years, on="year", how="left")
    if years.empty:
        return pd.DataFrame(columns=MIX_COLUMNS)
    grid = years.merge(pd.DataFrame({"category": MIX_CATEGORIES}), how="cross")
    frame = grid.merge(series.drop(columns=["n", "chain_segment"]), on=["year", "category"], how="left")
    frame["value"] = frame["value"].fillna(0.0)
    frame["n"] = frame["n"].fillna(0)
    # A category absent from a whole chain has a chained level of exactly 0 (no paper moved it).
    in_chain = frame["year"].isin(series_years["year"])
    for column in ("share", "share_ci_low", "share_ci_high", "pooled_share"):
        frame.loc[in_chain, column] = frame.loc[in_chain, column].fillna(0.0)
    frame = frame.assign(
        scope=scope,
        cohort=cohort,
        papers=frame["value"].astype(int),
        papers_with_country=frame["n"].astype(int),
        papers_selected=frame["year"].map(selected).fillna(0).astype(int),
    )
    order = {c: i for i, c in enumerate(MIX_CATEGORIES)}
    frame = frame.sort_values(["year", "category"], key=lambda c: c.map(order) if c.name == "category" else c)
    return frame[MIX_COLUMNS].reset_index(drop=True)


def chained_country_rows(
    countries: pd.DataFrame,
    gated: dict[int, frozenset[str]],
    aggregate: str,
    resamples: int,
    author_gated: dict[int, frozenset[str]] | None = None,
) -> dict[tuple[str, int, str], dict[str, float]]:
    """(cohort, year, country) -> chained share_full / share_fractional (and their intervals), for the
    `all` rows of collab.country_counts.

    Fractional counting exists only for author-basis papers (a per-paper affiliation list says which
    countries, not whose), so its series counts those papers alone, on the venue-years gated on author
    coverage (`author_gated`, within `gated`). Counting paper-basis papers as units with no author shares
    would pull every country's fractional share down in the years a paper-basis venue is in (CVPR
    2020-25: China's fractional share fell from 0.16 in 2019 to 0.10 in 2020 for that reason alone)."""
    out: dict[tuple[str, int, str], dict[str, float]] = {}
    fractional_gated = gated
    if author_gated is not None:
        fractional_gated = {
            year: venues & author_gated.get(year, frozenset()) for year, venues in gated.items()
        }
    for cohort in COHORTS:
        rows = _cohort(countries, cohort)
        for prefix, value, keep, series_gated in (
            ("share_full", 1.0, np.ones(len(rows), dtype=bool), gated),
            ("share_fractional", None, rows["fractional"].notna().to_numpy(), fractional_gated),
        ):
            used = rows[keep]
            members = _members(used.drop_duplicates("paper_id"))
            parts = pd.DataFrame(
                {
                    "unit": used["paper_id"],
                    "year": used["year"],
                    "category": used["country"],
                    "value": 1.0 if value is not None else used["fractional"],
                }
            )
            series = trend_series(members, parts, series_gated, aggregate, resamples)
            for r in series.itertuples():
                entry = out.setdefault((cohort, int(r.year), str(r.category)), {})
                entry[prefix] = r.share
                entry[f"{prefix}_ci_low"] = r.share_ci_low
                entry[f"{prefix}_ci_high"] = r.share_ci_high
    return out


def apply_panel(
    tables: list[MetricTable],
    papers: pd.DataFrame,
    countries: pd.DataFrame,
    selected: pd.DataFrame,
    gated: dict[int, frozenset[str]],
    aggregate: str,
    resamples: int,
    author_gated: dict[int, frozenset[str]] | None = None,
) -> MetricTable:
    """Replace the `all` rows of paper_mix and country_counts by the chained (or pooled) series; return
    collab.paper_mix_by_venue. `author_gated`: venue-years gated on author coverage, for fractional
    counting."""
    mix, counts = tables[0], tables[1]
    overall, by_venue = chained_mix_rows(papers, selected, gated, aggregate, resamples)
    venue_rows = mix.frame[mix.frame["scope"] != "all"].assign(
        pooled_share=lambda f: f["share"], link_change=np.nan, link_venues=None, chain_segment=np.nan
    )
    mix.frame = pd.concat([venue_rows[MIX_COLUMNS], overall], ignore_index=True)
    chained = chained_country_rows(countries, gated, aggregate, resamples, author_gated)
    frame = counts.frame
    is_all = (frame["scope"] == "all").to_numpy()
    for i in np.flatnonzero(is_all):
        key = (frame.at[i, "cohort"], int(frame.at[i, "year"]), str(frame.at[i, "country"]))
        for column, value in chained.get(key, {}).items():
            frame.at[i, column] = value
    return MetricTable(
        "collab.paper_mix_by_venue",
        f"{mix.title}, by venue group",
        by_venue,
        mix.coverage,
        mix.filters,
        f"{mix.notes} One series per venue group (analysis/venue_groups.yaml), same gate and panel rules.",
    )


__all__ = ["CHAIN_COLUMNS", "apply_panel"]
