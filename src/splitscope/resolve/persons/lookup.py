"""`splitscope person NAME_OR_ID`: a person's papers by year with organisation and country, and why each
record was linked; where a multi-site organisation's country came from the person's other papers (site
continuity, resolve/sites.py), the rule and the authorships it rests on."""

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
               a.authorship_id,
               list(distinct aa.method) filter (where aa.method is not null) as methods
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
            "orgs", "countries", "authorship_id", "methods"]  # fmt: skip
    continuity = _site_continuity(con, person_id)
    records = [dict(zip(keys, row, strict=True)) for row in papers]
    for record in records:
        record["site_continuity"] = continuity.get(record["authorship_id"], [])
    return {
        "person_id": head[0],
        "display_name": head[1],
        "openreview_id": head[2],
        "orcid": head[3],
        "authorships": head[4],
        "papers": records,
    }


def _site_continuity(con: duckdb.DuckDBPyConnection, person_id: str) -> dict[str, list[dict[str, Any]]]:
    """authorship id -> the site-continuity decisions of its affiliations (rule, country, evidence)."""
    rows = con.execute(
        """
        select sc.authorship_id, sc.org_id, sc.rule, sc.country, sc.default_country, sc.evidence_years,
               sc.evidence_authorship_ids
        from site_continuity sc join authorship_person ap using (authorship_id)
        where ap.person_id = ? order by sc.authorship_id, sc.mention_order
        """,
        [person_id],
    ).fetchall()
    keys = ["org_id", "rule", "country", "default_country", "evidence_years", "evidence_authorship_ids"]
    found: dict[str, list[dict[str, Any]]] = {}
    for authorship_id, *values in rows:
        found.setdefault(authorship_id, []).append(dict(zip(keys, values, strict=True)))
    return found


def person_report(con: duckdb.DuckDBPyConnection, query: str) -> list[dict[str, Any]]:
    return [person_record(con, pid) for pid in find_person_ids(con, query)]
