"""One chart or table of the page (a Block) with its provenance, series notes and venue variants."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from splitscope.analysis.claims import select_rows
from splitscope.analysis.metric_table import MetricTable
from splitscope.report.charts import MAX_TABLE_ROWS, ChartUnavailable, build_figure, colours_of, figure_json
from splitscope.report.gather import Gathered
from splitscope.report.missing import chart_missing
from splitscope.report.sections import Chart
from splitscope.report.series import WEIGHT_COLUMNS, lead_rank, series_labels

VENUE_COLUMN = "venue_group"
ALL_VENUES = "all venues"
# The venue groups the analysis names (issue 15), in the order a reader expects; any other group follows.
VENUE_ORDER = ("neurips", "icml", "iclr", "cvpr", "iccv_eccv", "acl_emnlp", "aaai_ijcai", "robotics")


@dataclass
class Block:
    """One chart or table in a section, with the provenance every number in it needs."""

    caption: str
    table_name: str
    kind: str
    figure_id: str = ""
    figure_json: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    truncated: int = 0
    unavailable: str = ""
    title: str = ""
    filters: str = ""
    coverage: str = ""
    notes: str = ""
    series_notes: list[str] = field(default_factory=list)  # what the chart leaves out, and why
    venue_labels: list[str] = field(default_factory=list)  # selector options (first: all venues)
    venue_table: str = ""  # the by-venue table the variants come from
    variants_json: str = ""  # {"variants": [{label, figure, notes}]} for the selector, embedded once


# A filter listing more values than this (the gated-out venue-years) is shown by count and first values:
# the full list is in the table's CSV/JSON and in the venue-years tables of the Data quality section.
LONG_FILTER = 6


def format_filters(filters: dict[str, Any] | None) -> str:
    if not filters:
        return "none"
    parts = []
    for key, value in filters.items():
        if key == "years" and isinstance(value, list | tuple) and len(value) == 2:
            # Selections hold years as an inclusive (first, last) pair; "2010, 2024" would read as two years.
            shown = f"{value[0]}–{value[1]}"
        elif isinstance(value, list | tuple) and len(value) > LONG_FILTER:
            first = ", ".join(map(str, value[:3]))
            shown = f"{len(value)} ({first}, … all in the table's JSON and under Data quality)"
        elif isinstance(value, list | tuple):
            shown = ", ".join(map(str, value))
        else:
            shown = str(value)
        parts.append(f"{key}={shown}")
    return "; ".join(parts)


def format_coverage(table: MetricTable) -> str:
    cov = table.coverage
    share = "n/a" if cov.share is None else f"{cov.share:.1%}"
    return f"{cov.covered:,} of {cov.eligible:,} {cov.unit} ({share})"


def provenance(block: Block, table: MetricTable) -> Block:
    block.title = table.title
    block.filters = format_filters(table.filters)
    block.coverage = format_coverage(table)
    block.notes = table.notes
    return block


def chart_block(chart: Chart, gathered: Gathered, counter: Iterator[int]) -> Block:
    block = Block(caption=chart.caption, table_name=chart.table, kind=chart.kind)
    table = gathered.tables.get(chart.table)
    if table is None:
        block.unavailable = chart_missing(chart.table, gathered)
        return block
    provenance(block, table)
    if chart.kind == "table":
        return fill_table(block, select_rows(table.frame, chart.where) if chart.where else table.frame)
    try:
        built = build_figure(chart, table)
    except ChartUnavailable as exc:
        block.unavailable = str(exc)
        return block
    block.figure_id = f"chart-{next(counter)}"
    block.figure_json = figure_json(built.figure)
    block.series_notes = built.notes
    if chart.by_venue:
        _add_venue_variants(block, chart, gathered.tables.get(chart.by_venue), colours_of(built.figure))
    return block


def _add_venue_variants(block: Block, chart: Chart, table: MetricTable | None, colours: dict) -> None:
    """One figure per venue group from the by-venue table (absent table: no selector), drawn with the
    same rules and colours as the all-venue chart."""
    if table is None or VENUE_COLUMN not in table.frame.columns:
        return
    groups = [str(g) for g in table.frame[VENUE_COLUMN].dropna().unique()]
    groups.sort(key=lambda g: (VENUE_ORDER.index(g) if g in VENUE_ORDER else len(VENUE_ORDER), g))
    variants: list[dict[str, Any]] = []
    labels: list[str] = []
    for group in groups:
        rows = table.frame[table.frame[VENUE_COLUMN].astype(str) == group].drop(columns=VENUE_COLUMN)
        try:
            built = build_figure(
                chart, dataclasses.replace(table, frame=rows.reset_index(drop=True)), colours
            )
        except ChartUnavailable:
            continue  # a venue with nothing drawable is simply not offered
        variants.append({"label": group, "figure": built.figure, "notes": built.notes})
        labels.append(group)
    if not variants:
        return
    block.venue_labels = [ALL_VENUES, *labels]
    block.venue_table = table.name
    block.variants_json = figure_json({"variants": variants})
    block.notes = " ".join(filter(None, [block.notes, f"Venue groups from {table.name}."]))


def fill_table(block: Block, frame: pd.DataFrame) -> Block:
    block.columns = [str(c) for c in frame.columns]
    shown = frame.head(MAX_TABLE_ROWS)
    block.rows = [[_cell(v) for v in row] for row in shown.itertuples(index=False)]
    block.truncated = max(0, len(frame) - len(shown))
    return block


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=str)
    return str(value)


def table_or_chart(table: MetricTable, counter: Iterator[int]) -> Block:
    """Tables nobody declared a chart for: a line chart when they have a year and a bounded value."""
    frame = table.frame
    columns = set(frame.columns)
    bounded = any(f"{c}_ci_low" in columns for c in columns)
    block = provenance(Block(caption=table.title, table_name=table.name, kind="table"), table)
    if "year" in columns and bounded:
        try:
            built = build_figure(Chart(table.name, "line"), table)
            block.kind, block.figure_id = "line", f"chart-{next(counter)}"
            block.figure_json, block.series_notes = figure_json(built.figure), built.notes
            return block
        except ChartUnavailable:
            pass
    return fill_table(block, reader_order(frame))


def reader_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a country table as the charts order their series: the US and China first, then by
    weight (a table of the first 50 rows should not open on Armenia and Bulgaria)."""
    countries = [
        c for c in frame.columns if "country" in str(c) and not pd.api.types.is_numeric_dtype(frame[c])
    ]
    if not countries or frame.empty:
        return frame
    labels = series_labels(frame, countries)
    weight = next((c for c in WEIGHT_COLUMNS if c in frame.columns), None)
    keys = pd.DataFrame({"rank": labels.map(lead_rank), "size": -frame[weight] if weight else 0})
    return frame.loc[keys.sort_values(["rank", "size"], kind="stable").index]
