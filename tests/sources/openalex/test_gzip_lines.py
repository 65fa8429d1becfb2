"""Reading gzip JSON Lines as Arrow string views: the same lines, numbers and errors whichever
decompressor runs (ISA-L when the fast-gzip extra is installed, else pyarrow's zlib)."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from splitscope.errors import UnusableInputError
from splitscope.sources.openalex import gzip_lines
from splitscope.sources.openalex.gzip_lines import iter_line_chunks

# Values of at most 12 bytes are stored inside the view, longer ones point into the block: both kinds,
# both sides of 12, CRLF, stray CRs, multi-byte and invalid UTF-8.
PIECES = [b"", b"x", b"{}", b"\r", b"\r\r", b"ab\r", "é".encode(), "日本語のテキスト".encode(),
          b"0123456789ab", b"0123456789abc", b'{"id": "W1", "title": "t"}', b" " * 20, b"a\rb"]  # fmt: skip


def expected_lines(data: bytes) -> list[str]:
    """Split at newlines, trailing CRs dropped, a last line without a newline kept."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return [line.rstrip(b"\r").decode("utf-8", "replace") for line in lines]


def read(path: Path, chunk_bytes: int, fast: bool, monkeypatch) -> list[tuple[int, str]]:
    if not fast:
        monkeypatch.setattr(gzip_lines, "igzip", None)
    out = []
    for first, lines in iter_line_chunks(path, "x", chunk_bytes):
        out += [(first + i, line) for i, line in enumerate(lines.to_pylist())]
    return out


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("invalid_utf8", [False, True])
@pytest.mark.parametrize("final_newline", [False, True])
def test_lines_and_numbers_survive_chunking(tmp_path, monkeypatch, fast, invalid_utf8, final_newline) -> None:
    rng = random.Random(21)
    pieces = PIECES + ([b"\xff\xfe bad"] if invalid_utf8 else [])
    data = b"\n".join(rng.choice(pieces) + rng.choice([b"", b"\r"]) for _ in range(2_000))
    data += b"\n" if final_newline else b""
    path = tmp_path / "part_000.gz"
    path.write_bytes(gzip.compress(data))
    want = list(enumerate(expected_lines(data), start=1))
    assert len(want) == 2_000
    for chunk_bytes in (7, 1_000, 1 << 20):  # a line longer than a block; many blocks; one block
        assert read(path, chunk_bytes, fast, monkeypatch) == want


@pytest.mark.parametrize("fast", [True, False])
def test_multi_member_gzip_reads_as_one_stream(tmp_path, monkeypatch, fast) -> None:
    if not fast:
        monkeypatch.setattr(gzip_lines, "igzip", None)
    path = tmp_path / "part_000.gz"
    path.write_bytes(gzip.compress(b"a\nb") + gzip.compress(b"c\n"))
    assert [lines.to_pylist() for _, lines in iter_line_chunks(path, "x")] == [["a", "bc"]]


@pytest.mark.parametrize("fast", [True, False])
def test_truncated_or_not_gzip_is_a_clear_error(tmp_path, monkeypatch, fast) -> None:
    if not fast:
        monkeypatch.setattr(gzip_lines, "igzip", None)
    whole = gzip.compress(b'{"id": "W1"}\n' * 50_000)
    (tmp_path / "cut.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "plain.gz").write_bytes(b'{"id": "W1"}\n')
    for name in ("cut.gz", "plain.gz"):
        message = rf"^{name}: cannot read as gzip .*truncated download\?$"
        with pytest.raises(UnusableInputError, match=message):
            list(iter_line_chunks(tmp_path / name, name))
