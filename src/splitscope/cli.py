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
openreview_app = typer.Typer(
    help="OpenReview API: accepted papers and author profiles.", no_args_is_help=True
)
app.add_typer(orgs_app, name="orgs")
app.add_typer(eval_app, name="eval")
app.add_typer(openalex_app, name="openalex")
app.add_typer(openreview_app, name="openreview")

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


@app.command("build")
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
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest paper lists, openreview-authors and the conference CSV (idempotent, incremental)."""
    from splitscope.ingest_command import run_build

    summary = run(lambda: run_build(venues, years, mirror, shared, db, progress=not as_json))
    if as_json:
        print_json(summary.to_dict())
    else:
        print_build_summary(summary)
    if summary.errors:
        more = f" (and {len(summary.errors) - 1} more unusable files)" if len(summary.errors) > 1 else ""
        run(lambda: _raise_unusable(summary.errors[0] + more))


def _raise_unusable(message: str) -> None:
    from splitscope.errors import UnusableInputError

    raise UnusableInputError(message)


def print_build_summary(summary: Any) -> None:
    data = summary.to_dict()
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


@app.command("status")
def status_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Papers, authorships, affiliation mentions and quarantined records per venue-year, with coverage."""
    from splitscope.config import load_settings
    from splitscope.store import open_store
    from splitscope.store.status import store_status

    status = run(lambda: store_status(open_store(load_settings(db=db).db_path))).to_dict()
    if as_json:
        print_json(status)
        return
    print_status_table(status)


def print_status_table(status: dict[str, Any]) -> None:
    from rich.table import Table

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


@app.command("resolve")
def resolve_command(
    text: Annotated[str, typer.Argument(help="An affiliation string as printed on a paper.")],
    email_domain: Annotated[
        str, typer.Option("--email-domain", help="The author's e-mail domain, if known.")
    ] = "",
    json_out: JsonOption = False,
) -> None:
    """Resolve one affiliation string: organisation, country, sector, method, confidence and evidence."""
    from dataclasses import asdict

    from splitscope.config import load_settings
    from splitscope.resolve.affiliations import default_resolver

    settings = load_settings()
    resolver = default_resolver(settings.shared_dir, settings.ror_registry_file)
    answer = run(lambda: resolver.resolve(text, email_domain))
    if json_out:
        print_json(asdict(answer))
        return
    for key, value in asdict(answer).items():
        typer.echo(f"{key:>12}: {'-' if value is None else value}")


@orgs_app.command("show")
def orgs_show_command(
    name: Annotated[str, typer.Argument(help="An organisation id, name or alias.")],
    json_out: JsonOption = False,
) -> None:
    """Print a registry entry (looked up by id, else by any of its names)."""
    from dataclasses import asdict

    from splitscope.config import load_settings
    from splitscope.orgs.lookup import find_orgs
    from splitscope.resolve.affiliations import default_resolver

    settings = load_settings()
    resolver = default_resolver(settings.shared_dir, settings.ror_registry_file)
    found = run(lambda: find_orgs(resolver, name))
    if json_out:
        print_json([asdict(org) for org in found])
        return
    for org in found:
        for key, value in asdict(org).items():
            shown = ", ".join(value) if isinstance(value, tuple) else value
            typer.echo(f"{key:>16}: {'-' if shown in (None, '') else shown}")
        typer.echo("")


@orgs_app.command("import-ror")
def orgs_import_ror_command(
    dump: Annotated[Path, typer.Argument(help="ROR v2 data dump (.zip holding the v2 JSON, or the .json).")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Registry file to write (default <cache>/orgs/ror.yaml).")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Convert a ROR v2 dump into a registry file that resolution loads next to the curated one."""
    from splitscope.config import load_settings
    from splitscope.orgs.ror import import_ror

    target = out or load_settings().cache_dir / "orgs" / "ror.yaml"
    summary = run(lambda: import_ror(dump, target))
    if json_out:
        print_json(summary)
    else:
        typer.echo(f"{summary['orgs']} organisations from {dump} written to {target}")


@eval_app.command("affiliations")
def eval_affiliations_command(
    paths: Annotated[list[Path], typer.Argument(help="papercopilot files with aff_country_unique labels.")],
    json_out: JsonOption = False,
) -> None:
    """Country precision and coverage against papercopilot's per-author country labels."""
    from splitscope.resolve.eval_affiliations import evaluate

    result = run(lambda: evaluate(list(paths)))
    if json_out:
        print_json(result)
        return
    typer.echo(f"labelled author affiliations: {result['n']:,} ({result['convention']})")
    typer.echo(f"precision {result['precision']:.4f}  coverage {result['coverage']:.4f}")
    for code, row in result["per_country"].items():
        p = row["precision"]
        typer.echo(f"  {code}: precision {'-' if p is None else f'{p:.4f}'} on {row['answers']:,} answers")
    typer.echo("most frequent disagreements (label vs ours):")
    for row in result["top_disagreements"]:
        typer.echo(f"  {row['count']:>5}  {row['label']} vs {row['ours']}: {row['affiliation']}")


# --- persons: person, eval persons ---------------------------------------------------------------------


@app.command("person")
def person_command(
    query: Annotated[
        str, typer.Argument(help="A name as written, an OpenReview id (~Jane_Doe1) or a person id.")
    ],
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """A person's papers by year with organisation and country, and why the records were linked."""
    from splitscope.config import load_settings
    from splitscope.resolve.person_lookup import person_report
    from splitscope.store import open_store

    persons = run(lambda: person_report(open_store(load_settings(db=db).db_path), query))
    if json_out:
        print_json(persons)
        return
    for person in persons:
        typer.echo(f"{person['person_id']}  {person['display_name']}  ({person['authorships']} authorships)")
        for paper in person["papers"]:
            where = ", ".join(f"{o}" for o in paper["orgs"] or []) or "-"
            countries = "/".join(paper["countries"] or []) or "?"
            typer.echo(
                f"  {paper['year']} {paper['venue']:<8} {countries:<6} {where[:40]:<40} {paper['title'][:60]}"
            )
            typer.echo(f"       linked by {paper['link_method']}: {paper['evidence']}")
        typer.echo("")


@eval_app.command("persons")
def eval_persons_command(
    paths: Annotated[list[Path], typer.Argument(help="Paper-list files whose authors carry OpenReview ids.")],
    json_out: JsonOption = False,
) -> None:
    """Hide OpenReview ids, link, score B-cubed and pairwise against the ids and a name-only baseline."""
    from splitscope.resolve.eval_persons import evaluate

    result = run(lambda: evaluate(list(paths)))
    if json_out:
        print_json(result)
        return
    base = result["baseline"]
    typer.echo(f"records with ids: {result['records']:,}; thresholds {result['thresholds']}")
    typer.echo(
        f"splitscope  B3 P {result['b3_precision']:.4f} R {result['b3_recall']:.4f} F1 {result['b3_f1']:.4f}"
    )
    typer.echo(
        f"name-only   B3 P {base['b3_precision']:.4f} R {base['b3_recall']:.4f} F1 {base['b3_f1']:.4f}"
    )


# --- analysis: talent, collab ------------------------------------------------------------------------


@app.command("talent")
def talent_command(
    venues: Annotated[
        str | None, typer.Option(help="Venue codes or sets (ml-core, vision, ...); all.")
    ] = None,
    years: Annotated[str | None, typer.Option(help="A year or range, e.g. 2014-2018; default all.")] = None,
    cohort: Annotated[str, typer.Option(help="all authors, or top: authors of top-tier papers.")] = "all",
    origin: Annotated[str, typer.Option(help="first-observed, or education (needs education data).")] = (
        "first-observed"
    ),
    careers: Annotated[bool, typer.Option("--careers", help="Also output talent.careers (large).")] = False,
    json_out: JsonOption = False,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Write every table as CSV+Parquet here.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Careers, balance, flows, moves, returns, retention, sectors and concentration (docs/talent.md)."""
    from splitscope.analysis.talent.tables import run_talent, talent_json
    from splitscope.config import load_settings
    from splitscope.selection import parse_selection

    selection = run(lambda: parse_selection(venues, years))
    tables = run(
        lambda: run_talent(load_settings(db=db).db_path, selection, cohort, origin, include_careers=careers)
    )
    if csv_dir is not None:
        for table in tables.values():
            table.write(csv_dir)
    if json_out:
        print_json(talent_json(tables, next(iter(tables.values())).filters))
        return
    for table in tables.values():
        cov = table.coverage
        typer.echo(f"{table.name}: {len(table.frame)} rows; coverage {cov.covered}/{cov.eligible} {cov.unit}")


@app.command("collab")
def collab_command(
    venues: Annotated[
        str | None, typer.Option("--venues", help="Venue codes or sets (ml-core, ...); all.")
    ] = None,
    years: Annotated[str | None, typer.Option("--years", help="Year or range, e.g. 2018-2024.")] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="Topic preset (llm) or phrases a,b.")] = None,
    window: Annotated[int, typer.Option("--window", help="Years per tie/network window.")] = 3,
    grouping: Annotated[
        str | None, typer.Option("--grouping", help="Country grouping: greater-china, prc-with-sars.")
    ] = None,
    persons: Annotated[
        str, typer.Option("--persons", help="Tie persons: auto, linked, openreview.")
    ] = "auto",
    json_out: JsonOption = False,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Write every table as CSV+Parquet here.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Collaboration analytics: US-CN paper shares, pair strength, tie persistence, institution pairs."""
    from splitscope.analysis.collab import export as collab_export
    from splitscope.config import load_settings

    db_path = load_settings(db=db).db_path
    tables = run(lambda: collab_export.run_collab(db_path, venues, years, topic, window, grouping, persons))
    if csv_dir is not None:
        written = collab_export.write_collab_csv(tables, csv_dir)
        if not json_out:
            err_console.print(f"wrote {len(written)} files to {csv_dir}")
    if json_out:
        print_json(collab_export.collab_document(tables))
    else:
        _print_collab_headline(collab_export.headline(tables))


def _print_collab_headline(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table(title="US-CN papers (>= 1 US and >= 1 CN affiliation), all selected venues")
    for column in ("year", "share", "95% interval", "papers", "with country", "selected"):
        table.add_column(column, justify="right")
    for row in rows:
        share = row["share"]
        shown = "-" if share != share else f"{share:.3f}"  # NaN: no paper with a country
        interval = "-" if share != share else f"{row['share_ci_low']:.3f}-{row['share_ci_high']:.3f}"
        table.add_row(
            str(row["year"]),
            shown,
            interval,
            str(row["papers"]),
            str(row["papers_with_country"]),
            str(row["papers_selected"]),
        )
    Console().print(table)


# --- audit: stack exposure of a codebase (issue 10) ---------------------------------------------------


@app.command("audit")
def audit_command(
    path: Annotated[Path, typer.Argument(help="Repository folder to scan (nothing in it is executed).")],
    json_out: JsonOption = False,
    bom: Annotated[
        Path | None, typer.Option("--bom", help="Write a CycloneDX 1.6 ML-BOM (JSON) here.")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the audit as an HTML page here.")] = None,
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
    import json as json_module

    from splitscope.audit.bom import build_bom
    from splitscope.audit.html import write_html
    from splitscope.audit.report import check_fail_on, parse_fail_on, run_audit

    codes = run(lambda: parse_fail_on(fail_on))
    if json_out:
        audit = run(lambda: run_audit(path, home=home))
    else:
        with err_console.status(f"scanning {path}") as status:
            progress = lambda seen: status.update(f"scanning {path}: {seen} files")  # noqa: E731
            audit = run(lambda: run_audit(path, home=home, show_progress=progress))
    if bom is not None:
        document = run(lambda: build_bom(audit.deps))
        bom.write_text(json_module.dumps(document, indent=2), encoding="utf-8")
    if html is not None:
        write_html(audit.document, html)
    if json_out:
        print_json(audit.document)
    else:
        _print_audit_summary(audit.document)
    run(lambda: check_fail_on(audit, codes))


def _print_audit_summary(doc: dict[str, Any]) -> None:
    from rich.table import Table

    console = Console()
    files = doc["files"]
    console.print(
        f"{doc['root']}: {files['seen']} files seen, {files['read']} read, {files['skipped']} skipped"
    )
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


# --- sources: openreview, openalex ---------------------------------------------------------------------


@openreview_app.command("fetch")
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
    from splitscope.config import load_settings
    from splitscope.sources.openreview_workflow import fetch_venue_into_store

    settings = load_settings(db=db, cache=cache, mirror=mirror)
    summary = run(lambda: fetch_venue_into_store(settings, venue_id, interval, show_progress=not as_json))
    if as_json:
        print_json(summary)
    else:
        typer.echo(
            f"{venue_id}: {summary['papers_stored']} papers stored, {summary['records_merged']} already "
            f"held, {summary['records_quarantined']} quarantined; {summary['profiles_stored']} profiles, "
            f"{summary['origin']['persons_with_origin']} with an education-based origin"
        )


@openalex_app.command("ingest-snapshot")
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
    from splitscope.sources.openalex_load import run_ingest_snapshot

    summary = run(
        lambda: run_ingest_snapshot(snapshot_dir, filters or [], engine, spark_master, out, db, not as_json)
    )
    if as_json:
        print_json(summary.to_dict())
    else:
        typer.echo(
            f"{summary.flatten.source_id}: read {summary.records_read:,} = stored {summary.papers_stored:,}"
            f" + merged {summary.records_merged:,} + quarantined {summary.records_quarantined:,}"
            f" ({'reconciles' if summary.reconciles else 'DOES NOT RECONCILE'}); "
            f"{summary.flatten.works_filtered_out:,} filtered out"
        )
        for problem in summary.flatten.manifest_problems:
            typer.echo(f"manifest: {problem}")


@openalex_app.command("fetch")
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
    mirror: Annotated[Path | None, typer.Option("--mirror", help="Recorded responses; no network.")] = None,
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Cache root; also the resume checkpoint.")
    ] = None,
    max_requests: Annotated[
        int | None, typer.Option("--max-requests", help="Stop (resumable) after N requests.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only estimate the requests a fetch spends.")
    ] = False,
    rate: Annotated[float, typer.Option("--rate", help="Requests per second at most.")] = 10.0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fetch a venue's, concept's or topic's works and their authors from the OpenAlex API, and load them.
    Needs OPENALEX_API_KEY unless --mirror serves every request."""
    from splitscope.config import load_settings
    from splitscope.sources.openalex_workflow import fetch_and_ingest, parse_query

    settings = load_settings(db=db, cache=cache, mirror=mirror)
    query = run(lambda: parse_query(source, concept, topic, years))
    say = None if as_json else (lambda text: err_console.print(text, markup=False, highlight=False))
    summary = run(lambda: fetch_and_ingest(settings, query, out, max_requests, dry_run, rate, say))
    fetched = summary["fetch"]
    if as_json:
        print_json(summary)
    elif fetched["complete"]:
        typer.echo(
            f"{query.source_id}: {fetched['works_written']} works, {fetched['authors_written']} authors "
            f"from {fetched['requests_made']} requests; written to {fetched['out_dir']} and loaded"
        )
    if not fetched["complete"] and not dry_run:
        run(lambda: _raise_stopped(fetched["stop_reason"]))


def _raise_stopped(message: str) -> None:
    from splitscope.sources.polite_http import StoppedEarly

    raise StoppedEarly(message)


if __name__ == "__main__":  # pragma: no cover
    app()
