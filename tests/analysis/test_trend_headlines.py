"""Report headlines over years name their panel and never compare two ends with different venue sets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.report.headlines import compute_headlines

FILTERS = {"coverage_gate": 0.3, "affiliation_bases": "all", "country_basis": "hq", "china_scope": "mainland"}


def _work_share(chained: bool) -> MetricTable:
    years = [2010, 2011, 2012, 2013]
    frame = pd.DataFrame(
        {
            "year": years,
            "country": "CN",
            "share": [0.05, 0.06, 0.20, 0.25],
            "share_ci_low": [0.04, 0.05, 0.19, 0.24],
            "share_ci_high": [0.06, 0.07, 0.21, 0.26],
            "link_venues": [None, "nips", None, "icml,nips"] if chained else [None] * 4,
            "chain_segment": [1, 1, 2, 2] if chained else [np.nan] * 4,
        }
    )
    return MetricTable("talent.work_country_share", "Work", frame, Coverage("r", 10, 9), FILTERS)


def _venue_years() -> MetricTable:
    rows = [("nips", y) for y in (2010, 2011, 2012, 2013)] + [("icml", 2013)]
    frame = pd.DataFrame(rows, columns=["venue", "year"]).assign(gated_in=True)
    return MetricTable("talent.venue_years", "Venue-years", frame, Coverage("venue-years", 5, 5))


def _china_sentence(tables: dict[str, MetricTable]) -> str:
    views = compute_headlines(tables, [])
    (text,) = [v.text for v in views if "China" in v.text]
    return text


def test_a_chained_series_is_compared_within_its_last_chain_and_names_the_panel():
    text = _china_sentence({"talent.work_country_share": _work_share(chained=True)})
    assert "25.0% (95% CI 24.0%–26.0%) in 2013, against 20.0% in 2012." in text
    assert "2010" not in text and "2011" not in text  # another chain: its levels do not compare
    assert "chain-linked 2012–2013" in text and "(icml, nips)" in text
    assert "coverage gate 0.30" in text and "hq countries" in text


def test_a_raw_series_is_not_compared_across_different_venue_sets():
    tables = {"talent.work_country_share": _work_share(chained=False), "talent.venue_years": _venue_years()}
    text = _china_sentence(tables)
    assert text.startswith("Share of researchers working in China: 25.0% (95% CI 24.0%–26.0%) in 2013.")
    assert "against" not in text
    assert "Not compared with 2010" in text and "(nips vs icml, nips)" in text
    # Same venues at both ends: the comparison stands.
    tables["talent.venue_years"].frame = tables["talent.venue_years"].frame.iloc[:4]
    assert "against 5.0% in 2010." in _china_sentence(tables)


def test_a_compared_year_resting_on_crawl_time_profiles_says_so():
    table = _work_share(chained=True)
    table.filters = {**FILTERS, "profile_crawl_venue_years": ["iclr2011", "nips2013", "icml2013"]}
    text = _china_sentence({"talent.work_country_share": table})
    # 2012 and 2013 are compared; only 2013 rests on crawl-time profiles (2011 is in another chain).
    assert "OpenReview profiles as crawled later, not from the papers (2013: icml2013, nips2013)" in text
    assert "iclr2011" not in text
    table.filters = FILTERS
    assert "crawled later" not in _china_sentence({"talent.work_country_share": table})


def test_a_pooled_cohort_series_is_not_compared_across_different_venue_sets():
    frame = pd.DataFrame(
        {
            "cohort": [2010, 2011, 2012, 2013],
            "origin_country": "CN",
            "retention": [0.95, 0.94, 0.93, 0.90],
            "retention_ci_low": [0.94, 0.93, 0.92, 0.89],
            "retention_ci_high": [0.96, 0.95, 0.94, 0.91],
        }
    )
    retention = MetricTable("talent.retention", "Retention", frame, Coverage("r", 10, 9), FILTERS)
    tables = {"talent.retention": retention, "talent.venue_years": _venue_years()}
    (text,) = [v.text for v in compute_headlines(tables, []) if v.table_name == "talent.retention"]
    assert "90.0%" in text and "against" not in text
    assert "Not compared with 2010" in text and "(nips vs icml, nips)" in text
