"""Person linkage: constrained clustering, scoring, the Splink model on hand-made records, Spark."""

from __future__ import annotations

import pandas as pd
import pytest
from person_fixtures import records

from splitscope.resolve.persons.clusters import Clustering, assignments
from splitscope.resolve.persons.evaluate import b_cubed_and_pairwise
from splitscope.resolve.persons.records import build_link_records


def pairs(*rows):
    return pd.DataFrame(rows, columns=["authorship_id_l", "authorship_id_r", "match_probability"])


def test_two_different_hard_ids_are_never_merged_even_through_a_bridge():
    ids = ["a1", "a2", "x", "b1"]
    clustering = Clustering.start(ids, ["~A", "~A", None, "~B"])
    # x looks like both A and B: it joins the more probable one, and A never absorbs B through x.
    accepted = clustering.apply_pairs(pairs(("x", "a1", 0.99), ("x", "b1", 0.98), ("a2", "b1", 0.97)), 0.95)
    assert accepted == 1 and clustering.refused == 2
    result = assignments(clustering, ids, ["~A", "~A", None, "~B"]).set_index("authorship_id")
    assert result.loc["x", "person_id"] == "or:~A" == result.loc["a2", "person_id"]
    assert result.loc["b1", "person_id"] == "or:~B"
    assert result.loc["x", "method"] == "splink" and "p=0.990 with a1" in result.loc["x", "evidence"]
    assert result.loc["a1", "method"] == "openreview_id" and pd.isna(result.loc["a1", "match_probability"])


def test_pairs_below_the_threshold_leave_singletons():
    clustering = Clustering.start(["p", "q"], [None, None])
    assert clustering.apply_pairs(pairs(("p", "q", 0.9)), 0.95) == 0
    result = assignments(clustering, ["p", "q"], [None, None])
    assert list(result["method"]) == ["singleton", "singleton"]
    assert result["person_id"].nunique() == 2


def test_b_cubed_and_pairwise_by_hand():
    # truth: {1,2,3} {4}; predicted: {1,2} {3,4}
    scores = b_cubed_and_pairwise(["x", "x", "y", "y"], ["A", "A", "A", "B"])
    assert scores["b3_precision"] == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert scores["b3_recall"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert scores["pairwise_precision"] == pytest.approx(1 / 2)  # (1,2) right, (3,4) wrong
    assert scores["pairwise_recall"] == pytest.approx(1 / 3)  # (1,2) of (1,2),(1,3),(2,3)


def _link(frame, api_factory=None):
    import duckdb
    import pyarrow as pa
    from splink.backends.duckdb import DuckDBAPI

    from splitscope.resolve.persons.linking import LINK_COLUMNS_EXTRA, link_two_stage
    from splitscope.resolve.persons.model import RECORD_COLUMNS

    table = pa.Table.from_pandas(frame[RECORD_COLUMNS + LINK_COLUMNS_EXTRA], preserve_index=False)
    # a small fixture: let the fragment stage train on its few dozen fragments too
    linked = link_two_stage(table, api_factory or (lambda: DuckDBAPI(duckdb.connect())), min_rows=20)
    return [str(linked.clustering.find(i)) for i in range(len(frame))], linked


def test_the_model_separates_namesakes_and_links_the_same_researcher():
    frame = records()
    predicted, linked = _link(frame)
    scores = b_cubed_and_pairwise(predicted, list(frame["truth"]))
    name_only = b_cubed_and_pairwise(list(frame["name_norm"]), list(frame["truth"]))
    assert name_only["b3_precision"] == pytest.approx(0.25)  # every name is held by four people
    assert scores["b3_precision"] > 0.95  # namesakes kept apart
    assert scores["b3_recall"] > 0.6  # most of each researcher's records together
    assert linked.models is not None and linked.models.fragments is not None and linked.accepted_pairs > 0
    assert any("co-authors" in words for _, _, words in linked.clustering.best.values())


@pytest.mark.spark
def test_the_same_settings_run_on_spark(spark):
    from splink.backends.spark import SparkAPI

    frame = records()
    # both stages, records and fragments, on Splink's Spark backend
    predicted, linked = _link(frame, lambda: SparkAPI(spark_session=spark))
    assert linked.models is not None and linked.models.fragments is not None
    scores = b_cubed_and_pairwise(predicted, list(frame["truth"]))
    assert scores["b3_precision"] > 0.95 and scores["b3_recall"] > 0.6


def test_openreview_aliases_fold_into_one_hard_id(store):
    store.execute(
        "insert into papers (paper_id, venue, year, title, accepted, source_id) values "
        "('a2021:1', 'a', 2021, 'One', true, 's'), ('b2022:1', 'b', 2022, 'Two', true, 's')"
    )
    store.execute(
        "insert into authorships (authorship_id, paper_id, position, name, openreview_id, source_id) "
        "values ('a2021:1#1', 'a2021:1', 1, 'Russ Salakhutdinov', '~Russ_Salakhutdinov1', 's'), "
        "('b2022:1#1', 'b2022:1', 1, 'Ruslan Salakhutdinov', '~Ruslan_Salakhutdinov1', 's')"
    )
    store.execute(
        "insert into openreview_aliases values ('~Russ_Salakhutdinov1', '~Ruslan_Salakhutdinov1', 's')"
    )
    build_link_records(store)
    assert store.execute("select distinct hard_id from link_records").fetchall() == [
        ("~Ruslan_Salakhutdinov1",)
    ]


def test_names_that_cannot_be_compared_stay_alone_with_a_reason(store):
    from splitscope.resolve.persons.step import link_persons

    given = ["ann", "bo", "cy", "dee", "eli", "fay", "gus", "hal", "ivy", "jo"]
    family = ["lee", "wu", "ng", "ito", "roy", "ash", "kay", "orr", "poe", "rao"]
    rows = [(f"p{i}", f"{given[i % 10]} {family[(i // 10) % 10]}") for i in range(120)]  # filler: 100 names
    rows += [(f"p{i}", f"{given[i % 10]} {family[(i // 10) % 10]}") for i in range(120, 240)]
    bad = {"x1": "", "x2": "Madonna", "x3": "Madonna", "x4": "王伟", "x5": "王伟", "x6": "Bo " + "x" * 500}
    rows += list(bad.items())
    store.execute(
        "insert into papers (paper_id, venue, year, title, accepted, source_id) "
        "select 'v2020:' || i, 'v', 2020, 'Paper ' || i, true, 's' from range(?) t(i)",
        [len(rows)],
    )
    store.executemany(
        "insert into authorships (authorship_id, paper_id, position, name, source_id) "
        "values (?, ?, 1, ?, 's')",
        [(f"v2020:{i}#1", f"v2020:{i}", name) for i, (_, name) in enumerate(rows)],
    )
    stats = link_persons(store)
    assert stats.records == len(rows) - 1  # the empty name never reaches the linker
    result = dict(
        (a, (p, m, e))
        for a, p, m, e in store.execute(
            "select authorship_id, person_id, method, evidence from authorship_person"
        ).fetchall()
    )
    assert len(result) == len(rows)
    ids = {key: f"v2020:{i}#1" for i, (key, _) in enumerate(rows) if key.startswith("x")}
    assert result[ids["x1"]][1:] == ("singleton", "no usable name")
    assert (
        result[ids["x2"]][2].startswith("single-token name") and result[ids["x2"]][0] != result[ids["x3"]][0]
    )
    assert (
        result[ids["x4"]][2].startswith("name in CJK script") and result[ids["x4"]][0] != result[ids["x5"]][0]
    )
    assert result[ids["x6"]][2].startswith("name over 100 characters")
