"""MacroPolo-style education-origin tables end to end on the recorded OpenReview responses.

Hand-checked from tests/sources/openreview_fake_api.py (profiles fetched in 2026, papers in 2024):
- Alice: undergrad Tsinghua (CN, 2012-2016); Stanford PhD 2016-2021; Google since 2021 (no country in the
  profile; the resolver says US). Her 2024 papers print no affiliation, so the Google entry, which covers
  2024, is her 2024 work evidence; Stanford (ended 2021) and Tsinghua must not be.
- Bob (paper under his alias ~Bob_Li2): no bachelor entry, so his first degree (MS Toronto, CA) is his
  origin; MIT since 2017 (US) covers 2024.
- Carol (e-mail only) and Dan (malformed profile, quarantined) have no education origin.
"""

from __future__ import annotations

import pytest
from openreview_fake_api import FakeOpenReview
from test_openreview import client_for, load

from splitscope.analysis.talent.tables import talent_tables
from splitscope.resolve.profiles.education_origin import compute_education_origin
from splitscope.resolve.profiles.history import HistoryAnswer, apply_profile_evidence, resolve_profile_history
from splitscope.selection import Selection
from splitscope.store import connect

# The registry's answers for these institutions (the real resolver is exercised in tests/resolve).
KNOWN = {
    "Google": HistoryAnswer("google", "US", "company", "alias"),
    "MIT": HistoryAnswer("mit", "US", "education", "alias"),
    "Stanford University": HistoryAnswer("stanford", "US", "education", "alias"),
    "Tsinghua University": HistoryAnswer("tsinghua", "CN", "education", "alias"),
    "University of Toronto": HistoryAnswer("utoronto", "CA", "education", "alias"),
}


def resolver(name, domain):
    return KNOWN.get(name, HistoryAnswer(None, None, None, "unknown"))


@pytest.fixture
def store(tmp_path):
    con = connect(":memory:")
    with FakeOpenReview() as fake:
        load(con, client_for(fake, tmp_path, []))
    resolve_profile_history(con, resolver)
    apply_profile_evidence(con)
    # Hard-evidence linkage only (what the linker does with OpenReview ids), so the test needs no Splink.
    con.execute("""
        insert into authorship_person
        select authorship_id, coalesce('or:' || openreview_id, 'single:' || authorship_id), null,
               case when openreview_id is null then 'singleton' else 'openreview_id' end, 'test'
        from authorships
    """)
    compute_education_origin(con)
    return con


def test_profile_entries_are_evidence_only_for_the_years_they_cover(store):
    rows = store.execute("""
        select a.openreview_id, aa.org_id, aa.country, aa.method, aa.weight, aa.source_id
        from authorship_affiliations aa join authorships a using (authorship_id)
        order by 1, 2
    """).fetchall()
    assert rows == [
        ("~Alice_Zhang1", "google", "US", "profile_position", 1.0, "openreview-profile:~Alice_Zhang1"),
        ("~Alice_Zhang1", "google", "US", "profile_position", 1.0, "openreview-profile:~Alice_Zhang1"),
        ("~Bob_Li2", "mit", "US", "profile_education", 1.0, "openreview-profile:~Bob_Li1"),
    ]


def test_a_printed_affiliation_wins_over_the_profile(store):
    alice_n1 = store.execute(
        "select authorship_id from authorships a join papers p using (paper_id) "
        "where a.openreview_id = '~Alice_Zhang1' order by p.title limit 1"
    ).fetchone()[0]
    store.execute(
        "insert into authorship_affiliations values (?, 0, 'tsinghua', 'CN', 'education', 1.0, 'alias', 1.0, "
        "'paperlist:x', 'paper')",
        [alice_n1],
    )
    apply_profile_evidence(store)
    methods = store.execute(
        "select method from authorship_affiliations where authorship_id = ?", [alice_n1]
    ).fetchall()
    assert methods == [("alias",)]


def test_undergrad_country_by_work_country_tables(store):
    tables = talent_tables(store, Selection(), origin="education", resamples=50)
    flow = tables["talent.origin_work_flow"].frame
    assert sorted(zip(flow.origin_country, flow.work_country, flow.researchers, strict=True)) == [
        ("CA", "US", 1.0),
        ("CN", "US", 1.0),
    ]
    by_year = tables["talent.origin_work_by_year"]
    cn = by_year.frame[by_year.frame.origin_country == "CN"]
    assert list(zip(cn.year, cn.work_country, cn.share, strict=True)) == [(2024, "US", 1.0)]
    # Alice, Bob, Carol and Dan are active in 2024; only Alice and Bob have origin and work country.
    assert (by_year.coverage.eligible, by_year.coverage.covered) == (4, 2)


def test_first_observed_origin_is_not_the_undergrad_country(store):
    tables = talent_tables(store, Selection(), origin="first-observed", resamples=50)
    flow = tables["talent.origin_work_flow"].frame
    # First observed in 2024 at Google: a first-observed origin of US, where the education origin says CN.
    assert ("US", "US", 2.0) in set(
        zip(flow.origin_country, flow.work_country, flow.researchers, strict=True)
    )
