"""Read an input file (plain or gzip) into bytes + sha256, and parse JSON / JSON lines with clear errors.

sha256 is of the uncompressed bytes, like the bundle's MANIFEST.tsv, so a re-compressed copy of the
same content counts as unchanged.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from splitscope.errors import UnusableInputError

GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class RawInput:
    label: str  # short name used in messages, e.g. 'nips/nips2030.json'
    uri: str
    data: bytes
    sha256: str


def read_input(path: Path, label: str | None = None) -> RawInput:
    label = label or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnusableInputError(f"{label}: cannot read file ({exc.strerror or exc})") from None
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise UnusableInputError(f"{label}: gzip data is damaged or truncated ({exc})") from None
    return RawInput(label, str(path), data, hashlib.sha256(data).hexdigest())


def _json_error(label: str, data: bytes, exc: orjson.JSONDecodeError, offset: int = 0) -> str:
    position = offset + exc.pos
    if "utf-8" in exc.msg.lower() or b"\x00" in data[:4096]:
        cause = "not UTF-8 text: binary file?"
    elif exc.pos >= len(data.rstrip()) - 1 or "unexpected end" in exc.msg.lower():
        cause = "truncated?"
    else:
        cause = exc.msg
    return f"{label}: not valid JSON at byte {position} ({cause})"


def parse_json(raw: RawInput) -> Any:
    try:
        return orjson.loads(raw.data)
    except orjson.JSONDecodeError as exc:
        raise UnusableInputError(_json_error(raw.label, raw.data, exc)) from None


def parse_json_list(raw: RawInput) -> list[Any]:
    """A file that must hold one JSON array (paper lists, the two .json openreview-authors files)."""
    value = parse_json(raw)
    if not isinstance(value, list):
        kind = type(value).__name__.replace("dict", "object")
        raise UnusableInputError(f"{raw.label}: expected a JSON array of records, found a JSON {kind}")
    return value


def parse_json_lines(raw: RawInput) -> list[tuple[int, Any]]:
    """(line number, value) per non-empty line. A bad line mid-file is a bad record, not a bad file;
    a bad LAST line means the file was cut off, and an undecodable first line means it is not JSON lines.
    """
    lines = raw.data.split(b"\n")
    records: list[tuple[int, Any]] = []
    offset = 0
    last_content = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                records.append((number, orjson.loads(line)))
            except orjson.JSONDecodeError as exc:
                if number - 1 == last_content or not records:
                    raise UnusableInputError(_json_error(raw.label, raw.data, exc, offset)) from None
                records.append((number, _BadLine(line[:2000].decode("utf-8", "replace"), exc.msg)))
        offset += len(line) + 1
    return records


@dataclass(frozen=True)
class _BadLine:
    text: str
    error: str


def is_bad_line(value: Any) -> bool:
    return isinstance(value, _BadLine)


def bad_line_reason(value: Any) -> str:
    return f"not valid JSON ({value.error})"


def bad_line_text(value: Any) -> str:
    return str(value.text)
