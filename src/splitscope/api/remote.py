"""openreview fetch, openalex fetch and ingest-snapshot: sources that come from outside the bundle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from splitscope.api.results import Document
from splitscope.config import Settings
from splitscope.errors import CheckFailedError, SplitscopeError, UnusableInputError
from splitscope.pipeline.openalex import check_venue_map, fetch_and_ingest, run_ingest_snapshot
from splitscope.pipeline.openalex_fill import FillRun, FillTarget, fill_gaps
from splitscope.pipeline.openreview import fetch_venue_into_store
from splitscope.sources.http import StoppedEarly
from splitscope.sources.openalex.api import DEFAULT_REQUESTS_PER_SECOND
from splitscope.sources.openalex.load import IngestSummary
from splitscope.sources.openalex.query import WorksQuery, parse_query


def openreview_fetch(
    settings: Settings, venue_id: str, interval: float = 3.0, progress: bool = True
) -> Document:
    """`splitscope openreview fetch`: a venue's accepted papers and its authors' profiles, then resolution,
    linkage and the education-based origin."""
    return Document(fetch_venue_into_store(settings, venue_id, interval, show_progress=progress))


def openalex_ingest_snapshot(
    settings: Settings,
    snapshot_dir: Path,
    filters: list[str],
    engine: str = "duckdb",
    spark_master: str | None = None,
    out: Path | None = None,
    progress: bool = True,
) -> IngestSummary:
    """`splitscope openalex ingest-snapshot`: flatten a snapshot, load it, resolve, link."""
    return run_ingest_snapshot(settings, snapshot_dir, filters, engine, spark_master, out, progress)


def works_query(source: str | None, concept: str | None, topic: str | None, years: str) -> WorksQuery:
    """The one query `openalex fetch` runs: exactly one of a source, concept or topic id list, and years."""
    return parse_query(source, concept, topic, years)


@dataclass(frozen=True)
class OpenAlexFetchOptions:
    out: Path | None = None  # snapshot-layout output (default <cache>/openalex/snapshots/<query>)
    max_requests: int | None = None  # stop (resumable) after this many network requests
    dry_run: bool = False  # only estimate what a fetch would spend
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND


@dataclass
class FetchResult:
    summary: dict[str, Any]
    problem: SplitscopeError | None = None  # stopped early (cap, budget): the same call resumes

    def to_dict(self) -> dict[str, Any]:
        return self.summary


def openalex_fetch(
    settings: Settings,
    query: WorksQuery,
    options: OpenAlexFetchOptions = OpenAlexFetchOptions(),
    say: Callable[[str], None] | None = None,
) -> FetchResult:
    """`splitscope openalex fetch`: works and their authors from the OpenAlex API into the snapshot layout,
    then loaded like a snapshot. Needs OPENALEX_API_KEY unless the mirror serves every request."""
    summary = fetch_and_ingest(
        settings,
        query,
        options.out,
        options.max_requests,
        options.dry_run,
        options.requests_per_second,
        say,
    )
    fetched = summary["fetch"]
    stopped = not fetched["complete"] and not options.dry_run
    return FetchResult(summary, StoppedEarly(fetched["stop_reason"]) if stopped else None)


@dataclass
class FillResult:
    run: FillRun
    problem: SplitscopeError | None = None  # a fetch stopped early: the same command resumes

    def to_dict(self) -> dict[str, Any]:
        return self.run.to_dict()


def openalex_fill(
    settings: Settings,
    targets: list[str],
    max_requests: int | None = None,
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
    say: Callable[[str], None] | None = None,
) -> FillResult:
    """`splitscope openalex fill`: fetch each venue-year's OpenAlex works (works only), match them to the
    paper list's papers, attach their affiliations to the papers' authorships (source kind
    openalex_fill), list what did not match, then resolve and link. Needs OPENALEX_API_KEY unless the
    mirror or the cache serves every request. Targets are VENUE[:YEARS] (no years: the venue's gaps)."""
    if not targets:
        raise UnusableInputError(
            "give at least one VENUE[:YEARS], e.g. nips:2019-2020 (see `splitscope gaps`)"
        )
    parsed = [FillTarget.parse(text) for text in targets]
    run = fill_gaps(settings, parsed, max_requests, requests_per_second, say)
    return FillResult(run, StoppedEarly(run.stop_reason) if run.stop_reason else None)


@dataclass
class VenuesResult:
    entries: list[dict[str, Any]]
    checked: bool
    problem: SplitscopeError | None = None  # a live check disagreed with the map

    def to_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "sources": self.entries}


def openalex_venues(
    settings: Settings,
    check: bool = False,
    venue: str | None = None,
    rate: float = DEFAULT_REQUESTS_PER_SECOND,
) -> VenuesResult:
    """`splitscope openalex venues`: the venue map (every OpenAlex source id per venue, where it came
    from, when it was checked); with `check`, each id's source record and works per year from the API."""
    entries = check_venue_map(settings, check, venue, rate)
    failed = [e for e in entries if check and not e["agrees"]]
    problem = None
    if failed:
        problem = CheckFailedError(
            f"{len(failed)} of {len(entries)} source ids disagree with the venue map: "
            + "; ".join(f"{e['venue']} {e['source_id']}: {e['problem']}" for e in failed)
        )
    return VenuesResult(entries, check, problem)
