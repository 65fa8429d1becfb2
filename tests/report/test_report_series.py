"""Which series a chart draws (report/series.py) and the Sankey's limits (report/flows.py), on small
hand-built frames whose expected values are worked out in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from splitscope.report.flows import MAX_SIDE, sankey_figure
from splitscope.report.series import Rules, lead_rank, pick_series


@pytest.mark.parametrize(
    ("label", "rank"),
    [
        ("US · CN", 0),
        ("us_cn", 0),
        ("US", 1),
        ("US-US", 1),
        ("us_only", 1),
        ("US · education", 1),
        ("us_intl_no_cn", 1),  # a paper without a CN author is not a US-CN paper
        ("CN", 2),
        ("CN-CN", 2),
        ("cn_intl_no_us", 2),
        ("US → GB", 3),
        ("CN-other", 3),
        ("US → NO", 3),  # upper case: NO is Norway, not a negation
        ("GB · DE", 5),
        ("other", 5),
        ("CN · unknown", 6),
    ],
)
def test_lead_rank(label, rank):
    assert lead_rank(label) == rank


def _rates() -> pd.DataFrame:
    """Retention-like rows: the US and China large, DE and GB medium, three tiny origins at 1.0."""
    rows = []
    for year in (2020, 2021):
        for country, n, rate in (("US", 400, 0.9), ("CN", 300, 0.8), ("DE", 100, 0.7), ("GB", 50, 0.6)):
            rows.append({"year": year, "country": country, "n": n, "rate": rate})
        for country in ("AM", "BG", "LB"):
            rows.append({"year": year, "country": country, "n": 2, "rate": 1.0})
    frame = pd.DataFrame(rows)
    frame["rate_ci_low"] = frame["rate"] - 0.05
    frame["rate_ci_high"] = frame["rate"] + 0.05
    return frame


def test_small_groups_are_not_drawn_and_the_note_says_so():
    picked = pick_series(_rates(), "year", "rate", ["country"], Rules())
    assert picked.labels == ["US", "CN", "DE", "GB"]
    assert picked.notes == [
        "Not drawn: 6 points counted over fewer than 30 (n).",
        "3 groups have no point left to draw.",
    ]


def test_rates_fold_into_other_weighted_by_n():
    picked = pick_series(_rates(), "year", "rate", ["country"], Rules(max_series=2))
    assert picked.labels == ["US", "CN", "other"]
    other = picked.frame[picked.frame["_label"] == "other"].set_index("year")
    # DE and GB pooled: (0.7 * 100 + 0.6 * 50) / 150 = 0.6667, over n = 150.
    assert other.loc[2020, "rate"] == pytest.approx(100 / 150)
    assert other.loc[2020, "n"] == 150
    assert pd.isna(other.loc[2020].get("rate_ci_low"))  # no interval: the bootstrap never saw this sum
    assert "Drawn: 2 groups with the US or China; 2 smaller groups pooled (weighted by n) as “other”." in (
        picked.notes
    )


def test_wide_intervals_are_hidden_on_a_unit_scale():
    frame = _rates()
    frame.loc[frame["country"] == "GB", ["rate_ci_low", "rate_ci_high"]] = [0.3, 0.9]  # 0.6 wide
    picked = pick_series(frame, "year", "rate", ["country"], Rules())
    assert "GB" not in picked.labels
    assert "Not drawn: 2 points whose 95% interval is wider than 0.4." in picked.notes


def test_composition_shares_fold_as_a_sum():
    # Per year: US 0.4, CN 0.3, then ten countries of 0.03 each: the shares add up to 1.
    rows = [
        {"year": y, "country": c, "researchers": s * 1000, "n": 1000, "share": s}
        for y in (2020, 2021)
        for c, s in (("US", 0.4), ("CN", 0.3), *((f"Z{i}", 0.03) for i in range(10)))
    ]
    picked = pick_series(pd.DataFrame(rows), "year", "share", ["country"], Rules(max_series=4))
    assert picked.labels == ["US", "CN", "Z0", "Z1", "other"]  # equal weights: alphabetical
    other = picked.frame[picked.frame["_label"] == "other"]
    assert other["share"].tolist() == pytest.approx([0.24, 0.24])  # eight countries of 0.03
    assert "8 smaller groups summed as “other”" in picked.notes[0]


def test_us_and_china_lead_even_when_small():
    rows = [
        {"year": 2020, "pair": p, "papers": w, "affinity": 0.1}
        for p, w in (("GB · DE", 900), ("FR · DE", 800), ("US · GB", 50), ("CN · SG", 40), ("US · CN", 10))
    ]
    picked = pick_series(pd.DataFrame(rows), "year", "affinity", ["pair"], Rules(fold="none", max_series=3))
    # US·CN first, then the pairs with the US or China by weight; the large European pairs left out.
    assert picked.labels == ["US · CN", "US · GB", "CN · SG"]


def test_categorical_axis_is_capped_with_other():
    rows = [{"country": f"Z{i}", "n": 100 + i, "retained": 50, "rate": 50 / (100 + i)} for i in range(20)]
    rows += [{"country": "CN", "n": 40, "retained": 30, "rate": 0.75}]
    picked = pick_series(pd.DataFrame(rows), "country", "rate", [], Rules())
    assert picked.x_order[0] == "CN" and picked.x_order[-1] == "other"
    assert len(picked.x_order) == 13  # CN, the 11 largest others, "other"
    assert picked.x_order[1:3] == ["Z19", "Z18"]


def _flows(countries: int) -> pd.DataFrame:
    rows = [{"origin_country": "US", "work_country": "US", "researchers": 1000.0}]
    rows += [{"origin_country": "CN", "work_country": "US", "researchers": 2.0}]  # CN tiny, still shown
    rows += [
        {
            "origin_country": f"Z{i:02d}",
            "work_country": f"Z{(i + 1) % countries:02d}",
            "researchers": 100.0 - i,
        }
        for i in range(countries)
    ]
    rows += [{"origin_country": "unknown", "work_country": "US", "researchers": 500.0}]
    return pd.DataFrame(rows)


def test_sankey_keeps_us_china_and_folds_the_rest():
    frame = _flows(40)
    figure, notes = sankey_figure(frame)
    trace = figure["data"][0]
    labels = trace["node"]["label"]
    sources = [label for label in labels if label.endswith("(first observed)")]
    targets = [label for label in labels if label.endswith("(works)")]
    assert len(sources) <= MAX_SIDE and len(targets) <= MAX_SIDE and len(labels) <= 2 * MAX_SIDE
    assert sources[:2] == ["US (first observed)", "CN (first observed)"]
    assert sources[-1] == "other (first observed)"  # "unknown" is folded too: it is not a place
    assert sum(trace["link"]["value"]) == pytest.approx(frame["researchers"].sum())  # nothing lost
    # 43 origins (US, CN, 40 Z, unknown): 11 named, 32 summed.
    assert notes[0] == "Drawn: 11 origins, the US and China always; 32 smaller origins summed as “other”."


def test_sankey_with_few_countries_has_no_other():
    figure, notes = sankey_figure(_flows(3).query("origin_country != 'unknown'"))
    assert "other (first observed)" not in figure["data"][0]["node"]["label"]
    assert notes == []
