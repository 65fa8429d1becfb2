"""Engines that run an OpenAlex flatten plan (sources/openalex/flatten_sql.py), chosen by name. The Spark
engine's module imports pyspark only when it runs, so choosing DuckDB never needs the spark extra."""

from __future__ import annotations

from splitscope.engines.duckdb import DuckDBFlatten
from splitscope.engines.spark import SparkFlatten
from splitscope.errors import UnusableInputError
from splitscope.sources.openalex.flatten_sql import FlattenEngine

ENGINES: dict[str, type[DuckDBFlatten] | type[SparkFlatten]] = {
    "duckdb": DuckDBFlatten,
    "spark": SparkFlatten,
}


def engine_named(
    name: str, spark_master: str | None = None, memory_limit: str | None = None
) -> FlattenEngine:
    """The engine called `name`, configured; an unknown name is unusable input (before any work)."""
    if name not in ENGINES:
        raise UnusableInputError(f"engine {name!r}: expected one of {', '.join(ENGINES)}")
    return ENGINES[name].with_options(spark_master, memory_limit)
