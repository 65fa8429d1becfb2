"""Plotly figures from MetricTables per the section spec, and JSON safe to embed inside <script>.

A chart that cannot be drawn raises ChartUnavailable with the reason the report shows instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from splitscope.analysis.claims import select_rows
from splitscope.analysis.metric_table import MetricTable
from splitscope.report.sections import CHART_KINDS, Chart

MAX_SERIES = 8  # more lines than this is unreadable; the CSV keeps every series
MAX_TABLE_ROWS = 50
MAX_SANKEY_LINKS = 60


class ChartUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Axes:
    x: str
    y: str
    color: list[str]


def infer_axes(chart: Chart, frame: pd.DataFrame) -> Axes:
    columns = list(frame.columns)
    x = chart.x or ("year" if "year" in columns else columns[0])
    bounded = [c for c in columns if f"{c}_ci_low" in columns and f"{c}_ci_high" in columns]
    numeric = [c for c in columns if c != x and pd.api.types.is_numeric_dtype(frame[c])]
    y = chart.y or (bounded[0] if bounded else next((c for c in numeric if c != "n"), None))
    if chart.color:
        color = [chart.color]
    else:
        color = [c for c in columns if c not in (x, y) and not pd.api.types.is_numeric_dtype(frame[c])]
    missing = [c for c in (x, y, *color) if c is None or c not in columns]
    if missing:
        shown = ", ".join(str(c) for c in missing)
        raise ChartUnavailable(f"table lacks column(s) {shown} (has {', '.join(columns)})")
    return Axes(x, y, color)  # type: ignore[arg-type]


def build_figure(chart: Chart, table: MetricTable) -> go.Figure:
    if chart.kind not in CHART_KINDS or chart.kind == "table":
        raise ValueError(f"not a figure kind: {chart.kind}")
    missing_where = [c for c in chart.where if c not in table.frame.columns]
    if missing_where:
        raise ChartUnavailable(f"table lacks column(s) {', '.join(missing_where)}")
    frame = select_rows(table.frame, chart.where)
    if frame.empty:
        raise ChartUnavailable("the table has no rows for this selection")
    if chart.kind == "sankey":
        return _sankey(frame)
    axes = infer_axes(chart, frame)
    if chart.kind == "heatmap":
        return _heatmap(frame, axes)
    return _series_chart(chart.kind, frame, axes)


def _series_labels(frame: pd.DataFrame, color: list[str]) -> pd.Series:
    if not color:
        return pd.Series("all", index=frame.index)
    # A route (from_country, to_country) reads as an arrow; other category pairs as "a · b".
    joiner = " → " if color[0].startswith("from_") and len(color) == 2 else " · "
    labels = frame[color[0]].astype(str)
    for column in color[1:]:  # vectorised: a row-wise join took seconds on the large tables
        labels = labels.str.cat(frame[column].astype(str), sep=joiner)
    return labels


def _series_chart(kind: str, frame: pd.DataFrame, axes: Axes) -> go.Figure:
    labels = _series_labels(frame, axes.color)
    # Keep the series with the largest mean value; the rest stay in the CSV export.
    order = frame.groupby(labels)[axes.y].mean().sort_values(ascending=False).index[:MAX_SERIES]
    figure = go.Figure()
    has_ci = f"{axes.y}_ci_low" in frame.columns and f"{axes.y}_ci_high" in frame.columns
    for label in order:
        part = frame[labels == label].sort_values(axes.x)
        error = None
        if has_ci:
            error = dict(
                type="data",
                array=(part[f"{axes.y}_ci_high"] - part[axes.y]).tolist(),
                arrayminus=(part[axes.y] - part[f"{axes.y}_ci_low"]).tolist(),
                visible=True,
            )
        common = dict(x=part[axes.x].tolist(), y=part[axes.y].tolist(), name=str(label), error_y=error)
        if kind == "bar":
            figure.add_trace(go.Bar(**common))
        else:
            figure.add_trace(go.Scatter(mode="lines+markers", **common))
    figure.update_layout(
        xaxis_title=axes.x, yaxis_title=axes.y + (" (95% bootstrap CI)" if has_ci else ""), barmode="group"
    )
    return _styled(figure)


def _heatmap(frame: pd.DataFrame, axes: Axes) -> go.Figure:
    row = axes.color[0] if axes.color else None
    if row is None:
        raise ChartUnavailable("a heatmap needs a second category column")
    grid = frame.pivot_table(index=row, columns=axes.x, values=axes.y, aggfunc="mean")
    figure = go.Figure(
        go.Heatmap(z=grid.values.tolist(), x=[str(c) for c in grid.columns], y=[str(i) for i in grid.index])
    )
    figure = _styled(figure)
    # Every row label shown (plotly thins category ticks otherwise), with room for each row.
    figure.update_layout(
        xaxis_title=axes.x,
        yaxis=dict(title=row, type="category", dtick=1, autorange="reversed"),
        height=max(380, 16 * len(grid.index) + 120),
    )
    return figure


def _sankey(frame: pd.DataFrame) -> go.Figure:
    names: dict[str, str | None] = {}
    candidates = {
        "source": ("origin_country", "first_observed_country", "source", "from_country"),
        "target": ("work_country", "latest_country", "target", "to_country"),
        "value": ("researchers", "n", "count", "value"),
    }
    for role, options in candidates.items():
        names[role] = next((c for c in options if c in frame.columns), None)
    missing = [role for role, col in names.items() if col is None]
    if missing:
        raise ChartUnavailable(
            f"a Sankey needs {', '.join(missing)} columns (has {', '.join(frame.columns)})"
        )
    links = frame.nlargest(MAX_SANKEY_LINKS, names["value"])
    sources = [f"{s} (first observed)" for s in links[names["source"]].astype(str)]
    targets = [f"{t} (works)" for t in links[names["target"]].astype(str)]
    nodes = list(dict.fromkeys(sources + targets))
    index = {node: i for i, node in enumerate(nodes)}
    figure = go.Figure(
        go.Sankey(
            node=dict(label=nodes, pad=12),
            link=dict(
                source=[index[s] for s in sources],
                target=[index[t] for t in targets],
                value=links[names["value"]].astype(float).tolist(),
            ),
        )
    )
    return _styled(figure)


def _styled(figure: go.Figure) -> go.Figure:
    figure.update_layout(
        template="plotly_white", height=380, margin=dict(l=50, r=20, t=20, b=40), legend=dict(orientation="h")
    )
    return figure


def figure_json(figure: go.Figure) -> str:
    """Figure JSON that cannot close or confuse the <script> it sits in.

    `<`, `>` and `&` become \\u003c, \\u003e, \\u0026 (still valid JSON, parsed back to the same text), so a
    data string such as `</script><script>` stays text; U+2028/2029 are escaped for older JS parsers.
    """
    # plotly's encoder turns NaN into null (json.dumps would write NaN, which JSON.parse rejects).
    return script_safe_json(pio.to_json(figure, validate=False, engine="json"))


def script_safe_json(text: str) -> str:
    replacements = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
    for raw, escaped in replacements.items():
        text = text.replace(raw, escaped)
    return text
