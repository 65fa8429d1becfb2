"""`splitscope openalex fetch`: the library call behind the command (query, budget, fetch, load).

Loading goes through the snapshot reader (`openalex_snapshot.ingest_snapshot`) once a fetch is complete:
the API path writes the snapshot layout so that one flatten serves both paths.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from splitscope.config import Settings
from splitscope.errors import UnusableInputError
from splitscope.sources.openalex import (
    DEFAULT_REQUESTS_PER_SECOND,
    WorksQuery,
    fetch_openalex,
    make_client,
)
from splitscope.sources.openalex_snapshot import WorkFilter, ingest_snapshot
from splitscope.store import connect


def parse_query(source: str | None, concept: str | None, topic: str | None, years: str) -> WorksQuery:
    given = [(kind, ids) for kind, ids in (("source", source), ("concept", concept), ("topic", topic)) if ids]
    if len(given) != 1:
        raise UnusableInputError("give exactly one of --source S…, --concept C… or --topic T…")
    return WorksQuery.parse(given[0][0], given[0][1], years)


def response_cache(settings: Settings) -> Path:
    return settings.source_cache("openalex") / "responses"


def default_out_dir(settings: Settings, query: WorksQuery) -> Path:
    return settings.source_cache("openalex") / "snapshots" / query.slug


def fetch_and_ingest(
    settings: Settings,
    query: WorksQuery,
    out: Path | None = None,
    max_requests: int | None = None,
    dry_run: bool = False,
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
    report: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Fetch (or only estimate) and, when the fetch is complete, load it into the store. The summary's
    `fetch.complete` is False when the run stopped early (cap, spent budget): run it again to resume."""
    out_dir = out or default_out_dir(settings, query)
    client = make_client(response_cache(settings), settings.mirror_dir, requests_per_second, max_requests)
    try:
        result = fetch_openalex(client, query, out_dir, dry_run=dry_run, report=report)
    finally:
        client.close()
    summary: dict[str, Any] = {"fetch": result.to_dict(), "ingest": None}
    if not result.complete:
        return summary
    con = connect(settings.db_path)
    try:
        # The API already applied the query's filter: load everything that was fetched.
        # Then affiliations are resolved and persons linked, as after `openalex ingest-snapshot`.
        loaded = ingest_snapshot(con, out_dir, WorkFilter(), source_id=query.source_id, post_ingest=True)
    finally:
        con.close()
    summary["ingest"] = _as_dict(loaded)
    return summary


def _as_dict(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value
