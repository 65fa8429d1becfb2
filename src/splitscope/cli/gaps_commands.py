"""gaps."""

from __future__ import annotations

from typing import Annotated

import typer

from splitscope import api
from splitscope.cli.common import DbOption, JsonOption, print_json, run
from splitscope.config import load_settings
from splitscope.selection import parse_selection


def gaps_command(
    venues: Annotated[str | None, typer.Option("--venues", help="Venue codes or sets; default all.")] = None,
    years: Annotated[str | None, typer.Option("--years", help="A year or range; default all.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Venue-years whose author-affiliation coverage is below the trend gate, what the store holds for
    each, and the command that fills it from OpenAlex."""
    selection = run(lambda: parse_selection(venues, years))
    result = run(lambda: api.gaps(load_settings(db=db), selection))
    if as_json:
        print_json(result.to_dict())
        return
    typer.echo(
        f"{len(result.gaps)} of {result.venue_years_checked} venue-years below the trend gate "
        f"(author coverage < {result.gate:.0%}):"
    )
    for gap in result.gaps:
        typer.echo(
            f"  {gap.venue} {gap.year}: coverage {gap.coverage:.1%} of {gap.authorships:,} authorships "
            f"(papers {gap.paper_coverage:.1%}); "
            f"{gap.holds}; fill: {gap.fill_command or gap.note}"
        )
    if result.fill_commands:
        typer.echo("to fill every fillable gap:")
        for command in result.fill_commands:
            typer.echo(f"  {command}")
