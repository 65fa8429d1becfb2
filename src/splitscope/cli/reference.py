"""docs/cli.md, generated from the Typer app: every command, argument and option with its help text.

`make docs` (python -m splitscope.cli.reference docs/cli.md) writes it; tests/cli/test_reference.py fails
when the file and the app disagree, so the reference cannot go stale.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

HEADER = """# Command-line reference

Generated from the `splitscope` command line by `make docs`; a test checks that it matches. Every
command is one function of `splitscope.api` (docs/architecture.md). Exit codes: 0 success, 1 a check
failed (`audit --fail-on`), 2 unusable input (a one-line `splitscope: …` message on stderr), 3 a fetch
stopped early and can be resumed.
"""


# Typer builds on its own copy of click (a private module): commands and parameters are read by their
# documented attributes rather than by class.
def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every leaf command with its full name, in the order the app declares them."""
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))
    else:
        yield path, command


def describe(param: Any, context: Any) -> tuple[str, str, str]:
    """(how it is written, what it takes and its default, help text) of one argument or option."""
    takes = param.display_type(context).strip("<>").upper()
    if param.param_type_name == "option":
        written = ", ".join(f"`{o}`" for o in param.opts)
        if param.is_flag:
            takes = "flag"
        elif param.multiple:
            takes += ", repeatable"
        if param.required:
            takes += ", required"
        elif not param.is_flag and param.default not in (None, (), ""):
            takes += f", default `{param.default}`"
    else:
        written = f"`{param.name.upper()}`"
        takes += ", one or more" if param.nargs == -1 else ""
    return written, takes, (getattr(param, "help", None) or "").strip()


def render(app: typer.Typer) -> str:
    root = typer.main.get_command(app)
    lines = [HEADER]
    for path, command in walk(root, ("splitscope",)):
        lines += [f"## {' '.join(path)}", "", (command.help or "").strip(), ""]
        params = [p for p in command.params if p.name != "help"]
        context = command.make_context(path[-1], [], resilient_parsing=True)
        if params:
            lines += ["| argument or option | takes | meaning |", "|---|---|---|"]
            for param in params:
                cells = (cell.replace("|", "\\|") for cell in describe(param, context))
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    from splitscope.cli import app

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/cli.md")
    target.write_text(render(app), encoding="utf-8")


if __name__ == "__main__":
    main()
