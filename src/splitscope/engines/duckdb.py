"""DuckDB, the default engine of the OpenAlex snapshot flatten (one machine, bounded memory).

Each works file is read as chunks of decompressed lines (sources/openalex/gzip_lines.py); every chunk
is parsed and checked (the first stage-A step of sources/openalex/flatten_sql.py) into a table, and the
other stage-A steps run once per batch of such chunks, their outputs staged as Parquet, so memory holds
one chunk of text and one batch of parsed fields whatever the snapshot size. Stage B (superseded
versions, final tables) then runs over the staged files, where DuckDB spills to its temp directory
past `memory_limit`.

Stage A runs one file per worker process, as many workers as cores (gzip cannot be split: a file is
the unit), each with its share of `memory_limit`: measured on the 1 GB generated snapshot, one process
with DuckDB's own two threads kept 0.74 of two cores busy; the chunk steps are too short to parallelise
inside DuckDB.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import re
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import pyarrow as pa

from splitscope.sources.openalex import flatten_sql as q
from splitscope.sources.openalex.flatten_sql import FlattenPlan, Progress
from splitscope.sources.openalex.gzip_lines import CHUNK_BYTES, iter_line_chunks
from splitscope.sources.openalex.layout import Snapshot, SnapshotFile
from splitscope.sources.openalex.record_schema import AUTHOR_SCHEMA, duckdb_structure
from splitscope.store.db import quiet

# DuckDB's own cap; chunks in flight (two of gzip_lines.CHUNK_BYTES) come on top. Past it DuckDB spills
# to disk.
DEFAULT_MEMORY_LIMIT = "1GB"
# Lines per batch of the steps after the line checks (see StageTask.run).
BATCH_BYTES = 128 << 20
# Below this many gzip bytes of works, stage A stays in this process (a worker costs ~1 s to start).
PARALLEL_MIN_BYTES = 48 << 20

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
    """The DuckDB engine: chunks of lines → stage A (per chunk, staged as Parquet) → stage B.

    Stage A runs in `workers` processes, one works file at a time each (gzip cannot be split, a file is
    the unit of parallel work), each with its share of the memory limit; stage B runs once, here."""

    name = "duckdb"

    def __init__(
        self,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        workers: int | None = None,
        chunk_bytes: int | None = None,
        batch_bytes: int = BATCH_BYTES,
    ) -> None:
        self.memory_limit = memory_limit
        self.workers = workers  # None: one per core when the snapshot is large enough to be worth it
        self.chunk_bytes = chunk_bytes  # None: a worker's share of CHUNK_BYTES (at least 8 MB)
        self.batch_bytes = batch_bytes

    @classmethod
    def with_options(cls, spark_master: str | None, memory_limit: str | None) -> DuckDBFlatten:
        return cls(memory_limit or DEFAULT_MEMORY_LIMIT)

    def worker_count(self, snapshot: Snapshot) -> int:
        if self.workers is not None:
            return max(1, self.workers)
        # starting a process costs about a second of imports: below two part files' worth, stay here
        if snapshot.works.gz_bytes < PARALLEL_MIN_BYTES:
            return 1
        return max(1, min(os.cpu_count() or 1, len(snapshot.works.files)))

    def flatten(
        self, snapshot: Snapshot, plan: FlattenPlan, out_dir: Path, progress: Progress | None
    ) -> tuple[dict[str, int], dict[str, int]]:
        staged = out_dir / "_staged"
        workers = self.worker_count(snapshot)
        limit = _share(self.memory_limit, workers)
        chunk = self.chunk_bytes or max(8 << 20, CHUNK_BYTES // workers)
        con = _connect(self.memory_limit, out_dir / "_tmp")
        try:
            tasks = [
                StageTask(
                    "work",
                    f,
                    index,
                    plan.work_steps,
                    q.WORK_STAGED,
                    plan.work_schema,
                    staged,
                    chunk,
                    self.batch_bytes,
                )
                for index, f in enumerate(snapshot.works.files)
            ]
            staged_names = list(q.WORK_STAGED)
            if plan.with_authors and snapshot.authors is not None:
                tasks += [
                    StageTask(
                        "author",
                        f,
                        index,
                        plan.author_steps,
                        q.AUTHOR_STAGED,
                        AUTHOR_SCHEMA,
                        staged,
                        chunk,
                        self.batch_bytes,
                    )
                    for index, f in enumerate(snapshot.authors.files)
                ]
                staged_names += q.AUTHOR_STAGED
            for task in tasks:
                for name in task.outputs:
                    (staged / name).mkdir(parents=True, exist_ok=True)
            _run_tasks(tasks, workers, limit, out_dir / "_tmp", progress)
            for task in {t.prefix: t for t in tasks}.values():
                if not any((staged / task.outputs[0]).iterdir()):  # no lines at all: stage B needs tables
                    task.empty(con)
            for name in staged_names:
                con.execute(
                    f"CREATE OR REPLACE VIEW {name} AS "
                    f"SELECT * FROM read_parquet('{staged / name}/*.parquet')"
                )
            for step in plan.stage_b:
                run_step(con, step)
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


@dataclass(frozen=True)
class StageTask:
    """Stage A of one file: its chunks are parsed, run through `steps`, and each output staged as
    <staged>/<output>/<prefix>-<file index>-<chunk>.parquet."""

    prefix: str  # 'work' | 'author'
    file: SnapshotFile
    index: int
    steps: list[q.Step]
    outputs: tuple[str, ...]
    schema: dict[str, object]
    staged: Path
    chunk_bytes: int = CHUNK_BYTES  # a share of CHUNK_BYTES per worker keeps the chunks in flight as today
    batch_bytes: int = BATCH_BYTES

    def run(self, con: duckdb.DuckDBPyConnection) -> None:
        """The first step (the line checks, which parse each line) runs per chunk and appends to its
        table; the others run once per batch of about `batch_bytes` of lines: each statement costs
        ~2 ms to bind whatever its rows (measured: 0.046 CPU-s for all of them on a 10-line chunk, a
        fifth of a 32 MB chunk's stage A), while the parsed fields kept are a fraction of the text."""
        structure = q.quote(duckdb_structure(self.schema))
        chunks = prefetched(iter_line_chunks(self.file.path, self.file.relative, self.chunk_bytes))
        pending, batch_no = 0, 0
        for first_line, lines in chunks:
            _chunk(con, self.prefix, self.file.relative, self.file.part_date, first_line, lines, structure)
            run_step(con, self.steps[0], append=pending > 0)
            con.unregister("chunk_lines")
            pending += lines.nbytes
            if pending >= self.batch_bytes:
                self._run_batch(con, f"{self.index:05d}-{batch_no:05d}")
                pending, batch_no = 0, batch_no + 1
        if pending:
            self._run_batch(con, f"{self.index:05d}-{batch_no:05d}")

    def empty(self, con: duckdb.DuckDBPyConnection) -> None:
        structure = q.quote(duckdb_structure(self.schema))
        _chunk(con, self.prefix, "", "", 1, pa.array([], type=pa.string_view()), structure)
        run_step(con, self.steps[0])
        con.unregister("chunk_lines")
        self._run_batch(con, "empty")
        # the temp tables would shadow the staged views of the same names
        for name in (f"{self.prefix}_lines", *(step.name for step in self.steps)):
            kind = con.execute(
                "SELECT 'VIEW' FROM duckdb_views() WHERE temporary AND view_name = $1 "
                "UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE temporary AND table_name = $1",
                [name],
            ).fetchone()
            if kind:
                con.execute(f"DROP {kind[0]} temp.{name}")

    def _run_batch(self, con: duckdb.DuckDBPyConnection, label: str) -> None:
        for step in self.steps[1:]:
            run_step(con, step)
        for name in self.outputs:
            target = q.quote(str(self.staged / name / f"{self.prefix}-{label}.parquet"))
            con.execute(f"COPY (SELECT * FROM {name}) TO {target} (FORMAT parquet)")


def _connect(memory_limit: str, temp: Path) -> duckdb.DuckDBPyConnection:
    con = quiet(duckdb.connect())
    con.execute(f"SET memory_limit = {q.quote(memory_limit)}")
    con.execute(f"SET temp_directory = {q.quote(str(temp))}")
    con.execute("SET preserve_insertion_order = false")
    return con


def _share(memory_limit: str, workers: int) -> str:
    """Each worker's part of the limit, so that the workers together stay within it."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*([KMGT]?i?B)\s*", memory_limit, re.IGNORECASE)
    if workers == 1 or not match:
        return memory_limit
    units = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KIB": 1024, "MIB": 1024**2,
             "GIB": 1024**3, "TIB": 1024**4}  # fmt: skip
    total = float(match.group(1)) * units[match.group(2).upper()]
    return f"{int(total / workers / 1e6)}MB"


def _stage_in_worker(task: StageTask, memory_limit: str, temp: Path) -> int:
    """One file's stage A in a worker process (its own connection and temp folder)."""
    folder = temp / f"worker-{os.getpid()}"
    con = _connect(memory_limit, folder)
    # one DuckDB thread per worker: the workers are the parallelism, and a second thread per chunk
    # step mostly waits (measured: 0.74 cores busy of two with one process and two threads)
    con.execute("SET threads = 1")
    try:
        task.run(con)
    finally:
        con.close()
        shutil.rmtree(folder, ignore_errors=True)
    return task.file.size


def _run_tasks(
    tasks: list[StageTask], workers: int, memory_limit: str, temp: Path, progress: Progress | None
) -> None:
    if workers == 1:
        con = _connect(memory_limit, temp)
        try:
            for task in tasks:
                task.run(con)
                if progress:
                    progress(task.file.size)
        finally:
            con.close()
        return
    # spawn: forking a process that holds DuckDB connections and reader threads is not safe
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        # largest files first, so that the last one to finish is a small one
        ordered = sorted(tasks, key=lambda t: -t.file.size)
        for done in as_completed([pool.submit(_stage_in_worker, t, memory_limit, temp) for t in ordered]):
            size = done.result()
            if progress:
                progress(size)


def _chunk(
    con: duckdb.DuckDBPyConnection,
    prefix: str,
    relative: str,
    part_date: str,
    first_line: int,
    lines: pa.Array,
    structure: str,
) -> None:
    """Register the chunk and define `<prefix>_lines` over it as a view: the first step that reads it
    (`<prefix>_checked`, a table) parses each line once, straight from the Arrow buffer (a temp table of
    the parsed lines copied every line and record once more: measured 25% of the stage A time).

    A line that starts with `{` and ends with `}` is transformed without validating it first: an object
    that parses gives a non-NULL struct, one that does not gives NULL under `try`, so `parse_ok` is the
    same as json_valid's (which parsed each line a second time: a quarter of the parse). Other lines
    (rare) take json_valid first: `try` over a vector with an error evaluates it row by row, slowly."""
    # from the buffer: pa.array() on a numpy array imports pandas to rule out a Series (~0.5 s a worker)
    line_numbers = np.arange(first_line, first_line + len(lines), dtype=np.int64)
    numbers = pa.Array.from_buffers(pa.int64(), len(lines), [None, pa.py_buffer(line_numbers)])
    con.register("chunk_lines", pa.table({"line_no": numbers, "text": lines}))
    transform = f"json_transform(text, {structure})"
    braced = "SELECT *, text LIKE '{%' AND text LIKE '%}' AS braced FROM chunk_lines"
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {prefix}_lines AS
            SELECT {q.quote(relative)} AS file, line_no, {q.quote(part_date)} AS part_date, text,
                   CASE WHEN braced THEN rec IS NOT NULL ELSE json_valid(text) END AS parse_ok, rec
            FROM (SELECT line_no, text, braced, CASE WHEN braced THEN try({transform})
                                                     WHEN json_valid(text) THEN {transform} END AS rec
                  FROM ({braced}) AS b) AS p"""
    )


def run_step(con: duckdb.DuckDBPyConnection, step: q.Step, append: bool = False) -> None:
    """Create the step's relation (a table if later steps share it, else a view), or with `append`
    add its rows to the table made by the same step before."""
    kind = "TABLE" if step.name in q.SHARED else "VIEW"
    if isinstance(step, q.Sql) and append:
        con.execute(f"INSERT INTO {step.name} {step.sql}")
        return
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
