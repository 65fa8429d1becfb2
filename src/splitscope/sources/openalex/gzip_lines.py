"""Stream the lines of a gzip JSON Lines file as Arrow string arrays, with their line numbers.

Why not DuckDB's own readers: `read_json` skips a malformed line without saying where it was, and
`read_csv` gives no line numbers; quarantine needs `file:line` for every record that cannot be stored.
Decompression (pyarrow, C++) and line splitting (numpy) run outside the GIL, so a reader thread can
prepare the next chunk while DuckDB parses this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from splitscope.errors import UnusableInputError

# Decompressed bytes per chunk: large enough that per-chunk overhead vanishes, small enough that a few
# chunks in flight stay far below the memory limit.
CHUNK_BYTES = 64 << 20


def _lines_array(data: bytes, start: int = 0, stop: int | None = None) -> pa.Array:
    """The complete lines of `data[start:stop]` (which ends with a newline) → one string per line,
    newline and a CRLF's CR removed. The array's value buffer is `data` itself, offsets starting at
    `start` (no copy of a 64 MB block): each value is a line with its newline, trimmed in one vectorised
    pass. Newlines are found by bytes.find (memchr), measured 6x faster than a numpy comparison."""
    stop = len(data) if stop is None else stop
    offsets = [start]
    find, position = data.find, start
    while (newline := find(b"\n", position, stop)) >= 0:
        position = newline + 1
        offsets.append(position)
    binary = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(),
        len(offsets) - 1,
        [None, pa.py_buffer(np.asarray(offsets, dtype=np.int64)), pa.py_buffer(data)],
    )
    return pc.utf8_rtrim(_to_strings(binary), characters="\r\n")


def _to_strings(binary: pa.Array) -> pa.Array:
    try:
        return binary.cast(pa.large_string())
    except pa.ArrowInvalid:  # invalid UTF-8 somewhere: replace per line, as Spark's text reader does
        return pa.array([b.decode("utf-8", "replace") for b in binary.to_pylist()], type=pa.large_string())


def iter_line_chunks(
    path: Path, label: str, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[tuple[int, pa.ChunkedArray]]:
    """(number of the chunk's first line, 1-based; the chunk's lines). A last line without a newline
    counts; an empty file yields nothing. A chunk is the line left over from the block before (copied,
    one line) and the complete lines of this block (not copied)."""
    first_line = 1
    pending = b""
    try:
        with pa.input_stream(str(path), compression="gzip") as stream:
            while True:
                block = stream.read(chunk_bytes)
                if not block:
                    break
                cut = block.rfind(b"\n") + 1
                if not cut:  # one line longer than a block: keep reading
                    pending += block
                    continue
                head = block.find(b"\n") + 1
                parts = [_lines_array(pending + block[:head]), _lines_array(block, head, cut)]
                lines = pa.chunked_array([p for p in parts if len(p)], type=pa.large_string())
                pending = block[cut:]
                yield first_line, lines
                first_line += len(lines)
    except (OSError, pa.ArrowInvalid) as exc:
        raise UnusableInputError(f"{label}: cannot read as gzip ({exc}); truncated download?") from None
    if pending:
        yield first_line, pa.chunked_array([_lines_array(pending + b"\n")])
