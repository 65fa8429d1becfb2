"""Key uniqueness of the index-free ingestion tables is checked once per build."""

from __future__ import annotations

import pytest

from splitscope.store import connect
from splitscope.store.keys import DuplicateKeyError, check_unique_keys


def test_duplicate_authorship_ids_are_caught():
    con = connect(":memory:")
    row = "('nips2020:1#1', 'nips2020:1', 1, 'A. Author', null, null, null, null, 'paperlists:nips/nips2020')"
    con.execute(f"insert into authorships values {row}")
    check_unique_keys(con)  # one row: fine
    con.execute(f"insert into authorships values {row}")
    with pytest.raises(DuplicateKeyError, match="authorships.*nips2020:1#1"):
        check_unique_keys(con)


def test_duplicate_mentions_are_caught_but_other_orders_are_not():
    con = connect(":memory:")
    insert = "insert into affiliation_mentions values ('p#1', ?, 'MIT', 's', 'aff', null, 'paper')"
    con.execute(insert, [1])
    con.execute(insert, [2])
    check_unique_keys(con)
    con.execute(insert, [2])
    with pytest.raises(DuplicateKeyError, match="affiliation_mentions"):
        check_unique_keys(con)
