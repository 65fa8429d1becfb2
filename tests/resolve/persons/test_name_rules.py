"""Name forms, the name-frequency prior, the name constraint, deterministic tie order, loss by cause."""

from __future__ import annotations

import math

import pandas as pd
import pyarrow as pa
import pytest

from splitscope.resolve.persons.clusters import Clustering
from splitscope.resolve.persons.diagnosis import loss_by_category
from splitscope.resolve.persons.fragments import build_fragments
from splitscope.resolve.persons.name_forms import compact, compatible
from splitscope.resolve.persons.name_frequency import name_frequencies


def test_which_names_may_be_one_persons():
    assert compatible("bernhard schoelkopf", "bernhard scholkopf")  # umlaut spelt 'oe'
    assert compatible("jose miguel hernandez lobato", "jose miguel hernandezlobato")  # hyphen dropped
    assert compatible("wei wang", "wang wei")  # order
    assert compatible("j zico kolter", "zico kolter")  # middle initial
    assert compatible("h jin kim", "heeseung kim")  # an initial that fits
    assert not compatible("heeseung kim", "hoki kim")  # two given names: two people
    assert not compatible("jia li", "junnan li")
    # pinyin 'yue' is a syllable, not an umlaut: 'Yue Wang' is not 'Yu Wang'
    assert compact("yue wang") == "yuewang" and not compatible("yue wang", "yu wang")
    assert compact("thomas mueller") == "thomasmuller"


def test_an_exact_name_says_one_person_with_odds_one_over_its_expected_other_holders():
    # 'dacheng tao' and 'wei wang' have 6 records each; 'wei' and 'wang' start and end 30 other names
    names = ["dacheng tao"] * 6 + ["wei wang"] * 6
    names += (
        [f"wei x{i}" for i in range(30)]
        + [f"y{i} wang" for i in range(30)]
        + [f"z{i} q{i}" for i in range(40)]
    )
    table = pa.table({"name_norm": names, "name_key": names})
    tf = name_frequencies(table, 0.97, 0.001).set_index("name_norm")["tf_name_norm"]
    odds = 0.001 / 0.999
    # 102 distinct names; h = n(first) * n(last) / 102, by hand: 31 * 31 / 102 and 1 * 1 / 102
    assert tf["wei wang"] == pytest.approx(0.97 * 31 * 31 / 102 * odds)
    assert tf["dacheng tao"] == pytest.approx(0.97 * 1 / 102 * odds)
    # on top of the prior odds, m / u leaves the name alone saying odds 1 / h
    assert odds * 0.97 / tf["dacheng tao"] == pytest.approx(102)


def test_a_person_never_gathers_two_given_names_through_an_initial():
    ids = ["h", "hee", "hoki"]
    names = [frozenset({"h jin kim"}), frozenset({"heeseung kim"}), frozenset({"hoki kim"})]
    clustering = Clustering.start(ids, [None] * 3, [frozenset({i}) for i in ids], names)
    pairs = pd.DataFrame(
        [("h", "hee", 0.99), ("h", "hoki", 0.98)],
        columns=["authorship_id_l", "authorship_id_r", "match_probability"],
    )
    assert clustering.apply_pairs(pairs, 0.95) == 1 and clustering.refused_names == 1
    assert clustering.find(0) == clustering.find(1) != clustering.find(2)


def test_tied_pairs_are_applied_in_id_order_whatever_order_they_arrive_in():
    # 'x' could join 'a' or 'b' (same paper as each other: only one can win); equal probabilities
    rows = [("a", "x", 0.97), ("b", "x", 0.97)]
    winners = set()
    for order in (rows, rows[::-1]):
        clustering = Clustering.start(["a", "b", "x"], [None] * 3, [frozenset({"p"}), frozenset({"p"}),
                                                                    frozenset({"q"})])  # fmt: skip
        frame = pd.DataFrame(order, columns=["authorship_id_l", "authorship_id_r", "match_probability"])
        clustering.apply_pairs(frame, 0.95)
        winners.add(clustering.find(2) == clustering.find(0))
    assert winners == {True}  # 'a' < 'b': the (a, x) pair goes first both times


def test_a_fragment_takes_its_most_frequent_name_and_ties_in_sort_order():
    rows = {
        "authorship_id": ["r1", "r2", "r3", "r4"],
        "name_norm": ["wang wei", "wei wang", "wei wang", "wang wei"],
        "name_key": ["wang wei"] * 4,
        "name_compact": ["wangwei", "weiwang", "weiwang", "wangwei"],
        "core_key": [None] * 4,
        "initial_key": ["w wei", "w wang", "w wang", "w wei"],
        "abbreviated": [False] * 4,
        "hard_id": [None] * 4,
        "coauthors": [["b"], ["a"], [], ["c"]],
        "orgs": [None] * 4,
        "places": [None] * 4,
        "countries": [None] * 4,
        "domains": [None] * 4,
        "topic_words": [["t"]] * 4,
        "year": [2020] * 4,
        "paper_id": ["p1", "p2", "p3", "p4"],
    }
    for order in ([0, 1, 2, 3], [3, 2, 1, 0]):
        table = pa.table({k: [v[i] for i in order] for k, v in rows.items()})
        fragment = build_fragments(table, ["r1"] * 4).to_pylist()[0]
        assert fragment["name_norm"] == "wang wei" and fragment["initial_key"] == "w wei"
        assert fragment["coauthors"] == ["a", "b", "c"] and fragment["names"] == ["wang wei", "wei wang"]


def test_loss_by_category_adds_up_to_what_was_lost():
    frame = pd.DataFrame(
        {
            "truth": ["A", "A", "A", "B", "C"],
            "predicted": ["1", "2", "3", "3", "4"],
            "name_norm": ["ann lee", "ann lee", "ann b lee", "ann b lee", "bo"],
            "unlinkable": [None, None, None, None, "single-token name"],
            "venue_year": ["x2020", "x2020", "y2021", "y2021", "x2020"],
            "coauthors": [["k"], ["m"], [], [], []],
            "orgs": [None] * 5,
            "domains": [None] * 5,
            "topic_words": [[]] * 5,
        }
    )
    loss = loss_by_category(frame)
    recall = {k: v["pairs"] for k, v in loss["recall"].items()}
    assert recall == {"same name, same venue-year": 1, "name variant: middle name or initial": 2}
    assert loss["precision"] == {"same name": {"pairs": 1, "b3_loss": pytest.approx(2 / 2 / 5)}}
    total_recall_loss = sum(v["b3_loss"] for v in loss["recall"].values())
    assert total_recall_loss == pytest.approx(3 * 2 / 3 / 5)  # 1 - B3 recall, by hand


def test_two_words_in_another_order_say_as_much_as_the_name_itself():
    """'Yan Wang' / 'Wang Yan' (two words that start and end many names) is weak evidence; 'Zhongkai Hao'
    / 'Hao Zhongkai' (a rare pair of words) is strong: the order level's u is per order-free key, the
    name's own frequency (h is symmetric in its words), not one u for every swapped name."""
    import duckdb
    from splink.backends.duckdb import DuckDBAPI

    from splitscope.resolve.persons.model import (
        NAME_M,
        RECORDS,
        predict,
        prior_from_names,
        scored_pairs,
        train,
    )

    def row(aid: str, name: str, org: str) -> dict:
        tokens = name.split()
        return {
            "authorship_id": aid, "name_norm": name, "name_key": " ".join(sorted(tokens)),
            "name_compact": "".join(tokens), "core_key": name, "initial_key": f"{name[0]} {tokens[-1]}",
            "abbreviated": False, "domains": None, "org_id": org, "orgs": [org], "places": [f"org:{org}"],
            "countries": ["US"], "hard_id": None, "coauthors": [f"co {aid}"], "topic_words": [f"t {aid}"],
            "year": 2020,
        }  # fmt: skip

    names = [f"yan x{i}" for i in range(30)] + [f"y{i} wang" for i in range(30)]
    names += [f"z{i} q{i}" for i in range(200)]
    rows = [row(f"filler{i}", name, f"org{i % 50}") for i, name in enumerate(names)]
    rows += [row("a1", "yan wang", "mit"), row("a2", "wang yan", "mit")]
    rows += [row("b1", "zhongkai hao", "mit"), row("b2", "hao zhongkai", "mit")]
    table = pa.Table.from_pylist(rows)
    prior = prior_from_names(table.column("name_norm").to_pandas())
    tf = name_frequencies(table, NAME_M["exact"], prior)
    linker = train(DuckDBAPI(duckdb.connect()).register(table), prior, RECORDS, tf)
    pairs = scored_pairs(predict(linker, floor=0.0)).set_index(["authorship_id_l", "authorship_id_r"])
    common, rare = pairs.loc[("a1", "a2")], pairs.loc[("b1", "b2")]

    def name_weight(pair: pd.Series) -> float:  # the level's weight and its per-name adjustment
        return pair["mw_name_norm"] + pair["mw_tf_adj_name_norm"]

    # 264 distinct names: 'yan' and 'wang' each start or end 32 of them, 'zhongkai' and 'hao' 2 each
    # (both orders), so h('yan wang') = 32 * 32 / 264 is 256 times h('zhongkai hao') = 2 * 2 / 264
    assert name_weight(common) + 8 == pytest.approx(name_weight(rare), abs=0.01)
    # the swapped rare name says what the order level's m says against a random pair with that name
    odds = prior / (1 - prior)
    h_rare = 2 * 2 / 264
    assert name_weight(rare) == pytest.approx(
        math.log2(NAME_M["order"] / (NAME_M["exact"] * h_rare * odds)), abs=0.01
    )
    assert common["match_probability"] < 0.5 < rare["match_probability"]
