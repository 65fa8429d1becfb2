"""What every command shares: the error path, the exit path of a result with a problem, JSON output and
the options that mean the same everywhere."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from splitscope.errors import SplitscopeError

err_console = Console(stderr=True)
T = TypeVar("T")

DbOption = Annotated[
    Path | None, typer.Option("--db", help="DuckDB file (default splitscope.duckdb; SPLITSCOPE_DB).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout, nothing else.")]
CsvOption = Annotated[Path | None, typer.Option("--csv", help="Write every table as CSV+Parquet here.")]
# The one China-scope option of talent, collab and the report (selection.CHINA_SCOPES).
ChinaScopeOption = Annotated[
    str | None,
    typer.Option(
        "--china-scope",
        help="What counts as China: mainland (default; HK, MO, TW their own), with-hk-mo, with-hk-mo-tw.",
    ),
]


def say_error(error: SplitscopeError) -> None:
    err_console.print(f"splitscope: {error}", markup=False, highlight=False, soft_wrap=True)


def run(call: Callable[[], T]) -> T:
    """Call a library function; turn its SplitscopeError into a one-line message and exit code."""
    try:
        return call()
    except SplitscopeError as exc:
        say_error(exc)
        raise typer.Exit(exc.exit_code) from None


def finish(result: Any) -> None:
    """A result that carries a problem (unusable files, a failed gate, a fetch stopped early) has been
    shown in full; end with that problem's one line and exit code."""
    problem = getattr(result, "problem", None)
    if problem is not None:
        say_error(problem)
        raise typer.Exit(problem.exit_code)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, sort_keys=False, default=str) + "\n")
