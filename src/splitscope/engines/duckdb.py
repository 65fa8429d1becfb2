"""DuckDB, the default engine of the OpenAlex snapshot flatten (one machine, bounded memory).

Each works file is read as chunks of decompressed lines (sources/openalex/gzip_lines.py); every chunk
runs the stage-A steps of sources/openalex/flatten_sql.py and its outputs are staged as Parquet, so
memory holds one chunk whatever the snapshot size. Stage B (superseded versions, final tables) then
runs over the staged files, where DuckDB spills to its temp directory past `memory_limit`.
"""

from __future__ import annotations

import queue
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import pyarrow as pa

from splitscope.sources.openalex import flatten_sql as q
from splitscope.sources.openalex.flatten_sql import FlattenPlan, Progress
from splitscope.sources.openalex.gzip_lines import iter_line_chunks
from splitscope.sources.openalex.layout import EntityFiles, Snapshot
from splitscope.sources.openalex.record_schema import AUTHOR_SCHEMA, WORK_SCHEMA, duckdb_structure
from splitscope.store.db import quiet

# DuckDB's own cap; chunks in flight (two of gzip_lines.CHUNK_BYTES) come on top. Past it DuckDB spills
# to disk.
DEFAULT_MEMORY_LIMIT = "1GB"

T = TypeVar("T")


def prefetched(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """Produce the next item in a thread while the caller works on this one (gzip and numpy release
    the GIL, so decompression overlaps DuckDB's parsing)."""
    slots: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)

    def produce() -> None:
        try:
            for item in items:
                slots.put(("item", item))
            slots.put(("done", None))
        except BaseException as exc:  # re-raised in the consumer
            slots.put(("error", exc))

    threading.Thread(target=produce, daemon=True).start()
    while True:
        kind, value = slots.get()
        if kind == "done":
            return
        if kind == "error":
            raise value
        yield value


class DuckDBFlatten:
    """The DuckDB engine: chunks of lines → stage A (per chunk, staged as Parquet) → stage B."""

    name = "duckdb"

    def __init__(self, memory_limit: str = DEFAULT_MEMORY_LIMIT) -> None:
        self.memory_limit = memory_limit

    @classmethod
    def with_options(cls, spark_master: str | None, memory_limit: str | None) -> DuckDBFlatten:
        return cls(memory_limit or DEFAULT_MEMORY_LIMIT)

    def flatten(
        self, snapshot: Snapshot, plan: FlattenPlan, out_dir: Path, progress: Progress | None
    ) -> tuple[dict[str, int], dict[str, int]]:
        staged = out_dir / "_staged"
        con = quiet(duckdb.connect())
        con.execute(f"SET memory_limit = {q.quote(self.memory_limit)}")
        con.execute(f"SET temp_directory = {q.quote(str(out_dir / '_tmp'))}")
        con.execute("SET preserve_insertion_order = false")
        try:
            self._stage(con, snapshot.works, "work", plan.work_steps, q.WORK_STAGED, staged, progress)
            staged_names = list(q.WORK_STAGED)
            if plan.with_authors and snapshot.authors is not None:
                self._stage(
                    con, snapshot.authors, "author", plan.author_steps, q.AUTHOR_STAGED, staged, progress
                )
                staged_names += q.AUTHOR_STAGED
            for name in staged_names:
                con.execute(
                    f"CREATE OR REPLACE VIEW {name} AS "
                    f"SELECT * FROM read_parquet('{staged / name}/*.parquet')"
                )
            for step in plan.stage_b:
                self.run_step(con, step)
            for table, sql in plan.tables.items():
                target = q.quote(str(out_dir / f"{table}.parquet"))
                con.execute(f"COPY ({sql}) TO {target} (FORMAT parquet, COMPRESSION zstd)")
            counts = _one_row(con, plan.counts)
            lines = dict(con.execute(q.line_counts_sql("work")).fetchall())
            if plan.with_authors:
                lines.update(con.execute(q.line_counts_sql("author")).fetchall())
            return counts, {k: int(v) for k, v in lines.items()}
        finally:
            con.close()
            shutil.rmtree(staged, ignore_errors=True)
            shutil.rmtree(out_dir / "_tmp", ignore_errors=True)

    def _stage(
        self,
        con: duckdb.DuckDBPyConnection,
        entity: EntityFiles,
        prefix: str,
        steps: list[q.Step],
        outputs: tuple[str, ...],
        staged: Path,
        progress: Progress | None,
    ) -> None:
        schema = WORK_SCHEMA if prefix == "work" else AUTHOR_SCHEMA
        structure = q.quote(duckdb_structure(schema))
        for name in outputs:
            (staged / name).mkdir(parents=True, exist_ok=True)
        chunk_no = 0
        for file in entity.files:
            for first_line, lines in prefetched(iter_line_chunks(file.path, file.relative)):
                self._chunk(con, prefix, file.relative, file.part_date, first_line, lines, structure)
                self._run_chunk(con, steps, outputs, staged, chunk_no)
                chunk_no += 1
            if progress:
                progress(file.size)
        if chunk_no == 0:  # only empty files: stage one empty chunk so stage B has its tables
            self._chunk(con, prefix, "", "", 1, pa.array([], type=pa.large_string()), structure)
            self._run_chunk(con, steps, outputs, staged, chunk_no)
        # the last chunk's temp tables would shadow the staged views of the same names
        for name in (f"{prefix}_lines", *(step.name for step in steps)):
            kind = con.execute(
                "SELECT 'VIEW' FROM duckdb_views() WHERE temporary AND view_name = $1 "
                "UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE temporary AND table_name = $1",
                [name],
            ).fetchone()
            if kind:
                con.execute(f"DROP {kind[0]} temp.{name}")

    @staticmethod
    def _chunk(
        con: duckdb.DuckDBPyConnection,
        prefix: str,
        relative: str,
        part_date: str,
        first_line: int,
        lines: pa.Array,
        structure: str,
    ) -> None:
        numbers = pa.array(np.arange(first_line, first_line + len(lines), dtype=np.int64))
        con.register("chunk_lines", pa.table({"line_no": numbers, "text": lines}))
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {prefix}_lines AS
                SELECT {q.quote(relative)} AS file, line_no, {q.quote(part_date)} AS part_date, text,
                       json_valid(text) AS parse_ok,
                       CASE WHEN json_valid(text) THEN json_transform(text, {structure}) END AS rec
                FROM chunk_lines"""
        )
        con.unregister("chunk_lines")

    def _run_chunk(
        self,
        con: duckdb.DuckDBPyConnection,
        steps: list[q.Step],
        outputs: tuple[str, ...],
        staged: Path,
        chunk_no: int,
    ) -> None:
        for step in steps:
            self.run_step(con, step)
        for name in outputs:
            target = q.quote(str(staged / name / f"{chunk_no:06d}.parquet"))
            con.execute(f"COPY (SELECT * FROM {name}) TO {target} (FORMAT parquet)")

    @staticmethod
    def run_step(con: duckdb.DuckDBPyConnection, step: q.Step) -> None:
        kind = "TABLE" if step.name in q.SHARED else "VIEW"
        if isinstance(step, q.Sql):
            con.execute(f"CREATE OR REPLACE TEMP {kind} {step.name} AS {step.sql}")
            return
        # unnest in the select list (zipped with generate_subscripts, same length): measured 30x faster
        # than a lateral `unnest(...) WITH ORDINALITY` join on a chunk of works
        keep = ", ".join(f"s.{column}" for column in step.keep)
        con.execute(
            f"""CREATE OR REPLACE TEMP {kind} {step.name} AS
                SELECT {keep}, unnest(s.{step.array}) AS {step.item},
                       CAST(generate_subscripts(s.{step.array}, 1) AS INTEGER) AS pos
                FROM {step.source} AS s"""
        )


def _one_row(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    assert row is not None
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}
