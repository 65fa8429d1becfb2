"""Which attributions a career claim may rest on (issue 16; docs/talent.md, "Moves you can trust").

A move, a return, retention, a flow and the first-observed origin are claims about one person's country, so a
single wrong attribution makes them wrong. They use only attributions at or above MOVE_MIN_CONFIDENCE. The
resolver states its confidences in the order of the precision each evidence pattern measured on the tuning
half of the labelled venues (docs/affiliations.md, "Confidence"): every pattern at 0.85 or above measured at
least 0.99; below it are a multi-site organisation's default country (a guess: where the guess can be
checked, the person's own site agrees with it about half the time), an e-mail country-code TLD (0.86-0.91),
a fuzzy name match (0.96), a single institution overridden by a place in the string (0.92, mostly two
institutions in one string) and one-sided site continuity (0.97). Dated OpenReview profile entries (stated
confidence 0.7, not measurable against paper labels) are the exception: see distrust_reason_sql. Work
shares still use every attribution with a country: an error there moves a fraction of one researcher-year,
not a whole career.

Kept in analysis (it reads only the store's columns) because analysis may not import resolve.
"""

from __future__ import annotations

MOVE_MIN_CONFIDENCE = 0.85


def distrust_reason_sql(country_basis: str = "site", row: str = "r") -> str:
    """Why an attribution is not trusted, first matching reason wins; NULL when it is trusted. Reads the
    columns of the affiliation row aliased `row` (method, org_id, country, confidence) and the orgs table.

    - Under the `hq` country basis a multi-site organisation's row is no guess: its country is the
      organisation's headquarters whichever site the person is at (analysis/affiliation_rows.py).
    - A dated OpenReview profile entry (method profile_*) is the person's own statement of where they worked
      that year; it cannot be measured against paper labels, and its failure mode (year granularity) shifts a
      move by a year rather than inventing one, so it is trusted, unless its organisation is multi-site and
      the country is that organisation's default (the resolver's guess again, under another method)."""
    hq = (
        f"when {row}.method in ('default', 'site_continuity') and {row}.org_id is not null then null"
        if country_basis == "hq"
        else ""
    )
    return f"""case
    when {row}.confidence >= {MOVE_MIN_CONFIDENCE} then null {hq}
    when {row}.method = 'default' then 'multi_site_default'
    when {row}.method like 'profile_%' and exists (
        select 1 from orgs o where o.org_id = {row}.org_id and o.country is null
                              and o.default_country = {row}.country) then 'multi_site_default'
    when {row}.method like 'profile_%' then null
    when {row}.method = 'domain' and {row}.org_id is null then 'tld_guess'
    else 'low_confidence' end"""


DROP_REASONS = ("multi_site_default", "tld_guess", "low_confidence", "other")
