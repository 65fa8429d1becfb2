"""What the browser tests assert about a rendered report, read from the live page (chromium_page.py).

A chart passes when Plotly drew marks for data that is really there, its legend has at most 12 entries,
a Sankey has at most 26 nodes, and a chart over a table holding the US or China shows at least one of
them. The page as a whole: no console message, no exception text, every section photographed.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from chromium_page import Browser, launch, open_page, section_gallery

MAX_LEGEND = 12
MAX_SANKEY_NODES = 26
# What a reader must never see: an exception class name or a traceback.
EXCEPTION_TEXT = re.compile(r"\b[A-Z]\w*(Error|Exception)\b|Traceback \(most recent|\bfailed: ")

# For every div.plot: its table, whether the page marked it drawn, the legend entries Plotly rendered,
# the marks in its SVG, and from its data the names a reader sees and the number of finite values.
PLOT_FACTS = """
(function (only) {
  var finite = function (v) { return v !== null && v !== undefined && isFinite(v); };
  return Array.from(document.querySelectorAll(only || "div.plot")).map(function (p) {
    var names = [], points = 0, sankeyNodes = 0;
    (p.data || []).forEach(function (t) {
      if (t.visible === false || t.visible === "legendonly") { return; }
      if (t.type === "sankey") {
        sankeyNodes += (t.node.label || []).length;
        names = names.concat(t.node.label || []);
        points += (t.link.value || []).filter(function (v) { return v > 0; }).length;
        return;
      }
      if (t.type === "heatmap") {
        names = names.concat(t.y || []);
        (t.z || []).forEach(function (row) { points += row.filter(finite).length; });
        return;
      }
      if (t.name) { names.push(String(t.name)); }
      (t.x || []).forEach(function (v) { if (typeof v === "string") { names.push(v); } });
      points += (t.y || []).filter(finite).length;
    });
    var marks = p.querySelectorAll(
      "g.trace path, g.trace .point, g.hm image, g.sankey-node rect.node-rect, path.sankey-link").length;
    return {id: p.id, table: p.getAttribute("data-table"), drawn: p.hasAttribute("data-drawn"),
            legend: p.querySelectorAll("g.legend g.traces").length, names: names, points: points,
            marks: marks, sankeyNodes: sankeyNodes};
  });
})
"""
COUNTRY_COLUMN = re.compile(r"country|^pair(_class)?$")


@dataclass
class PageReport:
    gallery: list[Path]
    plots: list[dict]
    first_chart_ms: float
    venue_views: int


def mentions_us_or_cn(values) -> bool:
    return any({"US", "CN"} & set(re.findall(r"[A-Za-z]+", str(v))) for v in values)


def table_has_us_or_cn(data_dir: Path, table: str, venue_group: str | None = None) -> bool:
    """Whether a country column of the exported table (one venue group's rows, if given) holds US or CN."""
    csv = data_dir / f"{table}.csv"
    if not csv.exists():
        return False
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    if venue_group is not None:
        frame = frame[frame["venue_group"] == venue_group]
    columns = [c for c in frame.columns if COUNTRY_COLUMN.search(c)]
    return any(mentions_us_or_cn(frame[c].unique()) for c in columns)


# "acml,aistats,colt": a chain link's venue list drawn as if it were a group.
VENUE_LIST = re.compile(r"\b[a-z0-9]+,[a-z0-9]+,[a-z0-9]+\b")


def chart_problems(plot: dict, data_dir: Path, venue_group: str | None = None) -> list[str]:
    where = f"{plot['id']} ({plot['table']})"
    problems = []
    if not plot["drawn"] or plot["points"] == 0 or plot["marks"] == 0:
        problems.append(f"{where}: no visible data (points {plot['points']}, marks {plot['marks']})")
    if plot["legend"] > MAX_LEGEND:
        problems.append(f"{where}: {plot['legend']} legend entries")
    if plot["sankeyNodes"] > MAX_SANKEY_NODES:
        problems.append(f"{where}: a Sankey of {plot['sankeyNodes']} nodes")
    if table_has_us_or_cn(data_dir, plot["table"], venue_group) and not mentions_us_or_cn(plot["names"]):
        problems.append(f"{where}: the table has the US or China, the chart shows neither")
    listed = [name for name in plot["names"] if VENUE_LIST.search(str(name))]
    if listed:
        problems.append(f"{where}: series named by a list of venues (provenance, not a group): {listed[:2]}")
    return problems


def check_report(index_html: Path, gallery: Path, timing_runs: int = 1) -> PageReport:
    """Open the report, photograph every section (drawing every chart on the way), check every chart
    and every venue view; fails with the list of problems. Timing: the best of `timing_runs` loads."""
    timings = []
    for _ in range(timing_runs - 1):
        browser = launch()
        try:
            open_page(browser, index_html)
            timings.append(_first_chart(browser))
        finally:
            browser.close()
    browser = launch()
    try:
        open_page(browser, index_html)
        timings.append(_first_chart(browser))
        shots = section_gallery(browser, gallery)
        plots = browser.evaluate(f"{PLOT_FACTS}(null)")
        problems = [p for plot in plots for p in chart_problems(plot, index_html.parent / "data")]
        views = _check_venue_views(browser, index_html.parent / "data", problems)
        text = browser.evaluate("document.body.innerText")
        problems += [f"exception text on the page: {m.group(0)!r}" for m in EXCEPTION_TEXT.finditer(text)]
        problems += [f"console: {line}" for line in browser.console()]
        declared = browser.evaluate("Number(document.documentElement.getAttribute('data-charts'))")
        drawn = browser.evaluate("Number(document.documentElement.getAttribute('data-charts-drawn'))")
        if declared != len(plots) or drawn != declared:
            problems.append(f"{declared} charts declared, {len(plots)} found, {drawn} drawn")
    finally:
        browser.close()
    assert problems == [], "\n".join(problems)
    keep = os.environ.get("SPLITSCOPE_SCREENSHOT_DIR")
    print(f"report screenshots: {gallery}" + (f" (copied to {keep})" if keep else ""))
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for shot in shots:
            (Path(keep) / shot.name).write_bytes(shot.read_bytes())
    return PageReport(shots, plots, min(timings), views)


def _first_chart(browser: Browser) -> float:
    from chromium_page import first_chart_ms

    return first_chart_ms(browser)


def _check_venue_views(browser: Browser, data_dir: Path, problems: list[str]) -> int:
    """Switch every venue selector through every option; each view must draw data within the limits."""
    selectors = browser.evaluate(
        "Array.from(document.querySelectorAll('select.venue-select')).map(function (s) {"
        " return {target: s.getAttribute('data-target'), table: s.getAttribute('data-venue-table'),"
        " options: s.options.length}; })"
    )
    views = 0
    for selector in selectors:
        target = json.dumps(selector["target"])
        select = (
            f"document.querySelector('select.venue-select[data-target=' + JSON.stringify({target}) + ']')"
        )
        for option in [*range(1, selector["options"]), 0]:
            browser.evaluate(
                f"(function () {{ var s = {select}; s.value = '{option}';"
                " s.dispatchEvent(new Event('change')); })()"
            )
            browser.wait_for(
                f"document.getElementById({target}).getAttribute('data-venue-drawn') === '{option}'"
            )
            (plot,) = browser.evaluate(f"{PLOT_FACTS}('#' + {target})")
            label = browser.evaluate(f"{select}.options[{option}].text")
            plot["id"] = f"{plot['id']} [{label}]"
            if option:  # a venue view answers to its own rows of the by-venue table
                plot["table"] = selector["table"]
            problems += chart_problems(plot, data_dir, label if option else None)
            views += 1
    return views
