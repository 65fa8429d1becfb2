"""resolve, orgs, person, eval: the resolver, the registry and the linker, one question at a time."""

from __future__ import annotations

from pathlib import Path

from splitscope.api.results import Document
from splitscope.api.store import resolver_for
from splitscope.config import Settings
from splitscope.orgs.lookup import find_orgs
from splitscope.orgs.ror import import_ror
from splitscope.pipeline.labelled import evaluate_affiliations, evaluate_persons
from splitscope.resolve.persons.lookup import person_report
from splitscope.store import open_store


def resolve_affiliation(settings: Settings, text: str, email_domain: str = "") -> Document:
    """`splitscope resolve`: one affiliation string → organisation, country, sector, method, evidence."""
    return Document(resolver_for(settings).resolve(text, email_domain))


def orgs_show(settings: Settings, name: str) -> Document:
    """`splitscope orgs show`: registry entries with this id, else with this name or alias."""
    return Document(find_orgs(resolver_for(settings).registry, name))


def orgs_import_ror(settings: Settings, dump: Path, out: Path | None = None) -> Document:
    """`splitscope orgs import-ror`: a ROR v2 dump → a registry file resolution loads (default
    <cache>/orgs/ror.yaml, where every later command looks for it)."""
    return Document(import_ror(dump, out or settings.ror_registry_file))


def eval_affiliations(settings: Settings, paths: list[Path]) -> Document:
    """`splitscope eval affiliations`: country precision and coverage against Paper Copilot's labels."""
    return Document(evaluate_affiliations(paths, resolver_for(settings)))


def eval_persons(settings: Settings, paths: list[Path]) -> Document:
    """`splitscope eval persons`: the linker with OpenReview ids hidden, against the ids and name matching."""
    return Document(evaluate_persons(paths, settings.shared_dir, resolver_for(settings)))


def person(settings: Settings, query: str) -> Document:
    """`splitscope person`: a researcher's papers by year, with organisation, country and link evidence."""
    con = open_store(settings.db_path)
    try:
        return Document(person_report(con, query))
    finally:
        con.close()
