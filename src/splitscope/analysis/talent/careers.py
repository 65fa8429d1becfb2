"""Careers: where each person was observed working, year by year, as SQL over the store.

Definitions (docs/talent.md has the full text):
- A person's career is built from every accepted paper in the store (all venues, all years), because a
  year's location is best judged from all of that year's papers; the venue/year selection only decides
  who is counted and in which years (see talent_population in `build_careers`).
- Weights: an authorship's resolved affiliations (country known) are renormalised to sum to 1; a
  person-year's country weight is the mean of its resolved authorships' weights, so each person-year
  sums to 1 over countries ("fractional researcher").
- The majority country of a person-year is the country holding more than half of that weight; a year
  without one (e.g. 50/50 dual affiliation) has no majority country.
- Trusted for moves (issue 16, analysis/talent/trust.py): the majority country, which moves, returns,
  retention, flows and the first-observed origin read, is computed from trusted attributions only; work shares
  read talent_person_year_country, which keeps every attribution with a country. `majority_country_any` is
  the majority over every attribution, kept to count the candidate moves the trust rule drops.

Everything lands in temp tables prefixed `talent_` on the caller's connection, so later SQL can join them.
The other talent modules read those tables with the helpers defined here (`fetch_row`,
`count_rows`, `researcher_shares`, `last_year_limit`).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from splitscope.analysis.affiliation_rows import affiliation_rows_sql
from splitscope.analysis.bootstrap import bootstrap_category_shares
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.analysis.talent.trust import distrust_reason_sql
from splitscope.errors import UnusableInputError
from splitscope.selection import Selection

COHORTS = ("all", "top")


@dataclass(frozen=True)
class CareerOptions:
    selection: Selection = Selection()
    cohort: str = "all"  # 'all' authors, or 'top': persons with a top-tier (oral/spotlight/...) paper
    accepted_only: bool = True
    # Venue-years that pass the coverage gate (analysis.coverage); None counts every selected venue-year.
    gated: frozenset[tuple[str, int]] | None = None

    def __post_init__(self) -> None:
        if self.cohort not in COHORTS:
            raise UnusableInputError(f"cohort {self.cohort!r} is not one of {', '.join(COHORTS)}")


def fetch_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    """The single row an aggregate query returns."""
    row = con.execute(sql, params or []).fetchone()
    if row is None:  # an aggregate always returns a row; this would be a bug in the query
        raise RuntimeError(f"query returned no row: {sql}")
    return row


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows of a talent_* temp table (the eligible persons or person-years of a metric)."""
    return int(fetch_row(con, f"select count(*) from {table}")[0])


def researcher_shares(
    parts: pd.DataFrame,
    group_cols: list[str],
    category_col: str,
    resamples: int,
    renames: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Shares of fractional researchers per group: persons are the resampled units, and the summed
    `weight` (fractional researchers) is reported as `researchers`."""
    frame = bootstrap_category_shares(
        parts, group_cols, "person_id", category_col, "weight", resamples=resamples
    )
    return frame.rename(columns={"weight": "researchers", **(renames or {})})


def last_year_limit(selection: Selection, column: str) -> str:
    """SQL condition keeping years up to the end of the selection: a researcher's last observation is
    taken within the selected years, so windows compare."""
    return f"{column} <= {selection.years[1]}" if selection.years else "true"


def _require_linkage(con: duckdb.DuckDBPyConnection) -> None:
    n_authorships = fetch_row(con, "select count(*) from authorships")[0]
    n_linked = fetch_row(con, "select count(*) from authorship_person")[0]
    if n_authorships and not n_linked:
        raise UnusableInputError(
            "store: authorship_person is empty, so there are no persons to follow; "
            "run `splitscope build` (person linkage) first"
        )


def build_careers(con: duckdb.DuckDBPyConnection, options: CareerOptions) -> None:
    """Create the talent_* temp tables every talent metric reads."""
    _require_linkage(con)
    accepted = "p.accepted" if options.accepted_only else "true"
    selection = options.selection.sql("p.venue", "p.year")
    if options.gated is not None:
        # A venue-year below the coverage gate adds no one to the counted population; its papers still
        # inform careers (a resolved affiliation is evidence wherever it was printed).
        gated = pd.DataFrame(sorted(options.gated), columns=["venue", "year"]).astype({"year": "int32"})
        con.execute("create or replace temp table talent_gated (venue varchar, year integer)")
        if len(gated):
            con.from_df(gated).insert_into("talent_gated")
        selection += " and exists (select 1 from talent_gated g where g.venue = p.venue and g.year = p.year)"
    con.execute(f"""
        create or replace temp table talent_facts as
        with aff as (
            select authorship_id, org_id, country, sector,
                   weight / sum(weight) over (partition by authorship_id) as weight,
                   {distrust_reason_sql(options.selection.country_basis)} as distrust
            from ({affiliation_rows_sql(options.selection)}) r
            where country is not null and weight > 0
        )
        select a.authorship_id, p.paper_id, p.venue, p.year, p.top_tier, ({selection}) as in_selection,
               -- an authorship the linker did not map stays its own person rather than vanishing
               coalesce(ap.person_id, 'unlinked:' || a.authorship_id) as person_id,
               ap.person_id is null as unlinked,
               aff.org_id, aff.country, aff.sector, aff.weight,
               aff.country is not null and aff.distrust is null as trusted_for_moves, aff.distrust
        from papers p
        join authorships a on a.paper_id = p.paper_id
        left join authorship_person ap on ap.authorship_id = a.authorship_id
        left join aff on aff.authorship_id = a.authorship_id
        where {accepted}
    """)
    con.execute("""
        create or replace temp table talent_person_year_country as
        with res as (select * from talent_facts where country is not null),
        n as (select person_id, year, count(distinct authorship_id) as n_resolved from res group by all)
        -- rounded: a sum's last bits depend on the order threads add in. The weight is a fraction with a
        -- small denominator, never within 1e-13 of a 12-decimal midpoint, so rounding gives every run the
        -- same value. Only final weights are rounded: summing rounded terms would create midpoints.
        select person_id, year, country, round(sum(weight) / any_value(n_resolved), 12) as weight,
               any_value(n_resolved) as n_resolved,
               list(distinct authorship_id order by authorship_id) as authorship_ids
        from res join n using (person_id, year)
        group by person_id, year, country
    """)
    _build_trusted_person_years(con)
    con.execute("""
        create or replace temp table talent_person_year as
        with pyc as (
            select person_id, year, any_value(n_resolved) as n_resolved,
                   arg_max(country, weight) as top_country, max(weight) as top_weight
            from talent_person_year_country group by all
        ),
        pyt as (
            select person_id, year, any_value(n_trusted) as n_trusted,
                   arg_max(country, weight) as top_country, max(weight) as top_weight
            from talent_person_year_trusted group by all
        ),
        py as (
            select person_id, year, bool_or(in_selection) as in_selection,
                   bool_or(in_selection and top_tier) as top_in_selection,
                   count(distinct authorship_id) as n_authorships
            from talent_facts group by all
        )
        select py.*, coalesce(pyc.n_resolved, 0) as n_resolved,
               case when pyt.top_weight > 0.5 then pyt.top_country end as majority_country,
               pyt.top_weight as majority_weight, coalesce(pyt.n_trusted, 0) as n_trusted,
               case when pyc.top_weight > 0.5 then pyc.top_country end as majority_country_any
        from py left join pyc using (person_id, year) left join pyt using (person_id, year)
    """)
    cohort_filter = "top_in_selection" if options.cohort == "top" else "in_selection"
    con.execute(f"""
        create or replace temp table talent_population as
        select person_id from talent_person_year group by person_id having bool_or({cohort_filter})
    """)
    # The person-years counted in per-year metrics: in the selection (and in the cohort that year).
    con.execute(f"""
        create or replace temp table talent_population_years as
        select person_id, year, n_resolved from talent_person_year where {cohort_filter}
    """)


def _build_trusted_person_years(con: duckdb.DuckDBPyConnection) -> None:
    """talent_person_year_trusted: as talent_person_year_country, over trusted attributions only (an
    authorship's trusted rows renormalised to 1; untrusted rows count as unknown, like rows without a
    country)."""
    con.execute("""
        create or replace temp table talent_person_year_trusted as
        with res as (
            select person_id, year, authorship_id, country,
                   weight / sum(weight) over (partition by authorship_id) as weight
            from talent_facts where trusted_for_moves
        ),
        n as (select person_id, year, count(distinct authorship_id) as n_trusted from res group by all)
        -- rounded like talent_person_year_country: a 50/50 year must not become a majority by a last bit
        select person_id, year, country, round(sum(weight) / any_value(n_trusted), 12) as weight,
               any_value(n_trusted) as n_trusted,
               list(distinct authorship_id order by authorship_id) as authorship_ids
        from res join n using (person_id, year)
        group by person_id, year, country
    """)


def careers_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per person-year of the population: countries, orgs, sectors with their weights."""
    return con.execute("""
        with pyo as (
            select person_id, year,
                   list(struct_pack(country := country, org_id := org_id, sector := sector, weight := w)
                        order by w desc, country, org_id) as affiliations
            from (
                select f.person_id, f.year, f.country, f.org_id, f.sector,
                       round(sum(f.weight) / any_value(py.n_resolved), 12) as w
                from talent_facts f join talent_person_year py using (person_id, year)
                where f.country is not null group by all
            ) group by all
        )
        select py.person_id, py.year, py.n_authorships, py.n_resolved, py.majority_country,
               py.majority_weight, pyo.affiliations,
               min(py.year) over (partition by py.person_id) as first_year,
               max(py.year) over (partition by py.person_id) as last_year,
               count(*) over (partition by py.person_id) as n_observed_years
        from talent_person_year py
        join talent_population using (person_id)
        left join pyo using (person_id, year)
        order by py.person_id, py.year
    """).df()


def careers_table(con: duckdb.DuckDBPyConnection) -> MetricTable:
    """talent.careers: one row per person-year-affiliation of the population (after build_careers)."""
    frame = careers_frame(con)
    long = frame.explode("affiliations", ignore_index=True)
    parts = pd.json_normalize(long["affiliations"].where(long["affiliations"].notna(), None).tolist())
    long = pd.concat([long.drop(columns=["affiliations"]), parts.reindex(long.index)], axis=1)
    persons = frame.groupby("person_id")["n_resolved"].max()
    return MetricTable(
        "talent.careers",
        "Careers: countries, organisations and sectors per person-year, with fractional weights",
        long,
        Coverage("researchers", len(persons), int((persons > 0).sum())),
        notes="weight = share of the person-year over resolved affiliations; covered = researchers with "
        "at least one resolved affiliation",
    )
