"""Paper country sets: the SQL every collaboration table starts from.

`prepare_paper_sets` materialises, as temporary tables on the connection:
- `collab_papers`: accepted papers in the selection (and topic), with venue, year, top_tier;
- `collab_author_country`: per authorship and country its share of that authorship (author basis);
- `collab_paper_country`: per paper and country, `fractional` (author shares, NULL for paper basis)
  and `basis` ('author' | 'paper');
- `collab_paper_node`: per paper, the distinct (org_id, country) nodes for the institution network.

Countries come from analysis.affiliation_rows (the selection's affiliation bases, site/hq, China scope).

Basis rule (docs/collaboration.md): a paper whose authorships carry at least one resolved country uses
those (author basis, both full and fractional counting); otherwise its per-paper affiliation list
(paper_affiliation_mentions resolved through affiliation_resolutions) gives the country set (paper basis,
full counting only: it cannot say how many authors each institution had).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from splitscope.analysis.affiliation_rows import affiliation_rows_sql, paper_affiliation_rows_sql
from splitscope.analysis.collab.topics import TopicQuery, topic_query, topic_sql
from splitscope.selection import Selection


@dataclass(frozen=True)
class PaperSetCounts:
    papers: int  # accepted papers in the selection (and topic)
    papers_author_basis: int
    papers_paper_basis: int

    @property
    def papers_with_country(self) -> int:
        return self.papers_author_basis + self.papers_paper_basis


def prepare_paper_sets(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    topic: TopicQuery | None = None,
    gated: frozenset[tuple[str, int]] | None = None,
) -> PaperSetCounts:
    """`gated`: the venue-years that pass the coverage gate (None: every selected venue-year). The
    selection's affiliation bases, site/hq choice and China scope apply to every country below."""
    con.execute("create or replace temp table collab_gated (venue varchar, year integer)")
    gate_sql = "true"
    if gated is not None:
        gate_sql = (
            "exists (select 1 from collab_gated g where g.venue = papers.venue and g.year = papers.year)"
        )
        if gated:
            frame = pd.DataFrame(sorted(gated), columns=["venue", "year"]).astype({"year": "int32"})
            con.from_df(frame).insert_into("collab_gated")
    con.execute(
        f"""
        create or replace temp table collab_papers as
        select paper_id, venue, year, top_tier
        from papers
        where accepted and {selection.sql()} and {topic_sql(topic)} and {gate_sql}
        """
    )
    con.execute(f"create or replace temp table collab_affiliations as {affiliation_rows_sql(selection)}")
    con.execute(
        f"create or replace temp table collab_paper_affiliations as {paper_affiliation_rows_sql(selection)}"
    )
    # Weights are renormalised over an authorship's rows that have a country, so each authorship with a
    # country carries exactly 1 (an unresolved second affiliation does not dilute the resolved one).
    con.execute(
        """
        create or replace temp table collab_author_country as
        with rows as (
            select a.paper_id, a.authorship_id, aa.country, aa.org_id, aa.weight
            from collab_affiliations aa
            join authorships a using (authorship_id)
            join collab_papers p using (paper_id)
            where aa.country is not null and aa.weight > 0
        )
        select paper_id, authorship_id, country,
               sum(weight) / sum(sum(weight)) over (partition by authorship_id) as share
        from rows
        group by paper_id, authorship_id, country
        """
    )
    con.execute(
        """
        create or replace temp table collab_author_paper_country as
        with authors as (
            select paper_id, count(distinct authorship_id) as resolved_authors
            from collab_author_country group by paper_id
        )
        -- rounded so that the thread order of a sum cannot change its last bits from run to run (a final
        -- weight: a small-denominator fraction, never near a 12-decimal midpoint)
        select c.paper_id, c.country, round(sum(c.share) / max(a.resolved_authors), 12) as fractional
        from collab_author_country c join authors a using (paper_id)
        group by c.paper_id, c.country
        """
    )
    con.execute(
        """
        create or replace temp table collab_paper_country as
        select paper_id, country, fractional, 'author' as basis from collab_author_paper_country
        union all
        select distinct m.paper_id, m.country, null::double as fractional, 'paper' as basis
        from collab_paper_affiliations m
        join collab_papers p using (paper_id)
        where m.paper_id not in (select paper_id from collab_author_paper_country)
        """
    )
    _prepare_nodes(con)
    row = con.execute(
        """
        select (select count(*) from collab_papers),
               count(distinct paper_id) filter (where basis = 'author'),
               count(distinct paper_id) filter (where basis = 'paper')
        from collab_paper_country
        """
    ).fetchone()
    assert row is not None
    return PaperSetCounts(int(row[0]), int(row[1]), int(row[2]))


def _prepare_nodes(con: duckdb.DuckDBPyConnection) -> None:
    """(org, country) nodes per paper, by the same basis rule as the country sets."""
    con.execute(
        """
        create or replace temp table collab_paper_node as
        select distinct a.paper_id, aa.org_id, aa.country
        from collab_affiliations aa
        join authorships a using (authorship_id)
        join collab_papers p using (paper_id)
        where aa.org_id is not null and aa.country is not null and aa.weight > 0
          and a.paper_id in (select paper_id from collab_paper_country where basis = 'author')
        union
        select distinct m.paper_id, m.org_id, m.country
        from collab_paper_affiliations m
        where m.org_id is not null
          and m.paper_id in (select paper_id from collab_paper_country where basis = 'paper')
        """
    )


def drop_paper_sets(con: duckdb.DuckDBPyConnection) -> None:
    for table in (
        "collab_paper_node",
        "collab_paper_country",
        "collab_author_paper_country",
        "collab_author_country",
        "collab_papers",
        "collab_paper_affiliations",
        "collab_affiliations",
        "collab_gated",
    ):
        con.execute(f"drop table if exists {table}")


def paper_country_sets(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    topic: str | TopicQuery | None = None,
) -> pd.DataFrame:
    """Per selected paper with a country: paper_id, venue, year, country, fractional, basis (long)."""
    prepare_paper_sets(con, selection, topic_query(topic))
    try:
        return con.execute(
            """
            select pc.paper_id, p.venue, p.year, pc.country, pc.fractional, pc.basis
            from collab_paper_country pc join collab_papers p using (paper_id)
            order by pc.paper_id, pc.country
            """
        ).df()
    finally:
        drop_paper_sets(con)
