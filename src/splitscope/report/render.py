"""render_report: one self-contained index.html (Plotly inlined once) plus data/ exports of every table."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from plotly.offline import get_plotlyjs

from splitscope import __version__
from splitscope.analysis.claims import ClaimResult, evaluate_claims, load_claims, select_rows
from splitscope.analysis.metric_table import MetricTable
from splitscope.report.charts import MAX_TABLE_ROWS, ChartUnavailable, build_figure, figure_json
from splitscope.report.gather import Gathered, gather_tables
from splitscope.report.headlines import compute_headlines
from splitscope.report.quality import derived_quality_tables
from splitscope.report.sections import EXPORT_ONLY_SUFFIXES, QUALITY_CHARTS, SECTIONS, Chart, Section
from splitscope.selection import Selection

QUALITY_PROVIDERS = ("store status",)


@dataclass
class ReportResult:
    out_dir: Path
    index_html: Path
    tables_written: list[str]
    sections: dict[str, str]  # section id -> 'ok' | 'partial' | 'not available'
    claims: list[dict[str, Any]]
    unavailable: dict[str, str]
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for the terminal: where the report is, what is in it, what is missing."""
        drawn = sum(1 for status in self.sections.values() if status != "not available")
        lines = [
            f"Report written to {self.index_html} in {self.seconds:.1f} s: "
            f"{len(self.tables_written)} tables in {self.out_dir / 'data'}, "
            f"{drawn} of {len(self.sections)} sections with data.",
        ]
        lines += [f"  claim {c['id']}: {c['verdict']} ({c['reason']})" for c in self.claims]
        lines += [f"  not available: {label}: {why}" for label, why in self.unavailable.items()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "index_html": str(self.index_html),
            "tables_written": self.tables_written,
            "sections": self.sections,
            "claims": self.claims,
            "unavailable": self.unavailable,
            "seconds": round(self.seconds, 2),
        }


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


def render_report(
    con,
    out_dir: Path | str,
    selection: Selection,
    claims_file: Path | str | None = None,
    gathered: Gathered | None = None,
) -> ReportResult:
    """Write out_dir/index.html and out_dir/data/<table>.{csv,parquet}. `gathered` injects tables."""
    started = time.perf_counter()
    claims = load_claims(claims_file)  # validate first: a bad claims file should fail before any work
    gathered = gathered if gathered is not None else gather_tables(con, selection)
    for table in derived_quality_tables(gathered.tables):
        gathered.tables[table.name] = table
        gathered.provider_of[table.name] = "report (derived)"
    out = Path(out_dir)
    data_dir = out / "data"
    written = _write_tables(gathered.tables, data_dir)
    counter = iter(range(1, 10_000))
    section_views = [_section_view(section, gathered, counter) for section in SECTIONS]
    claim_results = evaluate_claims(claims, gathered.tables)
    _write_claims(claim_results, data_dir)
    page = {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "selection": _format_filters(selection.to_dict()),
        "headlines": compute_headlines(gathered.tables, claim_results),
        "sections": section_views,
        "claims": [_claim_view(r, gathered.tables, counter) for r in claim_results],
        "quality": _quality_blocks(gathered, counter),
        "appendix": _appendix_blocks(gathered, counter),
        "unavailable": gathered.unavailable,
        "plotly_js": get_plotlyjs(),
    }
    index_html = out / "index.html"
    index_html.write_text(_environment().get_template("report.html.j2").render(**page), encoding="utf-8")
    return ReportResult(
        out_dir=out,
        index_html=index_html,
        tables_written=written,
        sections={view["id"]: view["status"] for view in section_views},
        claims=[r.to_dict() for r in claim_results],
        unavailable=dict(gathered.unavailable),
        seconds=time.perf_counter() - started,
    )


def _environment() -> jinja2.Environment:
    # Autoescape on for every template: every data string (titles, affiliations, names) renders as text.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("splitscope.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _write_tables(tables: dict[str, MetricTable], data_dir: Path) -> list[str]:
    for table in tables.values():
        table.write(data_dir)
        meta = {k: v for k, v in table.to_dict().items() if k not in ("rows",)}
        (data_dir / f"{table.name}.json").write_text(
            json.dumps(meta, indent=2, default=str), encoding="utf-8"
        )
    return sorted(tables)


def _write_claims(results: list[ClaimResult], data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    records = [r.to_dict() for r in results]
    (data_dir / "claims.json").write_text(json.dumps(records, indent=2, default=str), encoding="utf-8")
    flat = pd.DataFrame(
        [
            {
                "id": r["id"],
                "claim": r["claim"],
                "verdict": r["verdict"],
                "reason": r["reason"],
                "table": r["table"],
                "early_estimate": (r["early"] or {}).get("estimate"),
                "early_ci_low": (r["early"] or {}).get("low"),
                "early_ci_high": (r["early"] or {}).get("high"),
                "late_estimate": (r["late"] or {}).get("estimate"),
                "late_ci_low": (r["late"] or {}).get("low"),
                "late_ci_high": (r["late"] or {}).get("high"),
            }
            for r in records
        ]
    )
    flat.to_csv(data_dir / "claims.csv", index=False)


def _format_filters(filters: dict[str, Any]) -> str:
    if not filters:
        return "none"
    parts = []
    for key, value in filters.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        parts.append(f"{key}={shown}")
    return "; ".join(parts)


def _format_coverage(table: MetricTable) -> str:
    cov = table.coverage
    share = "n/a" if cov.share is None else f"{cov.share:.1%}"
    return f"{cov.covered:,} of {cov.eligible:,} {cov.unit} ({share})"


def _provenance(block: Block, table: MetricTable) -> Block:
    block.title = table.title
    block.filters = _format_filters(table.filters)
    block.coverage = _format_coverage(table)
    block.notes = table.notes
    return block


def _chart_block(chart: Chart, gathered: Gathered, counter) -> Block:
    block = Block(caption=chart.caption, table_name=chart.table, kind=chart.kind)
    table = gathered.tables.get(chart.table)
    if table is None:
        block.unavailable = gathered.why_missing(chart.table)
        return block
    _provenance(block, table)
    if chart.kind == "table":
        return _fill_table(block, select_rows(table.frame, chart.where) if chart.where else table.frame)
    try:
        figure = build_figure(chart, table)
    except ChartUnavailable as exc:
        block.unavailable = f"{chart.table}: {exc}"
        return block
    block.figure_id = f"chart-{next(counter)}"
    block.figure_json = figure_json(figure)
    return block


def _fill_table(block: Block, frame: pd.DataFrame) -> Block:
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
    return str(value)


def _section_view(section: Section, gathered: Gathered, counter) -> dict[str, Any]:
    blocks = [_chart_block(chart, gathered, counter) for chart in section.charts]
    drawn = sum(1 for b in blocks if not b.unavailable)
    status = "ok" if drawn == len(blocks) else ("partial" if drawn else "not available")
    return {
        "id": section.id,
        "title": section.title,
        "intro": section.intro,
        "blocks": blocks,
        "status": status,
    }


def _claim_view(result: ClaimResult, tables: dict[str, MetricTable], counter) -> dict[str, Any]:
    view: dict[str, Any] = {"result": result, "evidence": None}
    table = tables.get(result.claim.table)
    if table is None or result.early is None or result.late is None:
        return view
    chart = Chart(
        result.claim.table, "line", x=result.claim.x, y=result.claim.value, where=result.claim.where
    )
    try:
        figure = build_figure(chart, table)
    except ChartUnavailable:
        return view
    for window, colour in ((result.early, "rgba(90,120,200,0.12)"), (result.late, "rgba(220,120,60,0.12)")):
        figure.add_vrect(x0=window.x_from - 0.4, x1=window.x_to + 0.4, fillcolor=colour, line_width=0)
    block = _provenance(Block(caption="Evidence", table_name=table.name, kind="line"), table)
    block.figure_id, block.figure_json = f"chart-{next(counter)}", figure_json(figure)
    view["evidence"] = block
    return view


def _quality_names(gathered: Gathered) -> list[str]:
    prefixes = ("status.", "eval.", "quality.")
    return [n for n, p in gathered.provider_of.items() if p in QUALITY_PROVIDERS or n.startswith(prefixes)]


def _quality_blocks(gathered: Gathered, counter) -> list[Block]:
    """The declared quality charts whose table exists, then every other quality table as a table."""
    blocks = [_chart_block(c, gathered, counter) for c in QUALITY_CHARTS if c.table in gathered.tables]
    charted = {c.table for c in QUALITY_CHARTS}
    rest = [n for n in _quality_names(gathered) if n not in charted]
    return blocks + [_table_or_bar(gathered.tables[n], counter) for n in rest]


def _appendix_blocks(gathered: Gathered, counter) -> list[Block]:
    used = {chart.table for section in SECTIONS for chart in section.charts}
    quality = set(_quality_names(gathered))
    leftover = [
        n
        for n in gathered.tables
        if n not in used and n not in quality and not n.split("__")[0].endswith(EXPORT_ONLY_SUFFIXES)
    ]
    return [_table_or_bar(gathered.tables[n], counter) for n in leftover]


def _table_or_bar(table: MetricTable, counter) -> Block:
    """Tables nobody declared a chart for: a line chart when they have a year and a bounded value."""
    frame = table.frame
    columns = set(frame.columns)
    bounded = any(f"{c}_ci_low" in columns for c in columns)
    block = _provenance(Block(caption=table.title, table_name=table.name, kind="table"), table)
    if "year" in columns and bounded:
        try:
            figure = build_figure(Chart(table.name, "line"), table)
            block.kind, block.figure_id = "line", f"chart-{next(counter)}"
            block.figure_json = figure_json(figure)
            return block
        except ChartUnavailable:
            pass
    return _fill_table(block, frame)
