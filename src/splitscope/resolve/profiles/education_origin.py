"""Education-based origin from OpenReview profile histories, the way MacroPolo's tracker measures origin:
the country of a researcher's first bachelor-level degree, else of their first degree of any level.

The chosen degree decides: if its country is unknown the origin is unknown (falling back to a later
degree would quietly report where someone did a PhD as where they were trained first).
Entries' countries come from the profile, else from the affiliation resolver (profiles/history.py).
"""

from __future__ import annotations

import duckdb

_ORIGIN_SQL = """
with education as (
    select h.*, row_number() over (
        partition by profile_id, degree_level = 'bachelor'
        order by start_year nulls last, end_year nulls last, entry_order) as rank_in_group
    from profile_history h where kind = 'education'
), chosen as (
    -- bachelor-level entry if the profile has one, else its first education entry of any level
    select e.* from education e
    where e.rank_in_group = 1 and (
        e.degree_level = 'bachelor'
        or not exists (select 1 from education b where b.profile_id = e.profile_id
                       and b.degree_level = 'bachelor'))
    qualify row_number() over (partition by e.profile_id
                               order by start_year nulls last, entry_order) = 1
), person_of_profile as (
    select p.profile_id, min(ap.person_id) as person_id
    from openreview_profiles p, unnest(p.usernames) as u(username)
    join authorships a on a.openreview_id = u.username
    join authorship_person ap on ap.authorship_id = a.authorship_id
    group by p.profile_id
)
select coalesce(pp.person_id, 'or:' || c.profile_id) as person_id, c.profile_id, c.country,
       case when c.degree_level = 'bachelor' then 'first bachelor-level degree' else 'first degree' end,
       c.institution_name, c.start_year,
       'profile history entry ' || c.entry_order || ': ' || coalesce(c.position, '?') || ' at '
           || coalesce(c.institution_name, c.institution_domain, '?')
           || coalesce(' (' || c.start_year || ')', '') || ', country by ' || c.country_method
from chosen c left join person_of_profile pp using (profile_id)
where c.country is not null
"""


def compute_education_origin(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild person_education_origin; returns counts for coverage reporting."""
    con.execute("begin transaction")
    try:
        con.execute("delete from person_education_origin")
        # Two profiles can map to one linked person; keep the earliest-starting degree.
        con.execute(f"""insert into person_education_origin
            select * from ({_ORIGIN_SQL}) qualify row_number() over (
                partition by person_id order by start_year nulls last, profile_id) = 1""")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    profiles, with_education, with_origin = con.execute("""
        select (select count(*) from openreview_profiles),
               (select count(distinct profile_id) from profile_history where kind = 'education'),
               (select count(*) from person_education_origin)""").fetchone()
    return {
        "profiles": profiles,
        "profiles_with_education": with_education,
        "persons_with_origin": with_origin,
    }
