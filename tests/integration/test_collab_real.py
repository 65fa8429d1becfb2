"""Collaboration tables on the real corpus: a few venue-years built from ../shared/data.

Expected country sets were read by hand from the raw paper lists (affiliation strings of every author):
- nips2018:11929 "Entropy Rate Estimation for Markov Chains with Large State Space": Stanford, UC
  Berkeley, Yale (US) and Tsinghua (CN) -> {CN, US}.
- nips2018:11440 "Exponentiated Strongly Rayleigh Distributions": MIT only -> {US}.
- icml2019:3734 "Transferability vs. Discriminability ...": Tsinghua only -> {CN}.
- nips2022:A7O7Fl5Qo9W "On the Sample Complexity of Stabilizing LTI Systems on a Single Trajectory":
  Tsinghua, Caltech, CMU, one author each -> {CN, US}, fractional CN 1/3, US 2/3.
- cvpr2021:td71c9cd33a14 "Robust Neural Routing Through Space Partitions ...": per-paper list
  Shandong University, Peking University (CN), Stanford University, Google Research -> paper basis,
  includes CN and US.
"""

from __future__ import annotations

import pytest

from splitscope.pipeline.build import build
from splitscope.selection import Selection
from splitscope.store import connect

pytestmark = pytest.mark.integration

VENUE_YEARS = {("nips", 2018), ("nips", 2022), ("icml", 2019), ("cvpr", 2021)}


class OnlySome(Selection):
    def includes(self, venue: str, year: int) -> bool:
        return (venue, year) in VENUE_YEARS


@pytest.fixture(scope="module")
def real_store(shared_data, tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("collab") / "store.duckdb")
    build(con, OnlySome(), shared_data / "paperlists", shared_data, progress=False, workers=1)
    assert con.execute("select count(*) from authorship_affiliations").fetchone()[0]
    yield con
    con.close()


@pytest.fixture(scope="module")
def tables(real_store):
    from splitscope.analysis.collab.tables import collab_tables

    return collab_tables(real_store, Selection(), window=2, resamples=200)


def test_hand_checked_country_sets(real_store):
    from splitscope.analysis.collab.paper_sets import paper_country_sets

    sets = paper_country_sets(real_store, Selection())
    by_paper = sets.groupby("paper_id")["country"].apply(set).to_dict()
    assert by_paper["nips2018:11929"] == {"CN", "US"}
    assert by_paper["nips2018:11440"] == {"US"}
    assert by_paper["icml2019:3734"] == {"CN"}
    assert by_paper["nips2022:A7O7Fl5Qo9W"] == {"CN", "US"}
    fractions = sets[sets["paper_id"] == "nips2022:A7O7Fl5Qo9W"].set_index("country")["fractional"]
    assert fractions.to_dict() == pytest.approx({"CN": 1 / 3, "US": 2 / 3})
    cvpr = sets[sets["paper_id"] == "cvpr2021:td71c9cd33a14"]
    assert {"CN", "US"} <= set(cvpr["country"]) and set(cvpr["basis"]) == {"paper"}


def test_mix_and_combination_shares_sum_to_one(tables):
    mix = tables["collab.paper_mix"].frame.dropna(subset=["share"])
    assert len(mix) > 0
    sums = mix.groupby(["scope", "cohort", "year"])["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0)
    assert (
        (mix["share_ci_low"] <= mix["share"] + 1e-12) & (mix["share"] <= mix["share_ci_high"] + 1e-12)
    ).all()
    combos = tables["collab.country_combinations"].frame
    assert combos.groupby(["scope", "cohort", "year"])["share"].sum().to_numpy() == pytest.approx(1.0)
    counts = tables["collab.country_counts"].frame.dropna(subset=["share_fractional"])
    per_venue = counts[counts["scope"] != "all"]
    fractional = per_venue.groupby(["scope", "cohort", "year"])["share_fractional"].sum()
    assert fractional.to_numpy() == pytest.approx(1.0)
    # The chain-linked `all` rows sum to 1 over the chain's countries; a year's rows list only the
    # countries present that year, so a country seen in another year of the chain holds the rest.
    chained = counts[counts["scope"] == "all"].groupby(["cohort", "year"])["share_fractional"].sum()
    assert chained.to_numpy() == pytest.approx(1.0, abs=0.005)
    cvpr = mix[(mix["scope"] == "cvpr") & (mix["cohort"] == "all")]
    assert set(cvpr["year"]) == {2021} and cvpr["papers_with_country"].iloc[0] > 1000


def test_coverage_and_strength_are_consistent(tables):
    mix = tables["collab.paper_mix"]
    assert 0 < mix.coverage.covered <= mix.coverage.eligible
    strength = tables["collab.pair_strength"].frame
    us_cn = strength[(strength["country_i"] == "US") & (strength["country_j"] == "CN")]
    # The conference CSV adds papers of other years; the paper lists built here are 2018, 2019, 2021, 2022.
    us_cn = us_cn[us_cn["year"].isin({2018, 2019, 2021, 2022})]
    assert len(us_cn) == 4
    assert ((us_cn["salton_cosine"] > 0) & (us_cn["salton_cosine"] < 1)).all()
    mix_rows = mix.frame[(mix.frame["scope"] == "all") & (mix.frame["cohort"] == "all")]
    us_cn_papers = mix_rows[mix_rows["category"] == "us_cn"].set_index("year")["papers"]
    assert (us_cn.set_index("year")["papers_ij"] == us_cn_papers.loc[us_cn["year"]].to_numpy()).all()
