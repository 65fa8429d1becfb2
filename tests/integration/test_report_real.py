"""The report over a real store, opened in headless Chromium: every ACML year built from ../shared/data,
every chart draws (the browser check is tests/report/chromium_page.py's, shared with the synthetic test)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from splitscope.report.render import render_report
from splitscope.selection import Selection

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from chromium_page import check_report_in_browser, chromium_path  # noqa: E402

pytestmark = [
    pytest.mark.integration,
    pytest.mark.browser,
    pytest.mark.skipif(
        chromium_path() is None,
        reason="chromium is not installed (make dev installs it: apt-get install -y chromium)",
    ),
]


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


def test_real_corpus_report_draws_every_chart(acml_report):
    folder, result = acml_report
    assert result.seconds < 20
    venue_years = pd.read_csv(result.out_dir / "data" / "status.venue_years.csv")
    acml = venue_years[venue_years["venue"] == "acml"].set_index("year")
    # Paper counts of acml2010.json and acml2024.json in paperlists/MANIFEST.tsv.
    assert (acml.loc[2010, "papers"], acml.loc[2024, "papers"]) == (23, 87)
    assert len(acml) == 15
    png = check_report_in_browser(result.index_html, folder, "report-acml")
    assert png.stat().st_size > 50_000
