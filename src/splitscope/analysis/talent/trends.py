"""Talent trends that compare years: work-country and origin shares, chain-linked over the venues gated in
both years (default) or pooled over each year's venues (`--raw-mix`), overall and per venue group, and
the venue-year table that says which venue-years the trends rest on.

Everything reads the talent_* temp tables of careers.build_careers, built with the gate
(`CareerOptions.gated`), so a venue-year below the coverage gate adds no one to any talent table.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES
from splitscope.analysis.coverage import TrendPanel, venue_groups
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.analysis.panels import CHAIN_COLUMNS, group_series, trend_series, venues_by_year

TREND_COLUMNS = ["year", "country", "researchers", "n", "share", "share_ci_low", "share_ci_high"]
TREND_COLUMNS += ["eligible", "covered", *CHAIN_COLUMNS]


def _members(con: duckdb.DuckDBPyConnection, cohort: str) -> pd.DataFrame:
    """Which venues each counted researcher-year was counted through (its pools in the chain)."""
    top = "and f.top_tier" if cohort == "top" else ""
    return con.execute(f"""
        select distinct f.person_id as unit, f.year, f.venue
        from talent_facts f join talent_population_years using (person_id, year)
        where f.in_selection {top}
        order by unit, f.year, f.venue
    """).df()


def _eligible(con: duckdb.DuckDBPyConnection, members: pd.DataFrame) -> pd.DataFrame:
    """eligible / covered researcher-years per year of the members' person-years."""
    years = con.execute(
        "select person_id as unit, year, n_resolved from talent_population_years order by all"
    ).df()
    units = members[["unit", "year"]].drop_duplicates().merge(years, on=["unit", "year"])
    return (
        units.assign(covered=units["n_resolved"] > 0)
        .groupby("year")
        .agg(eligible=("unit", "size"), covered=("covered", "sum"))
        .reset_index()
    )


def _shape(frame: pd.DataFrame, eligible: pd.DataFrame, category: str) -> pd.DataFrame:
    frame = frame.rename(columns={"category": category, "value": "researchers"})
    frame = frame.merge(eligible, on="year", how="left")
    columns = [category if c == "country" else c for c in TREND_COLUMNS]
    return frame[columns]


def work_country_tables(
    con: duckdb.DuckDBPyConnection, panel: TrendPanel, cohort: str, resamples: int = DEFAULT_RESAMPLES
) -> list[MetricTable]:
    """talent.work_country_share (the selection's series) and talent.work_country_by_venue."""
    members = _members(con, cohort)
    parts = con.execute("""
        select c.person_id as unit, c.year, c.country as category, c.weight as value
        from talent_person_year_country c join talent_population_years using (person_id, year)
        order by unit, c.year, category
    """).df()
    return _trend_tables(
        con,
        panel,
        members,
        parts,
        "country",
        resamples,
        ("talent.work_country_share", "Share of researchers by country of work, per year"),
        "fractional researchers: each researcher-year's resolved affiliations sum to 1; "
        "covered = researcher-years with at least one resolved country",
    )


def origin_share_tables(
    con: duckdb.DuckDBPyConnection, panel: TrendPanel, cohort: str, resamples: int = DEFAULT_RESAMPLES
) -> MetricTable:
    """talent.origin_share: active researchers by origin country, with the same panel rules."""
    members = _members(con, cohort)
    parts = con.execute("""
        select y.person_id as unit, y.year, o.origin_country as category, 1.0 as value
        from talent_population_years y join talent_origin o using (person_id)
        where o.origin_country is not null
        order by unit, y.year
    """).df()
    table = _trend_tables(
        con,
        panel,
        members,
        parts,
        "origin_country",
        resamples,
        ("talent.origin_share", "Share of active researchers by origin country, per year"),
        "origin = first-observed country unless origin='education'; it is not a nationality; "
        "covered = researcher-years with at least one resolved country",
        by_venue=False,
    )[0]
    table.coverage = Coverage("researcher-years", table.coverage.eligible, len(parts))
    table.notes = table.notes.replace(
        "covered = researcher-years with at least one resolved country",
        "covered = researcher-years whose researcher has a known origin",
    )
    return table


def _trend_tables(
    con: duckdb.DuckDBPyConnection,
    panel: TrendPanel,
    members: pd.DataFrame,
    parts: pd.DataFrame,
    category: str,
    resamples: int,
    name_title: tuple[str, str],
    notes: str,
    by_venue: bool = True,
) -> list[MetricTable]:
    gated = venues_by_year(panel.coverage)
    aggregate = panel.selection.aggregate
    eligible = _eligible(con, members)
    frame = _shape(trend_series(members, parts, gated, aggregate, resamples), eligible, category)
    coverage = Coverage("researcher-years", int(eligible["eligible"].sum()), int(eligible["covered"].sum()))
    name, title = name_title
    tables = [MetricTable(name, title, frame, coverage, notes=f"{notes}; {panel.note()}")]
    if by_venue:
        groups = group_series(members, parts, gated, venue_groups(), aggregate, resamples)
        tables.append(
            MetricTable(
                name.replace("_share", "_by_venue"),
                f"{title}, by venue group",
                _by_venue(con, groups, members, category),
                coverage,
                notes=f"{notes}; one series per venue group (analysis/venue_groups.yaml); {panel.note()}",
            )
        )
    return tables


def _by_venue(
    con: duckdb.DuckDBPyConnection, groups: pd.DataFrame, members: pd.DataFrame, category: str
) -> pd.DataFrame:
    columns = ["venue_group", *[category if c == "country" else c for c in TREND_COLUMNS]]
    if groups.empty:
        return pd.DataFrame(columns=columns)
    frames = []
    for name, venues in venue_groups().items():
        rows = groups[groups["venue_group"] == name]
        if rows.empty:
            continue
        eligible = _eligible(con, members[members["venue"].isin(venues)])
        frames.append(_shape(rows.drop(columns="venue_group"), eligible, category).assign(venue_group=name))
    return pd.concat(frames, ignore_index=True)[columns]
