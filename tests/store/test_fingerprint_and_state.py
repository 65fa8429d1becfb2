"""The store's fingerprint depends on its rows, not on their order or on when and where they were loaded;
the pipeline state remembers an unfinished build."""

from __future__ import annotations

from splitscope.store import connect
from splitscope.store.fingerprint import store_fingerprint
from splitscope.store.state import forget_person_links, read_state, write_state

PAPERS = [("a2020:1", "a", 2020, "One"), ("a2020:2", "a", 2020, "Two"), ("b2021:1", "b", 2021, "Three")]


def store_with(papers, uri: str):
    con = connect(":memory:")
    con.execute(f"insert into sources (source_id, kind, uri) values ('s', 'paperlists', '{uri}')")
    for paper in papers:
        con.execute(
            "insert into papers (paper_id, venue, year, title, accepted, source_id) "
            "values (?, ?, ?, ?, true, 's')",
            paper,
        )
    return con


def test_same_rows_in_another_order_and_place_give_the_same_fingerprint():
    first = store_fingerprint(store_with(PAPERS, "/here/a.json"))
    second = store_fingerprint(store_with(list(reversed(PAPERS)), "/elsewhere/a.json"))
    assert first.digest == second.digest and first.tables["papers"].rows == 3


def test_one_changed_value_or_a_duplicated_row_changes_it():
    base = store_fingerprint(store_with(PAPERS, "/a")).digest
    changed = [*PAPERS[:2], ("b2021:1", "b", 2021, "Three!")]
    assert store_fingerprint(store_with(changed, "/a")).digest != base
    twice = store_with(PAPERS, "/a")  # authorships have no key index: a doubled row must still show
    row = "('a2020:1#1', 'a2020:1', 1, 'X', null, null, null, null, 's')"
    twice.execute(f"insert into authorships values {row}")
    once = store_fingerprint(twice)
    twice.execute(f"insert into authorships values {row}")
    assert store_fingerprint(twice).tables["authorships"].rows == 2
    assert store_fingerprint(twice).digest != once.digest


def test_state_is_read_back_and_forgetting_links_empties_the_person_tables(store):
    assert read_state(store, "build") is None
    write_state(store, "build", "running")
    write_state(store, "build", "complete")
    write_state(store, "persons_link", "incremental")
    store.execute("insert into persons values ('p:1', 'A', null, null, 1)")
    assert read_state(store, "build") == "complete"
    forget_person_links(store)
    assert store.execute("select count(*) from persons").fetchone() == (0,)
    assert read_state(store, "persons_link") is None and read_state(store, "build") == "complete"
