"""Chain-linked shares on hand-made units whose answers can be worked out on paper."""

from __future__ import annotations

import pandas as pd
import pytest

from splitscope.analysis.panels import chained_shares, group_series, trend_series


def _units(rows: list[tuple[str, int, str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(unit, year, venue, category) with value 1 -> members, parts."""
    frame = pd.DataFrame(rows, columns=["unit", "year", "venue", "category"])
    members = frame[["unit", "year", "venue"]]
    parts = frame[["unit", "year", "category"]].assign(value=1.0)
    return members, parts


def _block(venue: str, year: int, us: int, cn: int) -> list[tuple[str, int, str, str]]:
    return [(f"{venue}{year}u{i}", year, venue, "US") for i in range(us)] + [
        (f"{venue}{year}c{i}", year, venue, "CN") for i in range(cn)
    ]


# Venue A: CN 20% in 2017, 30% in 2018. Venue B enters in 2018 only, 90% CN and four times A's size.
ROWS = _block("a", 2017, 80, 20) + _block("a", 2018, 70, 30) + _block("b", 2018, 40, 360)
GATED = {2017: frozenset({"a"}), 2018: frozenset({"a", "b"})}


def _share(frame: pd.DataFrame, year: int, category: str, column: str = "share") -> float:
    return float(frame[(frame["year"] == year) & (frame["category"] == category)][column].iloc[0])


def test_a_venue_entering_moves_the_pooled_share_but_not_the_chained_change():
    members, parts = _units(ROWS)
    chained = chained_shares(members, parts, GATED, resamples=50)
    # The link 2017 -> 2018 is measured on A alone: +0.10.
    assert _share(chained, 2018, "CN", "link_change") == pytest.approx(0.10)
    assert _share(chained, 2018, "CN") - _share(chained, 2017, "CN") == pytest.approx(0.10)
    assert chained.loc[chained["year"] == 2018, "link_venues"].unique().tolist() == ["a"]
    # Pooled (raw) 2018: (30 + 360) / 500 = 0.78; the raw change is +0.58.
    assert _share(chained, 2018, "CN", "pooled_share") == pytest.approx(0.78)
    # Levels: the mean of the chained levels equals the mean pooled share, (0.20 + 0.78) / 2 = 0.49,
    # so 2017 = 0.49 - 0.05 and 2018 = 0.49 + 0.05.
    assert _share(chained, 2017, "CN") == pytest.approx(0.44)
    assert _share(chained, 2018, "CN") == pytest.approx(0.54)
    # Countries of one year still sum to 1.
    assert chained.groupby("year")["share"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    raw = trend_series(members, parts, GATED, "raw", resamples=50)
    assert _share(raw, 2018, "CN") - _share(raw, 2017, "CN") == pytest.approx(0.58)
    assert raw["link_change"].isna().all() and raw["chain_segment"].isna().all()


def test_intervals_bracket_the_estimates_and_are_reproducible():
    members, parts = _units(ROWS)
    first = chained_shares(members, parts, GATED, resamples=200)
    second = chained_shares(members, parts, GATED, resamples=200)
    pd.testing.assert_frame_equal(first, second)
    assert (first["share_ci_low"] <= first["share"] + 1e-9).all()
    assert (first["share"] <= first["share_ci_high"] + 1e-9).all()
    assert (first["share_ci_high"] - first["share_ci_low"] > 0).all()


def test_a_year_sharing_no_venue_with_the_previous_one_starts_a_new_chain():
    rows = _block("a", 2017, 50, 50) + _block("b", 2018, 90, 10) + _block("b", 2019, 80, 20)
    members, parts = _units(rows)
    gated = {2017: frozenset({"a"}), 2018: frozenset({"b"}), 2019: frozenset({"b"})}
    chained = chained_shares(members, parts, gated, resamples=20)
    segments = chained.drop_duplicates("year").set_index("year")["chain_segment"].to_dict()
    assert segments == {2017: 1, 2018: 2, 2019: 2}
    # A one-year chain is its own pooled share; no change is reported across the break.
    assert _share(chained, 2017, "CN") == pytest.approx(0.5)
    assert pd.isna(_share(chained, 2018, "CN", "link_change"))


def test_gated_out_venue_years_are_not_in_any_pool():
    members, parts = _units(ROWS)
    only_a = {2017: frozenset({"a"}), 2018: frozenset({"a"})}  # B below the gate in 2018
    chained = chained_shares(members, parts, only_a, resamples=20)
    assert _share(chained, 2018, "CN", "pooled_share") == pytest.approx(0.30)
    assert int(chained.loc[chained["year"] == 2018, "n"].iloc[0]) == 100


def test_a_unit_counted_in_two_venues_is_one_unit_of_each_pool():
    # A researcher-year with papers at A and B counts once in the pooled share and once in A's link.
    rows = _block("a", 2017, 1, 1) + _block("a", 2018, 1, 1) + [("a2018u0", 2018, "b", "US")]
    members, parts = _units(rows)
    parts = parts.drop_duplicates(["unit", "year"])
    chained = chained_shares(members, parts, {2017: frozenset({"a"}), 2018: frozenset({"a", "b"})}, 20)
    assert int(chained.loc[chained["year"] == 2018, "n"].iloc[0]) == 2
    assert _share(chained, 2018, "US", "pooled_share") == pytest.approx(0.5)


def test_group_series_follow_the_same_rules_per_group():
    members, parts = _units(ROWS)
    groups = group_series(members, parts, GATED, {"ga": ("a",), "gb": ("b",), "none": ("z",)}, "panel", 20)
    assert set(groups["venue_group"]) == {"ga", "gb"}
    ga = groups[groups["venue_group"] == "ga"]
    assert _share(ga, 2017, "CN") == pytest.approx(0.20) and _share(ga, 2018, "CN") == pytest.approx(0.30)
    gb = groups[groups["venue_group"] == "gb"]
    assert gb["year"].unique().tolist() == [2018] and _share(gb, 2018, "CN") == pytest.approx(0.9)
