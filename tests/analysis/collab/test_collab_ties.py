"""Tie transitions between two 2-year windows (2019-2020 -> 2021-2022) on hand-made papers.

Window A: u1-c1 (US-CN), u1-u2 (US-US), c1-c2 (CN-CN), u2-g1 (US-GB), c2-d1 (d1 has no country),
          m1-u1 (m1 is US once and CN once in A: no majority -> unknown).
Window B: u1-c1 again (persisting), u2-c2 (forming, both active in A).
So u1-u2 and c1-c2 break (both persons publish in B, not together); u2-g1, c2-d1 and m1-u1 lapse
(g1, d1, m1 publish nothing in B).
"""

from __future__ import annotations

import pytest
from collab_builders import add_org, add_paper, one

from splitscope.analysis.collab import ties
from splitscope.analysis.collab.tables import collab_tables
from splitscope.analysis.collab.ties import pair_label, windows_for
from splitscope.errors import UnusableInputError
from splitscope.selection import Selection

US, CN, GB = one("US", "mit"), one("CN", "thu"), one("GB", "ox")


@pytest.fixture()
def tie_store(store):
    add_paper(store, "Q1", 2019, [("u1", US), ("c1", CN)])
    add_paper(store, "Q2", 2020, [("u1", US), ("u2", US)])
    add_paper(store, "Q3", 2020, [("c1", CN), ("c2", CN)])
    add_paper(store, "Q4", 2019, [("u2", US), ("g1", GB)])
    add_paper(store, "Q5", 2020, [("c2", CN), ("d1", [])])
    add_paper(store, "Q6", 2019, [("m1", one("US", "stanford")), ("u1", US)])
    add_paper(store, "Q7", 2020, [("m1", one("CN", "pku"))])
    add_paper(store, "R1", 2021, [("u1", US), ("c1", CN)])
    add_paper(store, "R2", 2022, [("u2", US), ("c2", CN)])
    for org_id, name, country in [("mit", "MIT", "US"), ("thu", "Tsinghua", "CN"), ("ox", "Oxford", "GB")]:
        add_org(store, org_id, name, country)
    return store


def test_windows_end_at_last_year_and_drop_partial_start():
    assert windows_for((2018, 2022), 2) == [(2019, 2020), (2021, 2022)]
    assert windows_for((2013, 2024), 3) == [(2013, 2015), (2016, 2018), (2019, 2021), (2022, 2024)]
    assert windows_for((2020, 2020), 3) == []
    with pytest.raises(UnusableInputError):
        windows_for((2018, 2022), 0)


def test_pair_labels_put_us_then_cn_first():
    assert pair_label("CN", "US") == "US-CN" and pair_label("GB", "US") == "US-GB"
    assert pair_label("DE", "CN") == "CN-DE" and pair_label("GB", "DE") == "DE-GB"
    assert pair_label(None, "US") == "unknown"


def test_tie_transitions_exact(tie_store):
    tables = collab_tables(tie_store, Selection(years=(2019, 2022)), window=2, resamples=50)
    by_class = tables["collab.tie_transitions"].frame.set_index("pair_class")
    assert set(by_class["window_from"]) == {"2019-2020"} and set(by_class["window_to"]) == {"2021-2022"}
    columns = ["ties_from", "persisting", "breaking", "lapsing", "forming", "forming_among_active"]
    got = {label: list(row) for label, row in by_class[columns].iterrows()}
    assert got == {
        "US-CN": [1, 1, 0, 0, 1, 1],
        "US-US": [1, 0, 1, 0, 0, 0],
        "CN-CN": [1, 0, 1, 0, 0, 0],
        "US-other": [1, 0, 0, 1, 0, 0],
        "unknown": [2, 0, 0, 2, 0, 0],
    }
    assert by_class.loc["US-CN", "persistence_rate"] == 1.0
    assert by_class.loc["US-US", "persistence_rate"] == 0.0
    assert by_class["persistence_rate"].isna()[["US-other", "unknown"]].all()  # nothing to rate
    coverage = tables["collab.tie_transitions"].coverage
    assert (coverage.eligible, coverage.covered) == (6, 4)
    assert "linked persons" in tables["collab.tie_transitions"].filters["person_basis"]
    by_pair = tables["collab.tie_transitions_by_pair"].frame.set_index("pair")
    assert by_pair.loc["US-GB", "lapsing"] == 1 and "unknown" not in by_pair.index


def test_big_bylines_make_no_ties(tie_store, monkeypatch):
    monkeypatch.setattr(ties, "MAX_AUTHORS_FOR_TIES", 1)
    tables = collab_tables(tie_store, Selection(years=(2019, 2022)), window=2, resamples=20)
    assert tables["collab.tie_transitions"].frame.empty


def test_openreview_fallback_is_labelled(store):
    add_paper(store, "O1", 2021, [(None, US), (None, CN)])
    add_paper(store, "O2", 2022, [(None, US), (None, CN)])
    store.execute("update authorships set openreview_id = '~Person_' || position::varchar")
    tables = collab_tables(store, Selection(years=(2021, 2022)), window=1, resamples=20)
    frame = tables["collab.tie_transitions"].frame
    assert frame[["pair_class", "persisting"]].values.tolist() == [["US-CN", 1]]
    assert tables["collab.tie_transitions"].filters["person_basis"].startswith("FALLBACK")


def test_org_network_pairs(tie_store):
    tables = collab_tables(tie_store, Selection(years=(2019, 2022)), window=2, resamples=20)
    network = tables["collab.org_network"].frame.set_index("window")
    assert (
        network.loc["2019-2020", "us_cn_org_pairs"] == 1 and network.loc["2021-2022", "papers_multi_org"] == 2
    )
    pairs = tables["collab.org_pairs"].frame
    us_cn = pairs[pairs["pair_class"] == "US-CN"].set_index("window")
    assert us_cn.loc["2021-2022", ["org_a", "org_b", "papers"]].tolist() == ["mit", "thu", 2]
    assert us_cn.loc["2021-2022", "name_b"] == "Tsinghua"
