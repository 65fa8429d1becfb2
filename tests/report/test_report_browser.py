"""Open the rendered report in headless Chromium: every chart draws, no console message, a screenshot."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from chromium_page import chromium_path, drawn_plots, load_page, screenshot
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


def _check_in_browser(index_html: Path, tmp_path: Path, label: str) -> Path:
    page = load_page(index_html, tmp_path / "profile")
    assert page.dom, "chromium printed no DOM"
    assert page.console == [], f"console messages: {page.console}"
    assert 'data-js-errors="' not in page.dom
    declared = re.findall(r'<div class="plot" id="(chart-\d+)">', index_html.read_text(encoding="utf-8"))
    plots = drawn_plots(page.dom)
    assert declared and set(plots) == set(declared)
    assert [pid for pid, drawn in plots.items() if not drawn] == []
    assert f'data-charts-drawn="{len(declared)}"' in page.dom
    png = screenshot(index_html, tmp_path / f"{label}.png", tmp_path / "profile")
    assert png.exists() and png.stat().st_size > 20_000  # a blank page is a few kB
    keep = os.environ.get("SPLITSCOPE_SCREENSHOT_DIR")
    if keep:
        shutil.copy(png, Path(keep) / png.name)
    return png


def test_synthetic_report_draws_every_chart(tmp_path):
    """Every declared chart has its table here, so every chart kind (line, bar, Sankey, heatmap) must draw."""
    result = render_report(None, tmp_path / "out", Selection(), gathered=synthetic_gathered(complete=True))
    assert set(result.sections.values()) == {"ok"}, result.sections
    _check_in_browser(result.index_html, tmp_path, "report-synthetic")


@pytest.fixture(scope="module")
def acml_report(shared_data, tmp_path_factory):
    """The report over a real store: every ACML year (2010-2024, ~800 papers) built from the shared corpus."""
    from typer.testing import CliRunner

    from splitscope.cli import app
    from splitscope.store import connect

    folder = tmp_path_factory.mktemp("acml")
    db = folder / "store.duckdb"
    args = ["build", "--venues", "acml", "--mirror", str(shared_data / "paperlists")]
    built = CliRunner().invoke(app, [*args, "--shared", str(shared_data), "--db", str(db), "--json"])
    assert built.exit_code == 0, built.output
    con = connect(db, read_only=True)
    try:
        result = render_report(con, folder / "report", Selection(venues=("acml",)))
    finally:
        con.close()
    return folder, result


@pytest.mark.integration
def test_real_corpus_report_draws_every_chart(acml_report):
    folder, result = acml_report
    assert result.seconds < 20
    venue_years = pd.read_csv(result.out_dir / "data" / "status.venue_years.csv")
    acml = venue_years[venue_years["venue"] == "acml"].set_index("year")
    # Paper counts of acml2010.json and acml2024.json in paperlists/MANIFEST.tsv.
    assert (acml.loc[2010, "papers"], acml.loc[2024, "papers"]) == (23, 87)
    assert len(acml) == 15
    png = _check_in_browser(result.index_html, folder, "report-acml")
    assert png.stat().st_size > 50_000
