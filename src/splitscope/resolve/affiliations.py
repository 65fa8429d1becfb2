"""Build step: resolve every distinct (affiliation, e-mail domain) pair once and fill `orgs`,
`affiliation_resolutions` and `authorship_affiliations` (schema: store/schema/10_affiliations.sql).

Choices the contract leaves open (docs/affiliations.md):
- Per authorship one source is used: the paper list's own printed affiliations first, then the conference
  CSV, then the OpenReview profile (`openreview-authors`).
- Each mention of that source is resolved together with the authorship's e-mail domain, which only
  decides when the string alone does not (the domain may belong to another of the author's employers).
- An authorship with no affiliation mention but an e-mail domain gets one row from the domain alone.
- Unknown mentions keep a row (country NULL) so coverage can be computed. Weights: 1/k over the k rows
  with a country, 0 on the unknown rows; 1/n over all n rows when none has a country.
- Authorships with neither an affiliation nor a domain get no row (they count as uncovered).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import duckdb
import pyarrow as pa

from splitscope.orgs.registry import Org, load_registry
from splitscope.orgs.world_universities import load_world_universities
from splitscope.resolve.matcher import Matcher, Resolution

# Lower sorts first: the paper's own list, then the conference CSV, then OpenReview profiles.
SOURCE_ORDER_SQL = """(case when m.source_id like 'paperlists:%' then '0'
                            when m.source_id like 'conference-csv%' then '1' else '2' end) || m.source_id"""


@dataclass
class ResolveStats:
    pairs: int = 0
    distinct_affiliations: int = 0
    resolved_pairs: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    authorships: int = 0
    authorships_with_country: int = 0
    authorship_rows: int = 0
    seconds: float = 0.0

    @property
    def coverage(self) -> float:
        return self.authorships_with_country / self.authorships if self.authorships else 0.0


def all_orgs(extra: list[Org] | None = None) -> list[Org]:
    """Curated registry first (it owns its aliases and domains), then imported and generic entries."""
    return [*load_registry(), *(extra or []), *load_world_universities()]


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    return Matcher(all_orgs())


def resolve_affiliations(con: duckdb.DuckDBPyConnection, matcher: Matcher | None = None) -> ResolveStats:
    """Fill the three resolution tables from the store's mentions (idempotent: replaces their content)."""
    started = time.perf_counter()
    matcher = matcher or default_matcher()
    stats = ResolveStats()
    _write_orgs(con, matcher)
    _choose_mentions(con)
    pairs = con.execute(
        """select distinct affiliation, email_domain from resolve_chosen
           union select distinct affiliation, '' from paper_affiliation_mentions"""
    ).fetchall()
    by_text: dict[str, Resolution] = {}
    rows = []
    for affiliation, domain in pairs:
        if affiliation not in by_text:
            by_text[affiliation] = matcher.resolve(affiliation)
        result = by_text[affiliation]
        if domain and not result.resolved:
            result = matcher.resolve(affiliation, domain)
        rows.append((affiliation, domain, result))
    stats.pairs, stats.distinct_affiliations = len(rows), len(by_text)
    stats.resolved_pairs = sum(r.resolved for _, _, r in rows)
    stats.by_method = dict(Counter(r.method for _, _, r in rows))
    _write_resolutions(con, rows)
    _write_authorship_affiliations(con, stats)
    stats.seconds = time.perf_counter() - started
    return stats


resolve_affiliations.__name__ = "resolve_affiliations"


def _write_orgs(con: duckdb.DuckDBPyConnection, matcher: Matcher) -> None:
    orgs = list(matcher.orgs.values())
    table = pa.table(
        {
            "org_id": [o.id for o in orgs],
            "name": [o.name for o in orgs],
            "country": [o.country for o in orgs],
            "default_country": [o.default_country for o in orgs],
            "sector": [o.sector for o in orgs],
            "parent_id": [o.parent for o in orgs],
            "source": [o.source for o in orgs],
        }
    )
    con.execute("delete from orgs")
    con.register("resolve_orgs_arrow", table)
    con.execute("insert into orgs select * from resolve_orgs_arrow")
    con.unregister("resolve_orgs_arrow")


def _choose_mentions(con: duckdb.DuckDBPyConnection) -> None:
    """resolve_chosen: the mentions of each authorship's best source, with its e-mail domain ('' if none),
    plus one domain-only row per authorship that has a domain and no mention."""
    con.execute(
        f"""
        create or replace temp table resolve_chosen as
        with ranked as (
            select m.authorship_id, m.mention_order, m.affiliation, m.source_id,
                   min({SOURCE_ORDER_SQL}) over (partition by m.authorship_id) as best,
                   {SOURCE_ORDER_SQL} as rank
            from affiliation_mentions m
        )
        select r.authorship_id, r.mention_order, r.affiliation, r.source_id,
               coalesce(lower(a.email_domain), '') as email_domain
        from ranked r join authorships a using (authorship_id)
        where r.rank = r.best
        union all
        select a.authorship_id, 1, '', a.source_id, lower(a.email_domain)
        from authorships a
        where coalesce(a.email_domain, '') <> ''
          and not exists (select 1 from affiliation_mentions m where m.authorship_id = a.authorship_id)
        """
    )


def _write_resolutions(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, Resolution]]) -> None:
    table = pa.table(
        {
            "affiliation": [a for a, _, _ in rows],
            "email_domain": [d for _, d, _ in rows],
            "normalised_affiliation": [r.normalised for _, _, r in rows],
            "org_id": [r.org_id for _, _, r in rows],
            "country": [r.country for _, _, r in rows],
            "sector": [r.sector for _, _, r in rows],
            "method": [r.method for _, _, r in rows],
            "confidence": pa.array([r.confidence for _, _, r in rows], pa.float64()),
            "evidence": [r.evidence for _, _, r in rows],
        }
    )
    con.execute("delete from affiliation_resolutions")
    con.register("resolve_rows_arrow", table)
    con.execute("insert into affiliation_resolutions select * from resolve_rows_arrow")
    con.unregister("resolve_rows_arrow")


def _write_authorship_affiliations(con: duckdb.DuckDBPyConnection, stats: ResolveStats) -> None:
    con.execute("delete from authorship_affiliations")
    con.execute(
        """
        insert into authorship_affiliations
        with joined as (
            select c.authorship_id, c.mention_order, r.org_id, r.country, r.sector, r.method,
                   r.confidence, c.source_id,
                   count(*) over (partition by c.authorship_id) as n,
                   count(r.country) over (partition by c.authorship_id) as k
            from resolve_chosen c
            join affiliation_resolutions r
              on r.affiliation = c.affiliation and r.email_domain = c.email_domain
        )
        select authorship_id, mention_order, org_id, country, sector,
               case when k = 0 then 1.0 / n when country is null then 0.0 else 1.0 / k end,
               method, confidence, source_id
        from joined
        """
    )
    row = con.execute(
        """select (select count(*) from authorships),
                  count(distinct authorship_id) filter (where country is not null), count(*)
           from authorship_affiliations"""
    ).fetchone()
    assert row is not None
    stats.authorships, stats.authorships_with_country, stats.authorship_rows = map(int, row)
