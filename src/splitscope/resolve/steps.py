"""The steps `splitscope build` runs after ingestion (and `openreview fetch` after loading), in order.

1. resolve_affiliations: every distinct affiliation string / e-mail domain → organisation and country.
2. resolve_profile_institutions: the same resolver on OpenReview profile history entries.
3. profile_career_evidence: dated profile entries for authorships whose paper prints no affiliation.
4. link_persons: authorships → persons.
5. education_origin: country of the first bachelor-level degree, per linked person.
"""

from __future__ import annotations

from functools import lru_cache

import duckdb

from splitscope.config import shared_data_dir
from splitscope.resolve.affiliation_store import resolve_affiliations as _resolve_affiliations
from splitscope.resolve.affiliations import AffiliationResolver, default_resolver
from splitscope.resolve.education_origin import compute_education_origin
from splitscope.resolve.profile_history import HistoryAnswer, apply_profile_evidence, resolve_profile_history


@lru_cache(maxsize=4)
def _resolver_for(shared: str | None) -> AffiliationResolver:
    from pathlib import Path

    return default_resolver(Path(shared) if shared else None)


def shared_resolver() -> AffiliationResolver:
    shared = shared_data_dir()
    return _resolver_for(str(shared) if shared else None)


def resolve_affiliations(con: duckdb.DuckDBPyConnection) -> None:
    _resolve_affiliations(con, shared_resolver())


def resolve_profile_institutions(con: duckdb.DuckDBPyConnection) -> None:
    resolver = shared_resolver()

    def answer(name: str | None, domain: str | None) -> HistoryAnswer:
        r = resolver.resolve(name or "", domain or "")
        return HistoryAnswer(r.org_id, r.country, r.sector, r.method)

    resolve_profile_history(con, answer)


def profile_career_evidence(con: duckdb.DuckDBPyConnection) -> None:
    apply_profile_evidence(con)


def link_persons(con: duckdb.DuckDBPyConnection) -> None:
    from splitscope.resolve.persons import link_persons as _link_persons

    _link_persons(con)


def education_origin(con: duckdb.DuckDBPyConnection) -> None:
    compute_education_origin(con)


STANDARD_STEPS = (
    resolve_affiliations,
    resolve_profile_institutions,
    profile_career_evidence,
    link_persons,
    education_origin,
)
