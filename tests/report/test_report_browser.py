"""Open the rendered report in headless Chromium: every chart draws, no console message, a screenshot."""

from __future__ import annotations

import pytest
from chromium_page import check_report_in_browser, chromium_path
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
    """Every declared chart has its table here, so every chart kind (line, bar, Sankey, heatmap) must draw."""
    result = render_report(None, tmp_path / "out", Selection(), gathered=synthetic_gathered(complete=True))
    assert set(result.sections.values()) == {"ok"}, result.sections
    check_report_in_browser(result.index_html, tmp_path, "report-synthetic")
