"""Plotly figures (plain JSON-ready dicts) from MetricTables per the section spec, and JSON safe to embed.

Figures carry their traces and a small layout; the shared look (LAYOUT) is embedded once in the page
and merged in the browser, so fifty charts do not repeat a template fifty times. Numbers are rounded to
four significant digits for drawing (the CSV export keeps every digit). A chart that cannot be drawn
raises ChartUnavailable with the reason the report shows instead.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from splitscope.analysis.claims import select_rows
from splitscope.analysis.metric_table import MetricTable
from splitscope.analysis.panels import CHAIN_COLUMNS
from splitscope.report.flows import sankey_figure
from splitscope.report.sections import CHART_KINDS, Chart
from splitscope.report.series import OTHER, Picked, Rules, pick_series

MAX_TABLE_ROWS = 50
MAX_HEATMAP_ROWS = 60

# The look every figure shares (merged into each figure's layout by the page's loader).
LAYOUT: dict[str, Any] = {
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', sans-serif", "size": 12, "color": "#1d2330"},
    "paper_bgcolor": "#fff",
    "plot_bgcolor": "#fff",
    "height": 380,
    "margin": {"l": 60, "r": 20, "t": 16, "b": 48},
    "legend": {"orientation": "h", "y": -0.2},
    "hovermode": "closest",
    "xaxis": {"gridcolor": "#eceff3", "zeroline": False, "automargin": True},
    "yaxis": {"gridcolor": "#eceff3", "zeroline": False, "automargin": True},
}
# US and China keep their colours on every chart; "other" is grey; the rest take PALETTE in rank order.
FIXED_COLOURS = {
    "US": "#2b5fad",
    "us_only": "#2b5fad",
    "US-US": "#2b5fad",
    "CN": "#d1342f",
    "cn_only": "#d1342f",
    "CN-CN": "#d1342f",
    "us_cn": "#7b3fa0",
    "US-CN": "#7b3fa0",
    "US → CN": "#2b5fad",  # a route takes the colour of where it starts
    "CN → US": "#d1342f",
    OTHER: "#9aa0a6",
}
NEUTRAL = "#7d8793"
DASHES = ("solid", "dash", "dot")
PALETTE = ("#e69f00", "#009e73", "#56b4e9", "#cc79a7", "#8c6d31", "#17becf", "#bcbd22", "#6b6ecf", "#e7969c")


class ChartUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Axes:
    x: str
    y: str
    color: list[str]


@dataclass
class Built:
    """A figure and what the reader must know about what it leaves out."""

    figure: dict[str, Any]
    notes: list[str]


def infer_axes(chart: Chart, frame: pd.DataFrame) -> Axes:
    columns = list(frame.columns)
    x = chart.x or ("year" if "year" in columns else columns[0])
    bounded = [c for c in columns if f"{c}_ci_low" in columns and f"{c}_ci_high" in columns]
    numeric = [c for c in columns if c != x and pd.api.types.is_numeric_dtype(frame[c])]
    y = chart.y or (bounded[0] if bounded else next((c for c in numeric if c != "n"), None))
    if chart.color:
        color = [chart.color]
    else:
        # link_venues says which venues a chain link was measured on: provenance of a point, not a group.
        color = [
            c
            for c in columns
            if c not in (x, y, *CHAIN_COLUMNS) and not pd.api.types.is_numeric_dtype(frame[c])
        ]
    missing = [c for c in (x, y, *color) if c is None or c not in columns]
    if missing:
        shown = ", ".join(str(c) for c in missing)
        raise ChartUnavailable(f"the table has no column {shown} (it has {', '.join(columns)})")
    return Axes(x, y, color)  # type: ignore[arg-type]


def build_figure(chart: Chart, table: MetricTable, colours: dict[str, str] | None = None) -> Built:
    if chart.kind not in CHART_KINDS or chart.kind == "table":
        raise ValueError(f"not a figure kind: {chart.kind}")
    missing_where = [c for c in chart.where if c not in table.frame.columns]
    if missing_where:
        raise ChartUnavailable(f"the table has no column {', '.join(missing_where)}")
    frame = select_rows(table.frame, chart.where)
    if frame.empty:
        raise ChartUnavailable("the table has no rows for this selection")
    if chart.kind == "sankey":
        try:
            figure, notes = sankey_figure(frame)
        except ValueError as exc:
            raise ChartUnavailable(str(exc)) from exc
        return Built(figure, notes)
    axes = infer_axes(chart, frame)
    if chart.kind == "heatmap":
        return _heatmap(frame, axes)
    rules = Rules(chart.weight, chart.n, chart.min_n, chart.max_interval, chart.max_series, chart.fold)
    picked = pick_series(frame, axes.x, axes.y, axes.color, rules)
    if not picked.labels:
        raise ChartUnavailable("no group has enough data to draw: " + "; ".join(picked.notes))
    return Built(_series_chart(chart, picked, axes, colours or {}), picked.notes)


def colours_of(figure: dict[str, Any]) -> dict[str, str]:
    """name -> colour of a figure's traces, so the venue variants of a chart keep its colours."""
    return {t["name"]: t["marker"]["color"] for t in figure["data"] if "name" in t and "marker" in t}


def _colour(label: str, rank: int, colours: dict[str, str]) -> str:
    return colours.get(label) or FIXED_COLOURS.get(label) or PALETTE[rank % len(PALETTE)]


def _series_chart(chart: Chart, picked: Picked, axes: Axes, colours: dict[str, str]) -> dict[str, Any]:
    frame, y = picked.frame, axes.y
    low, high = f"{y}_ci_low", f"{y}_ci_high"
    has_ci = low in frame.columns and high in frame.columns
    x_order = picked.x_order
    categorical = x_order is not None
    traces, palette_rank = [], 0
    dashes = _dash_styles(picked.frame, axes.color)
    for label in picked.labels:
        part = frame[frame["_label"] == label]
        if x_order:
            rank = {value: i for i, value in enumerate(x_order)}
            part = part.sort_values(axes.x, key=lambda s: s.astype(str).map(rank))
        else:
            part = part.sort_values(axes.x)
        first = label.split(" · ")[0]
        if label in dashes and first in FIXED_COLOURS:  # "US · company": the US's colour, its own dash
            colour = FIXED_COLOURS[first]
        else:
            fixed = label in colours or label in FIXED_COLOURS
            colour = _colour(label, palette_rank, colours)
            palette_rank += 0 if fixed else 1
        trace: dict[str, Any] = {
            "type": "bar" if chart.kind == "bar" else "scatter",
            "name": label,
            "x": _plain(part[axes.x]),
            "y": _plain(part[y]),
            "marker": {"color": _bar_colours(part, axes.x, label) or colour},
            "hovertemplate": _hover(axes, picked.n, has_ci),
        }
        if chart.kind != "bar":
            line = {"color": colour, "width": 2, "dash": dashes.get(label, "solid")}
            trace.update(mode="lines+markers", line=line)
        if has_ci and part[low].notna().any():
            trace["error_y"] = {
                "type": "data",
                "array": _plain(part[high] - part[y]),
                "arrayminus": _plain(part[y] - part[low]),
                "thickness": 1,
                "width": 3,
            }
        custom = [
            part[c] if c in part.columns else pd.Series(math.nan, index=part.index) for c in (low, high)
        ]
        if picked.n:
            custom.append(part[picked.n])
        trace["customdata"] = [_plain(pd.Series(row)) for row in zip(*custom, strict=True)]
        traces.append(trace)
    layout: dict[str, Any] = {
        "xaxis": {"title": {"text": chart.x_title or axes.x}},
        "yaxis": {"title": {"text": (chart.y_title or y) + (" (95% interval)" if has_ci else "")}},
        "showlegend": len(traces) > 1,
    }
    if chart.kind == "bar":
        layout["barmode"] = "group"
    if categorical:
        layout["xaxis"].update(type="category", categoryorder="array", categoryarray=x_order)
    elif axes.x in ("year", "cohort"):
        layout["xaxis"]["dtick"] = 2 if frame[axes.x].nunique() > 8 else 1
    return {"data": traces, "layout": layout}


def _dash_styles(frame: pd.DataFrame, color: list[str]) -> dict[str, str]:
    """Country × a few categories (sector): one colour per country, one dash per category."""
    if len(color) != 2 or frame[color[1]].nunique() > len(DASHES):
        return {}
    if not frame[color[0]].astype(str).isin(list(FIXED_COLOURS)).all():
        return {}
    styles = {str(v): DASHES[i] for i, v in enumerate(dict.fromkeys(frame[color[1]].astype(str)))}
    return {label: styles[label.split(" · ", 1)[1]] for label in frame["_label"].unique() if " · " in label}


def _bar_colours(part: pd.DataFrame, x: str, label: str) -> list[str] | None:
    """A single series over categories (retention by country): each bar in its category's colour."""
    if label != "all" or pd.api.types.is_numeric_dtype(part[x]):
        return None
    return [FIXED_COLOURS.get(str(v), NEUTRAL) for v in part[x]]


def _hover(axes: Axes, n: str | None, has_ci: bool) -> str:
    text = f"%{{fullData.name}}<br>{axes.x} %{{x}}<br>{axes.y} %{{y:.3~g}}"
    if has_ci:
        text += " [%{customdata[0]:.3~g}, %{customdata[1]:.3~g}]"
    if n:
        text += f"<br>{n} %{{customdata[2]:,.0f}}"
    return text + "<extra></extra>"


def _heatmap(frame: pd.DataFrame, axes: Axes) -> Built:
    row = axes.color[0] if axes.color else None
    if row is None:
        raise ChartUnavailable("a heatmap needs a second category column")
    grid = frame.pivot_table(index=row, columns=axes.x, values=axes.y, aggfunc="mean")
    notes = []
    if len(grid.index) > MAX_HEATMAP_ROWS:
        notes.append(f"{len(grid.index) - MAX_HEATMAP_ROWS} rows with the fewest values not drawn")
        grid = grid.loc[grid.notna().sum(axis=1).sort_values(ascending=False).index[:MAX_HEATMAP_ROWS]]
        grid = grid.sort_index()
    trace = {
        "type": "heatmap",
        "z": [_plain(pd.Series(r)) for r in grid.to_numpy()],
        "x": [str(c) for c in grid.columns],
        "y": [str(i) for i in grid.index],
        # Plotly's "Blues" runs dark to light; reversed, more (coverage) is darker. Shares span 0-1 so
        # venue-years compare across charts.
        "colorscale": "Blues",
        "reversescale": True,
        "hovertemplate": f"{row} %{{y}}<br>{axes.x} %{{x}}<br>{axes.y} %{{z:.3~g}}<extra></extra>",
    }
    if grid.stack().between(0, 1).all():
        trace.update(zmin=0, zmax=1)
    # Every row label shown (plotly thins category ticks otherwise), with room for each row.
    layout = {
        "xaxis": {"title": {"text": axes.x}, "type": "category"},
        "yaxis": {"title": {"text": row}, "type": "category", "dtick": 1, "autorange": "reversed"},
        "height": max(380, 16 * len(grid.index) + 120),
    }
    return Built({"data": [trace], "layout": layout}, notes)


def _plain(values: pd.Series) -> list[Any]:
    """JSON-ready values: ints stay ints, floats keep four significant digits, NaN becomes null."""
    out: list[Any] = []
    for value in values.tolist():
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            out.append(None)
        elif isinstance(value, float):
            out.append(float(f"{value:.4g}"))
        else:
            out.append(value)
    return out


def figure_json(figure: dict[str, Any]) -> str:
    """Figure JSON that cannot close or confuse the <script> it sits in.

    `<`, `>` and `&` become \\u003c, \\u003e, \\u0026 (still valid JSON, parsed back to the same text), so a
    data string such as `</script><script>` stays text; U+2028/2029 are escaped for older JS parsers.
    """
    return script_safe_json(json.dumps(figure, separators=(",", ":"), default=_json_default, allow_nan=False))


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def script_safe_json(text: str) -> str:
    replacements = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
    for raw, escaped in replacements.items():
        text = text.replace(raw, escaped)
    return text
