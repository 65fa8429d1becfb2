"""Bad input never crashes the scan: each bad path is skipped with its reason and the rest is scanned."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from splitscope.audit.gguf import GGUFError, read_general_metadata
from splitscope.audit.scan import scan_repository
from splitscope.errors import UnusableInputError


def _gguf_bytes(metadata: dict[str, str]) -> bytes:
    """A GGUF v3 header with string metadata and no tensors (format: ggml docs/gguf.md)."""

    def string(text: str) -> bytes:
        data = text.encode()
        return struct.pack("<Q", len(data)) + data

    body = b"".join(string(k) + struct.pack("<I", 8) + string(v) for k, v in metadata.items())
    return b"GGUF" + struct.pack("<IQQ", 3, 0, len(metadata)) + body


@pytest.fixture()
def bad_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "good.py").write_text(
        'from transformers import pipeline\npipeline(model="Qwen/Qwen3-8B")\n'
    )
    (repo / "src" / "broken.py").write_text("def f(:\n    from_pretrained('x/y')\n")
    (repo / "src" / "latin1.py").write_bytes(b"# caf\xe9\nfrom_pretrained('a/b')\n")
    (repo / "weights.json").write_bytes(b"\x00\x01\x02model")
    with open(repo / "huge.yaml", "wb") as handle:  # 50 MB, sparse: cheap to create
        handle.truncate(50 * 1024 * 1024)
    (repo / "bad.yaml").write_text("model: [unclosed\n")
    (repo / "bad.json").write_text('{"model": "Qwen/Qwen3-8B",')
    os.symlink("..", repo / "src" / "loop")
    os.symlink(tmp_path, repo / "outside")
    os.symlink(repo / "missing-target", repo / "dangling.py")
    os.mkfifo(repo / "pipe.yaml")
    (repo / "models").mkdir()
    (repo / "models" / "qwen.gguf").write_bytes(
        _gguf_bytes(
            {
                "general.architecture": "qwen2",
                "general.basename": "Qwen2.5",
                "general.organization": "Qwen",
                "general.license": "apache-2.0",
            }
        )
    )
    (repo / "models" / "nameless.gguf").write_bytes(_gguf_bytes({"general.architecture": "llama"}))
    (repo / "models" / "fake.gguf").write_bytes(b"not a gguf")
    (tmp_path / "secret.py").write_text('from_pretrained("deepseek-ai/DeepSeek-R1")\n')
    return repo


def test_every_bad_path_is_skipped_with_its_reason(bad_repo: Path):
    result = scan_repository(bad_repo)
    assert sorted((s.path, s.reason) for s in result.skipped) == [
        (
            "bad.json",
            "cannot parse (not valid JSON (Expecting property name enclosed in double quotes: "
            "line 1 column 27 (char 26)))",
        ),
        ("bad.yaml", "cannot parse (not valid YAML (while parsing a flow sequence))"),
        ("dangling.py", "symlink pointing outside the repository, or broken"),
        ("huge.yaml", "larger than 5 MB (52428800 bytes)"),
        ("models/fake.gguf", "GGUF header unreadable (no GGUF magic number)"),
        ("outside", "symlink pointing outside the repository, or broken"),
        ("pipe.yaml", "not a regular file"),
        ("src/broken.py", "not valid Python (line 1: invalid syntax)"),
        ("src/latin1.py", "not UTF-8 text (byte 5)"),
        ("src/loop", "symlink loop, or directory already scanned"),
        ("weights.json", "binary file (NUL bytes)"),
    ]
    found = [(f.kind, f.file, f.line, f.subject, f.hint) for f in result.findings]
    assert found == [
        ("model", "models/nameless.gguf", 0, "nameless", "name:nameless"),
        ("model", "models/qwen.gguf", 0, "Qwen2.5", "hub:Qwen"),
        ("model", "src/good.py", 2, "Qwen/Qwen3-8B", "hub:Qwen"),
    ]


def test_unreadable_file_is_skipped(bad_repo: Path, monkeypatch):
    # Tests run as root here, so chmod cannot make a file unreadable: fail the read instead.
    import splitscope.audit.scan as scan_module

    original = scan_module._read_bytes

    def deny(path: str, size: int) -> bytes:
        if path.endswith("good.py"):
            raise PermissionError(13, "Permission denied")
        return original(path, size)

    monkeypatch.setattr(scan_module, "_read_bytes", deny)
    result = scan_repository(bad_repo)
    assert ("src/good.py", "unreadable (Permission denied)") in [(s.path, s.reason) for s in result.skipped]
    assert not any(f.file == "src/good.py" for f in result.findings)


def test_gguf_metadata_is_read_from_the_header(tmp_path: Path):
    path = tmp_path / "m.gguf"
    path.write_bytes(_gguf_bytes({"general.name": "DeepSeek R1", "general.organization": "deepseek-ai"}))
    assert read_general_metadata(path) == {
        "general.name": "DeepSeek R1",
        "general.organization": "deepseek-ai",
    }
    path.write_bytes(b"GGUF")
    with pytest.raises(GGUFError):
        read_general_metadata(path)


def test_root_must_be_a_directory(tmp_path: Path):
    with pytest.raises(UnusableInputError, match="not a directory"):
        scan_repository(tmp_path / "nope")
