"""build, status, report."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from splitscope import api
from splitscope.cli.common import (
    ChinaScopeOption,
    DbOption,
    JsonOption,
    err_console,
    finish,
    print_json,
    run,
)
from splitscope.config import load_settings
from splitscope.selection import parse_selection


def build_command(
    venues: Annotated[str, typer.Option("--venues", help="Venue codes, comma-separated, or 'all'.")] = "all",
    years: Annotated[
        str, typer.Option("--years", help="A year or a range like 2014-2018, or 'all'.")
    ] = "all",
    mirror: Annotated[
        Path | None, typer.Option("--mirror", help="Local paper-list mirror <venue>/<venue><year>.json[.gz].")
    ] = None,
    shared: Annotated[
        Path | None,
        typer.Option(
            "--shared", help="Data bundle with openreview-authors/ and conference-csv/ (SPLITSCOPE_SHARED)."
        ),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Relink every person from nothing, as a clean build does.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest paper lists, openreview-authors and the conference CSV (idempotent, incremental)."""
    selection = run(lambda: parse_selection(venues, years))
    settings = load_settings(db=db, mirror=mirror, shared=shared)
    summary = run(lambda: api.build(settings, selection, progress=not as_json, full=full))
    if as_json:
        print_json(summary.to_dict())
    else:
        print_build_summary(summary.to_dict())
    finish(summary)


def print_build_summary(data: dict[str, Any]) -> None:
    console = Console()
    console.print(
        f"sources: {data['sources_loaded']} loaded, {data['sources_unchanged']} unchanged, "
        f"{data['sources_failed']} failed"
    )
    console.print(
        f"records read {data['records_read']:,} = papers stored {data['papers_stored']:,} "
        f"+ merged {data['records_merged']:,} + quarantined {data['records_quarantined']:,}"
        f"  ({'reconciles' if data['all_reconcile'] else 'DOES NOT RECONCILE'})"
    )


def status_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Papers, authorships, affiliation mentions and quarantined records per venue-year, with coverage."""
    status = run(lambda: api.status(load_settings(db=db))).to_dict()
    if as_json:
        print_json(status)
        return
    print_status_table(status)
    pipeline = status["pipeline"]
    typer.echo(f"last build: {pipeline['build'] or '-'}; persons linked: {pipeline['persons_link'] or '-'}")
    if pipeline["note"]:
        typer.echo(pipeline["note"])
    typer.echo(f"fingerprint: {status['fingerprint']['digest']}")


def print_status_table(status: dict[str, Any]) -> None:
    table = Table(
        "venue",
        "year",
        "papers",
        "authorships",
        "aff. mentions",
        "paper-level aff.",
        "quarantined",
        "% with aff.",
        "% with OpenReview id",
    )

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.1f}"

    for row in [*status["venue_years"], {"venue": "total", "year": "", **status["totals"]}]:
        table.add_row(
            str(row["venue"]),
            str(row["year"]),
            f"{row['papers']:,}",
            f"{row['authorships']:,}",
            f"{row['affiliation_mentions']:,}",
            f"{row['paper_affiliation_mentions']:,}",
            f"{row['quarantined']:,}",
            pct(row["share_with_affiliation"]),
            pct(row["share_with_openreview_id"]),
        )
    Console().print(table)


def report_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for index.html and data/.")] = Path("report"),
    venues: Annotated[str | None, typer.Option("--venues", help="Venue codes or sets, or 'all'.")] = None,
    years: Annotated[str | None, typer.Option("--years", help="A year or range like 2014-2024.")] = None,
    claims: Annotated[Path | None, typer.Option("--claims", help="Your own claims YAML file.")] = None,
    china_scope: ChinaScopeOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Write the self-contained HTML report, its data exports and the claim checks."""
    selection = run(lambda: parse_selection(venues, years, china_scope=china_scope))
    settings = load_settings(db=db)
    spinner = (
        err_console.status("Rendering the report…", spinner="dots") if not json_output else nullcontext()
    )
    with spinner:
        result = run(lambda: api.report(settings, out, selection, claims))
    if json_output:
        print_json(result.to_dict())
        return
    typer.echo(result.summary())
