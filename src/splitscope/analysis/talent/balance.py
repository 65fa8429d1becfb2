"""Talent balance and flows: where researchers work, where they were first observed, and origin -> work.

Every share counts fractional researchers (docs/talent.md, "Fractional weights") and resamples persons.
"""

from __future__ import annotations

import duckdb

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.analysis.talent.careers import count_rows, last_year_limit, researcher_shares
from splitscope.selection import Selection


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
        where o.origin_country is not null order by all
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
        where o.origin_country is not null order by all
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
