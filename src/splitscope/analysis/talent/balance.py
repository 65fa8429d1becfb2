"""Talent balance and flows: where researchers work, where they were first observed, and origin -> work.

Every share counts fractional researchers (docs/talent.md, "Fractional weights") and resamples persons.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.analysis.talent.careers import count_rows, last_year_limit, researcher_shares
from splitscope.selection import Selection


def _population_year_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("""
        select year, count(*) as eligible, count(*) filter (where n_resolved > 0) as covered
        from talent_population_years group by year order by year
    """).df()


def work_country_table(con: duckdb.DuckDBPyConnection, resamples: int = DEFAULT_RESAMPLES) -> MetricTable:
    parts = con.execute("""
        select c.person_id, c.year, c.country, c.weight
        from talent_person_year_country c join talent_population_years using (person_id, year)
    """).df()
    frame = researcher_shares(parts, ["year"], "country", resamples)
    years = _population_year_counts(con)
    return MetricTable(
        "talent.work_country_share",
        "Share of researchers by country of work, per year",
        frame.merge(years, on="year", how="left"),
        Coverage("researcher-years", int(years["eligible"].sum()), int(years["covered"].sum())),
        notes="fractional researchers: each researcher-year's resolved affiliations sum to 1; "
        "covered = researcher-years with at least one resolved country",
    )


def first_observed_table(con: duckdb.DuckDBPyConnection, resamples: int = DEFAULT_RESAMPLES) -> MetricTable:
    parts = con.execute("""
        select y.person_id, y.year, o.origin_country, 1.0 as weight
        from talent_population_years y join talent_origin o using (person_id)
        where o.origin_country is not null
    """).df()
    return MetricTable(
        "talent.origin_share",
        "Share of active researchers by origin country, per year",
        researcher_shares(parts, ["year"], "origin_country", resamples),
        Coverage("researcher-years", count_rows(con, "talent_population_years"), len(parts)),
        notes="origin = first-observed country unless origin='education'; it is not a nationality; "
        "covered = researcher-years whose researcher has a known origin",
    )


def flow_table(
    con: duckdb.DuckDBPyConnection, selection: Selection, resamples: int = DEFAULT_RESAMPLES
) -> MetricTable:
    """Origin -> current work country matrix: counts and the share of each origin row."""
    persons = con.execute(f"""
        with work as (
            select py.person_id, arg_max(py.majority_country, py.year) as work_country
            from talent_person_year py join talent_population using (person_id)
            where py.majority_country is not null and {last_year_limit(selection, "py.year")} group by all
        )
        select person_id, o.origin_country, w.work_country, 1.0 as weight
        from talent_population join talent_origin o using (person_id) join work w using (person_id)
        where o.origin_country is not null
    """).df()
    frame = researcher_shares(
        persons, ["origin_country"], "work_country", resamples, {"n": "origin_researchers"}
    )
    return MetricTable(
        "talent.origin_work_flow",
        "Origin country -> country of work at the last observation",
        frame,
        Coverage("researchers", count_rows(con, "talent_population"), len(persons)),
        notes="share = share of the origin row; work country = majority country of the last observed year "
        "(up to the end of the selected years); covered = researchers with both known",
    )


def origin_work_by_year_table(
    con: duckdb.DuckDBPyConnection, resamples: int = DEFAULT_RESAMPLES
) -> MetricTable:
    """Per origin country and year: where its researchers work (MacroPolo's "where do China-undergrad
    researchers work" when origin='education'; the US-vs-CN split is the rows with work_country US/CN)."""
    parts = con.execute("""
        select c.person_id, o.origin_country, c.year, c.country as work_country, c.weight
        from talent_person_year_country c
        join talent_population_years using (person_id, year)
        join talent_origin o using (person_id)
        where o.origin_country is not null
    """).df()
    frame = researcher_shares(
        parts, ["origin_country", "year"], "work_country", resamples, {"n": "origin_researchers"}
    )
    covered = parts[["person_id", "year"]].drop_duplicates().shape[0] if len(parts) else 0
    return MetricTable(
        "talent.origin_work_by_year",
        "Where researchers of each origin country work, per year",
        frame,
        Coverage("researcher-years", count_rows(con, "talent_population_years"), int(covered)),
        notes="share = share of the origin-year's researchers (fractional over work countries); "
        "covered = researcher-years with a known origin and a resolved work country",
    )
