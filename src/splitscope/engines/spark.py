"""Spark: the OpenAlex snapshot flatten beyond one machine (`--engine spark`, `--spark-master URL`).

Only what differs from DuckDB lives here: reading gzip lines with their line numbers, parsing JSON,
exploding a list with positions, and running the shared SQL (sources/openalex/flatten_sql.py, DuckDB dialect)
translated by sqlglot. pyspark is an optional extra (`pip install 'splitscope[spark]'`), imported only
when this engine is used.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from splitscope.errors import SplitscopeError
from splitscope.sources.openalex import flatten_sql as q
from splitscope.sources.openalex.flatten_sql import FlattenPlan, Progress
from splitscope.sources.openalex.layout import EntityFiles, Snapshot
from splitscope.sources.openalex.record_schema import AUTHOR_SCHEMA, spark_ddl

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

DEFAULT_MASTER = "local[2]"
# monotonically_increasing_id() = partition id << 33 | row index in the partition; with one gzip file
# per partition (gzip cannot be split, and the open cost below stops Spark packing small files
# together) the low 33 bits are the line index in the file.
_ROW_INDEX_MASK = (1 << 33) - 1
_ONE_FILE_PER_PARTITION = str(128 << 20)


class SparkUnavailableError(SplitscopeError):
    """pyspark is not installed or Spark cannot start. Exit code 2."""


def spark_session(master: str | None = None) -> SparkSession:
    """The running session if there is one (tests share one), else a new one on `master`."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailableError(
            "--engine spark needs pyspark: pip install 'splitscope[spark]' (and Java 17)"
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = master or DEFAULT_MASTER
    builder = SparkSession.builder.master(master).appName("splitscope-openalex")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if master.startswith("local"):
        # the default 200 shuffle partitions cost more in scheduling than they save on 2 cores
        builder = builder.config("spark.sql.shuffle.partitions", "8").config("spark.ui.enabled", "false")
        # local mode runs the tasks in the driver: 1 GB (the default) ran out parsing 32 MB gzip parts
        builder = builder.config("spark.driver.memory", "2g")
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: no Java, or a bad master URL
        raise SparkUnavailableError(
            f"Spark could not start on {master} ({exc}); is Java 17 installed?"
        ) from None
    session.sparkContext.setLogLevel("ERROR")
    return session


@lru_cache(maxsize=512)
def to_spark_sql(sql: str) -> str:
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]


class SparkFlatten:
    name = "spark"

    def __init__(self, master: str | None = None) -> None:
        self.master = master

    @classmethod
    def with_options(cls, spark_master: str | None, memory_limit: str | None) -> SparkFlatten:
        return cls(spark_master)

    def flatten(
        self, snapshot: Snapshot, plan: FlattenPlan, out_dir: Path, progress: Progress | None
    ) -> tuple[dict[str, int], dict[str, int]]:
        spark = spark_session(self.master)
        spark.conf.set("spark.sql.files.openCostInBytes", _ONE_FILE_PER_PARTITION)
        spark.conf.set("spark.sql.files.maxPartitionBytes", _ONE_FILE_PER_PARTITION)
        persisted: list[DataFrame] = []
        try:
            self._read_lines(spark, snapshot.works, "work", plan.work_schema)
            self._run_steps(spark, plan.work_steps, persisted)
            if plan.with_authors and snapshot.authors is not None:
                self._read_lines(spark, snapshot.authors, "author", AUTHOR_SCHEMA)
                self._run_steps(spark, plan.author_steps, persisted)
            self._run_steps(spark, plan.stage_b, persisted)
            share = snapshot.gz_bytes // max(1, len(plan.tables))
            for table, sql in plan.tables.items():
                spark.sql(to_spark_sql(sql)).write.mode("overwrite").parquet(str(out_dir / table))
                if progress:
                    progress(share)
            counts = spark.sql(to_spark_sql(plan.counts)).collect()[0].asDict()
            lines = {
                r["file"]: int(r["n"]) for r in spark.sql(to_spark_sql(q.line_counts_sql("work"))).collect()
            }
            if plan.with_authors:
                lines.update(
                    (r["file"], int(r["n"]))
                    for r in spark.sql(to_spark_sql(q.line_counts_sql("author"))).collect()
                )
            return {k: int(v or 0) for k, v in counts.items()}, lines
        finally:
            for frame in persisted:
                frame.unpersist()

    @staticmethod
    def _read_lines(spark: SparkSession, entity: EntityFiles, prefix: str, schema: dict[str, object]) -> None:
        from pyspark.sql import functions as F

        raw = spark.read.text([str(f.path.resolve()) for f in entity.files])
        if raw.rdd.getNumPartitions() != len(entity.files):  # line numbers would be wrong: refuse
            raise SplitscopeError(
                f"Spark read {len(entity.files)} {entity.entity} files as {raw.rdd.getNumPartitions()} "
                "partitions; line numbers need one file per partition"
            )
        uri = F.input_file_name()
        lines = raw.select(
            F.regexp_extract(uri, r"(data/[^/]+/updated_date=[^/]+/[^/]+)$", 1).alias("file"),
            ((F.monotonically_increasing_id().bitwiseAND(_ROW_INDEX_MASK)) + 1).alias("line_no"),
            F.regexp_extract(uri, r"updated_date=([^/]+)/[^/]+$", 1).alias("part_date"),
            F.col("value").alias("text"),
        )
        ddl = spark_ddl(schema) + ", `_corrupt` STRING"
        parsed = F.from_json("text", ddl, {"columnNameOfCorruptRecord": "_corrupt", "mode": "PERMISSIVE"})
        lines = lines.withColumn("rec0", parsed)
        # Spark also flags a type mismatch as corrupt (DuckDB does not): only a syntax error is "not
        # valid JSON", which get_json_object tells, evaluated just for the flagged lines.
        parse_ok = F.when(F.col("rec0._corrupt").isNull(), F.lit(True)).otherwise(
            F.get_json_object("text", "$").isNotNull()
        )
        lines = lines.withColumn("parse_ok", parse_ok)
        lines = lines.withColumn("rec", F.when(F.col("parse_ok"), F.col("rec0").dropFields("_corrupt")))
        lines.drop("rec0").createOrReplaceTempView(f"{prefix}_lines")

    @staticmethod
    def _run_steps(spark: SparkSession, steps: list[q.Step], persisted: list[Any]) -> None:
        from pyspark import StorageLevel

        for step in steps:
            if isinstance(step, q.Sql):
                frame = spark.sql(to_spark_sql(step.sql))
            else:
                keep = ", ".join(f"s.{column}" for column in step.keep)
                frame = spark.sql(
                    f"SELECT {keep}, u.{step.item} AS {step.item}, CAST(u.pos0 + 1 AS INT) AS pos "
                    f"FROM {step.source} AS s LATERAL VIEW posexplode(s.{step.array}) u AS pos0, {step.item}"
                )
            # on local disk: cached in memory, a gzip part of parsed works outgrew 1 GB of heap
            if step.name in q.SHARED:
                frame = frame.persist(StorageLevel.DISK_ONLY)
                persisted.append(frame)
            frame.createOrReplaceTempView(step.name)
