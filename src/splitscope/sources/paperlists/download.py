"""Paper lists downloaded from papercopilot/paperlists into a local cache with the mirror layout, so
build() reads cache and mirror alike.

Through the one HTTP client (sources/http.py): retries with backoff on network errors, 429 and 5xx, an
atomic download (a temporary file renamed into place when complete) and its sha256 in a `.sha256` file
beside it. A file already in the cache is not fetched again (resumable: an interrupted run restarts where
it stopped); a 404 means the venue-year does not exist upstream and is skipped.
"""

from __future__ import annotations

from pathlib import Path

from splitscope.errors import UnusableInputError
from splitscope.selection import Selection
from splitscope.sources.http import FetchError, PoliteClient

UPSTREAM = "https://raw.githubusercontent.com/papercopilot/paperlists/main"
# Every 5xx and 429 is worth another try on a file host; backoff 0.5, 1, 2 s (capped at 8) over four
# attempts, as before the client was shared.
DOWNLOAD_RETRYABLE = frozenset({429, *range(500, 600)})


def paperlist_path(venue: str, year: int) -> str:
    return f"/{venue}/{venue}{year}.json"


def paperlist_url(venue: str, year: int) -> str:
    return UPSTREAM + paperlist_path(venue, year)


def download_client(**overrides: object) -> PoliteClient:
    """No rate limit (a static file host) and no response cache: the downloads are the cache."""
    options: dict[str, object] = {
        "min_interval": 0.0,
        "max_retries": 3,
        "backoff_base": 0.5,
        "backoff_cap": 8.0,
        "timeout": 60.0,
        "retryable_status": DOWNLOAD_RETRYABLE,
    }
    options.update(overrides)
    return PoliteClient(UPSTREAM, **options)  # type: ignore[arg-type]


def is_cached(target: Path) -> bool:
    """Complete downloads only: the sha256 sidecar is written after the rename."""
    return target.exists() and target.with_name(target.name + ".sha256").exists()


def fetch_paperlists(selection: Selection, cache_dir: Path, client: PoliteClient | None = None) -> Path:
    """Download the selected paper lists into `<cache_dir>/paperlists/<venue>/<venue><year>.json`."""
    if selection.venues is None or selection.years is None:
        raise UnusableInputError(
            "no paper-list mirror: give --mirror DIR (or SPLITSCOPE_MIRROR), or name --venues and --years "
            "to download them from papercopilot/paperlists"
        )
    mirror = cache_dir / "paperlists"
    own_client = client is None
    client = client or download_client()
    try:
        for venue in selection.venues:
            for year in range(selection.years[0], selection.years[1] + 1):
                target = mirror / venue / f"{venue}{year}.json"
                if is_cached(target):
                    continue
                try:
                    client.download(paperlist_path(venue, year), target)
                except FetchError as exc:
                    detail = exc.__cause__ or exc  # the network's own words when it broke
                    raise UnusableInputError(
                        f"{paperlist_url(venue, year)}: download failed ({detail})"
                    ) from None
    finally:
        if own_client:
            client.close()
    mirror.mkdir(parents=True, exist_ok=True)
    return mirror
