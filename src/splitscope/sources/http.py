"""The one HTTP client of every source: rate limit, retries with backoff (tenacity), Retry-After, a
response cache, a mirror, and one atomic file writer. JSON APIs (OpenReview, OpenAlex) and the paper-list
download (a file streamed to disk) go through it.

The cache doubles as the resume checkpoint: every successful response is written atomically under a key
derived from (method, url, body) before the caller sees it, so a crashed fetch restarts where it stopped
and never asks the server twice for the same page. A mirror directory holds recorded responses under the
same keys and is read instead of the network (offline runs, tests).

Secrets (an API key sent as a query parameter) go on the wire only: they are not part of the cache key
nor of anything written, so a cache recorded with one key replays with another, or with none.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import httpx
from tenacity import RetryCallState, RetryError, Retrying, retry_if_exception_type, stop_after_attempt

from splitscope.errors import SplitscopeError

RETRYABLE_STATUS = {429, 500, 502, 503, 504}


class FetchError(SplitscopeError):
    """A request failed for good (retries exhausted, or a status that retrying cannot fix)."""

    exit_code = 2


class StoppedEarly(FetchError):
    """The fetch stopped on purpose (request cap reached, server-side budget spent) before finishing;
    everything fetched so far is in the cache, so the same call resumes there. Exit code 3."""

    exit_code = 3


class RequestLimitReached(StoppedEarly):
    """The client's own cap on network requests (`max_network_requests`) was reached."""


def request_key(method: str, url: str, body: Any = None) -> str:
    """Stable cache / mirror key of a request: sha256 of method, full URL and canonical JSON body."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")) if body is not None else ""
    return hashlib.sha256(f"{method.upper()} {url}\n{canonical}".encode()).hexdigest()


@contextmanager
def atomic_file(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write `path` whole or not at all: into a temporary file beside it, renamed into place only when
    the block ends without an error (a crash never leaves a half-written cache entry or download)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, mode, encoding=None if "b" in mode else "utf-8") as out:
            yield out
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


class _Retry(Exception):
    """One attempt failed in a way another attempt may fix: why, how long the server asked to wait (None:
    back off), and the transport error behind it."""

    def __init__(self, problem: str, wait: float | None = None, cause: BaseException | None = None) -> None:
        super().__init__(problem)
        self.problem, self.wait, self.cause = problem, wait, cause


def retry_after_seconds(response: httpx.Response, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP date) or an OpenReview-style JSON body
    (`details.resetTime`, ISO 8601). None when the response says nothing."""
    header = response.headers.get("Retry-After")
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(header)
            if parsed is not None:
                return max(0.0, parsed.timestamp() - now())
    try:
        reset = response.json().get("details", {}).get("resetTime")
    except (ValueError, AttributeError):
        return None
    if isinstance(reset, str):
        try:
            when = datetime.fromisoformat(reset.replace("Z", "+00:00"))
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, when.timestamp() - now())
    return None


@dataclass
class FetchStats:
    network_requests: int = 0  # every HTTP attempt, failed ones included
    cache_hits: int = 0
    mirror_hits: int = 0
    retries: int = 0
    waited_seconds: float = 0.0
    by_key: dict[str, int] = field(default_factory=dict)  # successful network fetches per request key


@dataclass
class PoliteClient:
    """GET/POST JSON (cached, resumable) and file downloads, politely. `cache_dir` None disables the
    response cache (and resuming)."""

    base_url: str
    cache_dir: Path | None = None
    mirror_dir: Path | None = None
    min_interval: float = 1.0  # seconds between requests (rate limit)
    max_retries: int = 6
    backoff_base: float = 1.0  # exponential: base * 2**attempt, capped
    backoff_cap: float = 120.0
    max_retry_after: float = 3600.0  # a server asking for longer than this is a failure, not a wait
    timeout: float = 30.0
    headers: dict[str, str] = field(default_factory=dict)
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    secret_params: dict[str, str] = field(default_factory=dict)  # sent, never keyed nor written
    keyed_by_path: bool = False  # key on path+query only, so recordings replay against any host
    retryable_status: frozenset[int] = frozenset(RETRYABLE_STATUS)
    # Called on every HTTP response before the status is judged; raises to stop (e.g. a spent budget).
    check_response: Callable[[httpx.Response], None] | None = None
    max_network_requests: int | None = None  # attempts, retries included: a hard cap on spending
    network_refusal: str | None = None  # when set, going to the network raises FetchError(this)
    stats: FetchStats = field(default_factory=FetchStats)
    _last_request: float = 0.0
    _client: httpx.Client | None = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                base_url=self.base_url,
                timeout=self.timeout,
                headers=self.headers,
                transport=self.transport,
                follow_redirects=True,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _url(self, path: str, params: dict[str, Any] | None) -> str:
        request = httpx.Request("GET", self.base_url.rstrip("/") + path, params=params)
        return str(request.url)

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._fetch("GET", path, params, None)

    def post_json(self, path: str, body: Any, params: dict[str, Any] | None = None) -> Any:
        return self._fetch("POST", path, params, body)

    def _key(self, method: str, url: str, body: Any) -> str:
        if self.keyed_by_path:
            return request_key(method, httpx.URL(url).raw_path.decode("ascii"), body)
        return request_key(method, url, body)

    def _held_path(self, key: str) -> tuple[Path, str] | None:
        for folder, counter in ((self.mirror_dir, "mirror_hits"), (self.cache_dir, "cache_hits")):
            if folder is not None and (folder / f"{key}.json").exists():
                return folder / f"{key}.json", counter
        return None

    def held_json(self, path: str, params: dict[str, Any] | None = None, method: str = "GET") -> Any:
        """The recorded body of a request if the mirror or the cache holds it, else None; never the
        network (for estimating what a fetch would still spend)."""
        url = self._url(path, params)
        held = self._held_path(self._key(method, url, None))
        return None if held is None else json.loads(held[0].read_text(encoding="utf-8"))["body"]

    def _fetch(self, method: str, path: str, params: dict[str, Any] | None, body: Any) -> Any:
        url = self._url(path, params)
        key = self._key(method, url, body)
        held = self._held_path(key)
        if held is not None:
            setattr(self.stats, held[1], getattr(self.stats, held[1]) + 1)
            return json.loads(held[0].read_text(encoding="utf-8"))["body"]
        if self.mirror_dir is not None:  # a mirror means offline: never fall through to the network
            raise FetchError(f"{method} {url}: not in the mirror {self.mirror_dir} (offline mode)")
        if self.network_refusal is not None:
            raise FetchError(self.network_refusal)
        value = self._fetch_network(method, url, body)
        self.stats.by_key[key] = self.stats.by_key.get(key, 0) + 1
        if self.cache_dir is not None:
            with atomic_file(self.cache_dir / f"{key}.json") as out:
                json.dump({"method": method, "url": url, "request_body": body, "body": value}, out)
        return value

    def _wait_turn(self) -> None:
        gap = self.min_interval - (time.monotonic() - self._last_request)
        if gap > 0:
            self.sleep(gap)
            self.stats.waited_seconds += gap
        self._last_request = time.monotonic()

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_cap, self.backoff_base * (2**attempt))

    def _wait_before_retry(self, state: RetryCallState) -> float:
        """What the server asked for (Retry-After), else exponential backoff."""
        failed = state.outcome.exception() if state.outcome else None
        if isinstance(failed, _Retry) and failed.wait is not None:
            return failed.wait
        return self._backoff(state.attempt_number - 1)

    def _count_retry(self, state: RetryCallState) -> None:
        if state.attempt_number > 1:
            self.stats.retries += 1

    def _with_retries(self, method: str, url: str, attempt: Callable[[], Any]) -> Any:
        """Run `attempt` until it succeeds, raises something other than _Retry (a spent budget, the
        request cap, a 4xx), or max_retries retries have failed."""
        retrying = Retrying(
            stop=stop_after_attempt(self.max_retries + 1),
            wait=self._wait_before_retry,
            retry=retry_if_exception_type(_Retry),
            before=self._count_retry,
            sleep=self._sleep,
        )
        try:
            return retrying(attempt)
        except RetryError as gave_up:
            last = gave_up.last_attempt.exception()
            problem = last.problem if isinstance(last, _Retry) else str(last)
            cause = last.cause if isinstance(last, _Retry) else None
            raise FetchError(
                f"{method} {url}: gave up after {self.max_retries + 1} attempts; last problem: {problem}"
            ) from cause

    def _send(self, method: str, url: str, body: Any = None, stream: bool = False) -> httpx.Response:
        """One HTTP attempt, after the request cap and the rate limit. A response with a retryable status
        raises _Retry (with the server's Retry-After); a transport failure too."""
        cap = self.max_network_requests
        if cap is not None and self.stats.network_requests >= cap:
            raise RequestLimitReached(
                f"stopped after {self.stats.network_requests} requests (the cap this run); everything "
                "fetched so far is cached: run the same command again to continue"
            )
        self._wait_turn()
        self.stats.network_requests += 1
        # httpx's `params=` would replace the URL's query, so secrets are merged in explicitly.
        wire_url = httpx.URL(url).copy_merge_params(self.secret_params) if self.secret_params else url
        try:
            request = self._http().build_request(method, wire_url, json=body)
            response = self._http().send(request, stream=stream)
            if stream and (response.status_code in self.retryable_status or response.status_code >= 400):
                response.read()  # the error body: Retry-After may be in it, and messages quote it
        except httpx.TimeoutException as exc:
            raise _Retry("timed out", cause=exc) from None
        except httpx.TransportError as exc:
            raise _Retry(f"connection failed ({exc.__class__.__name__})", cause=exc) from None
        if self.check_response is not None:
            self.check_response(response)
        if response.status_code in self.retryable_status:
            response.close()
            wait = retry_after_seconds(response)
            if wait is not None and wait > self.max_retry_after:
                raise FetchError(
                    f"{method} {url}: HTTP {response.status_code}, server asks to wait "
                    f"{wait:.0f} s (over {self.max_retry_after:.0f} s); try again later"
                )
            raise _Retry(f"HTTP {response.status_code}", wait)
        return response

    def _fetch_network(self, method: str, url: str, body: Any) -> Any:
        def attempt() -> Any:
            response = self._send(method, url, body)
            if response.status_code >= 400:
                raise FetchError(f"{method} {url}: HTTP {response.status_code} {response.text[:200]!r}")
            try:
                return response.json()
            except ValueError:
                raise _Retry("body is not valid JSON (truncated?)") from None

        return self._with_retries(method, url, attempt)

    def download(self, path: str, target: Path, missing_ok: bool = True) -> str | None:
        """Stream GET `path` into `target` atomically, with the sha256 of the bytes in `<target>.sha256`
        (written after the rename, so its presence marks a complete download). Returns the sha256, or
        None on a 404 with `missing_ok` (the upstream has no such file)."""
        url = self.base_url.rstrip("/") + path

        def attempt() -> str | None:
            response = self._send("GET", url, stream=True)
            try:
                if response.status_code == 404 and missing_ok:
                    return None
                if response.status_code >= 400:
                    raise FetchError(f"GET {url}: HTTP {response.status_code} {response.text[:200]!r}")
                digest = hashlib.sha256()
                with atomic_file(target, "wb") as out:
                    for chunk in response.iter_bytes():
                        digest.update(chunk)
                        out.write(chunk)
            except httpx.TransportError as exc:  # the connection broke mid-body
                raise _Retry(f"connection failed ({exc.__class__.__name__})", cause=exc) from None
            finally:
                response.close()
            return digest.hexdigest()

        sha256 = self._with_retries("GET", url, attempt)
        if sha256 is not None:
            with atomic_file(target.with_name(target.name + ".sha256")) as out:
                out.write(sha256 + "\n")
        return sha256

    def _sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        self.stats.waited_seconds += seconds
