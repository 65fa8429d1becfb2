"""resolve_affiliations fills the three contract tables from a tiny hand-made store."""

from __future__ import annotations

from splitscope.orgs.registry import Org
from splitscope.resolve.affiliations import resolve_affiliations
from splitscope.resolve.matcher import Matcher

ORGS = [
    Org("tsinghua", "Tsinghua University", "education", "CN", domains=("tsinghua.edu.cn",), source="t"),
    Org("google", "Google", "company", None, "US", source="t"),
]


def _fill(con) -> None:
    con.execute(
        "insert into papers (paper_id, venue, year, title, accepted, source_id) "
        "values ('p:1', 'nips', 2020, 'T', true, 'paperlists:nips/nips2020')"
    )
    authors = [("p:1#1", None), ("p:1#2", "tsinghua.edu.cn"), ("p:1#3", None), ("p:1#4", None)]
    for aid, domain in authors:
        con.execute(
            "insert into authorships (authorship_id, paper_id, position, name, email_domain, "
            "source_id) values (?, 'p:1', 1, 'A', ?, 'paperlists:nips/nips2020')",
            [aid, domain],
        )
    mentions = [
        ("p:1#1", 1, "Google", "paperlists:nips/nips2020"),
        ("p:1#1", 2, "Tsinghua University", "paperlists:nips/nips2020"),
        ("p:1#1", 1, "Somewhere Else", "openreview-authors:nips/nips2020"),  # loses to the paper list
        ("p:1#3", 1, "Institute of Nothing", "paperlists:nips/nips2020"),
    ]
    for aid, order, aff, src in mentions:
        con.execute(
            "insert into affiliation_mentions values (?, ?, ?, ?, 'aff', null)", [aid, order, aff, src]
        )
    con.execute("insert into paper_affiliation_mentions values ('p:1', 1, 'Google', 'x', 'aff', 'r', null)")


def test_tables_filled_and_idempotent(store):
    _fill(store)
    matcher = Matcher(ORGS)
    first = resolve_affiliations(store, matcher)
    second = resolve_affiliations(store, matcher)
    assert first.pairs == second.pairs == 4  # Google, Tsinghua, Nothing, ('', tsinghua.edu.cn)
    rows = store.execute(
        "select authorship_id, mention_order, org_id, country, weight, method "
        "from authorship_affiliations order by 1, 2"
    ).fetchall()
    assert rows == [
        ("p:1#1", 1, "google", "US", 0.5, "alias"),
        ("p:1#1", 2, "tsinghua", "CN", 0.5, "alias"),
        ("p:1#2", 1, "tsinghua", "CN", 1.0, "domain"),
        ("p:1#3", 1, None, None, 1.0, "unknown"),
    ]
    assert store.execute("select count(*) from orgs").fetchone()[0] == 2
    assert second.authorships == 4 and second.authorships_with_country == 2
    keys = store.execute("select affiliation, email_domain from affiliation_resolutions order by 1, 2")
    assert ("Google", "") in keys.fetchall()
