"""audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from splitscope import api
from splitscope.cli.common import JsonOption, err_console, finish, print_json, run


def audit_command(
    path: Annotated[Path, typer.Argument(help="Repository folder to scan (nothing in it is executed).")],
    json_out: JsonOption = False,
    bom: Annotated[
        Path | None, typer.Option("--bom", help="Write a CycloneDX 1.6 ML-BOM (JSON) here.")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the audit as an HTML page here.")] = None,
    sarif: Annotated[
        Path | None, typer.Option("--sarif", help="Write a SARIF 2.1.0 log here (for code-scanning UIs).")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", help="Exit 1 if a dependency is in these: CN, US, unknown (comma-separated)."
        ),
    ] = None,
    home: Annotated[
        str | None, typer.Option("--home", help="Your jurisdiction (US, CN...): marks cross-border.")
    ] = None,
) -> None:
    """Scan a codebase for models, datasets, APIs and hubs; attribute them to publishers and jurisdictions."""
    options = api.AuditOptions(home=home, fail_on=fail_on, bom=bom, html=html, sarif=sarif)
    if json_out:
        result = run(lambda: api.audit(path, options))
    else:
        with err_console.status(f"scanning {path}") as status:
            progress = lambda seen: status.update(f"scanning {path}: {seen} files")  # noqa: E731
            result = run(lambda: api.audit(path, options, progress))
    if json_out:
        print_json(result.to_dict())
    else:
        print_audit_summary(result.to_dict())
    finish(result)


def print_audit_summary(doc: dict[str, Any]) -> None:
    console = Console()
    files = doc["files"]
    console.print(
        f"{doc['root']}: {files['seen']} files seen, {files['read']} read, {files['skipped']} skipped"
    )
    if files.get("not_analysed"):
        languages = ", ".join(f"{name} ({count} files)" for name, count in files["not_analysed"].items())
        console.print(f"seen but not analysed (language not supported): {languages}")
    over_budget = [s for s in doc["skipped"] if s["reason"].startswith(("time budget", "larger than"))]
    if over_budget:
        console.print(f"over the per-file size or time budget: {', '.join(s['path'] for s in over_budget)}")
    table = Table(title="Dependencies by publisher jurisdiction")
    for column in ("kind", "subject", "publisher", "jurisdiction", "licence", "first place"):
        table.add_column(column)
    for dep in doc["dependencies"]:
        first = dep["places"][0]
        table.add_row(
            dep["kind"],
            dep["subject"],
            dep["publisher"],
            dep["jurisdiction"],
            dep["licence"] or "-",
            f"{first['file']}:{first['line']}",
        )
    console.print(table)
    for row in doc["exposure"]:
        console.print(f"{row['jurisdiction']}: {row['dependencies']} dependencies {row['by_kind']}")
    applies = {c["jurisdiction"]: sum(i["applies"] for i in c["items"]) for c in doc["checklists"]}
    with_alternatives = sum(1 for s in doc["dual_source"] if s["alternatives"])
    console.print(
        f"checklist items that apply: {applies}; models/APIs with a curated second source: "
        f"{with_alternatives} of {len(doc['dual_source'])}"
    )
