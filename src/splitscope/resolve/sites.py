"""Site continuity: the country of a multi-site organisation's byline that names no site, taken from the same
person's site of the same organisation in the nearest years (issue 16; docs/affiliations.md, "Site
continuity").

A paper that prints only "Microsoft Research" gets Microsoft's documented default country (US) from the
resolver, method 'default'. For a researcher whose other papers print "Microsoft Research Asia" that default
is wrong, and a CN→US "move" appears in the year of the unmarked paper. This step, run after person linkage,
looks at the same person's authorships of the same organisation family (the top of the registry's parent
chain: msra, msr_redmond and microsoft are one family) whose site is known from trusted evidence (a site
entry, a named location, a site e-mail domain, never another default), and decides per row:

- same-year: that year's other papers give the site, in one country only;
- bracketed: the nearest earlier and the nearest later year with a site agree;
- before-only / after-only: only one side has a site (the first or last years at the organisation);
- conflict: the evidence names several countries (the person changed sites), so nothing is taken;
- none: no site evidence at all; the row keeps its default.

Rows given a country become method 'site_continuity' with the rule's confidence; every decision, with the
authorships it rests on, is kept in table `site_continuity` (`splitscope person` shows it). Rerunning the
step first restores the defaults, so it is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from splitscope.resolve.affiliations.resolver import CONFIDENCE

DEFAULT_METHOD = "default"
CONTINUITY_METHOD = "site_continuity"
# Site evidence must itself be trusted: the confidence analyses require before resting a move on an answer
# (docs/affiliations.md, "Confidence": every pattern at or above it measured >= 0.99 precision).
SITE_EVIDENCE_MIN_CONFIDENCE = 0.85
# Per rule: measured by leaving each known site out and predicting it from the person's other papers
# (docs/affiliations.md, "Site continuity"): same-year 1.000 and bracketed 0.990 agreement; one-sided 0.97
# evidence less, so it helps work shares but cannot start, end or confirm a move.
RULE_CONFIDENCE = {"same-year": 0.9, "bracketed": 0.9, "before-only": 0.8, "after-only": 0.8}


@dataclass
class SiteContinuityStats:
    defaults: int = 0
    given_country: int = 0
    by_rule: dict[str, int] | None = None

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def _families_sql() -> str:
    """org_id → family_id (top of the parent chain) over the store's orgs table."""
    return """
        with recursive chain(org_id, top, depth) as (
            select org_id, org_id, 0 from orgs
            union all
            select c.org_id, o.parent_id, c.depth + 1
            from chain c join orgs o on o.org_id = c.top
            where o.parent_id is not null and c.depth < 20
        )
        select org_id, arg_max(top, depth) as family_id from chain group by org_id
    """


def _decide_sql(targets: str, evidence: str) -> str:
    """One row per target (authorship_id, mention_order, person_id, family_id, year) with the rule, the
    country and the evidence. `evidence` has (authorship_id, person_id, family_id, year, country)."""
    return f"""
        with per_year as (
            select person_id, family_id, year, list(distinct country order by country) as countries,
                   list(distinct authorship_id order by authorship_id) as ids
            from {evidence} group by all
        ),
        candidates as (
            select t.authorship_id, t.mention_order, t.person_id, t.family_id, t.year,
                   e.year as e_year, e.countries, e.ids
            from {targets} t join per_year e using (person_id, family_id)
        ),
        -- the target's own authorship is never its evidence
        cleaned as (
            select c.* replace (list_filter(c.ids, lambda i: i <> c.authorship_id) as ids)
            from candidates c
        ),
        usable as (select * from cleaned where len(ids) > 0),
        sides as (
            select authorship_id, mention_order,
                   arg_max(struct_pack(y := e_year, c := countries, i := ids), e_year)
                       filter (where e_year < year) as before,
                   arg_min(struct_pack(y := e_year, c := countries, i := ids), e_year)
                       filter (where e_year > year) as after,
                   any_value(struct_pack(y := e_year, c := countries, i := ids))
                       filter (where e_year = year) as same
            from usable group by all
        ),
        decided as (
            select t.authorship_id, t.mention_order,
                   case
                       when s.same is not null and len(s.same.c) = 1 then 'same-year'
                       when s.same is not null then 'conflict'
                       when s.before is null and s.after is null then 'none'
                       when s.before is not null and s.after is not null then
                           case when len(s.before.c) = 1 and s.before.c = s.after.c then 'bracketed'
                                else 'conflict' end
                       when s.before is not null then
                           case when len(s.before.c) = 1 then 'before-only' else 'conflict' end
                       else case when len(s.after.c) = 1 then 'after-only' else 'conflict' end
                   end as rule,
                   s.same, s.before, s.after
            from {targets} t left join sides s using (authorship_id, mention_order)
        )
        select authorship_id, mention_order, rule,
               case rule when 'same-year' then same.c[1] when 'bracketed' then before.c[1]
                         when 'before-only' then before.c[1] when 'after-only' then after.c[1] end as country,
               case rule when 'same-year' then [same.y]
                         when 'bracketed' then [before.y, after.y]
                         when 'before-only' then [before.y] when 'after-only' then [after.y]
                         when 'conflict'
                             then list_filter([before.y, same.y, after.y], lambda y: y is not null)
                         else [] end :: integer[] as evidence_years,
               case rule when 'same-year' then same.i
                         when 'bracketed' then list_concat(before.i, after.i)
                         when 'before-only' then before.i when 'after-only' then after.i
                         when 'conflict' then list_concat(coalesce(before.i, []), coalesce(same.i, []),
                                                          coalesce(after.i, []))
                         else [] end :: varchar[] as evidence_authorship_ids
        from decided
    """


def _restore_defaults(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""
        update authorship_affiliations aa set
            country = o.default_country, method = '{DEFAULT_METHOD}',
            confidence = {CONFIDENCE["alias, multi-site default"]}
        from orgs o
        where aa.method = '{CONTINUITY_METHOD}' and o.org_id = aa.org_id
    """).fetchall()


def _stage_inputs(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create or replace temp table site_families as {_families_sql()}").fetchall()
    con.execute(f"""
        create or replace temp table site_rows as
        select aa.authorship_id, aa.mention_order, aa.org_id, aa.country, aa.method, aa.confidence,
               ap.person_id, f.family_id, p.year
        from authorship_affiliations aa
        join authorship_person ap using (authorship_id)
        join authorships a using (authorship_id)
        join papers p using (paper_id)
        join site_families f on f.org_id = aa.org_id
        where aa.org_id is not null
          and f.family_id in (select f2.family_id from authorship_affiliations x
                              join site_families f2 on f2.org_id = x.org_id
                              where x.method = '{DEFAULT_METHOD}')
    """).fetchall()
    con.execute(f"""
        create or replace temp table site_targets as
        select authorship_id, mention_order, org_id, person_id, family_id, year
        from site_rows where method = '{DEFAULT_METHOD}'
    """).fetchall()
    con.execute(f"""
        create or replace temp table site_evidence as
        select authorship_id, person_id, family_id, year, country
        from site_rows
        where method not in ('{DEFAULT_METHOD}', '{CONTINUITY_METHOD}') and country is not null
          and confidence >= {SITE_EVIDENCE_MIN_CONFIDENCE}
    """).fetchall()


def apply_site_continuity(con: duckdb.DuckDBPyConnection) -> SiteContinuityStats:
    """Rebuild table site_continuity and the rows of authorship_affiliations it gives a country."""
    con.execute("begin transaction")
    try:
        _restore_defaults(con)
        _stage_inputs(con)
        con.execute(f"""
            create or replace temp table site_decisions as
            select d.*, t.org_id, t.family_id, o.default_country
            from ({_decide_sql("site_targets", "site_evidence")}) d
            join site_targets t using (authorship_id, mention_order)
            join orgs o on o.org_id = t.org_id
        """).fetchall()
        con.execute("delete from site_continuity").fetchall()
        con.execute("""
            insert into site_continuity
            select authorship_id, mention_order, org_id, family_id, default_country, country, rule,
                   evidence_years, evidence_authorship_ids
            from site_decisions
        """).fetchall()
        confidence = " ".join(f"when '{rule}' then {value}" for rule, value in RULE_CONFIDENCE.items())
        con.execute(f"""
            update authorship_affiliations aa set
                country = d.country, method = '{CONTINUITY_METHOD}',
                confidence = case d.rule {confidence} end
            from site_decisions d
            where d.country is not null
              and aa.authorship_id = d.authorship_id and aa.mention_order = d.mention_order
        """).fetchall()
        by_rule = dict(con.execute("select rule, count(*) from site_decisions group by rule").fetchall())
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        for table in ("site_families", "site_rows", "site_targets", "site_evidence", "site_decisions"):
            con.execute(f"drop table if exists {table}").fetchall()
    given = sum(n for rule, n in by_rule.items() if rule in RULE_CONFIDENCE)
    return SiteContinuityStats(sum(by_rule.values()), given, by_rule)
