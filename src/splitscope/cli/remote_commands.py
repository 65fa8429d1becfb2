"""openreview fetch, openalex ingest-snapshot, openalex fetch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from splitscope import api
from splitscope.cli.common import DbOption, JsonOption, err_console, finish, print_json, run
from splitscope.config import load_settings

# Options the OpenAlex commands share (same flag, same meaning, same help text in docs/cli.md).
OpenAlexMirrorOption = Annotated[
    Path | None, typer.Option("--mirror", help="Recorded responses; no network.")
]
ResumeCacheOption = Annotated[
    Path | None, typer.Option("--cache", help="Cache root; also the resume checkpoint.")
]
MaxRequestsOption = Annotated[
    int | None, typer.Option("--max-requests", help="Stop (resumable) after N requests.")
]
RateOption = Annotated[float, typer.Option("--rate", help="Requests per second at most.")]


def openreview_fetch(
    venue_id: Annotated[str, typer.Argument(help="OpenReview venue id, e.g. NeurIPS.cc/2024/Conference.")],
    db: DbOption = None,
    mirror: Annotated[
        Path | None, typer.Option(help="Recorded responses to read instead of the network.")
    ] = None,
    cache: Annotated[Path | None, typer.Option(help="Response cache; also the resume checkpoint.")] = None,
    interval: Annotated[float, typer.Option(help="Seconds between requests (politeness).")] = 3.0,
    as_json: JsonOption = False,
) -> None:
    """Fetch a venue's accepted papers and their authors' profiles; compute education-based origin."""
    settings = load_settings(db=db, cache=cache, mirror=mirror)
    summary = run(lambda: api.openreview_fetch(settings, venue_id, interval, progress=not as_json)).to_dict()
    if as_json:
        print_json(summary)
    else:
        typer.echo(
            f"{venue_id}: {summary['papers_stored']} papers stored, {summary['records_merged']} already "
            f"held, {summary['records_quarantined']} quarantined; {summary['profiles_stored']} profiles, "
            f"{summary['origin']['persons_with_origin']} with an education-based origin"
        )


def openalex_ingest_snapshot(
    snapshot_dir: Annotated[Path, typer.Argument(help="Snapshot root holding data/works/updated_date=*/.")],
    filters: Annotated[
        list[str] | None,
        typer.Option("--filter", help="year:2018-2024, source:S…, concept:C…, topic:T… (repeatable)."),
    ] = None,
    engine: Annotated[str, typer.Option(help="duckdb (one machine) or spark.")] = "duckdb",
    spark_master: Annotated[str | None, typer.Option(help="Spark master URL (default local[2]).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Keep the canonical Parquet here.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Flatten an OpenAlex snapshot into canonical tables, then resolve affiliations and link persons."""
    settings = load_settings(db=db)
    summary = run(
        lambda: api.openalex_ingest_snapshot(
            settings, snapshot_dir, filters or [], engine, spark_master, out, progress=not as_json
        )
    )
    if as_json:
        print_json(summary.to_dict())
        return
    typer.echo(
        f"{summary.flatten.source_id}: read {summary.records_read:,} = stored {summary.papers_stored:,}"
        f" + merged {summary.records_merged:,} + quarantined {summary.records_quarantined:,}"
        f" ({'reconciles' if summary.reconciles else 'DOES NOT RECONCILE'}); "
        f"{summary.flatten.works_filtered_out:,} filtered out"
    )
    for problem in summary.flatten.manifest_problems:
        typer.echo(f"manifest: {problem}")


def openalex_fetch(
    years: Annotated[str, typer.Option("--years", help="Publication year or range, e.g. 2018-2024.")],
    source: Annotated[
        str | None, typer.Option("--source", help="OpenAlex source (venue) id(s), e.g. S4306420609.")
    ] = None,
    concept: Annotated[str | None, typer.Option("--concept", help="OpenAlex concept id(s), C…")] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="OpenAlex topic id(s), T…")] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Snapshot-layout output (default <cache>/openalex/snapshots/…)."),
    ] = None,
    mirror: OpenAlexMirrorOption = None,
    cache: ResumeCacheOption = None,
    max_requests: MaxRequestsOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only estimate the requests a fetch spends.")
    ] = False,
    rate: RateOption = 10.0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fetch a venue's, concept's or topic's works and their authors from the OpenAlex API, and load them.
    Needs OPENALEX_API_KEY unless --mirror serves every request."""
    settings = load_settings(db=db, cache=cache, mirror=mirror)
    query = run(lambda: api.works_query(source, concept, topic, years))
    say = None if as_json else (lambda text: err_console.print(text, markup=False, highlight=False))
    options = api.OpenAlexFetchOptions(out, max_requests, dry_run, rate)
    result = run(lambda: api.openalex_fetch(settings, query, options, say))
    fetched = result.to_dict()["fetch"]
    if as_json:
        print_json(result.to_dict())
    elif fetched["complete"]:
        typer.echo(
            f"{query.source_id}: {fetched['works_written']} works, {fetched['authors_written']} authors "
            f"from {fetched['requests_made']} requests; written to {fetched['out_dir']} and loaded"
        )
    finish(result)


def openalex_fill(
    targets: Annotated[
        list[str] | None,
        typer.Argument(help="VENUE[:YEARS], e.g. nips:2019-2020 cvpr:2021; a venue alone fills its gaps."),
    ] = None,
    mirror: OpenAlexMirrorOption = None,
    cache: ResumeCacheOption = None,
    max_requests: MaxRequestsOption = None,
    rate: RateOption = 10.0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fill venue-years without affiliations from OpenAlex: match its works to the paper list's papers and
    attach their affiliations to the papers' authors (basis openalex); list what did not match.
    Needs OPENALEX_API_KEY unless --mirror serves every request."""
    settings = load_settings(db=db, cache=cache, mirror=mirror)
    say = None if as_json else (lambda text: err_console.print(text, markup=False, highlight=False))
    result = run(lambda: api.openalex_fill(settings, targets or [], max_requests, rate, say))
    summary = result.to_dict()
    if as_json:
        print_json(summary)
    else:
        before = {(c["venue"], c["year"]): c["coverage"] for c in summary["coverage_before"]}
        after = {(c["venue"], c["year"]): c["coverage"] for c in summary["coverage_after"]}
        for fill in summary["fills"]:
            key = (fill["venue"], fill["year"])
            typer.echo(
                f"{fill['source_id']}: {fill['matched']:,} of {fill['papers']:,} papers matched "
                f"({fill['works']:,} works; {len(fill['unmatched_works']):,} works and "
                f"{len(fill['unmatched_papers']):,} papers unmatched, listed with --json); coverage "
                f"{before.get(key, 0):.1%} -> {after.get(key, 0):.1%}"
            )
    finish(result)


def openalex_venues(
    check: Annotated[
        bool, typer.Option("--check", help="Ask the API for each id's source record and years.")
    ] = False,
    venue: Annotated[str | None, typer.Option("--venue", help="Only this venue code.")] = None,
    mirror: OpenAlexMirrorOption = None,
    cache: Annotated[Path | None, typer.Option("--cache", help="Cache root (responses).")] = None,
    rate: RateOption = 10.0,
    as_json: JsonOption = False,
) -> None:
    """The OpenAlex venue map: source ids per venue, where each came from, whether it was checked; with
    --check, each id's source record and works per year from the API (exit 1 if one disagrees)."""
    settings = load_settings(cache=cache, mirror=mirror)
    result = run(lambda: api.openalex_venues(settings, check, venue, rate))
    if as_json:
        print_json(result.to_dict())
    else:
        for entry in result.entries:
            years = entry["years"] or "years not known"
            line = f"{entry['venue']:8s} {entry['source_id']:12s} {entry['name']} ({years})"
            line += f"; from {entry['from']}"
            if check:
                held = ", ".join(f"{y}: {n:,}" for y, n in entry["works_by_year"].items()) or "no works"
                line += f"\n         live: {entry['found_name']!r}, works {held}"
                line += "" if entry["agrees"] else f" -- DISAGREES: {entry['problem']}"
            else:
                line += f"; checked live: {entry['checked_live'] or 'no'}"
            typer.echo(line)
    finish(result)
