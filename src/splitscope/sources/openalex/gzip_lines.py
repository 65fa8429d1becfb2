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
_NEWLINE = 10


def _lines_array(data: bytes) -> pa.Array:
    """Complete lines (`data` ends with a newline) → one string array per line, newline and a CRLF's
    CR removed. The array shares `data` as its value buffer: each value is a line with its newline
    (offsets at the newlines, found by numpy), trimmed in one vectorised pass."""
    view = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(view == _NEWLINE) + 1
    offsets = np.concatenate(([0], ends)).astype(np.int64)
    binary = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(ends), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )
    return pc.utf8_rtrim(_to_strings(binary), characters="\r\n")


def _to_strings(binary: pa.Array) -> pa.Array:
    try:
        return binary.cast(pa.large_string())
    except pa.ArrowInvalid:  # invalid UTF-8 somewhere: replace per line, as Spark's text reader does
        return pa.array([b.decode("utf-8", "replace") for b in binary.to_pylist()], type=pa.large_string())


def iter_line_chunks(
    path: Path, label: str, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[tuple[int, pa.Array]]:
    """(number of the chunk's first line, 1-based; the chunk's lines). A last line without a newline
    counts; an empty file yields nothing."""
    first_line = 1
    pending = b""
    try:
        with pa.input_stream(str(path), compression="gzip") as stream:
            while True:
                block = stream.read(chunk_bytes)
                if not block:
                    break
                data = pending + block
                cut = data.rfind(b"\n") + 1
                pending = data[cut:]
                if cut:
                    lines = _lines_array(data[:cut])
                    yield first_line, lines
                    first_line += len(lines)
    except (OSError, pa.ArrowInvalid) as exc:
        raise UnusableInputError(f"{label}: cannot read as gzip ({exc}); truncated download?") from None
    if pending:
        yield first_line, _lines_array(pending + b"\n")
