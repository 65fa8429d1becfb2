"""Talent analytics entry point: balance, origin -> work flows, and every other talent table.

`talent_tables(con, selection, cohort, origin)` is what the report and `splitscope talent` call.
Definitions live in docs/talent.md; each table's `notes` restates its denominator.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES, bootstrap_category_shares
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.analysis.talent.careers import CareerOptions, build_careers, careers_table, fetch_row
from splitscope.analysis.talent.concentration import (
    CONCENTRATION_RESAMPLES,
    concentration_table,
    sector_table,
)
from splitscope.analysis.talent.moves import build_anchor_runs, moves_tables, retention_tables, returns_table
from splitscope.analysis.talent.origin import build_origin, require_education_origin
from splitscope.selection import Selection
from splitscope.store import open_store


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
    frame = bootstrap_category_shares(parts, ["year"], "person_id", "country", "weight", resamples=resamples)
    frame = frame.rename(columns={"weight": "researchers"})
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
    frame = bootstrap_category_shares(
        parts, ["year"], "person_id", "origin_country", "weight", resamples=resamples
    ).rename(columns={"weight": "researchers"})
    eligible = fetch_row(con, "select count(*) from talent_population_years")[0]
    return MetricTable(
        "talent.origin_share",
        "Share of active researchers by origin country, per year",
        frame,
        Coverage("researcher-years", int(eligible), len(parts)),
        notes="origin = first-observed country unless origin='education'; it is not a nationality; "
        "covered = researcher-years whose researcher has a known origin",
    )


def flow_table(
    con: duckdb.DuckDBPyConnection, selection: Selection, resamples: int = DEFAULT_RESAMPLES
) -> MetricTable:
    """Origin -> current work country matrix: counts and the share of each origin row."""
    last_limit = f"py.year <= {selection.years[1]}" if selection.years else "true"
    persons = con.execute(f"""
        with work as (
            select py.person_id, arg_max(py.majority_country, py.year) as work_country
            from talent_person_year py join talent_population using (person_id)
            where py.majority_country is not null and {last_limit} group by all
        )
        select person_id, o.origin_country, w.work_country, 1.0 as weight
        from talent_population join talent_origin o using (person_id) join work w using (person_id)
        where o.origin_country is not null
    """).df()
    frame = bootstrap_category_shares(
        persons, ["origin_country"], "person_id", "work_country", "weight", resamples=resamples
    ).rename(columns={"weight": "researchers", "n": "origin_researchers"})
    eligible = fetch_row(con, "select count(*) from talent_population")[0]
    return MetricTable(
        "talent.origin_work_flow",
        "Origin country -> country of work at the last observation",
        frame,
        Coverage("researchers", int(eligible), len(persons)),
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
    frame = bootstrap_category_shares(
        parts, ["origin_country", "year"], "person_id", "work_country", "weight", resamples=resamples
    ).rename(columns={"weight": "researchers", "n": "origin_researchers"})
    eligible = fetch_row(con, "select count(*) from talent_population_years")[0]
    covered = parts[["person_id", "year"]].drop_duplicates().shape[0] if len(parts) else 0
    return MetricTable(
        "talent.origin_work_by_year",
        "Where researchers of each origin country work, per year",
        frame,
        Coverage("researcher-years", int(eligible), int(covered)),
        notes="share = share of the origin-year's researchers (fractional over work countries); "
        "covered = researcher-years with a known origin and a resolved work country",
    )


def talent_tables(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    cohort: str = "all",
    origin: str = "first-observed",
    *,
    min_evidence: int = 1,
    confirm_years: int = 1,
    resamples: int = DEFAULT_RESAMPLES,
    include_careers: bool = False,
) -> dict[str, MetricTable]:
    """Every talent table for a venue/year selection and cohort ('all' authors or 'top' tier)."""
    if origin == "education":  # fail before the expensive part when there is no education data
        require_education_origin(con)
    build_careers(con, CareerOptions(selection=selection, cohort=cohort))
    build_origin(con, origin, min_evidence=min_evidence)
    build_anchor_runs(con, confirm_years=confirm_years)
    moves, moves_detail = moves_tables(con, selection)
    returns, _ = returns_table(con, resamples=resamples)
    retention, retention_pooled = retention_tables(con, selection, resamples=resamples)
    tables = [
        work_country_table(con, resamples),
        first_observed_table(con, resamples),
        flow_table(con, selection, resamples),
        origin_work_by_year_table(con, resamples),
        moves,
        moves_detail,
        returns,
        retention,
        retention_pooled,
        sector_table(con, resamples),
        concentration_table(con, min(resamples, CONCENTRATION_RESAMPLES)),
    ]
    if include_careers:  # one row per person-year-affiliation: large, so only on request
        tables.insert(0, careers_table(con))
    filters = {
        **selection.to_dict(),
        "cohort": cohort,
        "origin": origin,
        "min_evidence": min_evidence,
        "confirm_years": confirm_years,
    }
    top_note = _top_tier_note(con, selection) if cohort == "top" else ""
    for table in tables:
        table.filters = filters
        table.notes = "; ".join(n for n in (table.notes, top_note) if n)
    return {table.name: table for table in tables}


def _top_tier_note(con: duckdb.DuckDBPyConnection, selection: Selection) -> str:
    """Venue-years that do not mark oral/spotlight/... contribute nobody to the top cohort: say which do."""
    marked, total = fetch_row(
        con,
        f"""
        select count(*) filter (where has_top), count(*) from (
            select venue, year, bool_or(top_tier) as has_top from papers
            where accepted and {selection.sql()} group by all)
        """,
    )
    return f"top tier is marked in {marked} of {total} selected venue-years; the others add no one"


TALENT_JSON_SCHEMA = "splitscope.talent/1"


def talent_json(tables: dict[str, MetricTable], filters: dict[str, object]) -> dict[str, object]:
    """The stable `splitscope talent --json` document (docs/talent.md, "JSON output")."""
    return {
        "schema": TALENT_JSON_SCHEMA,
        "filters": filters,
        "tables": {name: table.to_dict() for name, table in tables.items()},
    }


def run_talent(
    db_path: Path,
    selection: Selection,
    cohort: str = "all",
    origin: str = "first-observed",
    resamples: int = DEFAULT_RESAMPLES,
    include_careers: bool = False,
) -> dict[str, MetricTable]:
    """Open a built store read-only and compute every talent table (what `splitscope talent` calls)."""
    con = open_store(db_path, require=REQUIRED_TABLES)
    try:
        return talent_tables(
            con, selection, cohort, origin, resamples=resamples, include_careers=include_careers
        )
    finally:
        con.close()


REQUIRED_TABLES = ("papers", "authorships", "authorship_affiliations", "authorship_person")
