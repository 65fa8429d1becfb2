"""build, status, report: the store as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from splitscope.analysis.claims import load_claims
from splitscope.config import Settings
from splitscope.errors import UnusableInputError
from splitscope.pipeline.build import BuildSummary
from splitscope.pipeline.build import build as build_store
from splitscope.report.render import ReportResult, render_report
from splitscope.resolve.affiliations.resolver import AffiliationResolver, default_resolver
from splitscope.selection import Selection
from splitscope.sources.paperlists.download import fetch_paperlists
from splitscope.store import connect, open_store
from splitscope.store.fingerprint import StoreFingerprint, store_fingerprint
from splitscope.store.state import BUILD_RUNNING, read_state
from splitscope.store.status import StoreStatus, store_status


def resolver_for(settings: Settings) -> AffiliationResolver:
    """The resolver every command uses: packaged registry, the bundle's world universities, imported ROR."""
    return default_resolver(settings.shared_dir, settings.ror_registry_file)


def paperlist_mirror(settings: Settings, selection: Selection) -> Path:
    """--mirror, else SPLITSCOPE_MIRROR, else <shared>/paperlists, else download into the cache."""
    if settings.mirror_dir is not None:
        return settings.mirror_dir
    if settings.shared_dir is not None and (settings.shared_dir / "paperlists").is_dir():
        return settings.shared_dir / "paperlists"
    return fetch_paperlists(selection, settings.cache_dir)


def build(
    settings: Settings, selection: Selection, progress: bool = True, full: bool = False
) -> BuildSummary:
    """`splitscope build`: ingest the selected paper lists, openreview-authors files and the conference CSV,
    then resolve affiliations and link persons (in full with `full`, as a clean build does). Unusable files
    end up in the summary's `problem`."""
    shared = settings.shared_dir
    if shared is not None and not shared.is_dir():
        raise UnusableInputError(f"{shared}: --shared data directory not found")
    mirror_dir = paperlist_mirror(settings, selection)
    con = connect(settings.db_path)
    try:
        return build_store(
            con, selection, mirror_dir, shared, progress=progress, resolver=resolver_for(settings)
        )
    finally:
        con.close()


@dataclass
class StatusResult:
    status: StoreStatus
    fingerprint: StoreFingerprint
    pipeline: dict[str, str | None]

    def to_dict(self) -> dict[str, Any]:
        return {**self.status.to_dict(), "pipeline": self.pipeline, "fingerprint": self.fingerprint.to_dict()}


def status(settings: Settings) -> StatusResult:
    """`splitscope status`: papers, authorships, mentions and quarantine per venue-year, with coverage;
    how the last build ended and how the persons were linked; a content fingerprint of every table, so two
    stores can be compared in one command."""
    con = open_store(settings.db_path)
    try:
        return StatusResult(store_status(con), store_fingerprint(con), pipeline_status(con))
    finally:
        con.close()


def pipeline_status(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """The last build's end and the persons' making, with what follows for a reader comparing stores."""
    build, link = read_state(con, "build"), read_state(con, "persons_link")
    if build == BUILD_RUNNING:
        note = "the last build did not complete: the next `splitscope build` finishes it and relinks persons"
    elif link == "incremental":
        note = (
            "persons were linked incrementally (new records joined persons kept whole); a clean build links "
            "all records together and can differ slightly: `splitscope build --full` relinks everything"
        )
    else:
        note = None
    return {"build": build, "persons_link": link, "note": note}


def report(
    settings: Settings, out: Path, selection: Selection, claims_file: Path | None = None
) -> ReportResult:
    """`splitscope report`: the HTML report, its data exports and the claim checks."""
    load_claims(claims_file)  # a bad claims file is reported before the store is opened
    con = open_store(settings.db_path)
    try:
        return render_report(con, out, selection, claims_file=claims_file)
    finally:
        con.close()
