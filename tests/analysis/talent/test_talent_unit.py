"""Talent metrics on the hand-made store in talent_store.py; expected values worked out by hand there."""

from __future__ import annotations

import pandas as pd
import pytest
from talent_store import fill

from splitscope.analysis.talent.careers import CareerOptions, build_careers, careers_frame
from splitscope.analysis.talent.concentration import concentration_table
from splitscope.analysis.talent.origin import build_origin
from splitscope.analysis.talent.tables import talent_tables
from splitscope.errors import UnusableInputError
from splitscope.selection import Selection

RESAMPLES = 200


@pytest.fixture()
def filled(store):
    return store, fill(store)


def tables(con, **kwargs):
    return talent_tables(con, kwargs.pop("selection", Selection()), resamples=RESAMPLES, **kwargs)


def share(table, **where):
    frame = table.frame
    for col, value in where.items():
        frame = frame[frame[col] == value]
    assert len(frame) == 1, where
    return frame.iloc[0]


def test_careers_have_fractional_weights_and_first_last_years(filled):
    con, _ = filled
    build_careers(con, CareerOptions())
    careers = careers_frame(con)
    frac_2016 = careers[(careers.person_id == "frac") & (careers.year == 2016)].iloc[0]
    weights = {a["country"]: a["weight"] for a in frac_2016["affiliations"]}
    assert weights == pytest.approx({"US": 0.75, "CN": 0.25})
    assert frac_2016["majority_country"] == "US" and frac_2016["n_resolved"] == 2
    dual_2017 = careers[(careers.person_id == "dual") & (careers.year == 2017)].iloc[0]
    assert pd.isna(dual_2017["majority_country"])  # 50/50: no majority country that year
    long = tables(con, include_careers=True)["talent.careers"]
    frac_rows = long.frame[long.frame.person_id == "frac"].set_index("country")["weight"].to_dict()
    assert frac_rows == pytest.approx({"US": 0.75, "CN": 0.25})
    assert (long.coverage.eligible, long.coverage.covered) == (8, 7)  # the ghost has nothing resolved
    returner = careers[careers.person_id == "returner"].iloc[0]
    assert (returner.first_year, returner.last_year, returner.n_observed_years) == (2012, 2016, 5)


def test_work_country_shares_are_fractional_and_sum_to_one(filled):
    con, _ = filled
    work = tables(con)["talent.work_country_share"]
    assert share(work, year=2016, country="US")["share"] == pytest.approx(2.75 / 6)
    assert share(work, year=2016, country="CN")["share"] == pytest.approx(3.25 / 6)
    assert share(work, year=2017, country="CN")["share"] == pytest.approx(0.5)
    row_2016 = share(work, year=2016, country="US")
    assert (row_2016["eligible"], row_2016["covered"]) == (7, 6)  # the ghost has no resolved affiliation
    assert row_2016["share_ci_low"] <= row_2016["share"] <= row_2016["share_ci_high"]
    assert work.frame.groupby("year")["share"].sum().tolist() == pytest.approx([1.0] * 7)


def test_first_observed_origin_and_minimum_evidence(filled):
    con, _ = filled
    build_careers(con, CareerOptions())
    build_origin(con, "first-observed", min_evidence=1)
    origin = dict(con.execute("select person_id, origin_country from talent_origin").fetchall())
    assert origin == {"mover": "US", "visitor": "US", "dual": "US", "returner": "CN",
                      "single": "CN", "stayer": "CN", "frac": "US"}  # fmt: skip
    build_origin(con, "first-observed", min_evidence=2)
    origin = dict(con.execute("select person_id, origin_country from talent_origin").fetchall())
    assert origin == {"single": "CN", "frac": "US"}


def test_education_origin_is_a_seam_with_a_clear_error(filled):
    con, _ = filled
    build_careers(con, CareerOptions())
    # A store from before the OpenReview schema has no such table at all.
    con.execute("drop table if exists person_education_origin")
    with pytest.raises(UnusableInputError, match="person_education_origin"):
        build_origin(con, "education")
    con.execute("create table person_education_origin (person_id varchar, country varchar)")
    with pytest.raises(UnusableInputError, match="empty"):
        build_origin(con, "education")
    con.execute("insert into person_education_origin values ('mover', 'CN')")
    build_origin(con, "education")
    origin = dict(con.execute("select person_id, origin_country from talent_origin").fetchall())
    assert origin["mover"] == "CN" and origin["visitor"] is None


def test_moves_rule_separates_moves_from_visits_and_dual_affiliations(filled):
    con, ids = filled
    detail = tables(con)["talent.moves_detail"].frame
    moves = {(r.person_id, r.year, r.from_country, r.to_country) for r in detail.itertuples()}
    assert moves == {("mover", 2017, "US", "CN"), ("returner", 2013, "CN", "US"),
                     ("returner", 2015, "US", "CN")}  # fmt: skip
    mover = detail[detail.person_id == "mover"].iloc[0]
    assert list(mover.from_authorship_ids) == [ids["mover"][1]]
    assert list(mover.to_authorship_ids) == [ids["mover"][2]]
    assert list(mover.confirm_authorship_ids) == [ids["mover"][3]]


def test_moves_table_puts_us_cn_pairs_first_and_respects_years(filled):
    con, _ = filled
    moves = tables(con, selection=Selection(years=(2014, 2018)))["talent.moves"].frame
    assert list(zip(moves.year, moves.from_country, moves.to_country, moves.moves, strict=True)) == [
        (2015, "US", "CN", 1),
        (2017, "US", "CN", 1),
    ]  # the returner's 2013 CN->US move is outside the window


def test_returns_and_retention_denominators(filled):
    con, _ = filled
    result = tables(con)
    returns = result["talent.returns"]
    cn = share(returns, origin_country="CN", via_country="US")
    assert (cn["n"], cn["returned"], cn["return_share"]) == (1, 1, 1.0)
    us = share(returns, origin_country="US", via_country="CN")
    assert (us["n"], us["returned"], us["return_share"]) == (1, 0, 0.0)
    pooled = result["talent.retention_pooled"]
    assert share(pooled, origin_country="CN")["n"] == 2  # single-year 'single' is not in the denominator
    assert share(pooled, origin_country="US")["retention"] == pytest.approx(2 / 3)
    us_2015 = share(result["talent.retention"], origin_country="US", cohort=2015)
    assert (us_2015["n"], us_2015["retained"]) == (3, 2)
    assert (pooled.coverage.eligible, pooled.coverage.covered) == (7, 5)


def test_single_year_person_never_moves(filled):
    con, _ = filled
    detail = tables(con)["talent.moves_detail"].frame
    assert not set(detail.person_id) & {"single", "frac", "ghost"}


def test_top_cohort_keeps_researchers_with_a_top_tier_paper(filled):
    con, _ = filled
    result = tables(con, cohort="top")
    work = result["talent.work_country_share"].frame
    rows = set(zip(work.year, work.country, work.share, strict=True))
    assert rows == {(2015, "CN", 1.0), (2017, "CN", 1.0)}
    assert set(result["talent.moves_detail"].frame.person_id) == {"mover", "returner"}
    assert "top tier is marked in 2 of 7 selected venue-years" in result["talent.moves"].notes
    with pytest.raises(UnusableInputError, match="cohort"):
        tables(con, cohort="best")


def test_origin_work_flow_rows_sum_to_one(filled):
    con, _ = filled
    flow = tables(con)["talent.origin_work_flow"]
    assert share(flow, origin_country="US", work_country="CN")["share"] == pytest.approx(0.25)
    assert share(flow, origin_country="US", work_country="US")["researchers"] == 3
    assert flow.frame.groupby("origin_country")["share"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_sector_shares_and_concentration(filled):
    con, _ = filled
    sectors = tables(con)["talent.sector_share"]
    assert share(sectors, year=2016, country="US", sector="education")["share"] == pytest.approx(1.75 / 2.75)
    assert share(sectors, year=2016, country="CN", sector="company")["share"] == pytest.approx(1 / 3.25)
    concentration = concentration_table(con, resamples=RESAMPLES, min_researchers=1)
    us = share(concentration, year=2016, country="US")
    assert us["top10_share"] == pytest.approx(1.0)
    assert us["hhi"] == pytest.approx((1.75 / 2.75) ** 2 + (1 / 2.75) ** 2)
    assert us["hhi_ci_low"] <= us["hhi"] <= us["hhi_ci_high"]


def test_rejected_papers_are_left_out_and_linkage_is_required(store):
    fill(store)
    store.execute("update papers set accepted = false where year = 2018")
    work = tables(store)["talent.work_country_share"].frame
    assert 2018 not in set(work.year)
    store.execute("delete from authorship_person")
    with pytest.raises(UnusableInputError, match="authorship_person"):
        tables(store)
