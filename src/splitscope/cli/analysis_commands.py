"""talent, collab."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from splitscope import api
from splitscope.analysis.coverage import TREND_COVERAGE_GATE
from splitscope.cli.common import (
    ChinaScopeOption,
    CsvOption,
    DbOption,
    JsonOption,
    err_console,
    print_json,
    run,
)
from splitscope.config import load_settings
from splitscope.selection import Selection, parse_selection

# How trends are measured; the same options for talent and collab (selection.py parses them).
RawMixOption = Annotated[
    bool,
    typer.Option(
        "--raw-mix",
        help="Pool each year's own venues (the raw venue mix: venues entering or leaving move the series) "
        "instead of chain-linking changes over the venues present in both years.",
    ),
]
GateOption = Annotated[
    float | None,
    typer.Option(
        "--coverage-gate",
        help=f"Minimum affiliation coverage of a venue-year in a trend (default {TREND_COVERAGE_GATE}).",
    ),
]
BasisOption = Annotated[
    str,
    typer.Option(
        "--basis", help="Country of an affiliation: site (named in the string) or hq (parent company)."
    ),
]
AffiliationBasisOption = Annotated[
    str | None,
    typer.Option(
        "--affiliation-basis",
        help="Use only these sources of affiliations: paper, profile_crawl, profile_dated, openalex (a,b).",
    ),
]
ExcludeBasisOption = Annotated[
    str | None,
    typer.Option("--exclude-affiliation-basis", help="Leave out these sources of affiliations (a,b)."),
]


def trend_selection(
    venues: str | None,
    years: str | None,
    raw_mix: bool,
    gate: float | None,
    basis: str,
    china_scope: str | None,
    include: str | None,
    exclude: str | None,
) -> Selection:
    return run(
        lambda: parse_selection(
            venues,
            years,
            raw_mix=raw_mix,
            coverage_gate=gate,
            basis=basis,
            china_scope=china_scope,
            affiliation_basis=include,
            exclude_affiliation_basis=exclude,
        )
    )


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
    raw_mix: RawMixOption = False,
    coverage_gate: GateOption = None,
    basis: BasisOption = "site",
    china_scope: ChinaScopeOption = None,
    affiliation_basis: AffiliationBasisOption = None,
    exclude_affiliation_basis: ExcludeBasisOption = None,
    json_out: JsonOption = False,
    csv_dir: CsvOption = None,
    db: DbOption = None,
) -> None:
    """Careers, balance, flows, moves, returns, retention, sectors and concentration (docs/talent.md)."""
    selection = trend_selection(
        venues,
        years,
        raw_mix,
        coverage_gate,
        basis,
        china_scope,
        affiliation_basis,
        exclude_affiliation_basis,
    )
    options = api.TalentOptions(cohort=cohort, origin=origin, include_careers=careers)
    result = run(lambda: api.talent(load_settings(db=db), selection, options))
    if csv_dir is not None:
        result.write(csv_dir)
    if json_out:
        print_json(result.to_dict())
        return
    print_talent_headline(result.headline(), selection)
    shares = result.tables.get("talent.work_country_share")
    if shares is not None:
        print_panel_caveats(shares.filters)
    for table in result.tables.values():
        cov = table.coverage
        err_console.print(
            f"{table.name}: {len(table.frame)} rows; coverage {cov.covered}/{cov.eligible} {cov.unit}"
        )


def collab_command(
    venues: Annotated[
        str | None, typer.Option("--venues", help="Venue codes or sets (ml-core, ...); all.")
    ] = None,
    years: Annotated[str | None, typer.Option("--years", help="Year or range, e.g. 2018-2024.")] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="Topic preset (llm) or phrases a,b.")] = None,
    window: Annotated[int, typer.Option("--window", help="Years per tie/network window.")] = 3,
    persons: Annotated[
        str, typer.Option("--persons", help="Tie persons: auto, linked, openreview.")
    ] = "auto",
    raw_mix: RawMixOption = False,
    coverage_gate: GateOption = None,
    basis: BasisOption = "site",
    china_scope: ChinaScopeOption = None,
    grouping: Annotated[
        str | None,
        typer.Option(
            "--grouping",
            help="Old name of --china-scope: greater-china = with-hk-mo-tw, prc-with-sars = with-hk-mo.",
        ),
    ] = None,
    affiliation_basis: AffiliationBasisOption = None,
    exclude_affiliation_basis: ExcludeBasisOption = None,
    json_out: JsonOption = False,
    csv_dir: CsvOption = None,
    db: DbOption = None,
) -> None:
    """Collaboration analytics: US-CN paper shares, pair strength, tie persistence, institution pairs."""
    selection = trend_selection(
        venues,
        years,
        raw_mix,
        coverage_gate,
        basis,
        china_scope or grouping,
        affiliation_basis,
        exclude_affiliation_basis,
    )
    options = api.CollabOptions(topic=topic, window=window, persons=persons)
    result = run(lambda: api.collab(load_settings(db=db), selection, options))
    if csv_dir is not None:
        written = result.write(csv_dir)
        if not json_out:
            err_console.print(f"wrote {len(written)} files to {csv_dir}")
    if json_out:
        print_json(result.to_dict())
    else:
        print_collab_headline(result.headline())
        mix = result.tables.get("collab.paper_mix")
        if mix is not None:
            print_panel_caveats(mix.filters)


def print_talent_headline(rows: list[dict[str, Any]], selection: Selection) -> None:
    method = "raw venue mix" if selection.aggregate == "raw" else "chain-linked over venues in both years"
    gate = TREND_COVERAGE_GATE if selection.coverage_gate is None else selection.coverage_gate
    bases = ",".join(selection.affiliation_bases) if selection.affiliation_bases else "all"
    table = Table(
        title=f"Researchers working in the US and China, % ({method}; coverage gate {gate:.2f}; "
        f"{selection.country_basis} countries, China = {selection.china_scope}; affiliation bases {bases}); "
        "US-CN moves"
    )
    for column in ("year", "US", "95% CI", "CN", "95% CI", "US>CN", "CN>US", "covered"):
        table.add_column(column, justify="right")

    def share(row: dict[str, Any], country: str) -> tuple[str, str]:
        value = row.get(country)
        if value is None or value[0] != value[0]:  # absent, or NaN
            return "-", "-"
        return f"{100 * value[0]:.1f}", f"{100 * value[1]:.1f}-{100 * value[2]:.1f}"

    for row in rows:
        covered = f"{row['covered'] / row['eligible']:.0%}" if row.get("eligible") else "-"
        moves = [str(row[k]) if k in row else "-" for k in ("US->CN", "CN->US")]
        table.add_row(str(row["year"]), *share(row, "US"), *share(row, "CN"), *moves, covered)
    Console().print(table)
    err_console.print(
        "covered = researcher-years with a resolved country; every table with its coverage and notes: "
        "--json or --csv DIR (docs/talent.md)"
    )


def print_panel_caveats(filters: dict[str, Any]) -> None:
    """What a trend leaves out or rests on, in one or two lines (the full lists are in --json)."""

    def listed(items: list[str]) -> str:
        return ", ".join(items[:6]) + (f", … ({len(items)} in all)" if len(items) > 6 else "")

    if gated_out := filters.get("gated_out") or []:
        err_console.print(f"left out, coverage below the gate: {listed(gated_out)}")
    if crawled := filters.get("profile_crawl_venue_years") or []:
        err_console.print(f"affiliations mostly from OpenReview profiles as crawled later: {listed(crawled)}")


def print_collab_headline(rows: list[dict[str, Any]]) -> None:
    table = Table(
        title="US-CN papers (>= 1 US and >= 1 CN affiliation), all selected venues (see --json notes)"
    )
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
