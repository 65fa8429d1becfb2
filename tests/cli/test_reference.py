"""docs/cli.md is the command line's reference: generated from the app, checked here, and every command is
one call of a documented `splitscope.api` function."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import typer

from splitscope import api
from splitscope.cli import app
from splitscope.cli.reference import render, walk

DOCS = Path(__file__).parents[2] / "docs" / "cli.md"
# api functions that parse an input into a typed value rather than run a command
PARSERS = {"works_query"}


def commands() -> list[tuple[tuple[str, ...], object]]:
    return list(walk(typer.main.get_command(app), ("splitscope",)))


def test_docs_cli_md_is_the_generated_reference():
    assert DOCS.read_text(encoding="utf-8") == render(app), "docs/cli.md is stale: run `make docs`"


def test_every_command_and_option_has_help():
    seen = commands()
    assert len(seen) == 18
    for path, command in seen:
        assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
        for param in command.params:
            assert (getattr(param, "help", None) or "").strip(), f"{' '.join(path)} {param.name}: no help"


def test_every_command_is_one_call_of_a_documented_api_function():
    for path, command in commands():
        source = inspect.getsource(command.callback)
        calls = {
            node.func.attr
            for node in ast.walk(ast.parse(source.lstrip()))
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "api"
            and node.func.attr[0].islower()
            and node.func.attr not in PARSERS
        }
        assert len(calls) == 1, f"{' '.join(path)} calls {sorted(calls)}"
        (name,) = calls
        assert name in api.__all__ and inspect.getdoc(getattr(api, name)), f"api.{name} is not documented"


def test_the_reference_changes_when_an_option_changes():
    """The check can fail: a new option on a copy of the app shows up in the rendered text."""
    extra = typer.Typer()

    @extra.command()
    def probe(flag: bool = typer.Option(False, "--new-flag", help="A new flag.")) -> None:
        """A probe."""

    assert "`--new-flag` | flag | A new flag." in render(extra)
