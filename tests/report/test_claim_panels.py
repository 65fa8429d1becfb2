"""Claims over pooled (not chain-linked) tables are judged on the venues gated in every year of both
windows, recomputed by the table's own provider; hand-built tables and a stand-in provider."""

from __future__ import annotations

import pandas as pd

from splitscope.analysis.claims import Claim
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.report import claim_panels
from splitscope.report.gather import Gathered, Provider
from splitscope.selection import Selection

YEARS = range(2010, 2016)
# "nips" is gated every year; "icra" only early, "acmmm" only late. Pooled, the rate rises because the
# late venue has a high rate; on nips alone it is flat.
RATE = {"nips": 0.5, "icra": 0.2, "acmmm": 0.9}
PRESENT = {year: ("nips", "icra") if year < 2013 else ("nips", "acmmm") for year in YEARS}


def rate_table(con, selection: Selection) -> MetricTable:
    venues = selection.venues or tuple(RATE)
    rows = []
    for year in YEARS:
        here = [v for v in PRESENT[year] if v in venues]
        rate = sum(RATE[v] for v in here) / len(here)
        rows.append(
            {"year": year, "rate": rate, "rate_ci_low": rate - 0.02, "rate_ci_high": rate + 0.02, "n": 100}
        )
    return MetricTable(
        "talent.rate", "Rate", pd.DataFrame(rows), Coverage("researchers", 100, 90), {"venues": venues}
    )


STAND_IN = Provider("talent", rate_table)


def _gathered() -> Gathered:
    gathered = Gathered()
    gathered.tables["talent.rate"] = rate_table(None, Selection())
    gated = [{"venue": v, "year": y, "gated_in": True} for y in YEARS for v in PRESENT[y]]
    gathered.tables["talent.venue_years"] = MetricTable(
        "talent.venue_years", "Venue-years", pd.DataFrame(gated), Coverage("venue-years", 12, 12)
    )
    gathered.provider_of["talent.rate"] = "talent"
    return gathered


CLAIM = Claim(id="rising", claim="the rate rises", table="talent.rate", value="rate", direction="increase")


def test_a_pooled_claim_is_judged_on_the_venues_of_every_window_year(monkeypatch):
    monkeypatch.setattr(claim_panels, "PROVIDERS", (STAND_IN,))
    gathered = _gathered()
    # As pooled, the claim would be supported (0.35 -> 0.70): the venue mix, not the rate, changed.
    (result,) = claim_panels.evaluate_like_for_like(object(), Selection(), [CLAIM], gathered)
    assert result.verdict == "inconclusive"
    assert result.early.estimate == result.late.estimate == 0.5
    assert result.claim.table == "talent.rate__claim_rising"
    assert gathered.tables["talent.rate__claim_rising"].filters["venues"] == ("nips",)
    assert "venues gated in every year of both windows (nips)" in result.reason


def test_no_common_venue_or_no_store_is_inconclusive_with_the_reason(monkeypatch):
    monkeypatch.setattr(claim_panels, "PROVIDERS", (STAND_IN,))
    gathered = _gathered()
    (result,) = claim_panels.evaluate_like_for_like(None, Selection(), [CLAIM], gathered)
    assert result.verdict == "inconclusive" and "could not be recomputed" in result.reason
    frame = gathered.tables["talent.venue_years"].frame
    gathered.tables["talent.venue_years"].frame = frame[frame["venue"] != "nips"]
    (result,) = claim_panels.evaluate_like_for_like(object(), Selection(), [CLAIM], gathered)
    assert result.verdict == "inconclusive" and result.reason.startswith("no venue has enough coverage")


def test_same_venues_in_every_window_year_leave_the_claim_as_it_is(monkeypatch):
    monkeypatch.setattr(claim_panels, "PROVIDERS", (STAND_IN,))
    gathered = _gathered()
    frame = gathered.tables["talent.venue_years"].frame
    gathered.tables["talent.venue_years"].frame = frame[frame["venue"] == "nips"]
    (result,) = claim_panels.evaluate_like_for_like(None, Selection(), [CLAIM], gathered)
    assert result.claim.table == "talent.rate" and result.verdict == "supported"


def thin_rate_table(con, selection: Selection) -> MetricTable:
    """As rate_table, but on nips alone 2015 has too few units to give a value."""
    table = rate_table(con, selection)
    if selection.venues == ("nips",):
        table.frame = table.frame[table.frame["year"] != 2015]
    return table


def test_a_window_year_the_recomputed_table_lacks_makes_the_claim_inconclusive(monkeypatch):
    monkeypatch.setattr(claim_panels, "PROVIDERS", (Provider("talent", thin_rate_table),))
    (result,) = claim_panels.evaluate_like_for_like(object(), Selection(), [CLAIM], _gathered())
    assert result.verdict == "inconclusive"
    assert result.reason.startswith("on those venues the table has no value for 2015")
    assert (result.claim.early, result.claim.late) == ((2010, 2012), (2013, 2015))
