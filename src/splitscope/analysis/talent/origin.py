"""Origin proxies for a person: where their observed career starts. Never a nationality.

- 'first-observed': the majority country of the earliest year in which the person has at least
  `min_evidence` authorships with a country trusted for career claims (analysis/talent/trust.py: no
  multi-site default or other guess). A first year without a majority country (e.g. a
  50/50 dual affiliation) leaves the origin unknown rather than guessing.
- 'education': the country of the person's education (undergraduate institution), read from the table
  `person_education_origin(person_id, country)` that an education source (OpenReview profiles) fills.
  This module only reads it; when it is missing or empty, asking for it is an error, never a fallback.

Both write temp table talent_origin(person_id, origin_country, origin_year, evidence_ids):
origin_year is always the first year with enough resolved evidence (the cohort year).
"""

from __future__ import annotations

import duckdb

from splitscope.analysis.talent.careers import fetch_row
from splitscope.errors import UnusableInputError

ORIGINS = ("first-observed", "education")
EDUCATION_TABLE = "person_education_origin"


def build_origin(
    con: duckdb.DuckDBPyConnection, origin: str = "first-observed", min_evidence: int = 1
) -> None:
    if origin not in ORIGINS:
        raise UnusableInputError(f"origin {origin!r} is not one of {', '.join(ORIGINS)}")
    if min_evidence < 1:
        raise UnusableInputError(f"min_evidence must be at least 1, not {min_evidence}")
    con.execute(f"""
        create or replace temp table talent_origin as
        with first_year as (
            select person_id, min(year) as origin_year
            from talent_person_year join talent_population using (person_id)
            where n_trusted >= {int(min_evidence)}  -- trusted attributions only (analysis/talent/trust.py)
            group by person_id
        )
        select fy.person_id, py.majority_country as origin_country, fy.origin_year,
               pyc.authorship_ids as evidence_ids
        from first_year fy
        join talent_person_year py on py.person_id = fy.person_id and py.year = fy.origin_year
        left join talent_person_year_country pyc
               on pyc.person_id = fy.person_id and pyc.year = fy.origin_year
              and pyc.country = py.majority_country
    """)
    if origin == "education":
        _apply_education_origin(con)


def require_education_origin(con: duckdb.DuckDBPyConnection) -> None:
    """Raise the clear error when the store has no usable education-origin table."""
    columns = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_name = ?", [EDUCATION_TABLE]
        ).fetchall()
    }
    if not {"person_id", "country"} <= columns:
        raise UnusableInputError(
            f"origin='education' needs table {EDUCATION_TABLE}(person_id, country), which this store "
            "does not have; load education records (OpenReview profiles) first or use origin='first-observed'"
        )
    if not fetch_row(con, f"select count(*) from {EDUCATION_TABLE}")[0]:
        raise UnusableInputError(
            f"origin='education': table {EDUCATION_TABLE} is empty; load education records first"
        )


def _apply_education_origin(con: duckdb.DuckDBPyConnection) -> None:
    require_education_origin(con)
    # Persons without an education record get no origin: unknown, not first-observed in disguise.
    con.execute(f"""
        create or replace temp table talent_origin as
        select o.person_id, e.country as origin_country, o.origin_year, [] :: varchar[] as evidence_ids
        from talent_origin o
        left join (select person_id, any_value(country) as country from {EDUCATION_TABLE}
                   where country is not null group by person_id) e using (person_id)
    """)
