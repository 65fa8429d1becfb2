"""What the page shows (issue 18): the series charts lead with, the education paragraph, the venue
selector, coverage tables under Data quality, and the inlined bundle's provenance."""

from __future__ import annotations

import hashlib
import json
import re

import pandas as pd
import pytest
from synthetic_tables import FILTERS, SMALL_COUNTRIES, VENUE_GROUPS, synthetic_gathered

from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.report.assets import BUNDLE, bundle_source, plotly_bundle
from splitscope.report.blocks import format_filters, reader_order
from splitscope.report.render import render_report
from splitscope.selection import Selection


def _figures(html: str) -> dict[str, dict]:
    holders = re.findall(
        r'<div class="plot" id="(chart-\d+)" data-table="([^"]+)"></div>\s*'
        r'<script type="application/json" class="figure-data" data-target="chart-\d+">(.*?)</script>',
        html,
        re.S,
    )
    return {f"{table}#{cid}": json.loads(body) for cid, table, body in holders}


def _names(figure: dict) -> list[str]:
    return [trace.get("name") for trace in figure["data"]]


@pytest.fixture(scope="module")
def complete(tmp_path_factory):
    out = tmp_path_factory.mktemp("complete")
    result = render_report(None, out, Selection(), gathered=synthetic_gathered(complete=True))
    return result, (out / "index.html").read_text(encoding="utf-8")


def test_retention_leads_with_us_and_china_not_tiny_origins(complete):
    _, html = complete
    figures = _figures(html)
    # The first talent.retention chart is the section's (a claim's evidence chart follows).
    retention = next(f for key, f in figures.items() if key.startswith("talent.retention#"))
    assert _names(retention) == ["US", "CN"]  # the twelve origins of n 1-3 are not drawn
    assert not set(SMALL_COUNTRIES) & set(_names(retention))
    assert "Not drawn: 120 points counted over fewer than 30 (n)." in html
    # n in the hover, from customdata's third column.
    assert "n %{customdata[2]:,.0f}" in retention["data"][0]["hovertemplate"]
    assert retention["data"][0]["customdata"][0] == [0.75, 0.85, 100]


def test_share_chart_caps_the_legend_and_sums_the_rest(complete):
    _, html = complete
    (work,) = [f for key, f in _figures(html).items() if key.startswith("talent.work_country_share#")]
    names = _names(work)
    assert names[:2] == ["US", "CN"] and names[2] == "GB" and names[-1] == "other" and len(names) == 9
    other = work["data"][-1]["y"]
    # Twenty countries at 0.0125, five drawn after US, CN, GB: fifteen summed, 0.1875 every year.
    assert other == pytest.approx([0.1875] * 10)
    assert "error_y" not in work["data"][-1]
    assert "template" not in work["layout"]


def test_venue_selector_offers_each_group_from_the_by_venue_tables(complete):
    _, html = complete
    selects = re.findall(
        r'<select class="venue-select" data-target="(chart-\d+)" data-venue-table="([^"]+)">'
        r"(.*?)</select>",
        html,
        re.S,
    )
    assert {table for _, table, _ in selects} == {"talent.work_country_by_venue", "collab.paper_mix_by_venue"}
    for chart_id, _, options in selects:
        assert re.findall(r">([^<]+)</option>", options) == ["all venues", *VENUE_GROUPS]
        holder = f'<script type="application/json" class="figure-variants" data-target="{chart_id}">'
        body = html[html.index(holder) + len(holder) :].split("</script>")[0]
        variants = json.loads(body)["variants"]
        assert [v["label"] for v in variants] == list(VENUE_GROUPS)
        assert all(_names(v["figure"])[:1] in (["US"], ["us_cn"]) for v in variants)
    # The by-venue tables feed the selector: they are not repeated under "Other tables".
    appendix = html[html.index('id="appendix"') :] if 'id="appendix"' in html else ""
    assert "_by_venue" not in appendix.split('id="methods"')[0]


def test_no_selector_without_by_venue_tables(tmp_path):
    render_report(None, tmp_path, Selection(), gathered=synthetic_gathered())
    assert "venue-select" not in (tmp_path / "index.html").read_text(encoding="utf-8").split("<script>")[0]


def test_education_section_says_what_to_run_when_the_store_has_no_education(tmp_path):
    gathered = synthetic_gathered(complete=True)
    for name in ("talent.origin_work_flow__edu", "talent.origin_work_by_year__edu"):
        del gathered.tables[name]
    label = "talent, education origin"
    gathered.unavailable[label] = (
        "talent_tables failed: UnusableInputError: table person_education_origin is empty"
    )
    gathered.failure_kind[label] = "input"
    gathered.prefixes_of[label], gathered.suffix_of[label] = ("talent.",), "__edu"
    result = render_report(None, tmp_path, Selection(), gathered=gathered)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="education-origin">') : html.index('<section id="moves">')]
    assert "<code>splitscope openreview fetch NeurIPS.cc/2024/Conference</code> (about 10 minutes" in section
    assert section.count('<p class="empty">') == 1 and "Not drawn" not in section
    assert "UnusableInputError" not in html and "person_education_origin" not in html
    assert result.sections["education-origin"] == "not available"
    assert result.unavailable[label].startswith("talent_tables failed: UnusableInputError")


def test_gated_out_and_coverage_tables_are_listed_under_data_quality(tmp_path):
    gated = MetricTable(
        "talent.trend_gated_out",
        "Venue-years left out of the trends",
        pd.DataFrame({"venue": ["colt"], "year": [2012], "coverage": [0.31]}),
        Coverage("venue-years", 30, 1),
        FILTERS,
    )
    coverage = MetricTable(
        "collab.venue_coverage",
        "Coverage",
        pd.DataFrame({"venue": ["acml"], "share": [0.9]}),
        Coverage("venue-years", 1, 1),
    )
    render_report(None, tmp_path, Selection(), gathered=synthetic_gathered(gated=gated, coverage=coverage))
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    quality = html[html.index('<section id="quality">') : html.index('<section id="methods">')]
    quality = quality.split('<section id="appendix">')[0]
    assert "data/talent.trend_gated_out.csv" in quality and "data/collab.venue_coverage.csv" in quality
    assert "<td>colt</td><td>2012</td><td>0.31</td>" in quality


def test_the_inlined_bundle_is_the_recorded_one():
    source = bundle_source()
    assert source["file"] == BUNDLE
    assert hashlib.sha256(plotly_bundle().encode("utf-8")).hexdigest() == source["sha256"]
    # Every trace type the report writes is in the bundle (the browser test checks Plotly registered them).
    assert {"scatter", "bar", "heatmap", "sankey"} <= set(source["traces"])
    assert (
        plotly_bundle().startswith("/*! plotly.js v4.1.1 partial bundle")
        and "MIT License" in plotly_bundle()[:600]
    )


def test_country_tables_list_us_and_china_first():
    frame = pd.DataFrame(
        {
            "origin_country": ["AE", "AM", "CN", "US", "US", "DE"],
            "work_country": ["AE", "AM", "US", "US", "CN", "DE"],
            "researchers": [15, 1, 300, 5000, 200, 400],
        }
    )
    ordered = reader_order(frame)
    # US and CN together first (by weight), then the US alone, then the rest by weight.
    assert ordered["origin_country"].tolist() == ["CN", "US", "US", "DE", "AE", "AM"]
    assert ordered["researchers"].tolist() == [300, 200, 5000, 400, 15, 1]


def test_a_year_range_reads_as_a_range_and_long_lists_are_shortened() -> None:
    shown = format_filters({"years": [2010, 2024], "venues": [f"v{i}" for i in range(40)], "basis": "site"})
    assert shown.startswith("years=2010–2024; venues=40 (v0, v1, v2, …")
    assert shown.endswith("; basis=site")
    assert format_filters({"years": "all"}) == "years=all"
