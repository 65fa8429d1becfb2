"""The `splitscope` command line. Thin by design: parse, call one library function, print.

Library exceptions (SplitscopeError) become one line on stderr, `splitscope: <message>`, with the
exception's exit code (2 unusable input, 1 failed check).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from contextlib import nullcontext as _quiet
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from splitscope.errors import SplitscopeError

app = typer.Typer(
    help="Measure the US-China split in AI research with real, reproducible data.",
    no_args_is_help=True,
    add_completion=False,
)
orgs_app = typer.Typer(help="The organisation registry.", no_args_is_help=True)
eval_app = typer.Typer(
    help="Evaluate the resolver and the linker against labelled data.", no_args_is_help=True
)
openalex_app = typer.Typer(help="OpenAlex API and snapshot ingestion.", no_args_is_help=True)
app.add_typer(orgs_app, name="orgs")
app.add_typer(eval_app, name="eval")
app.add_typer(openalex_app, name="openalex")

err_console = Console(stderr=True)
T = TypeVar("T")

DbOption = Annotated[
    Path | None, typer.Option("--db", help="DuckDB file (default splitscope.duckdb; SPLITSCOPE_DB).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout, nothing else.")]


def run(call: Callable[[], T]) -> T:
    """Call a library function; turn its SplitscopeError into a one-line message and exit code."""
    try:
        return call()
    except SplitscopeError as exc:
        err_console.print(f"splitscope: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, sort_keys=False, default=str) + "\n")


# --- foundation: build, status, report (issue: foundation) -------------------------------------------


@app.command("report")
def report_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for index.html and data/.")] = Path("report"),
    venues: Annotated[str | None, typer.Option("--venues", help="Venue codes or sets, or 'all'.")] = None,
    years: Annotated[str | None, typer.Option("--years", help="A year or range like 2014-2024.")] = None,
    claims: Annotated[Path | None, typer.Option("--claims", help="Your own claims YAML file.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Write the self-contained HTML report, its data exports and the claim checks."""
    from splitscope.report.cli_support import report_from_store

    with err_console.status("Rendering the report…", spinner="dots") if not json_output else _quiet():
        result = run(lambda: report_from_store(out, venues, years, claims, db))
    if json_output:
        print_json(result.to_dict())
        return
    typer.echo(result.summary())


# --- affiliations: resolve, orgs, eval affiliations ----------------------------------------------------


# --- persons: person, eval persons ---------------------------------------------------------------------


# --- analysis: talent, collab ------------------------------------------------------------------------


# --- sources: openreview, openalex ---------------------------------------------------------------------


# --- audit ---------------------------------------------------------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    app()
