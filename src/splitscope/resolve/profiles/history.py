"""OpenReview profile histories as resolved, dated evidence: organisations and countries of history
entries, and career evidence for authorships whose paper prints no usable affiliation.

Rules (docs/openreview.md, "Profiles as career evidence"):
- An entry is evidence only for the years it covers: start_year..end_year, an open end stopping at the
  year the profile was fetched. Entries without a start year are undatable and never used: a profile shows
  today's job, which must not be painted onto old papers.
- The affiliation printed on a paper wins: profile evidence is added only to authorships that have no
  printed affiliation (or e-mail domain) with a known country.
- Evidence rows are labelled: method 'profile_<kind>' and source_id 'openreview-profile:<profile id>'.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import duckdb
import pandas as pd

PROFILE_SOURCE_PREFIX = "openreview-profile:"
# Orders above any printed mention's order, so profile rows never collide with the resolver's rows.
PROFILE_MENTION_ORDER_BASE = 1000
# A dated profile entry is good but second-hand evidence for a paper's year (self-reported, coarse years).
PROFILE_EVIDENCE_CONFIDENCE = 0.7


class HistoryAnswer(NamedTuple):
    org_id: str | None
    country: str | None
    sector: str | None
    method: str  # the resolver's cascade step, e.g. 'alias', 'domain', or 'unknown'


# (institution name, institution domain) -> what the affiliation resolver makes of it
HistoryResolver = Callable[[str | None, str | None], HistoryAnswer]


def resolve_profile_history(con: duckdb.DuckDBPyConnection, resolve: HistoryResolver) -> int:
    """Fill org_id/sector of every history entry, and country where the profile gave none (a country the
    profile states wins over ours). Each distinct institution is resolved once. Returns entries given a
    country by the resolver."""
    pairs = con.execute(
        "select distinct institution_name, institution_domain from profile_history "
        "where institution_name is not null or institution_domain is not null"
    ).fetchall()
    if not pairs:
        return 0
    answers = pd.DataFrame(
        [(name, domain, *resolve(name, domain)) for name, domain in pairs],
        columns=["name", "domain", "org_id", "country", "sector", "method"],
    )
    # A temp table rather than register(): DuckDB 2 refuses unregister() while any earlier result on the
    # connection is unconsumed, which callers' statements may leave behind.
    con.execute(
        "create or replace temp table history_answers (name varchar, domain varchar, org_id varchar, "
        "country varchar, sector varchar, method varchar)"
    ).fetchall()
    con.from_df(answers).insert_into("history_answers")
    try:
        before = _resolver_country_count(con)
        con.execute("""
            update profile_history h set
                org_id = a.org_id,
                sector = a.sector,
                country = coalesce(h.country, a.country),
                country_method = case when h.country is null and a.country is not null
                                      then 'resolver:' || a.method else h.country_method end
            from history_answers a
            where h.institution_name is not distinct from a.name
              and h.institution_domain is not distinct from a.domain
        """).fetchall()
        return _resolver_country_count(con) - before
    finally:
        con.execute("drop table if exists history_answers").fetchall()


def _resolver_country_count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(
        "select count(*) from profile_history where country_method like 'resolver:%'"
    ).fetchone()
    return int(row[0])


_EVIDENCE_SQL = f"""
with printed as (
    select distinct authorship_id from authorship_affiliations
    where country is not null and source_id not like '{PROFILE_SOURCE_PREFIX}%'
), profile_of_username as (
    select u.username, p.profile_id, p.fetched_year
    from openreview_profiles p, unnest(p.usernames) as u(username)
), dated as (
    select a.authorship_id, h.profile_id, h.entry_order, h.kind, h.org_id, h.country, h.sector
    from authorships a
    join papers pa on pa.paper_id = a.paper_id
    join profile_of_username pu on pu.username = a.openreview_id
    join profile_history h on h.profile_id = pu.profile_id
    where h.country is not null and h.start_year is not null
      and pa.year between h.start_year and coalesce(h.end_year, pu.fetched_year)
      and a.authorship_id not in (select authorship_id from printed)
)
select authorship_id,
       {PROFILE_MENTION_ORDER_BASE} + row_number() over (partition by authorship_id order by entry_order)
           :: integer as mention_order,
       org_id, country, sector,
       1.0 / count(*) over (partition by authorship_id) as weight,
       'profile_' || kind as method,
       {PROFILE_EVIDENCE_CONFIDENCE} as confidence,
       '{PROFILE_SOURCE_PREFIX}' || profile_id as source_id,
       'profile_dated' as basis
from dated
"""


def apply_profile_evidence(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild the profile-derived rows of authorship_affiliations; returns authorships they cover."""
    con.execute("begin transaction")
    try:
        con.execute(
            f"delete from authorship_affiliations where source_id like '{PROFILE_SOURCE_PREFIX}%'"
        ).fetchall()
        con.execute(
            "insert into authorship_affiliations (authorship_id, mention_order, org_id, country, sector, "
            f"weight, method, confidence, source_id, basis) {_EVIDENCE_SQL}"
        ).fetchall()
        row = con.execute(
            "select count(distinct authorship_id) from authorship_affiliations "
            f"where source_id like '{PROFILE_SOURCE_PREFIX}%'"
        ).fetchall()[0]
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return int(row[0])
