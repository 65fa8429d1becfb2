"""Where one chunk of the DuckDB flatten's stage A goes, and what candidate JSON parsers would cost on it.

    PYTHONPATH=src python benchmarks/flatten_chunk.py [--snapshot DIR] [--chunk-mb 32] [--repeat 3]

One chunk (a worker's share of gzip_lines.CHUNK_BYTES on 2 cores: 32 MB of decompressed lines) of the
first works file, timed with thread CPU time (DuckDB with one thread, as in a worker), best of
--repeat. Parts: gunzip alone and gunzip + line split (the whole file, per chunk), DuckDB's parse
(json_valid + json_transform, as the engine does it), the stage-A steps one by one and the staged
Parquet writes; then the candidates: orjson (whole records), msgspec typed Structs declaring only the
kept fields (unknown members skipped in C), msgspec + building the Arrow struct column in Python, and
that Arrow column read by DuckDB. msgspec is optional (`pip install msgspec`). Numbers are CPU seconds
per chunk; the chunk's gzip bytes are estimated from the file's compression ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa

from splitscope.engines.duckdb import _chunk, _connect, run_step
from splitscope.sources.openalex import flatten_sql as q
from splitscope.sources.openalex.flatten import venue_sql
from splitscope.sources.openalex.gzip_lines import iter_line_chunks
from splitscope.sources.openalex.record_schema import WORK_SCHEMA, S, duckdb_structure


def best(repeat: int, run: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        started = time.thread_time()
        run()
        times.append(time.thread_time() - started)
    return min(times)


def msgspec_decoder(schema: dict[str, object]) -> Any:
    """A decoder of only the kept fields; scalars as str, int or bool (a float or a wrong shape fails)."""
    import msgspec

    scalar = str | int | bool | None

    def type_of(node: object, name: str) -> Any:
        if node == S:
            return scalar
        if isinstance(node, list):
            return list[type_of(node[0], name + "_item")] | None  # type: ignore[misc]
        assert isinstance(node, dict)
        fields = [(k, type_of(v, f"{name}_{k}"), None) for k, v in node.items()]
        return msgspec.defstruct(name, fields, gc=False) | None

    fields = [(k, type_of(v, f"Rec_{k}"), None) for k, v in schema.items()]
    return msgspec.json.Decoder(msgspec.defstruct("Rec", fields, gc=False))


def arrow_column(node: object, values: list[Any]) -> pa.Array:
    """Decoded values → the Arrow column json_transform would give (scalars as strings)."""
    if node == S:
        try:
            return pa.array(values, type=pa.string())
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            text = [v if v is None or isinstance(v, str) else str(v).lower() for v in values]
            return pa.array(text, type=pa.string())
    nulls = [v is None for v in values]
    mask = pa.array(nulls) if any(nulls) else None
    if isinstance(node, list):
        offsets = np.zeros(len(values) + 1, dtype=np.int32)
        np.cumsum([0 if v is None else len(v) for v in values], out=offsets[1:])
        items = arrow_column(node[0], list(chain.from_iterable(v for v in values if v)))
        return pa.ListArray.from_arrays(pa.array(offsets), items, mask=mask)
    assert isinstance(node, dict)
    children = [arrow_column(sub, [getattr(v, key, None) for v in values]) for key, sub in node.items()]
    return pa.StructArray.from_arrays(children, names=list(node), mask=mask)


def line_views(lines: pa.ChunkedArray) -> list[memoryview]:
    views = []
    for chunk in lines.chunks:
        buffers = chunk.buffers()
        offsets = np.frombuffer(buffers[1], np.int64)[chunk.offset : chunk.offset + len(chunk) + 1].tolist()
        data = memoryview(buffers[2])  # type: ignore[arg-type]
        views += [data[start:stop] for start, stop in zip(offsets, offsets[1:], strict=False)]
    return views


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--snapshot", type=Path, default=Path("/tmp/i21/snap1g"))
    parser.add_argument("--chunk-mb", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = sorted((args.snapshot / "data" / "works").rglob("*.gz"))[0]
    chunk_bytes, repeat = args.chunk_mb << 20, args.repeat

    def gunzip() -> int:
        with pa.input_stream(str(path), compression="gzip") as stream:
            return sum(len(block) for block in iter(lambda: stream.read(chunk_bytes), b""))

    raw = gunzip()
    chunks = raw / chunk_bytes
    gz_mb = path.stat().st_size / 1e6 / chunks  # gzip MB in one chunk
    report = {
        "gunzip": best(repeat, gunzip) / chunks,
        "gunzip + line split": best(repeat, lambda: sum(1 for _ in iter_line_chunks(path, "x", chunk_bytes)))
        / chunks,
    }
    _, lines = next(iter_line_chunks(path, "x", chunk_bytes))
    with tempfile.TemporaryDirectory() as temp:
        con = _connect("500MB", Path(temp) / "tmp")
        con.execute("SET threads = 1")
        structure = q.quote(duckdb_structure(WORK_SCHEMA))
        _chunk(con, "work", "f", "d", 1, lines, structure)
        report["duckdb parse (the work_lines view)"] = best(
            repeat,
            lambda: con.execute("CREATE OR REPLACE TEMP TABLE p AS SELECT parse_ok, rec FROM work_lines"),
        )
        for step in q.work_stage_a("true", venue_sql(), "x"):  # per chunk here (the engine batches them)
            report[f"step {step.name}"] = best(repeat, lambda step=step: run_step(con, step))

        def staged() -> None:
            for name in q.WORK_STAGED:
                con.execute(f"COPY (SELECT * FROM {name}) TO '{temp}/{name}.parquet' (FORMAT parquet)")

        report["staged views + Parquet"] = best(repeat, staged)
        report["stage A total"] = sum(v for k, v in report.items() if k.startswith(("step", "staged")))
        views = line_views(lines.cast(pa.large_string()))

        def orjson_each() -> None:  # each record dropped at once (kept, the dicts cost 7x more in GC)
            for view in views:
                orjson.loads(bytes(view))

        report["orjson.loads (whole records, each dropped)"] = best(repeat, orjson_each)
        try:
            decode = msgspec_decoder(WORK_SCHEMA).decode
        except ImportError:
            decode = None
        if decode is not None:
            report["msgspec typed Structs (kept fields)"] = best(repeat, lambda: [decode(v) for v in views])
            records = [decode(v) for v in views]
            report["  + Arrow struct column built in Python"] = best(
                repeat, lambda: arrow_column(WORK_SCHEMA, records)
            )
            con.register("decoded", pa.table({"rec": arrow_column(WORK_SCHEMA, records)}))
            report["  + DuckDB reads that column"] = best(
                repeat, lambda: con.execute("CREATE OR REPLACE TEMP TABLE d AS SELECT rec FROM decoded")
            )
        con.close()
    print(f"{path.name}: one chunk of {args.chunk_mb} MB = {len(lines):,} lines, ~{gz_mb:.2f} MB gzip")
    for part, seconds in report.items():
        print(f"{part:45s} {seconds:6.3f} s  ({gz_mb / seconds:6.1f} MB gzip per CPU-second)")


if __name__ == "__main__":
    main()
