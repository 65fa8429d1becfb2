"""Write hand-made canonical rows into a store, for collaboration tests with exact expected values."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

# An author: (person_id or None, [(country or None, weight, org_id or None), ...]).
Author = tuple[str | None, Sequence[tuple[str | None, float, str | None]]]


def add_paper(
    con: duckdb.DuckDBPyConnection,
    paper_id: str,
    year: int,
    authors: Sequence[Author],
    *,
    venue: str = "nips",
    accepted: bool = True,
    top_tier: bool = False,
    title: str = "A paper",
    keywords: Sequence[str] = (),
    paper_affiliations: Sequence[tuple[str, str | None, str | None]] = (),
) -> None:
    """One paper, its authorships, their resolved affiliations and (optionally) a per-paper list.

    paper_affiliations: (affiliation string, country, org_id) known only per paper.
    """
    con.execute(
        "insert into papers (paper_id, venue, year, title, accepted, top_tier, keywords, source_id) "
        "values (?, ?, ?, ?, ?, ?, ?, 'test')",
        [paper_id, venue, year, title, accepted, top_tier, list(keywords)],
    )
    for position, (person_id, affiliations) in enumerate(authors, start=1):
        authorship_id = f"{paper_id}#{position}"
        con.execute(
            "insert into authorships (authorship_id, paper_id, position, name, source_id) "
            "values (?, ?, ?, ?, 'test')",
            [authorship_id, paper_id, position, person_id or f"anon {authorship_id}"],
        )
        if person_id is not None:
            con.execute(
                "insert into authorship_person (authorship_id, person_id, method) values (?, ?, 'test')",
                [authorship_id, person_id],
            )
        for order, (country, weight, org_id) in enumerate(affiliations, start=1):
            con.execute(
                "insert into authorship_affiliations (authorship_id, mention_order, org_id, country, "
                "weight, method, confidence, source_id) values (?, ?, ?, ?, ?, 'alias', 1.0, 'test')",
                [authorship_id, order, org_id, country, weight],
            )
    for order, (affiliation, country, org_id) in enumerate(paper_affiliations, start=1):
        con.execute(
            "insert into paper_affiliation_mentions (paper_id, mention_order, affiliation, source_id, "
            "source_field, reason) values (?, ?, ?, 'test', 'aff', 'per-paper list')",
            [paper_id, order, affiliation],
        )
        con.execute(
            "insert or ignore into affiliation_resolutions (affiliation, email_domain, org_id, country, "
            "method, confidence) values (?, '', ?, ?, ?, 1.0)",
            [affiliation, org_id, country, "alias" if country else "unknown"],
        )


def add_org(con: duckdb.DuckDBPyConnection, org_id: str, name: str, country: str) -> None:
    con.execute(
        "insert into orgs (org_id, name, country, sector) values (?, ?, ?, 'education')",
        [org_id, name, country],
    )


def one(country: str, org_id: str | None = None) -> list[tuple[str | None, float, str | None]]:
    """A single resolved affiliation with weight 1."""
    return [(country, 1.0, org_id)]
