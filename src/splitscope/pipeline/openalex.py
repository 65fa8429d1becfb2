"""`splitscope openalex ingest-snapshot` and `splitscope openalex fetch`: choose the flatten engine, open
the store, flatten and load (sources/openalex/), then run the post-ingest steps (resolution, linkage).

The API path writes the snapshot layout, so once a fetch is complete the snapshot reader loads it: one
flatten serves both paths.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from splitscope.config import Settings
from splitscope.engines import engine_named
from splitscope.resolve.affiliations.resolver import AffiliationResolver, default_resolver
from splitscope.resolve.steps import run_post_ingest_steps
from splitscope.sources.openalex.api import DEFAULT_REQUESTS_PER_SECOND, fetch_openalex, make_client
from splitscope.sources.openalex.flatten_sql import Progress
from splitscope.sources.openalex.layout import read_snapshot
from splitscope.sources.openalex.load import IngestSummary, flatten_and_load
from splitscope.sources.openalex.query import WorkFilter, WorksQuery
from splitscope.sources.openalex.venue_check import check_source
from splitscope.sources.openalex.venues import venue_map
from splitscope.store import connect


def ingest_snapshot(
    con: duckdb.DuckDBPyConnection,
    snapshot_dir: Path,
    work_filter: WorkFilter,
    engine: str = "duckdb",
    source_id: str | None = None,
    *,
    out_dir: Path | None = None,
    spark_master: str | None = None,
    progress: Progress | None = None,
    resolver: AffiliationResolver | None = None,
) -> IngestSummary:
    """Flatten the snapshot on the named engine (into `out_dir`, kept, or a temporary folder) and load
    it. Given a `resolver`, run the build's resolution and linkage steps afterwards (the CLI does)."""
    flattener = engine_named(engine, spark_master=spark_master)
    summary = flatten_and_load(
        con, snapshot_dir, work_filter, flattener, source_id, out_dir=out_dir, progress=progress
    )
    if resolver is not None:
        summary.post_ingest_steps = run_post_ingest_steps(con, resolver)
    return summary


def run_ingest_snapshot(
    settings: Settings,
    snapshot_dir: Path,
    filters: list[str],
    engine: str = "duckdb",
    spark_master: str | None = None,
    out_dir: Path | None = None,
    show_progress: bool = True,
    post_ingest: bool = True,
) -> IngestSummary:
    """The library side of `splitscope openalex ingest-snapshot`: parse the filters, check the engine
    and the snapshot before opening the store (a typo in DIR must not create an empty store), ingest
    with a progress bar."""
    from rich.progress import BarColumn, DownloadColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as ProgressBar

    work_filter = WorkFilter.parse(filters)
    engine_named(engine)  # an unknown engine name fails here, before anything is read
    total = read_snapshot(snapshot_dir).gz_bytes
    bar = ProgressBar(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        disable=not show_progress,
    )
    con = connect(settings.db_path)
    try:
        with bar:
            task = bar.add_task(f"flatten ({engine})", total=total)
            return ingest_snapshot(
                con,
                snapshot_dir,
                work_filter,
                engine,
                out_dir=out_dir,
                spark_master=spark_master,
                progress=lambda done: bar.advance(task, done),
                resolver=default_resolver(settings.shared_dir, settings.ror_registry_file)
                if post_ingest
                else None,
            )
    finally:
        con.close()


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
        resolver = default_resolver(settings.shared_dir, settings.ror_registry_file)
        loaded = ingest_snapshot(con, out_dir, WorkFilter(), source_id=query.source_id, resolver=resolver)
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


def check_venue_map(
    settings: Settings,
    live: bool,
    venue: str | None = None,
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
) -> list[dict[str, Any]]:
    """The venue map's entries (of one venue, or all), checked against the API when `live`."""
    entries = [e for e in venue_map() if venue is None or e.venue == venue]
    if not live:
        return [e.to_dict() for e in entries]
    client = make_client(response_cache(settings), settings.mirror_dir, requests_per_second)
    try:
        return [check_source(client, entry).to_dict() for entry in entries]
    finally:
        client.close()
