"""Profile history entries as dated evidence, on a hand-made store: the country a profile states beats the
resolver's; an entry counts only for the years it covers (an open end stops at the fetch year); an
undatable entry is never used; a printed affiliation with a country wins for its paper. (End to end on
recorded OpenReview responses: tests/sources/test_openreview_education_tables.py.)"""

from __future__ import annotations

from splitscope.resolve.profiles.history import HistoryAnswer, apply_profile_evidence, resolve_profile_history

# What the resolver would say; 'Beta Institute' is deliberately wrong, to show the profile's GB wins.
ANSWERS = {
    "Acme Lab": HistoryAnswer("acme", "US", "company", "alias"),
    "Beta Institute": HistoryAnswer("beta", "FR", "education", "alias"),
    "Gamma Co": HistoryAnswer("gamma", "CN", "company", "alias"),
}


def resolver(name, domain):
    return ANSWERS.get(name, HistoryAnswer(None, None, None, "unknown"))


def test_dated_entries_fill_in_only_unprinted_authorships_of_the_years_they_cover(store):
    store.execute(
        "insert into papers (paper_id, venue, year, title, accepted, source_id) values "
        "('v2018:1', 'v', 2018, 'A', true, 's'), ('v2020:1', 'v', 2020, 'B', true, 's'), "
        "('v2023:1', 'v', 2023, 'C', true, 's'), ('v2023:2', 'v', 2023, 'D', true, 's')"
    )
    store.execute(
        "insert into authorships (authorship_id, paper_id, position, name, openreview_id, source_id) "
        "select paper_id || '#1', paper_id, 1, 'Ann Lee', '~Ann_Lee2', 's' from papers"
    )
    # the paper lists an alias id: the profile's usernames lead to it
    store.execute(
        "insert into openreview_profiles values ('~Ann_Lee1', 'Ann Lee', ['~Ann_Lee1', '~Ann_Lee2'], [], "
        "'openreview:p', 2026)"
    )
    store.execute(
        "insert into profile_history (profile_id, entry_order, kind, institution_name, institution_country, "
        "start_year, end_year, country, country_method, source_id) values "
        "('~Ann_Lee1', 1, 'position', 'Acme Lab', null, 2019, 2021, null, null, 'openreview:p'), "
        "('~Ann_Lee1', 2, 'position', 'Beta Institute', 'GB', 2022, null, 'GB', 'profile', 'openreview:p'), "
        "('~Ann_Lee1', 3, 'position', 'Gamma Co', null, null, null, null, null, 'openreview:p')"
    )
    store.execute(  # v2023:2 prints an affiliation with a country: the profile adds nothing there
        "insert into authorship_affiliations values "
        "('v2023:2#1', 1, null, 'DE', null, 1.0, 'location', 0.85, 'paperlists:v2023', 'paper')"
    )
    assert resolve_profile_history(store, resolver) == 2  # Acme and Gamma: the profile gave no country
    history = store.execute(
        "select institution_name, org_id, country, country_method from profile_history order by entry_order"
    ).fetchall()
    assert history == [
        ("Acme Lab", "acme", "US", "resolver:alias"),
        ("Beta Institute", "beta", "GB", "profile"),
        ("Gamma Co", "gamma", "CN", "resolver:alias"),
    ]
    assert apply_profile_evidence(store) == 2
    evidence = store.execute(
        "select authorship_id, mention_order, org_id, country, method, confidence, source_id "
        "from authorship_affiliations where source_id like 'openreview-profile:%' order by authorship_id"
    ).fetchall()
    # 2018: before any dated entry; Gamma (undatable) is never used; v2023:2 printed DE
    assert evidence == [
        ("v2020:1#1", 1001, "acme", "US", "profile_position", 0.7, "openreview-profile:~Ann_Lee1"),
        ("v2023:1#1", 1001, "beta", "GB", "profile_position", 0.7, "openreview-profile:~Ann_Lee1"),
    ]
    assert apply_profile_evidence(store) == 2  # rebuilt, not added twice
