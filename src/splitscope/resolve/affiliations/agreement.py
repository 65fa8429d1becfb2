"""Two scrapes of one paper that disagree about where an author was (issue 16).

NeurIPS 2006-2018, ICML 2017-2019 and ICLR 2018-2019 papers are in both the paper lists and the
conference CSV: the same printed byline scraped twice. `resolve_affiliations` uses one source per
authorship (the paper list first). Where the other scrape, resolved with trusted confidence, names only
countries the chosen one does not (4.2% of the 15,041 authorships both scrapes resolve in the full corpus:
a dual affiliation each scrape kept one half of, or a byline misaligned in one of them), the paper does not
place the author in one country. The chosen rows keep their country, so work shares are unchanged, but
their confidence drops below the level career claims require (analysis/talent/trust.py), so the year
cannot start, end or confirm a move.

OpenReview profile affiliations are not compared: they are where the author was when the profile was
crawled, which differs from the paper for every researcher who moved since.
"""

from __future__ import annotations

import duckdb

from splitscope.resolve.affiliations.resolver import AffiliationResolver

PAPER_SOURCES = ("paperlists", "conference-csv")
TRUSTED_CONFIDENCE = 0.85  # the level career claims require (docs/affiliations.md, "Confidence")
DISAGREEING_SOURCES_CONFIDENCE = 0.8


def mark_source_disagreements(con: duckdb.DuckDBPyConnection, resolver: AffiliationResolver) -> int:
    """Lower the confidence of the chosen rows of authorships whose two paper scrapes disagree; returns how
    many authorships that is."""
    sources = ", ".join(f"'{s}'" for s in PAPER_SOURCES)
    others = con.execute(f"""
        select distinct m.authorship_id, m.affiliation, coalesce(a.email_domain, '') as email_domain
        from affiliation_mentions m join authorships a using (authorship_id)
        where split_part(m.source_id, ':', 1) in ({sources})
          and split_part(m.source_id, ':', 1) <> (
              select split_part(min(aa.source_id), ':', 1) from authorship_affiliations aa
              where aa.authorship_id = m.authorship_id)
          and m.authorship_id in (
              select authorship_id from authorship_affiliations
              where split_part(source_id, ':', 1) in ({sources}))
    """).fetchall()
    rows = []
    for authorship_id, affiliation, domain in others:
        answer = resolver.resolve(affiliation, domain)
        if answer.country is not None and answer.confidence >= TRUSTED_CONFIDENCE:
            rows.append((authorship_id, answer.country))
    con.execute(
        "create or replace temp table agreement_other (authorship_id varchar, country varchar)"
    ).fetchall()
    if rows:
        con.executemany("insert into agreement_other values (?, ?)", rows)
    try:
        con.execute(f"""
            create or replace temp table agreement_disputed as
            with other as (select distinct authorship_id, country from agreement_other),
            chosen as (
                select distinct authorship_id, country from authorship_affiliations
                where confidence >= {TRUSTED_CONFIDENCE} and country is not null
                  and authorship_id in (select authorship_id from other)
            )
            select c.authorship_id
            from chosen c left join other o on o.authorship_id = c.authorship_id and o.country = c.country
            group by c.authorship_id having count(o.country) = 0
        """).fetchall()
        con.execute(f"""
            update authorship_affiliations set confidence = {DISAGREEING_SOURCES_CONFIDENCE}
            where authorship_id in (select authorship_id from agreement_disputed)
              and confidence > {DISAGREEING_SOURCES_CONFIDENCE}
        """).fetchall()
        return int(con.execute("select count(*) from agreement_disputed").fetchone()[0])  # type: ignore[index]
    finally:
        con.execute("drop table if exists agreement_other").fetchall()
        con.execute("drop table if exists agreement_disputed").fetchall()
