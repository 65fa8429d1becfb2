"""OpenReview API v2: a venue's accepted papers (notes) and their authors' profiles, fetched page by page.

Fetching goes through PoliteClient (rate limit, retries, Retry-After, cache = resume checkpoint, mirror).
Anonymous by default; OPENREVIEW_TOKEN, when set, is sent as a bearer token and written nowhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from splitscope.errors import UnusableInputError
from splitscope.sources.http import PoliteClient

API_BASE = "https://api2.openreview.net"
NOTES_PAGE_SIZE = 1000  # the API's maximum page size
PROFILE_BATCH_SIZE = 100  # small batches: a failed batch costs little to retry


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fetch_accepted_notes(
    client: PoliteClient,
    venue_id: str,
    page_size: int | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> list[Any]:
    """Every note whose content.venueid is the venue id (accepted papers), page by page."""
    page_size = page_size or NOTES_PAGE_SIZE
    notes: list[Any] = []
    offset = 0
    while True:
        page = client.get_json("/notes", {"content.venueid": venue_id, "limit": page_size, "offset": offset})
        batch = page.get("notes") if isinstance(page, dict) else None
        if not isinstance(batch, list):
            raise UnusableInputError(f"OpenReview /notes for {venue_id} at offset {offset}: no 'notes' list")
        notes.extend(batch)
        total = page.get("count", len(notes))
        if on_page:
            on_page(len(notes), total)
        if len(batch) < page_size or len(notes) >= total:
            return notes
        offset += page_size


def fetch_profiles(
    client: PoliteClient,
    profile_ids: Iterable[str],
    batch_size: int | None = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> list[Any]:
    batch_size = batch_size or PROFILE_BATCH_SIZE
    ids = sorted(set(profile_ids))
    profiles: list[Any] = []
    for done, batch in enumerate(_batches(ids, batch_size), start=1):
        page = client.post_json("/profiles/search", {"ids": batch})
        found = page.get("profiles") if isinstance(page, dict) else None
        if not isinstance(found, list):
            raise UnusableInputError(f"OpenReview /profiles/search batch {done}: no 'profiles' list")
        profiles.extend(found)
        if on_batch:
            on_batch(min(done * batch_size, len(ids)), len(ids))
    return profiles


def make_client(
    cache_dir: Path | None, mirror_dir: Path | None, min_interval: float = 3.0, **kwargs: Any
) -> PoliteClient:
    """Anonymous unless OPENREVIEW_TOKEN is set; the token lives only in this process's headers."""
    headers = {"Accept": "application/json", "User-Agent": "splitscope (research; polite)"}
    token = os.environ.get("OPENREVIEW_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return PoliteClient(
        API_BASE,
        cache_dir=cache_dir,
        mirror_dir=mirror_dir,
        min_interval=min_interval,
        headers=headers,
        **kwargs,
    )
