"""Headline findings computed from the metric tables and claim verdicts (never written by hand).

A headline over years names the panel it rests on, and never compares two ends whose venue sets differ:
- a chain-linked series (columns `chain_segment`, `link_venues`; the default of talent and collab) is
  compared between the first and last year of its last chain, every step of which was measured on venues
  present in both years; the sentence names those venues, the years, the coverage gate and the basis;
- a series without chain columns (the raw venue mix, or tables that are not chain-linked) is compared
  only when the first and last years rest on the same gated venues (from `talent.venue_years` /
  `collab.venue_years`); otherwise the sentence gives the last year alone and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from splitscope.analysis.claims import ClaimResult, select_rows
from splitscope.analysis.metric_table import MetricTable
from splitscope.report.blocks import format_filters
from splitscope.report.sections import HEADLINES, Headline


@dataclass(frozen=True)
class HeadlineView:
    text: str  # the sentence, numbers included
    table_name: str  # the table every number in the sentence came from
    filters: str
    coverage: str


def compute_headlines(tables: dict[str, MetricTable], claims: list[ClaimResult]) -> list[HeadlineView]:
    views = [
        view for spec in HEADLINES if (view := _headline(spec, tables.get(spec.table), tables)) is not None
    ]
    for result in claims:
        if result.verdict == "inconclusive":
            continue
        text = (
            f"Claim “{result.claim.claim}”: {result.verdict} — "
            f"{_fmt(result.early.estimate, True)} in {_span(result.early)} vs "  # type: ignore[union-attr]
            f"{_fmt(result.late.estimate, True)} in {_span(result.late)}."  # type: ignore[union-attr]
        )
        views.append(
            HeadlineView(text, result.claim.table, format_filters(result.filters), _coverage(result.coverage))
        )
    return views


def _headline(
    spec: Headline, table: MetricTable | None, tables: dict[str, MetricTable] | None = None
) -> HeadlineView | None:
    if table is None:
        return None
    frame = table.frame
    needed = [spec.x, spec.value, *spec.where]
    if any(col not in frame.columns for col in needed):
        return None
    rows = select_rows(frame, spec.where).dropna(subset=[spec.value])
    rows = (
        rows.assign(_x=pd.to_numeric(rows[spec.x], errors="coerce")).dropna(subset=["_x"]).sort_values("_x")
    )
    if rows.empty:
        return None
    panel = ""
    if spec.x == "year" and _is_chained(rows):
        rows = rows[rows["chain_segment"] == rows["chain_segment"].max()]
        panel = _chain_panel(rows, table.filters)
    first, last = rows.iloc[0], rows.iloc[-1]
    text = f"{spec.label}: {_fmt(last[spec.value], spec.percent)}{_interval(last, spec)} in {int(last['_x'])}"
    gated = venue_sets(table, tables or {}) if spec.x in ("year", "cohort") and not panel else None
    comparable = gated is None or gated.get(int(first["_x"])) == gated.get(int(last["_x"]))
    if first["_x"] != last["_x"] and comparable:
        text += f", against {_fmt(first[spec.value], spec.percent)} in {int(first['_x'])}"
    text += "."
    if not comparable and gated is not None:
        early, late = int(first["_x"]), int(last["_x"])
        text += (
            f" Not compared with {early}: the venues with enough coverage differ between the two years "
            f"({_venues(gated.get(early))} vs {_venues(gated.get(late))})."
        )
    text += panel
    if spec.x in ("year", "cohort"):
        text += _crawl_time_note({int(first["_x"]), int(last["_x"])}, table.filters)
    return HeadlineView(text, table.name, format_filters(table.filters), _coverage(table.coverage.to_dict()))


def _is_chained(rows: pd.DataFrame) -> bool:
    return "chain_segment" in rows.columns and bool(rows["chain_segment"].notna().any())


def _chain_panel(rows: pd.DataFrame, filters: dict | None) -> str:
    """' Panel: …' — the venues every step was measured on, the years, the gate and the basis."""
    filters = filters or {}
    venues = sorted({v for text in rows["link_venues"].dropna() for v in str(text).split(",") if v})
    years = f"{int(rows['_x'].iloc[0])}–{int(rows['_x'].iloc[-1])}"
    gate = filters.get("coverage_gate")
    gate_text = f", coverage gate {gate:.2f}" if isinstance(gate, int | float) else ""
    bases = filters.get("affiliation_bases", "all")
    basis = (
        f"affiliations: {bases if isinstance(bases, str) else ', '.join(bases)} bases, "
        f"{filters.get('country_basis', 'site')} countries, China = {filters.get('china_scope', 'mainland')}"
    )
    return (
        f" Panel: chain-linked {years}, each year compared with the previous one on the venues present in "
        f"both ({_venues(venues)}){gate_text}; {basis}."
    )


def _crawl_time_note(years: set[int], filters: dict | None) -> str:
    """Says when a compared year rests partly on affiliations read from OpenReview profiles at crawl time
    (where the authors were later, not where they were when they wrote the paper)."""
    crawled = (filters or {}).get("profile_crawl_venue_years") or []
    parts = []
    for year in sorted(years):
        named = sorted(v for v in crawled if isinstance(v, str) and v.endswith(str(year)))
        if named:
            parts.append(f"{year}: {', '.join(named)}")
    if not parts:
        return ""
    return (
        " Venue-years whose affiliations mostly come from OpenReview profiles as crawled later,"
        " not from the papers ("
        + "; ".join(parts)
        + "); the option --affiliation-basis paper leaves them out."
    )


def venue_sets(table: MetricTable, tables: dict[str, MetricTable]) -> dict[int, frozenset[str]] | None:
    """Gated venues per year from the family's venue_years table (None when it is not there)."""
    family = "collab" if table.name.startswith("collab.") else "talent"
    suffix = table.name.split("__", 1)[1] if "__" in table.name else ""
    years = tables.get(f"{family}.venue_years" + (f"__{suffix}" if suffix else "")) or tables.get(
        f"{family}.venue_years"
    )
    if years is None:
        return None
    column = "paper_gated_in" if family == "collab" else "gated_in"
    frame = years.frame
    if column not in frame.columns:
        return None
    gated = frame[frame[column].astype(bool)]
    return {int(y): frozenset(g["venue"]) for y, g in gated.groupby("year")}


def _venues(venues) -> str:
    return ", ".join(sorted(venues)) if venues else "none"


def _interval(row: pd.Series, spec: Headline) -> str:
    low, high = row.get(f"{spec.value}_ci_low"), row.get(f"{spec.value}_ci_high")
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    return f" (95% CI {_fmt(low, spec.percent)}–{_fmt(high, spec.percent)})"


def _fmt(value: float, percent: bool) -> str:
    return f"{value:.1%}" if percent else f"{value:,.3g}"


def _span(window) -> str:
    start, end = int(window.x_from), int(window.x_to)
    return str(start) if start == end else f"{start}–{end}"


def _coverage(coverage: dict | None) -> str:
    if not coverage:
        return "n/a"
    share = coverage.get("share")
    shown = "n/a" if share is None else f"{share:.1%}"
    return f"{coverage['covered']:,} of {coverage['eligible']:,} {coverage['unit']} ({shown})"
