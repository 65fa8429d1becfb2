"""Shared fixtures. Integration tests read ../shared/data in place and skip when it is absent; Spark tests
share one local session, started only when a test marked `spark` asks for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from splitscope.config import shared_data_dir
from splitscope.store import connect


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("../shared/data is not present")
    return path


@pytest.fixture()
def store():
    """A fresh in-memory store with the canonical schema."""
    con = connect(":memory:")
    yield con
    con.close()


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """The one local Spark session of a test run (the JVM starts once): local[2] with Splink's
    string-similarity jar, so the snapshot flatten and the Splink linker run on the same session."""
    pyspark = pytest.importorskip("pyspark")
    from splink.backends.spark import similarity_jar_location

    session = (
        pyspark.sql.SparkSession.builder.master("local[2]")
        .appName("splitscope-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.jars", similarity_jar_location())
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("spark-checkpoints")))
    yield session
    session.stop()
