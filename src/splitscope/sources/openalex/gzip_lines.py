"""Stream the lines of a gzip JSON Lines file as Arrow string arrays, with their line numbers.

Why not DuckDB's own readers: `read_json` skips a malformed line without saying where it was, and
`read_csv` gives no line numbers; quarantine needs `file:line` for every record that cannot be stored.
Decompression is ISA-L's when python-isal is installed (`pip install 'splitscope[fast-gzip]'`;
measured 2x zlib's speed on the generated snapshot's works files, 136 against 69 MB of gzip per
CPU-second, the same bytes out), else pyarrow's zlib: isal is not in every package mirror, and the
flatten must run without it. Both, and the line splitting, run outside the GIL, so a reader thread can
prepare the next chunk while DuckDB parses this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

try:
    from isal import igzip, isal_zlib
except ImportError:  # optional: the fast-gzip extra
    igzip = isal_zlib = None  # type: ignore[assignment]

from splitscope.errors import UnusableInputError

# Decompressed bytes per chunk: large enough that per-chunk overhead vanishes, small enough that a few
# chunks in flight stay far below the memory limit.
CHUNK_BYTES = 64 << 20


def _lines_array(data: bytes, start: int = 0, stop: int | None = None) -> pa.Array:
    """The complete lines of `data[start:stop]` (which ends with a newline) → one string per line,
    newline and trailing CRs removed, as an Arrow string view array over `data` itself: each value
    points into the decompressed block, so neither a 64 MB copy nor a trimmed copy of every line is
    made (a `utf8_rtrim` had cost as much as the decompression). Newlines are found by bytes.find
    (memchr), measured 6x faster than a numpy comparison."""
    stop = len(data) if stop is None else stop
    offsets = [start]
    find, position = data.find, start
    while (newline := find(b"\n", position, stop)) >= 0:
        position = newline + 1
        offsets.append(position)
    bounds = np.asarray(offsets, dtype=np.int64)
    return _string_views(data, bounds[:-1], bounds[1:] - 1)


def _string_views(data: bytes, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """Strings data[starts[i]:ends[i]] without their trailing CRs, as Arrow's string view layout (16
    bytes per value: the length, then the value itself when it has at most 12 bytes, else its first 4
    bytes, buffer 0 and its offset). Invalid UTF-8 is replaced per line, as Spark's text reader does."""
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = ends.copy()
    while True:  # CRLF endings (and stray CRs before the newline)
        cr = (ends > starts) & (raw[np.maximum(ends - 1, 0)] == 13)
        if not cr.any():
            break
        ends[cr] -= 1
    lengths = ends - starts
    if len(raw) > np.iinfo(np.int32).max:
        raise ValueError("a block of lines over 2 GB")
    head = raw[np.minimum(starts[:, None] + np.arange(12), max(len(raw) - 1, 0))] if len(raw) else None
    views = np.zeros((len(starts), 16), dtype=np.uint8)
    views[:, 0:4] = lengths.astype("<i4").view(np.uint8).reshape(-1, 4)
    if head is not None:
        short = lengths <= 12
        inline = np.where(np.arange(12) < lengths[:, None], head, 0)
        views[short, 4:16] = inline[short]
        views[~short, 4:8] = head[~short, :4]
        views[~short, 12:16] = starts[~short].astype("<i4").view(np.uint8).reshape(-1, 4)
    binary = pa.Array.from_buffers(
        pa.binary_view(), len(starts), [None, pa.py_buffer(views), pa.py_buffer(data)]
    )
    try:
        return binary.cast(pa.string_view())
    except pa.ArrowInvalid:  # invalid UTF-8 somewhere
        return pa.array([b.decode("utf-8", "replace") for b in binary.to_pylist()], type=pa.string_view())


# What a corrupt or truncated gzip file raises, with either decompressor.
GZIP_ERRORS: tuple[type[Exception], ...] = (OSError, EOFError, pa.ArrowInvalid) + (
    (isal_zlib.error,) if isal_zlib is not None else ()
)


def open_gzip(path: Path) -> Any:
    """A binary stream of the decompressed file: ISA-L's if installed, else pyarrow's."""
    if igzip is not None:
        return igzip.open(path, "rb")
    return pa.input_stream(str(path), compression="gzip")


def iter_line_chunks(
    path: Path, label: str, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[tuple[int, pa.ChunkedArray]]:
    """(number of the chunk's first line, 1-based; the chunk's lines). A last line without a newline
    counts; an empty file yields nothing. A chunk is the line left over from the block before (copied,
    one line) and the complete lines of this block (not copied)."""
    first_line = 1
    pending = b""
    try:
        with open_gzip(path) as stream:
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
                lines = pa.chunked_array([p for p in parts if len(p)], type=pa.string_view())
                pending = block[cut:]
                yield first_line, lines
                first_line += len(lines)
    except GZIP_ERRORS as exc:
        raise UnusableInputError(f"{label}: cannot read as gzip ({exc}); truncated download?") from None
    if pending:
        yield first_line, pa.chunked_array([_lines_array(pending + b"\n")])
