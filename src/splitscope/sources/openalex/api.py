"""OpenAlex API: the works of a query (query.py: a source, concept or topic over a year range) and their
authors.

Plain httpx through PoliteClient rather than pyalex: PoliteClient already gives the rate limit, retries
with backoff and Retry-After, the response cache that is the resume checkpoint and the mirror of recorded
responses, all tested; pyalex would bring a second retry/paging layer (urllib3) with none of the cache,
mirror or budget checks. What we ask of the API is two list endpoints with cursor paging.

Fetched records are written in the snapshot layout (snapshot_writer.py) so one flatten serves both paths.
The API key (OPENALEX_API_KEY, required since 13 Feb 2026) goes on the wire only, never to disk.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from splitscope.sources.http import RETRYABLE_STATUS, FetchError, PoliteClient, StoppedEarly
from splitscope.sources.openalex.budget import FetchPlan, check_openalex_response
from splitscope.sources.openalex.ids import short_id
from splitscope.sources.openalex.query import WorksQuery
from splitscope.sources.openalex.snapshot_writer import SnapshotWriter, publish_snapshot

API_BASE = "https://api.openalex.org"
# The developer docs (2026) give per_page 1-100; older docs said 1-200. 100 is valid under both, and a
# server that silently capped a larger value would make every estimate wrong.
WORKS_PER_PAGE = 100
AUTHOR_BATCH_SIZE = 100  # ids OR-ed in one `openalex:` filter; 100 is the documented cap
DEFAULT_REQUESTS_PER_SECOND = 10.0  # the API allows 100/s; a tenth of that is polite
# Distinct authors per work before any works are held, for the first estimate only: papercopilot's
# lists for NeurIPS/ICML/ICLR/CVPR 2018-2024 give 1.2-2.1 distinct author names per paper; 2.0, rounded
# towards the larger venues. The estimate becomes exact once the works pages are held.
AUTHORS_PER_WORK_PRIOR = 2.0

AUTHOR_FIELDS = "id,orcid,display_name,affiliations,last_known_institutions,updated_date"


def make_client(
    cache_dir: Path | None,
    mirror_dir: Path | None,
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
    max_requests: int | None = None,
    base_url: str = API_BASE,
    **kwargs: Any,
) -> PoliteClient:
    """The key is read here and lives only in this client's wire parameters. Without one, a fetch the
    cache or mirror can answer still runs; the first request that needs the network fails in one line."""
    key = os.environ.get("OPENALEX_API_KEY", "").strip()
    refusal = None
    if not key:
        refusal = (
            "OPENALEX_API_KEY is not set: the OpenAlex API needs a key since February 2026 (free at "
            "openalex.org/settings/api), or give --mirror DIR with recorded responses"
        )
    return PoliteClient(
        base_url,
        cache_dir=cache_dir,
        mirror_dir=mirror_dir,
        min_interval=1.0 / requests_per_second if requests_per_second > 0 else 0.0,
        headers={"Accept": "application/json", "User-Agent": "splitscope (research; polite)"},
        secret_params={"api_key": key} if key else {},
        keyed_by_path=True,
        retryable_status=frozenset(RETRYABLE_STATUS | {403}),
        check_response=check_openalex_response,
        max_network_requests=max_requests,
        network_refusal=refusal,
        **kwargs,
    )


def _page(body: Any, what: str) -> tuple[list[Any], dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise FetchError(f"OpenAlex {what}: the response has no 'results' list")
    meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
    return body["results"], meta


def count_works(client: PoliteClient, query: WorksQuery) -> int:
    """One cheap request (per-page=1, id only): meta.count. Cached like any page, so resuming is free."""
    body = client.get_json("/works", {"filter": query.filter, "select": "id", "per-page": 1})
    count = _page(body, f"count of {query.slug}")[1].get("count")
    if not isinstance(count, int):
        raise FetchError(f"OpenAlex count of {query.slug}: meta.count is missing")
    return count


def works_pages_needed(count: int, per_page: int) -> int:
    # Cursor paging ends on a short page, or on an empty one after a full last page.
    return 0 if count == 0 else count // per_page + 1


def _works_params(query: WorksQuery, per_page: int, cursor: str) -> dict[str, Any]:
    return {"filter": query.filter, "select": query.select, "per-page": per_page, "cursor": cursor}


def iter_works_pages(
    client: PoliteClient, query: WorksQuery, per_page: int, held_only: bool = False
) -> Iterator[list[Any]]:
    """Pages of works, following meta.next_cursor. `held_only` walks the cache/mirror and stops at the
    first page not held (the next cursor is only known from the page before, so held pages form a
    prefix of the chain)."""
    cursor: str | None = "*"
    index = 0
    while cursor:
        params = _works_params(query, per_page, cursor)
        body = client.held_json("/works", params) if held_only else client.get_json("/works", params)
        if body is None:
            return
        results, meta = _page(body, f"works of {query.slug}, page {index + 1}")
        yield results
        page_size = meta.get("per_page") if isinstance(meta.get("per_page"), int) else per_page
        if not results or len(results) < page_size:
            return
        cursor = meta.get("next_cursor")
        index += 1


def author_ids(work: dict[str, Any]) -> list[str]:
    ids = []
    for authorship in work.get("authorships") or []:
        author = authorship.get("author") if isinstance(authorship, dict) else None
        if isinstance(author, dict) and isinstance(author.get("id"), str) and author["id"]:
            ids.append(short_id(author["id"]))
    return ids


def author_batches(ids: set[str], size: int | None = None) -> list[list[str]]:
    """Sorted, fixed batches: the same author set always asks the same requests (cache keys)."""
    size = size or AUTHOR_BATCH_SIZE
    ordered = sorted(ids)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


def _authors_params(batch: list[str]) -> dict[str, Any]:
    return {"filter": f"openalex:{'|'.join(batch)}", "select": AUTHOR_FIELDS, "per-page": len(batch)}


def fetch_author_batch(client: PoliteClient, batch: list[str]) -> list[Any]:
    return _page(client.get_json("/authors", _authors_params(batch)), f"authors {batch[0]}…")[0]


def estimate(
    client: PoliteClient, query: WorksQuery, per_page: int | None = None, with_authors: bool = True
) -> FetchPlan:
    per_page = per_page or WORKS_PER_PAGE
    before = client.stats.network_requests
    count = count_works(client, query)
    pages = works_pages_needed(count, per_page)
    held_pages = 0
    ids: set[str] = set()
    for results in iter_works_pages(client, query, per_page, held_only=True):
        held_pages += 1
        for work in results:
            if isinstance(work, dict):
                ids.update(author_ids(work))
    exact = held_pages >= pages
    if not with_authors:  # a gap fill reads affiliations from the works: no author requests
        authors, author_pages, held_batches, exact = 0, 0, 0, True
    elif exact:
        batches = author_batches(ids)
        held_batches = sum(client.held_json("/authors", _authors_params(b)) is not None for b in batches)
        authors, author_pages = len(ids), len(batches)
    else:
        authors = round(count * AUTHORS_PER_WORK_PRIOR)
        author_pages, held_batches = -(-authors // AUTHOR_BATCH_SIZE), 0
    return FetchPlan(
        count,
        pages,
        min(held_pages, pages),
        authors,
        author_pages,
        held_batches,
        exact,
        client.stats.network_requests - before,
    )


@dataclass
class FetchResult:
    query: WorksQuery
    out_dir: Path
    complete: bool
    plan: FetchPlan
    works_written: int = 0
    duplicate_works: int = 0
    authors_requested: int = 0
    authors_written: int = 0
    stop_reason: str | None = None
    requests_made: int = 0  # successful network fetches (what the budget pays for)
    network_attempts: int = 0  # every HTTP attempt, retries included

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query.slug,
            "source_id": self.query.source_id,
            "filter": self.query.filter,
            "out_dir": str(self.out_dir),
            "complete": self.complete,
            "stop_reason": self.stop_reason,
            "works": self.plan.works,
            "works_written": self.works_written,
            "duplicate_works": self.duplicate_works,
            "authors_requested": self.authors_requested,
            "authors_written": self.authors_written,
            "requests_made": self.requests_made,
            "network_attempts": self.network_attempts,
            "plan": {**vars(self.plan), "requests_to_spend": self.plan.requests_to_spend},
        }


def fetch_openalex(
    client: PoliteClient,
    query: WorksQuery,
    out_dir: Path,
    per_page: int | None = None,
    dry_run: bool = False,
    report: Callable[[str], None] | None = None,
    on_page: Callable[[str, int], None] | None = None,
    part_records: int | None = None,
    today: date | None = None,
    with_authors: bool = True,
) -> FetchResult:
    """Estimate, then fetch works and (unless `with_authors` is False) their authors into `out_dir` in
    the snapshot layout. Stops cleanly (complete=False, nothing published) on a spent budget or the
    request cap; the cache resumes it."""
    per_page = per_page or WORKS_PER_PAGE
    say = report or (lambda _message: None)
    rate = 1.0 / client.min_interval if client.min_interval > 0 else float("inf")
    plan = estimate(client, query, per_page, with_authors)
    result = FetchResult(query, out_dir, complete=False, plan=plan)
    say(f"openalex {query.slug}: {plan.describe(rate)}")
    cap = client.max_network_requests
    if cap is not None and plan.requests_to_spend > cap - client.stats.network_requests:
        say(f"openalex {query.slug}: more than this run's cap of {cap} requests: it will stop, resumable")
    if dry_run:
        return _finish(client, result, stop_reason="dry run: nothing fetched beyond the count")
    staging = out_dir.parent / f".{out_dir.name}.partial"
    updated = (today or date.today()).isoformat()
    works = SnapshotWriter(staging, "works", updated, part_records)
    authors = SnapshotWriter(staging, "authors", updated, part_records)
    try:
        ids: set[str] = set()
        for index, results in enumerate(iter_works_pages(client, query, per_page) if plan.works else ()):
            for work in results:
                if isinstance(work, dict) and works.add(work, work.get("id")):
                    ids.update(author_ids(work))
            if on_page:
                on_page("works", index)
        batches = author_batches(ids) if with_authors else []
        held = sum(client.held_json("/authors", _authors_params(b)) is not None for b in batches)
        if with_authors:
            say(
                f"openalex {query.slug}: {len(ids):,} authors → {len(batches):,} author pages ({held:,} held)"
            )
        for index, batch in enumerate(batches):
            for author in fetch_author_batch(client, batch):
                if isinstance(author, dict):
                    authors.add(author, author.get("id"))
            if on_page:
                on_page("authors", index)
    except StoppedEarly as stop:
        _discard(staging, works, authors)
        return _finish(client, result, stop_reason=str(stop))
    except BaseException:
        _discard(staging, works, authors)
        raise
    works.close()
    authors.close()
    result.works_written, result.duplicate_works = works.records, works.duplicates
    result.authors_requested = len(ids) if with_authors else 0
    result.authors_written = authors.records
    result.complete = True
    provenance = {"fetched": updated, "api": client.base_url, **result.to_dict()}
    publish_snapshot(staging, out_dir, {k: v for k, v in provenance.items() if k != "out_dir"})
    return _finish(client, result, stop_reason=None)


def _discard(staging: Path, *writers: SnapshotWriter) -> None:
    for writer in writers:
        writer.abandon()
    shutil.rmtree(staging, ignore_errors=True)


def _finish(client: PoliteClient, result: FetchResult, stop_reason: str | None) -> FetchResult:
    result.stop_reason = stop_reason
    result.requests_made = sum(client.stats.by_key.values())
    result.network_attempts = client.stats.network_requests
    return result
