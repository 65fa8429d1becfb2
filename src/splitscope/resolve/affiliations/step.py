"""`resolve_affiliations(con, resolver)`: the build step that resolves every distinct (affiliation, e-mail
domain) pair once and joins the answers back to authorships.

Which printed affiliation an authorship uses: the paper list's own, else the conference CSV's, else the
openreview-authors file's (one source per authorship, so weights never mix sources). An authorship with
no affiliation string but an e-mail domain is resolved from the domain alone. Per-paper affiliation lists
(paper_affiliation_mentions) are resolved too, for paper-level country sets.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb
import pandas as pd
from rich.progress import Progress

from splitscope.resolve.affiliations.resolver import AffiliationResolver

SOURCE_PRIORITY_SQL = """case split_part(source_id, ':', 1)
    when 'paperlists' then 1 when 'conference-csv' then 2 when 'openreview-authors' then 3 else 4 end"""

# The affiliation basis of a chosen mention (store/batch.py, AFFILIATION_BASES). OpenAlex rows are
# 'openalex' whatever wrote them (kinds 'openalex', 'openalex_fill', ...); a mention from a store built
# before the column existed falls back on its source's kind; a paper list row without one stays unknown.
MENTION_BASIS_SQL = """case when s.kind like 'openalex%' then 'openalex'
    when m.basis is not null then m.basis
    when s.kind in ('openreview_authors', 'openreview_api') then 'profile_crawl'
    when s.kind = 'conference_csv' then 'paper' end"""
# An e-mail domain alone: an OpenReview profile's (the authorship has a profile id) or the paper's.
DOMAIN_BASIS_SQL = "case when a.openreview_id like '~%' then 'profile_crawl' else 'paper' end"


@dataclass
class ResolveStats:
    distinct_pairs: int = 0
    resolved_pairs: int = 0
    authorships: int = 0
    authorships_with_country: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


def resolve_affiliations(
    con: duckdb.DuckDBPyConnection, resolver: AffiliationResolver, progress: bool = False
) -> ResolveStats:
    """`resolver` is the caller's (pipeline/cli: default_resolver with the shared bundle and ROR file)."""
    started = time.perf_counter()
    _choose_mentions(con)
    pairs = con.execute("""
        select distinct affiliation, email_domain from (
            select m.affiliation, coalesce(a.email_domain, '') as email_domain
            from resolve_chosen_mentions m join authorships a using (authorship_id)
            union all
            select '', a.email_domain from authorships a
            where a.email_domain is not null
              and a.authorship_id not in (select authorship_id from resolve_chosen_mentions)
            union all
            select affiliation, '' from paper_affiliation_mentions
        )
    """).fetchall()
    rows = []
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("resolving affiliations", total=len(pairs))
        for i, (affiliation, domain) in enumerate(pairs):
            r = resolver.resolve(affiliation, domain)
            rows.append((affiliation, domain, r.normalised, r.org_id, r.country, r.sector, r.method,
                         r.confidence, r.evidence))  # fmt: skip
            if i % 5000 == 0:
                bar.update(task, completed=i)
    frame = pd.DataFrame(rows, columns=[
        "affiliation", "email_domain", "normalised_affiliation", "org_id", "country", "sector", "method",
        "confidence", "evidence",
    ])  # fmt: skip
    _write(con, resolver, frame)
    stats = ResolveStats(distinct_pairs=len(frame), resolved_pairs=int(frame["country"].notna().sum()))
    stats.authorships, stats.authorships_with_country = con.execute("""
        select count(*), count(*) filter (where authorship_id in (
            select authorship_id from authorship_affiliations where country is not null))
        from authorships
    """).fetchall()[0]
    stats.seconds = round(time.perf_counter() - started, 2)
    return stats


def _choose_mentions(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""
        create or replace temp table resolve_chosen_mentions as
        select authorship_id, mention_order, affiliation, source_id, basis from (
            select m.authorship_id, m.mention_order, m.affiliation, source_id,
                   {MENTION_BASIS_SQL} as basis, {SOURCE_PRIORITY_SQL} as priority
            from affiliation_mentions m left join sources s using (source_id)
        ) qualify priority = min(priority) over (partition by authorship_id)
    """).fetchall()


def _orgs_frame(resolver: AffiliationResolver) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (o.id, o.name, o.country, o.default_country, o.sector, o.parent, o.source)
            for o in resolver.registry
        ],
        columns=["org_id", "name", "country", "default_country", "sector", "parent_id", "source"],
    )


def _write(con: duckdb.DuckDBPyConnection, resolver: AffiliationResolver, frame: pd.DataFrame) -> None:
    orgs = _orgs_frame(resolver)
    con.execute("begin transaction")
    try:
        con.execute("delete from orgs").fetchall()
        con.from_df(orgs).insert_into("orgs")
        con.execute("delete from affiliation_resolutions").fetchall()
        con.from_df(frame).insert_into("affiliation_resolutions")
        con.execute("delete from authorship_affiliations").fetchall()
        con.execute(f"""
            insert into authorship_affiliations
            select m.authorship_id, m.mention_order, r.org_id, r.country, r.sector,
                   1.0 / count(*) over (partition by m.authorship_id), r.method, r.confidence, m.source_id,
                   m.basis
            from resolve_chosen_mentions m
            join authorships a using (authorship_id)
            join affiliation_resolutions r
              on r.affiliation = m.affiliation and r.email_domain = coalesce(a.email_domain, '')
            union all
            select a.authorship_id, 0, r.org_id, r.country, r.sector, 1.0, r.method, r.confidence,
                   a.source_id, {DOMAIN_BASIS_SQL}
            from authorships a
            join affiliation_resolutions r on r.affiliation = '' and r.email_domain = a.email_domain
            where a.authorship_id not in (select authorship_id from resolve_chosen_mentions)
        """).fetchall()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
