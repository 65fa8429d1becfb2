"""The steps `splitscope build` runs after ingestion (and `openreview fetch` after loading), in order.

1. resolve_affiliations: every distinct affiliation string / e-mail domain → organisation and country;
   source_agreement: where the two scrapes of one paper disagree about the country, the year cannot carry a
   career claim (resolve/affiliations/agreement.py).
2. resolve_profile_institutions: the same resolver on OpenReview profile history entries.
3. profile_career_evidence: dated profile entries for authorships whose paper prints no affiliation.
4. link_persons: authorships → persons.
5. site_continuity: a multi-site organisation printed without a site takes the same person's site of it in
   the nearest years, when their papers give one (needs persons; resolve/sites.py).
6. education_origin: country of the first bachelor-level degree, per linked person.

Each step takes what it reads as arguments (the store, the resolver): nothing comes from a global.
"""

from __future__ import annotations

import duckdb

from splitscope.resolve.affiliations.agreement import mark_source_disagreements
from splitscope.resolve.affiliations.resolver import AffiliationResolver
from splitscope.resolve.affiliations.step import resolve_affiliations
from splitscope.resolve.persons.step import LinkStats, link_persons
from splitscope.resolve.profiles.education_origin import compute_education_origin
from splitscope.resolve.profiles.history import HistoryAnswer, apply_profile_evidence, resolve_profile_history
from splitscope.resolve.sites import apply_site_continuity
from splitscope.store.state import write_state


def resolve_profile_institutions(con: duckdb.DuckDBPyConnection, resolver: AffiliationResolver) -> None:
    def answer(name: str | None, domain: str | None) -> HistoryAnswer:
        r = resolver.resolve(name or "", domain or "")
        return HistoryAnswer(r.org_id, r.country, r.sector, r.method)

    resolve_profile_history(con, answer)


def link_and_record(con: duckdb.DuckDBPyConnection) -> LinkStats:
    """Link persons and remember how the current persons were made (a link that changed nothing keeps
    what the last one said), so `status` can say whether they differ from a clean build's by design."""
    stats = link_persons(con)
    if stats.mode in ("full", "incremental"):
        write_state(con, "persons_link", stats.mode)
    return stats


def run_post_ingest_steps(con: duckdb.DuckDBPyConnection, resolver: AffiliationResolver) -> list[str]:
    """Resolution, linkage and what derives from them, in order; each is idempotent. Returns their names."""
    steps = (
        ("resolve_affiliations", lambda: resolve_affiliations(con, resolver)),
        ("source_agreement", lambda: mark_source_disagreements(con, resolver)),
        ("resolve_profile_institutions", lambda: resolve_profile_institutions(con, resolver)),
        ("profile_career_evidence", lambda: apply_profile_evidence(con)),
        ("link_persons", lambda: link_and_record(con)),
        ("site_continuity", lambda: apply_site_continuity(con)),
        ("education_origin", lambda: compute_education_origin(con)),
    )
    for _name, step in steps:
        step()
    return [name for name, _ in steps]
