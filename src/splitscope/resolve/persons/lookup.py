"""`splitscope person NAME_OR_ID`: a person's papers by year with organisation and country, and why each
record was linked."""

from __future__ import annotations

from typing import Any

import duckdb

from splitscope.errors import UnusableInputError

MAX_PERSONS = 20


def find_person_ids(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    query = query.strip()
    if not query:
        raise UnusableInputError("give a name, an OpenReview id (~Jane_Doe1) or a person id")
    candidates = [query, f"or:{query}"] if not query.startswith(("or:", "p:", "orcid:")) else [query]
    by_id = con.execute(
        "select person_id from persons where person_id in (select unnest(?)) or openreview_id = ? "
        "or openreview_id in (select profile_id from openreview_aliases where alias_id = ?)",
        [candidates, query, query],
    ).fetchall()
    if by_id:
        return [r[0] for r in by_id]
    by_name = con.execute(
        """select ap.person_id, count(*) n from authorships a join authorship_person ap using (authorship_id)
           where lower(strip_accents(a.name)) = lower(strip_accents(?))
           group by 1 order by n desc, 1 limit ?""",
        [query, MAX_PERSONS],
    ).fetchall()
    if not by_name:
        raise UnusableInputError(f"no person called or identified as {query!r} in the store")
    return [r[0] for r in by_name]


def person_record(con: duckdb.DuckDBPyConnection, person_id: str) -> dict[str, Any]:
    head = con.execute(
        "select person_id, display_name, openreview_id, orcid, n_authorships from persons "
        "where person_id = ?",
        [person_id],
    ).fetchall()[0]
    papers = con.execute(
        """
        select p.year, p.venue, p.title, a.name, ap.method, ap.match_probability, ap.evidence,
               list(distinct aa.org_id) filter (where aa.org_id is not null) as orgs,
               list(distinct aa.country) filter (where aa.country is not null) as countries,
               a.authorship_id
        from authorship_person ap
        join authorships a using (authorship_id)
        join papers p using (paper_id)
        left join authorship_affiliations aa using (authorship_id)
        where ap.person_id = ?
        group by all order by p.year, p.venue, p.title
        """,
        [person_id],
    ).fetchall()
    keys = ["year", "venue", "title", "name_as_written", "link_method", "match_probability", "evidence",
            "orgs", "countries", "authorship_id"]  # fmt: skip
    return {
        "person_id": head[0],
        "display_name": head[1],
        "openreview_id": head[2],
        "orcid": head[3],
        "authorships": head[4],
        "papers": [dict(zip(keys, row, strict=True)) for row in papers],
    }


def person_report(con: duckdb.DuckDBPyConnection, query: str) -> list[dict[str, Any]]:
    return [person_record(con, pid) for pid in find_person_ids(con, query)]
