"""Full vs fractional counting, the six-way paper mix, combinations and pair strength on hand-made papers.

Papers (all NeurIPS 2020 unless said), authors as country lists:
  P1 [US] [CN] [CN]  top-tier        -> us_cn;          fractional US 1/3, CN 2/3
  P2 [US .5 + CN .5] [GB]            -> us_cn;          US 1/4, CN 1/4, GB 1/2
  P3 [US] [US]                       -> us_only;        US 1
  P4 [CN .5 + unresolved .5] [none]  -> cn_only;        CN 1 (renormalised over resolved rows/authors)
  P5 [US] [DE]                       -> us_intl_no_cn;  US 1/2, DE 1/2
  P6 [CN] [HK]                       -> cn_intl_no_us;  CN 1/2, HK 1/2 (cn_only under greater-china)
  P7 [FR] [DE]                       -> other;          FR 1/2, DE 1/2
  P8 per-paper list {US, CN} only    -> us_cn, full counting only (paper basis)
  P9 per-paper list, unresolved      -> no country (selected, not covered)
  P10 rejected US-CN paper           -> not selected
"""

from __future__ import annotations

import math

import pytest
from collab_builders import add_paper, one

from splitscope.analysis.collab.paper_counts import MIX_CATEGORIES
from splitscope.analysis.collab.tables import collab_tables
from splitscope.errors import UnusableInputError
from splitscope.selection import Selection, parse_selection


@pytest.fixture()
def mixed_store(store):
    add_paper(store, "P1", 2020, [("u1", one("US")), ("c1", one("CN")), ("c2", one("CN"))], top_tier=True)
    add_paper(store, "P2", 2020, [("u1", [("US", 0.5, None), ("CN", 0.5, None)]), ("g1", one("GB"))])
    add_paper(store, "P3", 2020, [(None, one("US")), (None, one("US"))])
    add_paper(store, "P4", 2020, [(None, [("CN", 0.5, None), (None, 0.5, None)]), (None, [])])
    add_paper(store, "P5", 2020, [(None, one("US")), (None, one("DE"))])
    add_paper(store, "P6", 2020, [(None, one("CN")), (None, one("HK"))])
    add_paper(store, "P7", 2020, [(None, one("FR")), (None, one("DE"))])
    paper_list = [("Stanford University", "US", "stanford"), ("Tsinghua University", "CN", "thu")]
    add_paper(store, "P8", 2020, [(None, []), (None, [])], paper_affiliations=paper_list)
    add_paper(store, "P9", 2020, [(None, [])], paper_affiliations=[("Nowhere Institute", None, None)])
    add_paper(store, "P10", 2020, [(None, one("US")), (None, one("CN"))], accepted=False)
    add_paper(store, "I1", 2020, [(None, one("US")), (None, one("CN"))], venue="icml")
    return store


def _rows(table, **where):
    frame = table.frame
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame


def test_paper_mix_six_categories_exact_and_sum_to_one(mixed_store):
    tables = collab_tables(mixed_store, Selection(venues=("nips",)), resamples=50)
    mix = _rows(tables["collab.paper_mix"], scope="nips", cohort="all", year=2020).set_index("category")
    assert list(mix.index) == list(MIX_CATEGORIES)
    assert mix["papers"].to_dict() == {
        "us_cn": 3,
        "us_only": 1,
        "cn_only": 1,
        "us_intl_no_cn": 1,
        "cn_intl_no_us": 1,
        "other": 1,
    }
    assert mix.loc["us_cn", "share"] == pytest.approx(3 / 8)
    assert mix["share"].sum() == pytest.approx(1.0)
    assert set(mix["papers_with_country"]) == {8} and set(mix["papers_selected"]) == {9}
    assert (mix["share_ci_low"] <= mix["share"]).all() and (mix["share"] <= mix["share_ci_high"]).all()
    coverage = tables["collab.paper_mix"].coverage
    assert (coverage.eligible, coverage.covered) == (9, 8)
    top = _rows(tables["collab.paper_mix"], scope="nips", cohort="top_tier").set_index("category")
    assert top.loc["us_cn", "share"] == 1.0 and top["papers"].sum() == 1


def test_full_and_fractional_counting_exact(mixed_store):
    tables = collab_tables(mixed_store, Selection(venues=("nips",)), resamples=50)
    counts = _rows(tables["collab.country_counts"], scope="all", cohort="all").set_index("country")
    assert counts["papers_full"].to_dict() == {"CN": 5, "DE": 2, "FR": 1, "GB": 1, "HK": 1, "US": 5}
    expected_fractional = {
        "US": 1 / 3 + 1 / 4 + 1 + 1 / 2,
        "CN": 2 / 3 + 1 / 4 + 1 + 1 / 2,
        "GB": 1 / 2,
        "DE": 1,
        "FR": 1 / 2,
        "HK": 1 / 2,
    }
    for country, value in expected_fractional.items():
        assert counts.loc[country, "papers_fractional"] == pytest.approx(value)
        assert counts.loc[country, "share_fractional"] == pytest.approx(value / 7)
    # Fractional counting covers the 7 author-basis papers exactly once; P8 counts only in full counting.
    assert counts["papers_fractional"].sum() == pytest.approx(7)
    assert counts.loc["US", "share_full"] == pytest.approx(5 / 8)
    assert tables["collab.country_counts"].coverage.covered == 7


def test_china_scope_is_explicit(mixed_store):
    plain = collab_tables(mixed_store, Selection(venues=("nips",)), resamples=20)
    grouped = collab_tables(
        mixed_store, parse_selection("nips", china_scope="greater-china"), resamples=20
    )  # the old --grouping name still works, as an alias

    def cn_only(tables):
        frame = _rows(tables["collab.paper_mix"], scope="all", cohort="all", category="cn_only")
        return int(frame["papers"].iloc[0])

    assert cn_only(plain) == 1 and cn_only(grouped) == 2  # P6 (CN + HK) becomes CN only
    assert grouped["collab.paper_mix"].filters["china_scope"] == "with-hk-mo-tw"
    with pytest.raises(UnusableInputError, match="china-scope"):
        parse_selection(china_scope="chinese-names")


def test_combinations_and_scopes(mixed_store):
    tables = collab_tables(mixed_store, Selection(), resamples=20)
    combos = _rows(tables["collab.country_combinations"], scope="all", cohort="all").set_index("combination")
    assert combos["papers"].to_dict() == {
        "CN+US": 3,
        "CN": 1,
        "CN+GB+US": 1,
        "CN+HK": 1,
        "DE+FR": 1,
        "DE+US": 1,
        "US": 1,
    }  # P1, P8 and ICML's I1 are CN+US
    icml = _rows(tables["collab.paper_mix"], scope="icml", category="us_cn")
    assert icml["share"].tolist() == [1.0]
    assert combos["share"].sum() == pytest.approx(1.0)


def test_salton_cosine_and_affinity_by_hand(mixed_store):
    tables = collab_tables(mixed_store, Selection(venues=("nips",)), resamples=50)
    strength = tables["collab.pair_strength"].frame.set_index(["country_i", "country_j"])
    us_cn = strength.loc[("US", "CN")]
    # N_US = 5 (P1 P2 P3 P5 P8), N_CN = 5 (P1 P2 P4 P6 P8), C = 3 (P1 P2 P8), I_US = 4 (P1 P2 P5 P8).
    assert (us_cn["papers_i"], us_cn["papers_j"], us_cn["papers_ij"]) == (5, 5, 3)
    assert us_cn["salton_cosine"] == pytest.approx(3 / math.sqrt(25))
    assert us_cn["affinity"] == pytest.approx(3 / 4)
    assert strength.loc[("US", "DE"), "salton_cosine"] == pytest.approx(1 / math.sqrt(10))
    assert strength.loc[("US", "DE"), "affinity"] == pytest.approx(1 / 4)
    # I_CN = 4 (P1 P2 P6 P8): HK is international under ISO codes.
    assert strength.loc[("CN", "HK"), "affinity"] == pytest.approx(1 / 4)
    assert ("US", "FR") not in strength.index


def test_topic_slice_restricts_papers(store):
    add_paper(
        store, "T1", 2023, [(None, one("US")), (None, one("CN"))], title="Scaling Large Language Models"
    )
    add_paper(store, "T2", 2023, [(None, one("US"))], title="Graph kernels", keywords=["LLM", "graphs"])
    add_paper(store, "T3", 2023, [(None, one("CN"))], title="Convex optimisation")
    tables = collab_tables(store, Selection(), topic="llm", resamples=20)
    mix = _rows(tables["collab.paper_mix"], scope="all", cohort="all").set_index("category")
    assert mix["papers"].sum() == 2 and mix.loc["us_cn", "share"] == pytest.approx(0.5)
    assert tables["collab.paper_mix"].filters["topic"]["query"] == "llm"


def test_year_without_resolved_countries_shows_zero_coverage(store):
    add_paper(store, "N1", 2019, [(None, [])])
    add_paper(store, "N2", 2020, [(None, one("US"))])
    # The default gate keeps the 2019 venue-year out of every trend and lists it with its coverage...
    gated = collab_tables(store, Selection(), resamples=20)
    assert gated["collab.paper_mix"].filters["gated_out"] == ["nips2019 (0.00)"]
    years = gated["collab.venue_years"].frame.set_index("year")
    assert years.loc[2019, "paper_coverage"] == 0 and not years.loc[2019, "paper_gated_in"]
    # ... and with the gate at 0 its rows show zero coverage rather than vanishing.
    mix = collab_tables(store, Selection(coverage_gate=0.0), resamples=20)["collab.paper_mix"].frame
    year_2019 = mix[(mix["year"] == 2019) & (mix["scope"] == "all") & (mix["cohort"] == "all")]
    assert len(year_2019) == 6 and (year_2019["papers_with_country"] == 0).all()
    assert year_2019["share"].isna().all()


def test_paper_country_sets_long_rows(mixed_store):
    from splitscope.analysis.collab.paper_sets import paper_country_sets

    sets = paper_country_sets(mixed_store, Selection(venues=("nips",), china_scope="with-hk-mo"))
    p6 = sets[sets["paper_id"] == "P6"]
    assert p6[["country", "fractional", "basis"]].values.tolist() == [["CN", 1.0, "author"]]
    p8 = sets[sets["paper_id"] == "P8"]
    assert sorted(p8["country"]) == ["CN", "US"] and p8["fractional"].isna().all()
    assert set(sets["paper_id"]) == {f"P{i}" for i in range(1, 9)}


def test_a_venue_with_per_paper_lists_only_does_not_move_fractional_counting(store):
    # NeurIPS both years with per-author countries: China's fractional share 1/4 -> 1/2. CVPR has
    # per-author countries in 2020 (CN, CN, US, US) and only per-paper lists {US, CN} in 2021 (no author
    # shares): it is in the full-counting link, and must stay out of the fractional one rather than add
    # six papers without shares (which gave China 3/8 -> 2/10, a fall).
    for year, countries in ((2020, ["US", "US", "US", "CN"]), (2021, ["US", "CN", "US", "CN"])):
        for i, country in enumerate(countries):
            add_paper(store, f"N{year}-{i}", year, [(None, one(country))])
    for i, country in enumerate(["CN", "CN", "US", "US"]):
        add_paper(store, f"C2020-{i}", 2020, [(None, one(country))], venue="cvpr")
    paper_list = [("Stanford University", "US", "stanford"), ("Tsinghua University", "CN", "thu")]
    for i in range(6):
        add_paper(
            store, f"C2021-{i}", 2021, [(None, []), (None, [])], venue="cvpr", paper_affiliations=paper_list
        )
    tables = collab_tables(store, Selection(), resamples=20)
    counts = _rows(tables["collab.country_counts"], scope="all", cohort="all", country="CN").set_index("year")
    assert counts.loc[2021, "share_fractional"] - counts.loc[2020, "share_fractional"] == pytest.approx(0.25)
    # Full counting links 2020 -> 2021 on both venues: 3/8 -> 8/10.
    assert counts.loc[2021, "share_full"] - counts.loc[2020, "share_full"] == pytest.approx(0.425)
