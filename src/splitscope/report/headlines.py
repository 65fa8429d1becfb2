"""Headline findings computed from the metric tables and claim verdicts (never written by hand)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from splitscope.analysis.claims import ClaimResult, select_rows
from splitscope.analysis.metric_table import MetricTable
from splitscope.report.sections import HEADLINES, Headline


@dataclass(frozen=True)
class HeadlineView:
    text: str  # the sentence, numbers included
    table_name: str  # the table every number in the sentence came from
    filters: str
    coverage: str


def compute_headlines(tables: dict[str, MetricTable], claims: list[ClaimResult]) -> list[HeadlineView]:
    views = [view for spec in HEADLINES if (view := _headline(spec, tables.get(spec.table))) is not None]
    for result in claims:
        if result.verdict == "inconclusive":
            continue
        text = (
            f"Claim “{result.claim.claim}”: {result.verdict} — "
            f"{_fmt(result.early.estimate, True)} in {_span(result.early)} vs "  # type: ignore[union-attr]
            f"{_fmt(result.late.estimate, True)} in {_span(result.late)}."  # type: ignore[union-attr]
        )
        views.append(
            HeadlineView(text, result.claim.table, _filters(result.filters), _coverage(result.coverage))
        )
    return views


def _headline(spec: Headline, table: MetricTable | None) -> HeadlineView | None:
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
    first, last = rows.iloc[0], rows.iloc[-1]
    text = f"{spec.label}: {_fmt(last[spec.value], spec.percent)}{_interval(last, spec)} in {int(last['_x'])}"
    if first["_x"] != last["_x"]:
        text += f", against {_fmt(first[spec.value], spec.percent)} in {int(first['_x'])}"
    text += "."
    return HeadlineView(text, table.name, _filters(table.filters), _coverage(table.coverage.to_dict()))


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


def _filters(filters: dict | None) -> str:
    if not filters:
        return "none"
    return "; ".join(f"{k}={v}" for k, v in filters.items())


def _coverage(coverage: dict | None) -> str:
    if not coverage:
        return "n/a"
    share = coverage.get("share")
    shown = "n/a" if share is None else f"{share:.1%}"
    return f"{coverage['covered']:,} of {coverage['eligible']:,} {coverage['unit']} ({shown})"
