"""Person linkage: constrained clustering, scoring, the Splink model on hand-made records, Spark."""

from __future__ import annotations

import pandas as pd
import pytest
from person_fixtures import records

from splitscope.resolve.eval_persons import b_cubed_and_pairwise
from splitscope.resolve.person_clusters import Clustering, assignments
from splitscope.resolve.person_records import build_link_records


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


def _link(frame, threshold=0.95):
    import duckdb
    from splink.backends.duckdb import DuckDBAPI

    from splitscope.resolve.person_model import RECORD_COLUMNS, predict, scored_pairs, train

    api = DuckDBAPI(duckdb.connect())
    linker = train(api.register(frame[RECORD_COLUMNS]), prior=0.02, max_pairs=2e4)
    scored = scored_pairs(predict(linker))
    ids = list(frame["authorship_id"])
    clustering = Clustering.start(ids, [None] * len(ids))
    clustering.apply_pairs(scored, threshold)
    return [str(clustering.find(i)) for i in range(len(ids))], linker, scored


def test_the_model_separates_namesakes_and_links_the_same_researcher():
    frame = records()
    predicted, _, scored = _link(frame)
    scores = b_cubed_and_pairwise(predicted, list(frame["truth"]))
    name_only = b_cubed_and_pairwise(list(frame["name_norm"]), list(frame["truth"]))
    assert name_only["b3_precision"] == pytest.approx(0.25)  # every name is held by four people
    assert scores["b3_precision"] > 0.95  # namesakes kept apart
    assert scores["b3_recall"] > 0.6  # most of each researcher's records together
    assert "mw_coauthors" in scored.columns


@pytest.mark.spark
def test_the_same_settings_run_on_spark(tmp_path):
    pyspark = pytest.importorskip("pyspark")
    from splink.backends.spark import SparkAPI, similarity_jar_location

    from splitscope.resolve.person_model import RECORD_COLUMNS, predict, scored_pairs, train

    frame = records()
    spark = (
        pyspark.sql.SparkSession.builder.master("local[1]")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.jars", similarity_jar_location())  # Splink's string-similarity UDFs (bundled jar)
        .getOrCreate()
    )
    spark.sparkContext.setCheckpointDir(str(tmp_path / "checkpoints"))
    try:
        api = SparkAPI(spark_session=spark)
        linker = train(api.register(spark.createDataFrame(frame[RECORD_COLUMNS])), prior=0.02, max_pairs=2e4)
        scored = scored_pairs(predict(linker))
    finally:
        spark.stop()
    ids = list(frame["authorship_id"])
    clustering = Clustering.start(ids, [None] * len(ids))
    clustering.apply_pairs(scored, 0.95)
    scores = b_cubed_and_pairwise([str(clustering.find(i)) for i in range(len(ids))], list(frame["truth"]))
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
