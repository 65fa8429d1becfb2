"""Coverage per venue-year, on a hand-made store: accepted authorships only, resolved means a country."""

from __future__ import annotations

from splitscope.analysis.coverage import TREND_COVERAGE_GATE, venue_year_coverage
from splitscope.selection import Selection


def test_coverage_counts_accepted_authorships_with_a_country(store):
    store.execute("""
        insert into papers (paper_id, venue, year, title, accepted, source_id) values
          ('a2020:1', 'a', 2020, 'One', true, 's'), ('a2020:2', 'a', 2020, 'Two', false, 's'),
          ('b2020:1', 'b', 2020, 'Three', true, 's')
    """)
    store.execute("""
        insert into authorships (authorship_id, paper_id, position, name, source_id) values
          ('a2020:1#1', 'a2020:1', 1, 'X', 's'), ('a2020:1#2', 'a2020:1', 2, 'Y', 's'),
          ('a2020:2#1', 'a2020:2', 1, 'Z', 's'), ('b2020:1#1', 'b2020:1', 1, 'W', 's')
    """)
    store.execute("""
        insert into authorship_affiliations (authorship_id, mention_order, org_id, country, sector, weight,
                                             method, confidence, source_id) values
          ('a2020:1#1', 1, 'mit', 'US', 'academia', 1.0, 'alias', 1.0, 's'),
          ('a2020:2#1', 1, 'mit', 'US', 'academia', 1.0, 'alias', 1.0, 's'),
          ('b2020:1#1', 1, null, null, null, 1.0, 'unknown', 0.0, 's')
    """)
    frame = venue_year_coverage(store)
    rows = {(r.venue, r.year): (r.authorships, r.with_country, r.coverage) for r in frame.itertuples()}
    assert rows == {("a", 2020): (2, 1, 0.5), ("b", 2020): (1, 0, 0.0)}
    assert list(frame["gated_in"]) == [TREND_COVERAGE_GATE <= 0.5, False]
    assert list(venue_year_coverage(store, Selection(venues=("b",)))["venue"]) == ["b"]
