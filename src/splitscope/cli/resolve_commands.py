"""resolve, orgs show, orgs import-ror, person, eval affiliations, eval persons."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from splitscope import api
from splitscope.cli.common import DbOption, JsonOption, print_json, run
from splitscope.config import load_settings


def resolve_command(
    text: Annotated[str, typer.Argument(help="An affiliation string as printed on a paper.")],
    email_domain: Annotated[
        str, typer.Option("--email-domain", help="The author's e-mail domain, if known.")
    ] = "",
    json_out: JsonOption = False,
) -> None:
    """Resolve one affiliation string: organisation, country, sector, method, confidence and evidence."""
    answer = run(lambda: api.resolve_affiliation(load_settings(), text, email_domain)).to_dict()
    if json_out:
        print_json(answer)
        return
    for key, value in answer.items():
        typer.echo(f"{key:>12}: {'-' if value is None else value}")


def orgs_show_command(
    name: Annotated[str, typer.Argument(help="An organisation id, name or alias.")],
    json_out: JsonOption = False,
) -> None:
    """Print a registry entry (looked up by id, else by any of its names)."""
    found = run(lambda: api.orgs_show(load_settings(), name)).to_dict()
    if json_out:
        print_json(found)
        return
    for org in found:
        for key, value in org.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            typer.echo(f"{key:>16}: {'-' if shown in (None, '') else shown}")
        typer.echo("")


def orgs_import_ror_command(
    dump: Annotated[Path, typer.Argument(help="ROR v2 data dump (.zip holding the v2 JSON, or the .json).")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Registry file to write (default <cache>/orgs/ror.yaml).")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Convert a ROR v2 dump into a registry file that resolution loads next to the curated one."""
    summary = run(lambda: api.orgs_import_ror(load_settings(), dump, out)).to_dict()
    if json_out:
        print_json(summary)
    else:
        typer.echo(f"{summary['orgs']} organisations from {dump} written to {summary['file']}")


def eval_affiliations_command(
    paths: Annotated[list[Path], typer.Argument(help="papercopilot files with aff_country_unique labels.")],
    json_out: JsonOption = False,
) -> None:
    """Country precision and coverage against papercopilot's per-author country labels."""
    result = run(lambda: api.eval_affiliations(load_settings(), list(paths))).to_dict()
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


def person_command(
    query: Annotated[
        str, typer.Argument(help="A name as written, an OpenReview id (~Jane_Doe1) or a person id.")
    ],
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """A person's papers by year with organisation and country, and why the records were linked."""
    persons = run(lambda: api.person(load_settings(db=db), query)).to_dict()
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
            for site in paper.get("site_continuity") or []:  # issue 16: where a site country came from
                taken = site["country"] or f"unknown (default {site['default_country']} not used for moves)"
                typer.echo(
                    f"       {site['org_id']} names no site: {taken} by {site['rule']} from "
                    f"{', '.join(site['evidence_authorship_ids']) or 'no other paper'}"
                )
        typer.echo("")


def eval_persons_command(
    paths: Annotated[list[Path], typer.Argument(help="Paper-list files whose authors carry OpenReview ids.")],
    json_out: JsonOption = False,
) -> None:
    """Hide OpenReview ids, link, score B-cubed and pairwise against the ids and a name-only baseline."""
    result = run(lambda: api.eval_persons(load_settings(), list(paths))).to_dict()
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
    if folded := result.get("duplicate_profiles_folded"):
        typer.echo(
            f"truth with one researcher's duplicate profiles as one ({folded['profiles_folded']} profiles "
            f"share an ORCID, Scholar or DBLP link and a name): splitscope B3 P {folded['b3_precision']:.4f}"
            f" R {folded['b3_recall']:.4f} F1 {folded['b3_f1']:.4f}"
        )
