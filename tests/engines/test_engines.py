"""The engine map: names → configured engines, a clear error for an unknown name or a missing pyspark.
That both engines give identical tables is tested on the snapshots in tests/sources/openalex/."""

from __future__ import annotations

import sys

import pytest

from splitscope.engines import ENGINES, engine_named
from splitscope.engines.duckdb import DEFAULT_MEMORY_LIMIT, DuckDBFlatten, prefetched
from splitscope.engines.spark import SparkFlatten, SparkUnavailableError, spark_session
from splitscope.errors import UnusableInputError


def test_engines_are_chosen_by_name_with_their_options():
    assert list(ENGINES) == ["duckdb", "spark"]
    duck = engine_named("duckdb")
    assert isinstance(duck, DuckDBFlatten) and duck.name == "duckdb"
    assert duck.memory_limit == DEFAULT_MEMORY_LIMIT == "1GB"
    assert engine_named("duckdb", memory_limit="2GB").memory_limit == "2GB"
    spark = engine_named("spark", spark_master="local[1]")
    assert isinstance(spark, SparkFlatten) and (spark.name, spark.master) == ("spark", "local[1]")


def test_an_unknown_engine_is_unusable_input():
    with pytest.raises(UnusableInputError, match=r"engine 'polars': expected one of duckdb, spark"):
        engine_named("polars")


def test_choosing_spark_without_pyspark_fails_only_when_it_runs(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # what a missing package looks like to import
    engine_named("spark")  # choosing it imports no pyspark
    with pytest.raises(SparkUnavailableError, match=r"needs pyspark: pip install 'splitscope\[spark\]'"):
        spark_session()


def test_prefetched_keeps_order_and_reraises_the_producer_error():
    assert list(prefetched(iter(range(5)))) == [0, 1, 2, 3, 4]

    def broken():
        yield 1
        raise ValueError("gzip broke")

    items = prefetched(broken())
    assert next(items) == 1
    with pytest.raises(ValueError, match="gzip broke"):
        next(items)
