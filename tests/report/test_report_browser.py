"""Open the rendered report in headless Chromium: every chart draws data within the limits, every venue
view too, no console message, no exception text, and a screenshot of every section."""

from __future__ import annotations

import pytest
from chromium_page import chromium_path, launch, open_page
from page_checks import check_report
from synthetic_tables import synthetic_gathered

from splitscope.report.render import render_report
from splitscope.selection import Selection

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        chromium_path() is None,
        reason="chromium is not installed (make dev installs it: apt-get install -y chromium)",
    ),
]


def test_synthetic_report_draws_every_chart(tmp_path):
    """Every declared chart has its table here, so every chart kind (line, bar, Sankey, heatmap) must
    draw, and both venue selectors must switch through every venue group."""
    result = render_report(None, tmp_path / "out", Selection(), gathered=synthetic_gathered(complete=True))
    assert set(result.sections.values()) == {"ok"}, result.sections
    page = check_report(result.index_html, tmp_path / "gallery")
    assert page.venue_views == 2 * 4  # two charts, each through three venue groups and back to all
    assert len(page.gallery) >= len(result.sections) + 3  # headlines, claims, quality, methods, ...
    assert all(shot.stat().st_size > 5_000 for shot in page.gallery)


def test_the_bundle_registers_every_trace_type_the_report_writes(tmp_path):
    result = render_report(None, tmp_path / "out", Selection(), gathered=synthetic_gathered(complete=True))
    browser = launch()
    try:
        open_page(browser, result.index_html)
        traces = browser.evaluate("Object.keys(Plotly.PlotSchema.get().traces).sort()")
    finally:
        browser.close()
    assert traces == ["bar", "heatmap", "sankey", "scatter"]


def test_a_chart_without_us_or_china_fails_the_check(tmp_path):
    """The check can fail: a work-country table whose US and China rows are renamed away from the chart
    (here: to lower case the chart draws, while the exported CSV keeps them)."""
    from page_checks import chart_problems

    result = render_report(None, tmp_path / "out", Selection(), gathered=synthetic_gathered(complete=True))
    plot = {
        "id": "x",
        "table": "talent.work_country_share",
        "drawn": True,
        "points": 10,
        "marks": 3,
        "legend": 13,
        "names": ["GB", "DE"],
        "sankeyNodes": 30,
    }
    problems = chart_problems(plot, result.out_dir / "data")
    assert problems == [
        "x (talent.work_country_share): 13 legend entries",
        "x (talent.work_country_share): a Sankey of 30 nodes",
        "x (talent.work_country_share): the table has the US or China, the chart shows neither",
    ]
