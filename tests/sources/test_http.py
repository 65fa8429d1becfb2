"""The one HTTP client (sources/http.py); its retries, cache, mirror and resumption are exercised against
the fake APIs in openalex/ and openreview/ and the download in paperlists/."""

import httpx
import pytest

from splitscope.sources.http import retry_after_seconds


def test_retry_after_reads_header_seconds_dates_and_reset_time():
    now = lambda: 1_000_000_000.0  # noqa: E731
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "7"}), now) == 7.0
    dated = httpx.Response(429, headers={"Retry-After": "Sun, 09 Sep 2001 01:46:50 GMT"})
    assert retry_after_seconds(dated, now) == pytest.approx(10.0)
    body = httpx.Response(429, json={"details": {"resetTime": "2001-09-09T01:47:00.000Z"}})
    assert retry_after_seconds(body, now) == pytest.approx(20.0)
    assert retry_after_seconds(httpx.Response(500, text="oops"), now) is None
