"""Downloads against httpx.MockTransport: no network."""

import hashlib

import httpx
import pytest

from splitscope.errors import UnusableInputError
from splitscope.selection import Selection
from splitscope.sources.paperlists import download as fetch

BODY = b'[{"id": "1", "title": "T", "author": "A"}]'


def client_for(handler):
    # no backoff between attempts: the retries are what is tested, not the waiting
    return fetch.download_client(transport=httpx.MockTransport(handler), backoff_base=0.0)


def test_downloads_atomically_records_sha256_skips_cached_and_404(tmp_path):
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/x/x2020.json"):
            return httpx.Response(200, content=BODY)
        return httpx.Response(404)

    selection = Selection(venues=("x",), years=(2020, 2021))
    mirror = fetch.fetch_paperlists(selection, tmp_path, client_for(handler))
    target = mirror / "x" / "x2020.json"
    assert target.read_bytes() == BODY
    assert (mirror / "x" / "x2020.json.sha256").read_text().strip() == hashlib.sha256(BODY).hexdigest()
    assert not (mirror / "x" / "x2021.json").exists()
    assert [p.name for p in (mirror / "x").iterdir() if p.name.endswith(".part")] == []
    assert calls == [
        "/papercopilot/paperlists/main/x/x2020.json",
        "/papercopilot/paperlists/main/x/x2021.json",
    ]
    fetch.fetch_paperlists(selection, tmp_path, client_for(handler))
    assert calls.count("/papercopilot/paperlists/main/x/x2020.json") == 1  # cached: not fetched again


def test_retries_transient_errors_then_succeeds(tmp_path):
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        return httpx.Response(503) if len(attempts) < 3 else httpx.Response(200, content=BODY)

    mirror = fetch.fetch_paperlists(Selection(("x",), (2020, 2020)), tmp_path, client_for(handler))
    assert len(attempts) == 3 and (mirror / "x" / "x2020.json").read_bytes() == BODY


def test_persistent_failure_is_a_one_line_error_and_leaves_no_partial_file(tmp_path):
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(UnusableInputError, match=r"x2020\.json: download failed \(connection refused\)"):
        fetch.fetch_paperlists(Selection(("x",), (2020, 2020)), tmp_path, client_for(handler))
    assert not list((tmp_path / "paperlists").rglob("*.json*"))


def test_without_mirror_or_explicit_selection_asks_for_one(tmp_path):
    with pytest.raises(UnusableInputError, match="no paper-list mirror"):
        fetch.fetch_paperlists(Selection(), tmp_path, client_for(lambda r: httpx.Response(404)))
