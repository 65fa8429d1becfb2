"""Downloads into a local cache with the mirror layout, so build() reads cache and mirror alike.

Atomic: a download goes to a temporary file in the same directory and is renamed into place only when
complete, with its sha256 in a `.sha256` file beside it. A file already in the cache is not fetched
again (resumable: an interrupted run restarts where it stopped). Retries with backoff on network
errors and 5xx; a 404 means the venue-year does not exist upstream and is skipped.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import httpx
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

from splitscope.errors import UnusableInputError
from splitscope.selection import Selection

UPSTREAM = "https://raw.githubusercontent.com/papercopilot/paperlists/main"


def paperlist_url(venue: str, year: int) -> str:
    return f"{UPSTREAM}/{venue}/{venue}{year}.json"


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    return isinstance(exc, httpx.TransportError)


@retry(
    retry=retry_if_exception(_is_transient),
    stop=stop_after_attempt(4),
    wait=wait_exponential(multiplier=0.5, max=8),
    reraise=True,
)
def _download(client: httpx.Client, url: str, target: Path) -> str | None:
    """Stream `url` into `target` atomically; the sha256 of the bytes, or None on 404."""
    with client.stream("GET", url) as response:
        if response.status_code == 404:
            return None
        response.raise_for_status()
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in response.iter_bytes():
                    digest.update(chunk)
                    out.write(chunk)
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    sha256 = digest.hexdigest()
    _write_atomic(target.with_name(target.name + ".sha256"), sha256 + "\n")
    return sha256


def _write_atomic(path: Path, content: str) -> None:
    temp = path.with_name(f".{path.name}.part")
    temp.write_text(content, encoding="utf-8")
    os.replace(temp, path)


def is_cached(target: Path) -> bool:
    """Complete downloads only: the sha256 sidecar is written after the rename."""
    return target.exists() and target.with_name(target.name + ".sha256").exists()


def fetch_paperlists(selection: Selection, cache_dir: Path, client: httpx.Client | None = None) -> Path:
    """Download the selected paper lists into `<cache_dir>/paperlists/<venue>/<venue><year>.json`."""
    if selection.venues is None or selection.years is None:
        raise UnusableInputError(
            "no paper-list mirror: give --mirror DIR (or SPLITSCOPE_MIRROR), or name --venues and --years "
            "to download them from papercopilot/paperlists"
        )
    mirror = cache_dir / "paperlists"
    own_client = client is None
    client = client or httpx.Client(timeout=60, follow_redirects=True)
    try:
        for venue in selection.venues:
            for year in range(selection.years[0], selection.years[1] + 1):
                target = mirror / venue / f"{venue}{year}.json"
                if is_cached(target):
                    continue
                try:
                    _download(client, paperlist_url(venue, year), target)
                except httpx.HTTPError as exc:
                    raise UnusableInputError(
                        f"{paperlist_url(venue, year)}: download failed ({exc})"
                    ) from None
    finally:
        if own_client:
            client.close()
    mirror.mkdir(parents=True, exist_ok=True)
    return mirror
