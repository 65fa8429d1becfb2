"""The `splitscope` command line. Thin by design: parse, call one `splitscope.api` function, print.

Library exceptions (SplitscopeError) become one line on stderr, `splitscope: <message>`, with the
exception's exit code (2 unusable input, 1 failed check, 3 stopped early). docs/cli.md is generated from
this app (`make docs`) and a test keeps the two the same.
"""

from __future__ import annotations

import typer

from splitscope.cli import (
    analysis_commands,
    audit_commands,
    gaps_commands,
    remote_commands,
    resolve_commands,
    store_commands,
)

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
openreview_app = typer.Typer(
    help="OpenReview API: accepted papers and author profiles.", no_args_is_help=True
)
app.add_typer(orgs_app, name="orgs")
app.add_typer(eval_app, name="eval")
app.add_typer(openalex_app, name="openalex")
app.add_typer(openreview_app, name="openreview")

app.command("build")(store_commands.build_command)
app.command("status")(store_commands.status_command)
app.command("report")(store_commands.report_command)
app.command("resolve")(resolve_commands.resolve_command)
orgs_app.command("show")(resolve_commands.orgs_show_command)
orgs_app.command("import-ror")(resolve_commands.orgs_import_ror_command)
eval_app.command("affiliations")(resolve_commands.eval_affiliations_command)
app.command("person")(resolve_commands.person_command)
eval_app.command("persons")(resolve_commands.eval_persons_command)
app.command("talent")(analysis_commands.talent_command)
app.command("collab")(analysis_commands.collab_command)
app.command("audit")(audit_commands.audit_command)
app.command("gaps")(gaps_commands.gaps_command)
openreview_app.command("fetch")(remote_commands.openreview_fetch)
openalex_app.command("ingest-snapshot")(remote_commands.openalex_ingest_snapshot)
openalex_app.command("fetch")(remote_commands.openalex_fetch)
openalex_app.command("fill")(remote_commands.openalex_fill)
openalex_app.command("venues")(remote_commands.openalex_venues)
