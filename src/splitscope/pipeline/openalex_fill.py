"""`splitscope openalex fill VENUE[:YEARS]`: for each venue-year, the works of the venue's OpenAlex
sources (sources/openalex/venues.yaml) in that year are fetched (works only: affiliations come with
the works), flattened like any snapshot, matched to the paper list's papers and attached to their
authorships (sources/openalex/fill.py); then resolution and linkage run once, and the venue-years'
coverage is reported before and after.

One fetch per venue-year (one count request more than a range would cost) so that each fill source
holds exactly the works of its venue-year and reconciles on its own.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from splitscope.analysis.coverage import venue_year_coverage
from splitscope.config import Settings
from splitscope.engines import engine_named
from splitscope.errors import UnusableInputError
from splitscope.pipeline.openalex import response_cache
from splitscope.resolve.affiliations.resolver import AffiliationResolver, default_resolver
from splitscope.resolve.steps import run_post_ingest_steps
from splitscope.selection import Selection, parse_years
from splitscope.sources.openalex.api import DEFAULT_REQUESTS_PER_SECOND, fetch_openalex, make_client
from splitscope.sources.openalex.fill import FillSummary, attach
from splitscope.sources.openalex.flatten import flatten_snapshot
from splitscope.sources.openalex.query import WorkFilter, WorksQuery
from splitscope.sources.openalex.venues import source_ids
from splitscope.store import connect
from splitscope.store.keys import check_unique_keys


@dataclass(frozen=True)
class FillTarget:
    venue: str
    years: tuple[int, int] | None  # None: the venue's years below the trend gate in the store

    @classmethod
    def parse(cls, text: str) -> FillTarget:
        """'nips:2019-2020', 'cvpr:2021', 'icml' (its gaps)."""
        venue, _, years = text.strip().lower().partition(":")
        if not re.fullmatch(r"[a-z][a-z0-9]*", venue):
            raise UnusableInputError(f"fill target {text!r}: expected VENUE[:YEARS], e.g. nips:2019-2020")
        source_ids(venue)  # a venue the map does not know fails here, before any request
        try:
            return cls(venue, parse_years(years) if years else None)
        except UnusableInputError:
            raise UnusableInputError(
                f"fill target {text!r}: {years!r} is not a year or a range like 2019-2020"
            ) from None


@dataclass
class FillRun:
    fills: list[FillSummary] = field(default_factory=list)
    fetches: list[dict[str, Any]] = field(default_factory=list)
    coverage_before: list[dict[str, Any]] = field(default_factory=list)
    coverage_after: list[dict[str, Any]] = field(default_factory=list)
    stop_reason: str | None = None  # a fetch stopped early (cap, budget): the same command resumes
    post_ingest_steps: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "complete": self.stop_reason is None,
            "stop_reason": self.stop_reason,
            "fills": [f.to_dict() for f in self.fills],
            "fetches": self.fetches,
            "coverage_before": self.coverage_before,
            "coverage_after": self.coverage_after,
            "post_ingest_steps": self.post_ingest_steps,
        }


def venue_years(con: duckdb.DuckDBPyConnection, targets: list[FillTarget]) -> list[tuple[str, int]]:
    """The venue-years the targets name: given years as they are, else the venue's gated-out ones."""
    chosen: list[tuple[str, int]] = []
    for target in targets:
        if target.years is not None:
            chosen += [(target.venue, y) for y in range(target.years[0], target.years[1] + 1)]
            continue
        frame = venue_year_coverage(con, Selection((target.venue,)))
        chosen += [(target.venue, int(y)) for y in frame.loc[~frame["gated_in"], "year"]]
    return list(dict.fromkeys(chosen))


def fill_gaps(
    settings: Settings,
    targets: list[FillTarget],
    max_requests: int | None = None,
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
    report: Callable[[str], None] | None = None,
    resolver: AffiliationResolver | None = None,
) -> FillRun:
    """Fetch, flatten, match and attach each venue-year; resolve and link once at the end (with the
    default resolver unless one is given). A fetch stopped early ends the run; attached venue-years stay."""
    run = FillRun()
    con = connect(settings.db_path)
    client = make_client(response_cache(settings), settings.mirror_dir, requests_per_second, max_requests)
    try:
        chosen = venue_years(con, targets)
        run.coverage_before = _coverage(con, chosen)
        try:
            for venue, year in chosen:
                query = WorksQuery("source", source_ids(venue), (year, year))
                out = settings.source_cache("openalex") / "fill" / f"{venue}-{year}"
                fetched = fetch_openalex(client, query, out, report=report, with_authors=False)
                run.fetches.append(fetched.to_dict())
                if not fetched.complete:
                    run.stop_reason = fetched.stop_reason
                    break
                run.fills.append(flatten_and_attach(con, venue, year, out, fetched.works_written))
        finally:
            # venue-years attached before a failure (a request the mirror lacks, retries exhausted) are
            # in the store: resolve them too, so the store never holds mentions nothing has read
            check_unique_keys(con)
            if run.fills:
                resolver = resolver or default_resolver(settings.shared_dir, settings.ror_registry_file)
                run.post_ingest_steps = run_post_ingest_steps(con, resolver)
        run.coverage_after = _coverage(con, chosen)
    finally:
        client.close()
        con.close()
    return run


def flatten_and_attach(
    con: duckdb.DuckDBPyConnection, venue: str, year: int, snapshot: Path, works: int
) -> FillSummary:
    """One venue-year's fetched snapshot flattened (in a temporary folder) and attached."""
    if works == 0:  # OpenAlex has nothing for this venue-year: every paper is listed as unmatched
        return attach(con, venue, year, None, None)
    with tempfile.TemporaryDirectory(prefix="splitscope-fill-") as scratch:
        flattened = flatten_snapshot(
            snapshot, Path(scratch), WorkFilter(), engine_named("duckdb"), source_id=f"fill:{venue}/{year}"
        )
        return attach(con, venue, year, flattened, snapshot)


def _coverage(con: duckdb.DuckDBPyConnection, chosen: list[tuple[str, int]]) -> list[dict[str, Any]]:
    if not chosen:
        return []
    venues = tuple(sorted({v for v, _ in chosen}))
    years = (min(y for _, y in chosen), max(y for _, y in chosen))
    frame = venue_year_coverage(con, Selection(venues, years))
    wanted = set(chosen)
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in frame.to_dict("records")
        if (row["venue"], int(row["year"])) in wanted
    ]
