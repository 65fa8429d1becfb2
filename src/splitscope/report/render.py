"""render_report: one self-contained index.html (a partial Plotly bundle inlined once, charts drawn as
they scroll into view) plus data/ exports of every table."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import pandas as pd

from splitscope import __version__
from splitscope.analysis.claims import ClaimResult, load_claims
from splitscope.analysis.metric_table import MetricTable
from splitscope.report.assets import plotly_bundle
from splitscope.report.blocks import Block, chart_block, format_filters, provenance, table_or_chart
from splitscope.report.charts import LAYOUT, ChartUnavailable, build_figure, figure_json
from splitscope.report.claim_panels import evaluate_like_for_like
from splitscope.report.gather import Gathered, gather_tables
from splitscope.report.headlines import compute_headlines
from splitscope.report.missing import empty_section, provider_sentence
from splitscope.report.quality import QUALITY_CHARTS, derived_quality_tables
from splitscope.report.sections import EXPORT_ONLY_SUFFIXES, SECTIONS, Chart, Section
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
    claim_results = evaluate_like_for_like(con, selection, claims, gathered)
    written = _write_tables(gathered.tables, data_dir)
    _write_claims(claim_results, data_dir)
    _write_unavailable(gathered, data_dir)
    counter = iter(range(1, 10_000))
    section_views = [_section_view(section, gathered, counter) for section in SECTIONS]
    page = {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "selection": format_filters(selection.to_dict()),
        "headlines": compute_headlines(gathered.tables, claim_results),
        "sections": section_views,
        "claims": [_claim_view(r, gathered.tables, counter) for r in claim_results],
        "quality": _quality_blocks(gathered, counter),
        "appendix": _appendix_blocks(gathered, counter),
        "unavailable": {label: provider_sentence(label, gathered) for label in gathered.unavailable},
        "layout_json": figure_json(LAYOUT),
        "plotly_js": plotly_bundle(),
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
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("splitscope.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["code_spans"] = code_spans
    return environment


def code_spans(text: str) -> markupsafe.Markup:
    """Escape the text, then show `command` spans as <code> (the escaping happens first, so a backtick
    in data can only ever produce a <code> element around escaped text)."""
    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


def _write_tables(tables: dict[str, MetricTable], data_dir: Path) -> list[str]:
    for table in tables.values():
        table.write(data_dir)
        meta = {k: v for k, v in table.to_dict().items() if k not in ("rows",)}
        (data_dir / f"{table.name}.json").write_text(
            json.dumps(meta, indent=2, default=str), encoding="utf-8"
        )
    return sorted(tables)


def _write_unavailable(gathered: Gathered, data_dir: Path) -> None:
    """The analyses' own error text, for whoever debugs them; the page shows plain sentences only."""
    data_dir.mkdir(parents=True, exist_ok=True)
    records = {
        label: {"kind": gathered.failure_kind.get(label, "error"), "message": why}
        for label, why in gathered.unavailable.items()
    }
    (data_dir / "unavailable.json").write_text(json.dumps(records, indent=2), encoding="utf-8")


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


def _section_view(section: Section, gathered: Gathered, counter) -> dict[str, Any]:
    blocks = [chart_block(chart, gathered, counter) for chart in section.charts]
    drawn = sum(1 for b in blocks if not b.unavailable)
    status = "ok" if drawn == len(blocks) else ("partial" if drawn else "not available")
    empty = ""
    if not drawn:  # one plain paragraph instead of a column of "not available" boxes
        tables = [chart.table for chart in section.charts]
        empty = empty_section(section.when_empty, tables, [b.unavailable for b in blocks], gathered)
    return {
        "id": section.id,
        "title": section.title,
        "intro": section.intro,
        "blocks": blocks if drawn else [],
        "empty": empty,
        "status": status,
    }


def _claim_view(result: ClaimResult, tables: dict[str, MetricTable], counter) -> dict[str, Any]:
    view: dict[str, Any] = {"result": result, "evidence": None}
    table = tables.get(result.claim.table)
    if table is None or result.early is None or result.late is None:
        return view
    # Every point the verdict used is drawn: no minimum n, no interval too wide.
    claim = result.claim
    chart = Chart(
        claim.table, "line", x=claim.x, y=claim.value, where=claim.where, min_n=0, max_interval=None
    )
    try:
        built = build_figure(chart, table)
    except ChartUnavailable:
        return view
    windows = ((result.early, "rgba(90,120,200,0.12)"), (result.late, "rgba(220,120,60,0.12)"))
    built.figure["layout"]["shapes"] = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": window.x_from - 0.4,
            "x1": window.x_to + 0.4,
            "y0": 0,
            "y1": 1,
            "fillcolor": colour,
            "line": {"width": 0},
            "layer": "below",
        }
        for window, colour in windows
    ]
    block = provenance(Block(caption="Evidence", table_name=table.name, kind="line"), table)
    block.figure_id, block.figure_json = f"chart-{next(counter)}", figure_json(built.figure)
    block.series_notes = built.notes
    view["evidence"] = block
    return view


def _quality_names(gathered: Gathered) -> list[str]:
    """Store status, evaluations, the report's own quality tables, and any table an analysis names as
    being about coverage or gated-out venue-years (`*.gated_out*`, `*coverage*`), whatever its prefix."""
    prefixes = ("status.", "eval.", "quality.")
    return [
        n
        for n, p in gathered.provider_of.items()
        if p in QUALITY_PROVIDERS or n.startswith(prefixes) or _about_coverage(n)
    ]


def _about_coverage(name: str) -> bool:
    stem = name.split("__")[0].split(".", 1)[-1]
    return "gated_out" in stem or "coverage" in stem


def _quality_blocks(gathered: Gathered, counter) -> list[Block]:
    """The declared quality charts whose table exists, then every other quality table as a table."""
    blocks = [chart_block(c, gathered, counter) for c in QUALITY_CHARTS if c.table in gathered.tables]
    charted = {c.table for c in QUALITY_CHARTS}
    rest = [n for n in _quality_names(gathered) if n not in charted]
    return blocks + [table_or_chart(gathered.tables[n], counter) for n in rest]


def _appendix_blocks(gathered: Gathered, counter) -> list[Block]:
    charts = [chart for section in SECTIONS for chart in section.charts]
    used = {chart.table for chart in charts} | {chart.by_venue for chart in charts if chart.by_venue}
    quality = set(_quality_names(gathered))
    leftover = [
        n
        for n in gathered.tables
        if n not in used and n not in quality and not n.split("__")[0].endswith(EXPORT_ONLY_SUFFIXES)
    ]
    return [table_or_chart(gathered.tables[n], counter) for n in leftover]
