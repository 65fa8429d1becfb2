"""render_report on hand-built tables: self-containment, exports, provenance, degradation, escaping."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from synthetic_tables import synthetic_gathered, top_orgs, work_country_share

from splitscope.report.assets import plotly_bundle
from splitscope.report.charts import infer_axes, script_safe_json
from splitscope.report.gather import Provider, gather_tables
from splitscope.report.render import render_report
from splitscope.report.sections import Chart
from splitscope.selection import Selection


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    result = render_report(None, out, Selection(), gathered=synthetic_gathered())
    return result, (out / "index.html").read_text(encoding="utf-8")


def test_plotly_is_inlined_once_and_nothing_is_fetched(rendered):
    _, html = rendered
    assert html.count(plotly_bundle()[:300]) == 1
    assert html.count('"template"') == 0  # the shared layout is embedded once, not a template per chart
    assert html.count('id="shared-layout"') == 1
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert "<link" not in html
    page_without_plotly = html.replace(plotly_bundle(), "")
    assert "http://" not in page_without_plotly and "https://" not in page_without_plotly


def test_every_table_is_exported_as_csv_and_parquet(rendered):
    result, _ = rendered
    data = result.out_dir / "data"
    derived = {"quality.country_coverage", "quality.researcher_country_coverage"}
    assert result.tables_written == sorted({*synthetic_gathered().tables, *derived})
    for name in result.tables_written:
        assert (data / f"{name}.csv").exists() and (data / f"{name}.parquet").exists()
    exported = pd.read_parquet(data / "collab.paper_mix.parquet")
    assert len(exported) == 80 and exported["share"].max() == pytest.approx(0.40)
    coverage = pd.read_csv(data / "quality.country_coverage.csv")
    assert coverage[["venue", "year", "share_with_country"]].iloc[[0, -1]].values.tolist() == [
        ["acml", 2014, 0.8],
        ["acml", 2023, 0.71],
    ]
    claims = json.loads((data / "claims.json").read_text())
    assert {c["id"]: c["verdict"] for c in claims}["us_cn_collaboration_shrinking"] == "supported"


def test_headlines_are_computed_and_name_their_table(rendered):
    _, html = rendered
    # Full counting: 0.10 in 2014 falling 0.005 a year to 0.055 in 2023, with half-width 0.005.
    assert (
        "US–China co-authored share of papers: 5.5% (95% CI 5.0%–6.0%) in 2023, against 10.0% in 2014."
        in html
    )
    headline_block = html[html.index('id="headlines"') : html.index('id="talent-balance"')]
    assert headline_block.count('href="data/collab.paper_mix.csv"') >= 2  # the share and the claim
    assert "filters: venues=all; years=2014-2023" in headline_block


def test_every_chart_names_table_filters_and_coverage(rendered):
    _, html = rendered
    charts = re.findall(r'<div class="plot" id="(chart-\d+)" data-table="[^"]+">', html)
    sources = re.findall(r'<p class="source">Source: <a href="data/([^"]+)\.csv">', html)
    assert len(charts) >= 5 and len(sources) >= len(charts)
    assert "coverage: 8,000 of 10,000 papers (80.0%)" in html


def test_missing_tables_degrade_to_not_available(rendered):
    result, html = rendered
    assert result.sections["moves"] == "not available"
    assert result.sections["flows"] == "ok"
    moves = html[html.index('<section id="moves">') : html.index('<section id="retention">')]
    assert (
        '<p class="empty">Nothing to draw here for this selection: no analysis returned the table ' in moves
    )
    assert 'class="plot"' not in moves and "Not drawn" not in moves  # one paragraph, not three boxes
    llm = html[html.index('<section id="llm">') : html.index('<section id="claims">')]
    assert (
        "The collaboration, LLM topic analysis stopped with an internal error, which is a bug (the "
        "analysis&#39;s own message is in data/unavailable.json)." in llm
    )
    # The error text itself is never on the page: it is in data/unavailable.json and the result.
    assert "RuntimeError" not in html and "no LLM papers" not in html
    problems = json.loads((result.out_dir / "data" / "unavailable.json").read_text())
    assert problems == {
        "collaboration, LLM topic": {
            "kind": "error",
            "message": "collab_tables failed: RuntimeError: no LLM papers",
        }
    }
    claims = {c["id"]: c for c in result.claims}
    leaving = claims["first_observed_cn_leaving_us"]
    assert leaving["reason"] == "table talent.origin_work_by_year is not available"
    assert claims["top_talent_concentrating"]["verdict"] == "supported"
    assert claims["top_talent_concentrating_cn"]["verdict"] == "inconclusive"
    assert "Not drawn: no analysis returned the table collab.country_counts;" in html
    assert "or:~Someone1" not in html  # person-level rows are exported, not displayed


def test_gather_records_failing_providers():
    providers = (
        Provider("broken", _failing_provider, table_prefixes=("broken.",)),
        Provider("fine", _fine_provider),
        Provider("fine again", _fine_provider, suffix="__top"),
    )
    gathered = gather_tables(None, Selection(), providers)
    assert gathered.unavailable["broken"] == "_failing_provider failed: RuntimeError: no careers table"
    assert set(gathered.tables) == {"collab.org_pairs", "collab.org_pairs__top"}
    assert gathered.why_missing("broken.x").startswith("table broken.x was not produced (broken: ")
    assert gathered.why_missing("broken.x__llm") == "no analysis returned a table named broken.x__llm"


def _failing_provider(con, selection):
    raise RuntimeError("no careers table")


def _fine_provider(con, selection):
    return {"top": top_orgs()}


MALICIOUS_TITLE = "<script>alert(1)</script>"
MALICIOUS_AFFILIATION = 'Evil Lab <img src=x onerror="alert(2)"> & Co'
BREAKOUT = "</script><script>alert(3)</script>"


def test_malicious_strings_render_as_text(tmp_path):
    orgs = top_orgs(title=MALICIOUS_TITLE, org=MALICIOUS_AFFILIATION)
    countries = work_country_share()
    countries.frame.loc[countries.frame["country"] == "GB", "country"] = BREAKOUT  # a chart legend label
    gathered = synthetic_gathered(orgs=orgs, countries=countries)
    claims = tmp_path / "claims.yaml"
    claims.write_text(
        "claims:\n  - id: evil\n    claim: '<b onmouseover=alert(4)>bold</b>'\n"
        "    table: talent.work_country_share\n    value: share\n    where: {country: US}\n"
        "    direction: decrease\n",
        encoding="utf-8",
    )
    render_report(None, tmp_path / "out", Selection(), claims_file=claims, gathered=gathered)
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    for raw in (MALICIOUS_TITLE, "<img src=x", "alert(3)</script>", "<b onmouseover"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Evil Lab &lt;img src=x onerror=&#34;alert(2)&#34;&gt; &amp; Co" in html
    assert "&lt;b onmouseover=alert(4)&gt;bold&lt;/b&gt;" in html
    # The only <script> elements: the error hook, Plotly, the shared layout, the loader, and one JSON
    # holder per chart.
    holders = len(re.findall(r'<script type="application/json" class="figure-data"', html))
    assert len(re.findall(r"<script\b", html)) == 4 + holders
    assert "\\u003cscript\\u003ealert(3)" in html  # the legend label survives, as inert JSON text


def test_script_safe_json_round_trips():
    text = json.dumps({"name": "</script><!-- & \u2028"})
    escaped = script_safe_json(text)
    assert "<" not in escaped and ">" not in escaped and "&" not in escaped
    assert json.loads(escaped) == json.loads(text)


def test_empty_store_renders_every_section_as_not_available(tmp_path):
    gathered = synthetic_gathered()
    gathered.tables.clear()
    gathered.provider_of.clear()
    result = render_report(None, tmp_path, Selection(), gathered=gathered)
    assert set(result.sections.values()) == {"not available"}
    assert {c["verdict"] for c in result.claims} == {"inconclusive"}


def test_quality_section_shows_status_tables(rendered):
    _, html = rendered
    quality = html[html.index('id="quality"') : html.index('id="methods"')]
    assert "<td>acml</td><td>2019</td><td>50</td>" in quality  # status.venue_years as a table
    assert 'href="data/status.venue_years.csv"' in quality and 'href="data/status.summary.csv"' in quality
    assert "<td>totals.quarantined</td><td>2</td>" in quality
    assert (
        quality.count('<div class="plot"') == 4
    )  # two status heatmaps, country coverage, researcher coverage


def test_a_chain_links_venue_list_is_not_a_series():
    # Appendix charts guess their groups from the text columns; link_venues changes from year to year
    # and once split one country's line into a segment per venue set.
    frame = pd.DataFrame(
        {
            "year": [2020, 2021, 2020, 2021],
            "country": ["US", "US", "CN", "CN"],
            "share": [0.4, 0.41, 0.2, 0.22],
            "share_ci_low": [0.39, 0.4, 0.19, 0.21],
            "share_ci_high": [0.41, 0.42, 0.21, 0.23],
            "pooled_share": [0.4, 0.41, 0.2, 0.22],
            "link_change": [None, 0.01, None, 0.02],
            "link_venues": [None, "iclr,nips", None, "iclr,nips"],
            "chain_segment": [1, 1, 1, 1],
        }
    )
    axes = infer_axes(Chart(table="talent.work_country_share__top"), frame)
    assert (axes.x, axes.y, axes.color) == ("year", "share", ["country"])
