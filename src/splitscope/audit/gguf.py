"""Read the `general.*` metadata of a GGUF model file (llama.cpp) from its header, never the weights.

Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md (versions 2 and 3: little-endian,
64-bit counts and string lengths).
"""

from __future__ import annotations

import struct
from pathlib import Path

HEADER_BYTES = 1 << 20  # general.* keys come first; tokenizer arrays after them can be many MB
_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
STRING, ARRAY = 8, 9


class GGUFError(ValueError):
    pass


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def take(self, fmt: str) -> object:
        size = struct.calcsize(fmt)
        if self.offset + size > len(self.data):
            raise EOFError
        (value,) = struct.unpack_from(fmt, self.data, self.offset)
        self.offset += size
        return value

    def string(self) -> str:
        length = int(self.take("<Q"))  # type: ignore[call-overload]
        if self.offset + length > len(self.data):
            raise EOFError
        text = self.data[self.offset : self.offset + length].decode("utf-8", "replace")
        self.offset += length
        return text

    def value(self, value_type: int) -> object:
        if value_type == STRING:
            return self.string()
        if value_type == ARRAY:
            item_type = int(self.take("<I"))  # type: ignore[call-overload]
            count = int(self.take("<Q"))  # type: ignore[call-overload]
            return [self.value(item_type) for _ in range(count)]
        if value_type not in _SCALARS:
            raise GGUFError(f"unknown metadata value type {value_type}")
        return self.take(_SCALARS[value_type])


def read_general_metadata(path: Path) -> dict[str, str]:
    """String `general.*` metadata (name, basename, organization, license, source URLs) of a GGUF file."""
    with path.open("rb") as handle:
        reader = _Reader(handle.read(HEADER_BYTES))
    metadata: dict[str, str] = {}
    try:
        if reader.data[:4] != b"GGUF":
            raise GGUFError("no GGUF magic number")
        reader.offset = 4
        version = reader.take("<I")
        if version not in (2, 3):
            raise GGUFError(f"unsupported GGUF version {version}")
        reader.take("<Q")  # tensor count
        kv_count = int(reader.take("<Q"))  # type: ignore[call-overload]
        for _ in range(kv_count):
            key = reader.string()
            value = reader.value(int(reader.take("<I")))  # type: ignore[call-overload]
            if key.startswith("general.") and isinstance(value, str):
                metadata[key] = value
    except EOFError:
        # A header longer than HEADER_BYTES keeps what was read (general.* come first); nothing is an error.
        if not metadata and len(reader.data) < 24:
            raise GGUFError("truncated GGUF header") from None
    return metadata
