"""What an OpenAlex fetch costs, and how the API says the budget is spent.

Costs (docs, 2026): list/filter requests cost $0.0001 each ($0.10 per 1,000); a free API key carries $1
a day (10,000 list requests), no key $0.01 (docs differ on $0.01/$0.10); at most 100 requests a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from splitscope.sources.http import FetchError, StoppedEarly

LIST_REQUEST_USD = 0.0001


class BudgetExhausted(StoppedEarly):
    """OpenAlex answered that the key's daily budget is spent."""


@dataclass
class FetchPlan:
    """What a fetch costs, in list requests. Works pages are exact from the count; author pages are
    exact once every works page is held (else estimated from AUTHORS_PER_WORK_PRIOR)."""

    works: int
    works_pages: int
    works_pages_held: int
    authors: int
    author_pages: int
    author_pages_held: int
    authors_exact: bool
    count_requests_spent: int = 0

    @property
    def requests_to_spend(self) -> int:
        return self.works_pages - self.works_pages_held + self.author_pages - self.author_pages_held

    def describe(self, requests_per_second: float) -> str:
        approx = "" if self.authors_exact else "~"
        spend = self.requests_to_spend
        seconds = spend / requests_per_second if requests_per_second > 0 else 0
        authors_note = "" if self.authors_exact else "; estimated until the works are held"
        return (
            f"{self.works:,} works → {self.works_pages:,} works pages ({self.works_pages_held:,} held); "
            f"{approx}{self.authors:,} authors → {approx}{self.author_pages:,} author pages "
            f"({self.author_pages_held:,} held{authors_note}); {approx}{spend:,} requests to spend "
            f"≈ ${spend * LIST_REQUEST_USD:.4f} (a free key has $1/day), ≈ {seconds:,.0f} s at "
            f"{requests_per_second:g} req/s"
        )


def budget_exhausted_reason(response: httpx.Response) -> str | None:
    """Why a 429 means the daily budget is spent (not a per-second limit), or None.

    OpenAlex answers 429 to both; the docs say every response carries the remaining budget in
    X-RateLimit-Remaining-USD (older credit-based docs: X-RateLimit-Remaining), and error bodies are
    {"error", "message"} whose text names the daily budget/credits when that is the cause.
    """
    if response.status_code != 429:
        return None
    for header in ("X-RateLimit-Remaining-USD", "X-RateLimit-Remaining"):
        value = response.headers.get(header)
        try:
            if value is not None and float(value) <= 0:
                return f"{header}: {value}"
        except ValueError:
            pass
    try:
        body = response.json()
        text = " ".join(str(body.get(k, "")) for k in ("error", "message")) if isinstance(body, dict) else ""
    except ValueError:
        text = response.text[:300]
    if re.search(r"daily|budget|credit|per day|quota", text, re.IGNORECASE):
        return " ".join(text.split())
    return None


def check_openalex_response(response: httpx.Response) -> None:
    reason = budget_exhausted_reason(response)
    if reason is not None:
        raise BudgetExhausted(
            f"OpenAlex says the daily budget is spent ({reason}); everything fetched so far is cached: "
            "run the same command again after the reset (midnight UTC)"
        )
    # The docs list 403 as 'rate limit exceeded; slow down' (retried); any other 401/403 is the key.
    if response.status_code in (401, 403) and "rate limit" not in response.text.lower():
        raise FetchError(
            f"OpenAlex refused the request (HTTP {response.status_code}): is OPENALEX_API_KEY valid? "
            f"{response.text[:200]!r}"
        )
