"""Talent metrics on the real corpus: NeurIPS, ICML and ICLR 2010-2024 built from ../shared/data.

The store is built once per module with the same `build` the CLI runs (ingestion, then the registered
post-ingestion steps: affiliation resolution and person linkage). The invariants below are checked
against the canonical tables directly, not against the talent_* temp tables the code under test made.
"""

from __future__ import annotations

import pytest

from splitscope.pipeline.build import build
from splitscope.selection import Selection
from splitscope.store import connect

pytestmark = pytest.mark.integration

CORPUS = Selection(venues=("nips", "icml", "iclr"), years=(2010, 2024))


@pytest.fixture(scope="module")
def real_store(shared_data, tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("talent") / "store.duckdb")
    build(con, CORPUS, shared_data / "paperlists", shared_data, progress=False)
    for table in ("authorship_affiliations", "authorship_person"):
        assert con.execute(f"select count(*) from {table}").fetchone()[0], f"{table} is empty after build"
    yield con
    con.close()


@pytest.fixture(scope="module")
def all_tables(real_store):
    from splitscope.analysis.talent.tables import talent_tables

    return talent_tables(real_store, CORPUS, resamples=200)


def test_shares_sum_to_one_and_intervals_bracket(real_store):
    from splitscope.analysis.talent.tables import talent_tables

    nips = talent_tables(real_store, Selection(venues=("nips",), years=(2014, 2018)), resamples=200)
    for name in ("talent.work_country_share", "talent.origin_share"):
        frame = nips[name].frame
        assert frame.groupby("year")["share"].sum().to_numpy() == pytest.approx(1.0)
        assert (
            (frame.share_ci_low <= frame.share + 1e-12) & (frame.share <= frame.share_ci_high + 1e-12)
        ).all()
    flow = nips["talent.origin_work_flow"].frame
    assert flow.groupby("origin_country")["share"].sum().to_numpy() == pytest.approx(1.0)


def test_every_move_has_evidence_on_both_sides(real_store, all_tables):
    detail = all_tables["talent.moves_detail"].frame
    assert len(detail) > 0
    # Check each side against the canonical tables: the authorship is the person's, in that year, and
    # its affiliation is in the claimed country.
    sides = []
    for row in detail.itertuples():
        assert row.from_authorship_ids and row.to_authorship_ids and row.confirm_authorship_ids
        sides += [(row.person_id, i, row.from_year, row.from_country) for i in row.from_authorship_ids]
        sides += [(row.person_id, i, row.year, row.to_country) for i in row.to_authorship_ids]
    real_store.execute("create or replace temp table move_sides (person_id varchar, authorship_id varchar, "
                       "year int, country varchar)")  # fmt: skip
    real_store.executemany("insert into move_sides values (?, ?, ?, ?)", sides)
    unsupported = real_store.execute("""
        select count(*) from move_sides s
        where not exists (
            select 1 from authorship_person ap
            join authorships a using (authorship_id) join papers p using (paper_id)
            join authorship_affiliations aa using (authorship_id)
            where ap.authorship_id = s.authorship_id and ap.person_id = s.person_id
              and p.year = s.year and aa.country = s.country and p.accepted)
    """).fetchone()[0]
    assert unsupported == 0


def test_single_year_researchers_never_move(real_store, all_tables):
    single_year = {
        person
        for (person,) in real_store.execute("""
            select ap.person_id from authorship_person ap
            join authorships a using (authorship_id) join papers p using (paper_id)
            where p.accepted group by ap.person_id having count(distinct p.year) = 1
        """).fetchall()
    }
    movers = set(all_tables["talent.moves_detail"].frame.person_id)
    assert single_year and not movers & single_year


def test_retention_and_returns_are_consistent_rates(all_tables):
    for name, flag, rate in (("talent.retention", "retained", "retention"),
                             ("talent.returns", "returned", "return_share")):  # fmt: skip
        frame = all_tables[name].frame
        assert (frame[flag] <= frame["n"]).all()
        assert frame[rate].to_numpy() == pytest.approx((frame[flag] / frame["n"]).to_numpy())
        table = all_tables[name]
        assert 0 < table.coverage.covered <= table.coverage.eligible


# Six careers checked by hand against the papers in the shared paper lists (each person anchored by an
# OpenReview id; affiliations as printed): (person, year, from, to) for every US/CN move the data shows.
HAND_CHECKED_MOVES = {
    # Tsinghua (NeurIPS 2016) -> Stanford (NeurIPS/ICML 2017 onwards)
    "or:~Shengjia_Zhao1": {(2017, "CN", "US")},
    # Peking University (ICML 2016) -> Georgia Tech (2017-2020); Cambridge (GB) later is not US/CN
    "or:~Weiyang_Liu1": {(2017, "CN", "US")},
    # Michigan State / IBM Research (2012-2017) -> JD AI Research, Beijing (2018 onwards)
    "or:~Jinfeng_Yi1": {(2018, "US", "CN")},
    # Rutgers / Cornell (ICML 2014) -> Nanjing University (2016), then NUIST, Nanjing (2017-2018)
    "or:~Xiaotong_Yuan1": {(2016, "US", "CN")},
    # Shanghai Jiao Tong (2018) -> MIT (2019 onwards)
    "or:~Han_Cai1": {(2019, "CN", "US")},
    # Carnegie Mellon (2016-2017) -> Sun Yat-sen University (2018 onwards, with CMU co-affiliations)
    "or:~Xiaodan_Liang2": {(2018, "US", "CN")},
}


def test_hand_checked_careers(all_tables):
    detail = all_tables["talent.moves_detail"].frame
    for person, expected in HAND_CHECKED_MOVES.items():
        mine = detail[(detail.person_id == person) & detail.from_country.isin(["US", "CN"])
                      & detail.to_country.isin(["US", "CN"])]  # fmt: skip
        assert set(zip(mine.year, mine.from_country, mine.to_country, strict=True)) == expected, person
