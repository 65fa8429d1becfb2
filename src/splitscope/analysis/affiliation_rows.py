"""The affiliation rows every trend reads, with the selection's measurement options applied once:

- affiliation basis (`Selection.affiliation_bases`): keep only rows whose basis is listed (paper,
  profile_crawl, profile_dated, openalex); without the option every row counts, including rows of stores
  built before the basis was recorded;
- country basis (`Selection.country_basis`): `site` keeps the resolved country (the site the string
  names, or a multi-site organisation's default); `hq` replaces it by the country of the top organisation
  of the registry's parent chain (Microsoft Research Asia -> Microsoft -> US); an affiliation without an
  organisation, or whose top organisation has no country, keeps its site country;
- China scope (`Selection.china_scope`): maps HK, MO (and TW) to CN when asked.

The organisation stays the site's (a Microsoft lab in Beijing is still that lab for concentration and
networks); only the country changes under `hq`.
"""

from __future__ import annotations

from splitscope.selection import Selection

# Parent chains are short (lab -> company, institute -> academy); the depth cap only guards against a
# cycle in a hand-edited registry.
_MAX_PARENT_DEPTH = 8

_HQ_COUNTRY_SQL = f"""
    select r.org_id, coalesce(top.country, top.default_country) as hq_country
    from (
        select org_id, arg_max(ancestor, depth) as root from (
            with recursive chain(org_id, ancestor, depth) as (
                select org_id, org_id, 0 from orgs
                union all
                select c.org_id, o.parent_id, c.depth + 1
                from chain c join orgs o on o.org_id = c.ancestor
                where o.parent_id is not null and c.depth < {_MAX_PARENT_DEPTH}
            )
            select c.* from chain c semi join orgs o on o.org_id = c.ancestor
        ) group by org_id
    ) r join orgs top on top.org_id = r.root
"""


def china_scope_sql(column: str, selection: Selection) -> str:
    """The country column with the China scope applied (codes are fixed literals, safe to inline)."""
    mapping = selection.china_map()
    if not mapping:
        return column
    cases = " ".join(f"when '{src}' then '{dst}'" for src, dst in sorted(mapping.items()))
    return f"(case {column} {cases} else {column} end)"


def _country_sql(country: str, org: str, selection: Selection) -> tuple[str, str]:
    """(country expression, join clause) for the site/hq choice."""
    if selection.country_basis == "site":
        return china_scope_sql(country, selection), ""
    join = f"left join ({_HQ_COUNTRY_SQL}) hq on hq.org_id = {org}"
    return china_scope_sql(f"coalesce(hq.hq_country, {country})", selection), join


def basis_filter_sql(column: str, selection: Selection) -> str:
    if selection.affiliation_bases is None:
        return "true"
    return f"{column} in (" + ", ".join(f"'{b}'" for b in selection.affiliation_bases) + ")"


def affiliation_rows_sql(selection: Selection) -> str:
    """A SELECT of authorship_affiliations rows after the options: authorship_id, mention_order, org_id,
    country (NULL when unresolved), sector, weight, method, confidence, source_id, basis. Weights are
    as stored; readers renormalise over the rows with a country."""
    country, join = _country_sql("aa.country", "aa.org_id", selection)
    return f"""
        select aa.authorship_id, aa.mention_order, aa.org_id,
               case when aa.country is not null then {country} end as country,
               aa.sector, aa.weight, aa.method, aa.confidence, aa.source_id, aa.basis
        from authorship_affiliations aa {join}
        where {basis_filter_sql("aa.basis", selection)}
    """


def paper_affiliation_rows_sql(selection: Selection) -> str:
    """Per-paper affiliation lists (paper_affiliation_mentions) resolved, after the options: paper_id,
    org_id, country (never NULL), basis."""
    country, join = _country_sql("ar.country", "ar.org_id", selection)
    return f"""
        select m.paper_id, ar.org_id, {country} as country, m.basis
        from paper_affiliation_mentions m
        join affiliation_resolutions ar on ar.affiliation = m.affiliation and ar.email_domain = ''
        {join}
        where ar.country is not null and {basis_filter_sql("m.basis", selection)}
    """
