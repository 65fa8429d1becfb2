"""Every talent table for a selection, and the `splitscope talent --json` document.

`talent_tables(con, selection, cohort, origin)` is what the report and `splitscope talent` call.
Definitions live in docs/talent.md; each table's `notes` restates its denominator.
"""

from __future__ import annotations

import duckdb

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES
from splitscope.analysis.coverage import TrendPanel, venue_years_table
from splitscope.analysis.metric_table import MetricTable
from splitscope.analysis.talent.balance import flow_table, origin_work_by_year_table
from splitscope.analysis.talent.careers import CareerOptions, build_careers, careers_table, fetch_row
from splitscope.analysis.talent.concentration import (
    CONCENTRATION_RESAMPLES,
    concentration_table,
    sector_table,
)
from splitscope.analysis.talent.moves import build_anchor_runs, moves_tables, retention_tables, returns_table
from splitscope.analysis.talent.origin import build_origin, require_education_origin
from splitscope.analysis.talent.trends import origin_share_tables, work_country_tables
from splitscope.selection import Selection


def talent_tables(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    cohort: str = "all",
    origin: str = "first-observed",
    *,
    min_evidence: int = 1,
    confirm_years: int = 1,
    resamples: int = DEFAULT_RESAMPLES,
    include_careers: bool = False,
) -> dict[str, MetricTable]:
    """Every talent table for a venue/year selection and cohort ('all' authors or 'top' tier)."""
    if origin == "education":  # fail before the expensive part when there is no education data
        require_education_origin(con)
    panel = TrendPanel.of(con, selection)  # coverage per venue-year and the gate, before anything counts
    build_careers(con, CareerOptions(selection=selection, cohort=cohort, gated=panel.gated))
    build_origin(con, origin, min_evidence=min_evidence)
    build_anchor_runs(con, confirm_years=confirm_years)
    moves, moves_detail = moves_tables(con, selection)
    returns, _ = returns_table(con, resamples=resamples)
    retention, retention_pooled = retention_tables(con, selection, resamples=resamples)
    tables = [
        *work_country_tables(con, panel, cohort, resamples),
        origin_share_tables(con, panel, cohort, resamples),
        flow_table(con, selection, resamples),
        origin_work_by_year_table(con, resamples),
        moves,
        moves_detail,
        returns,
        retention,
        retention_pooled,
        sector_table(con, resamples),
        concentration_table(con, min(resamples, CONCENTRATION_RESAMPLES)),
        venue_years_table(panel),
    ]
    if include_careers:  # one row per person-year-affiliation: large, so only on request
        tables.insert(0, careers_table(con))
    filters = {
        **selection.to_dict(),
        "cohort": cohort,
        "origin": origin,
        "min_evidence": min_evidence,
        "confirm_years": confirm_years,
        **panel.filters(),
    }
    top_note = _top_tier_note(con, selection) if cohort == "top" else ""
    for table in tables:
        table.filters = filters
        table.notes = "; ".join(n for n in (table.notes, top_note) if n)
    return {table.name: table for table in tables}


def _top_tier_note(con: duckdb.DuckDBPyConnection, selection: Selection) -> str:
    """Venue-years that do not mark oral/spotlight/... contribute nobody to the top cohort: say which do."""
    marked, total = fetch_row(
        con,
        f"""
        select count(*) filter (where has_top), count(*) from (
            select venue, year, bool_or(top_tier) as has_top from papers
            where accepted and {selection.sql()} group by all)
        """,
    )
    return f"top tier is marked in {marked} of {total} selected venue-years; the others add no one"


TALENT_JSON_SCHEMA = "splitscope.talent/1"


def talent_json(tables: dict[str, MetricTable], filters: dict[str, object]) -> dict[str, object]:
    """The stable `splitscope talent --json` document (docs/talent.md, "JSON output")."""
    return {
        "schema": TALENT_JSON_SCHEMA,
        "filters": filters,
        "tables": {name: table.to_dict() for name, table in tables.items()},
    }


REQUIRED_TABLES = ("papers", "authorships", "authorship_affiliations", "authorship_person")


def talent_headline(tables: dict[str, MetricTable]) -> list[dict]:
    """Per year: the US and China work shares with their intervals, the researcher-years with a country,
    and the US↔CN moves — what `splitscope talent` prints; every table is in --json / --csv."""
    rows: dict[int, dict] = {}
    shares = tables.get("talent.work_country_share")
    if shares is not None and not shares.frame.empty:
        frame = shares.frame
        for r in frame.drop_duplicates("year").itertuples():
            rows.setdefault(int(r.year), {}).update(covered=int(r.covered), eligible=int(r.eligible))
        for country in ("US", "CN"):
            for r in frame[frame["country"] == country].itertuples():
                rows.setdefault(int(r.year), {})[country] = (r.share, r.share_ci_low, r.share_ci_high)
    moves = tables.get("talent.moves")
    if moves is not None and not moves.frame.empty:
        frame = moves.frame
        for origin, destination in (("US", "CN"), ("CN", "US")):
            route = frame[(frame["from_country"] == origin) & (frame["to_country"] == destination)]
            for r in route.itertuples():
                rows.setdefault(int(r.year), {})[f"{origin}->{destination}"] = int(r.moves)
    return [{"year": year, **values} for year, values in sorted(rows.items())]
