"""Comparable trends on real data: NeurIPS 2017-2018 from ../shared/data, and next to it a synthetic
China-only venue of 600 papers in 2018 alone (issue 15's test). The default (chain-linked) change from
2017 to 2018 must not move when that venue enters; the raw venue mix must move a lot.
"""

from __future__ import annotations

import pytest

from splitscope.pipeline.build import build
from splitscope.selection import Selection
from splitscope.store import connect

pytestmark = pytest.mark.integration

NIPS = Selection(venues=("nips",), years=(2017, 2018))
WITH_SYNTHETIC = Selection(venues=("nips", "synth"), years=(2017, 2018))
SYNTHETIC_PAPERS, AUTHORS_PER_PAPER = 600, 3


@pytest.fixture(scope="module")
def nips_store(shared_data, tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("trends") / "store.duckdb")
    build(con, NIPS, shared_data / "paperlists", shared_data, progress=False)
    yield con
    con.close()


def _add_china_only_venue(con) -> None:
    """600 accepted papers in 2018, every author at a mainland-China university, each author a new person
    (none of them publishes at NeurIPS, so no NeurIPS career changes). Idempotent: the store is shared
    by the module, and NIPS (venues=nips) never selects the synthetic venue."""
    if con.execute("select count(*) from papers where venue = 'synth'").fetchone()[0]:
        return
    con.execute("""
        insert into papers (paper_id, venue, year, title, accepted, source_id)
        select 'synth2018:' || i, 'synth', 2018, 'Synthetic ' || i, true, 'test:synth'
        from range(?) t(i)
    """, [SYNTHETIC_PAPERS])  # fmt: skip
    con.execute("""
        insert into authorships (authorship_id, paper_id, position, name, source_id)
        select 'synth2018:' || i || '#' || j, 'synth2018:' || i, j, 'Author ' || i || '-' || j, 'test:synth'
        from range(?) t(i), range(1, ?) u(j)
    """, [SYNTHETIC_PAPERS, AUTHORS_PER_PAPER + 1])  # fmt: skip
    con.execute("""
        insert into authorship_affiliations (authorship_id, mention_order, org_id, country, sector, weight,
                                             method, confidence, source_id, basis)
        select authorship_id, 1, 'tsinghua', 'CN', 'education', 1.0, 'alias', 1.0, 'test:synth', 'paper'
        from authorships where paper_id like 'synth2018:%'
    """)
    con.execute("""
        insert into authorship_person (authorship_id, person_id, method)
        select authorship_id, 'synth:' || authorship_id, 'test'
        from authorships where paper_id like 'synth2018:%'
    """)


def _changes(con, selection: Selection) -> tuple[float, float]:
    """2017 -> 2018 change of the China work share and of the US-China paper share."""
    from splitscope.analysis.collab.tables import collab_tables
    from splitscope.analysis.talent.tables import talent_tables

    work = talent_tables(con, selection, resamples=50)["talent.work_country_share"].frame
    cn = work[work["country"] == "CN"].set_index("year")["share"]
    mix = collab_tables(con, selection, window=1, resamples=50)["collab.paper_mix"].frame
    us_cn = mix[(mix["scope"] == "all") & (mix["cohort"] == "all") & (mix["category"] == "us_cn")]
    us_cn = us_cn.set_index("year")["share"]
    return float(cn[2018] - cn[2017]), float(us_cn[2018] - us_cn[2017])


def test_a_venue_entering_for_one_year_does_not_move_the_default_trend(nips_store):
    from dataclasses import replace

    before = _changes(nips_store, NIPS)
    raw_before = _changes(nips_store, replace(NIPS, aggregate="raw"))
    _add_china_only_venue(nips_store)
    after = _changes(nips_store, WITH_SYNTHETIC)
    raw_after = _changes(nips_store, replace(WITH_SYNTHETIC, aggregate="raw"))

    # The measured NeurIPS 2017 -> 2018 change is real and positive for China (0.061 -> 0.112 here).
    assert 0.03 < before[0] < 0.08
    # Default: both changes stay put (the bound is 0.02; the link is measured on NeurIPS alone,
    # so here they are equal to rounding).
    assert after[0] == pytest.approx(before[0], abs=0.02)
    assert after[1] == pytest.approx(before[1], abs=0.02)
    assert abs(after[0] - before[0]) < 1e-9 and abs(after[1] - before[1]) < 1e-9
    # Raw mix: the 1,800 China-only researcher-years and 600 China-only papers swamp NeurIPS 2018.
    assert raw_before[0] == pytest.approx(before[0], abs=1e-9)  # one venue: both methods agree
    assert raw_after[0] - raw_before[0] > 0.25
    assert raw_after[1] - raw_before[1] < -0.02


def test_the_synthetic_venue_is_listed_and_its_year_rests_on_it(nips_store):
    from splitscope.analysis.talent.tables import talent_tables

    _add_china_only_venue(nips_store)
    tables = talent_tables(nips_store, WITH_SYNTHETIC, resamples=20)
    work = tables["talent.work_country_share"].frame
    row_2018 = work[(work["year"] == 2018) & (work["country"] == "CN")].iloc[0]
    assert row_2018["link_venues"] == "nips"  # the change was measured on NeurIPS only
    assert row_2018["pooled_share"] > 0.4  # the raw mix of 2018, shown next to the chained level
    years = tables["talent.venue_years"].frame.set_index(["venue", "year"])
    assert years.loc[("synth", 2018), "coverage"] == 1.0
    assert years.loc[("nips", 2018), "profile_crawl_share"] == 0.0  # NeurIPS 2018 affiliations are printed
