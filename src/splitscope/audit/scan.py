"""Scan a repository: walk it, send each file to its detector, collect findings and skips.

No code is executed. Files no detector reads are ignored; files a detector cannot use (binary, not
UTF-8, unparsable, unreadable, too large) are skipped with a reason and the scan goes on.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from splitscope.audit.catalog import Catalog, load_catalog
from splitscope.audit.command_line import scan_env_lines
from splitscope.audit.config_scan import ConfigError, scan_structured
from splitscope.audit.deps_scan import dependency_file_type, scan_dependencies
from splitscope.audit.gguf import GGUFError, read_general_metadata
from splitscope.audit.js_scan import dialect_of, scan_js
from splitscope.audit.model import MODEL, Finding, ScanResult, Skipped
from splitscope.audit.notebook import scan_notebook
from splitscope.audit.python_scan import OPENAI_CLIENTS, TRIGGER_WORDS, scan_python
from splitscope.audit.structured import BudgetExceededError, LineIndex
from splitscope.audit.walk import FileEntry, walk
from splitscope.errors import UnusableInputError

# 5 MB: real configs and sources are far smaller; anything bigger is data or generated code.
MAX_FILE_BYTES = 5 * 1024 * 1024
# Seconds one structured file may take before the rest of it is given up (findings so far are kept and
# the file is listed as skipped). The large-file benchmark's slowest file takes well under a second.
FILE_BUDGET_S = 2.0
STRUCTURED = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}
# Source languages the audit does not read: counted and named in the summary, never counted as read.
NOT_ANALYSED = {
    ".go": "Go",
    ".rs": "Rust",
    ".java": "Java",
    ".kt": "Kotlin",
    ".swift": "Swift",
    ".rb": "Ruby",
    ".php": "PHP",
    ".cs": "C#",
    ".cpp": "C++",
    ".cc": "C++",
    ".hpp": "C++",
    ".c": "C",
    ".h": "C",
    ".scala": "Scala",
    ".dart": "Dart",
    ".lua": "Lua",
    ".r": "R",
    ".jl": "Julia",
    ".vue": "Vue",
    ".svelte": "Svelte",
    ".ex": "Elixir",
    ".exs": "Elixir",
    ".ps1": "PowerShell",
    ".m": "Objective-C",
}
ENV_NAMES = ("env.example", "example.env", "env.sample", ".envrc")
RESULT_SUFFIXES = {".md", ".csv", ".tsv", ".jsonl", ".txt", ".json", ".yaml", ".yml", ".rst"}
CONFIG_TRIGGERS = ["model", "dataset", "tokenizer", "checkpoint", "llm", "embedding", "repo_id"]


TOKEN = re.compile(r"[a-z0-9]+")
# bytes.translate table: ASCII letters and digits kept, everything else a space (tokens split on it).
_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")
TOKEN_TABLE = bytes(c if c in _ALNUM else 32 for c in range(256))


def byte_tokens(data: bytes) -> list[bytes]:
    """Lower-case alphanumeric tokens of raw bytes (bytes.translate: the cheapest tokeniser in Python)."""
    return data.lower().translate(TOKEN_TABLE).split()


def _key_token(word: str) -> str:
    """The longest alphanumeric token of a trigger word: any text containing the word as the detectors
    need it (an identifier, a host, a key) contains this token whole."""
    return max(TOKEN.findall(word.lower()), key=len)


class _Triggers:
    """Cheap gates: a file is parsed only if a detector could fire on it. The text is split once into
    lower-case alphanumeric tokens and intersected with the key tokens of every trigger (trigger words,
    OpenAI-compatible client classes, environment variables, SDK modules, hosts, benchmark literals)."""

    def __init__(self, catalog: Catalog) -> None:
        words = [
            *TRIGGER_WORDS,
            *OPENAI_CLIENTS,
            *catalog.providers,
            *catalog.environment,
            *catalog.import_modules,
            *catalog.api_hosts,
            *catalog.unknown_hosts,
            *catalog.hub_hosts,
            "setup",
        ]
        self.benchmark_tokens = frozenset(lit.encode() for lit in catalog.benchmark_literals)
        self.python_tokens = frozenset(_key_token(w).encode() for w in words) | self.benchmark_tokens
        self.config_tokens = self.python_tokens | {_key_token(w).encode() for w in CONFIG_TRIGGERS}
        self.config_tokens |= {_key_token(w).encode() for w in [*catalog.images, "image", "command"]}
        js_words = [
            *catalog.npm_packages,
            *catalog.providers,
            *catalog.environment,
            *catalog.api_hosts,
            "model",
        ]
        self.js_tokens = frozenset(_key_token(w).encode() for w in js_words)
        self.catalog = catalog

    def python(self, tokens: list[bytes]) -> bool:
        return not self.python_tokens.isdisjoint(tokens)

    def js(self, tokens: list[bytes]) -> bool:
        return not self.js_tokens.isdisjoint(tokens)

    def config(self, tokens: list[bytes], text: str) -> bool:
        # camelCase keys (modelName) hide "model" inside a token: substring test for the few config words.
        lowered = text.lower()
        return not self.config_tokens.isdisjoint(tokens) or any(w in lowered for w in CONFIG_TRIGGERS)


def file_role(name: str) -> str | None:
    lowered = name.lower()
    dot = lowered.rfind(".")
    suffix = lowered[dot:] if dot > 0 else ""
    if suffix == ".py":  # by far the most common case: decided first
        return "python"
    if dialect_of(lowered):
        return "js"
    if suffix == ".gguf":
        return "gguf"
    if suffix == ".ipynb":
        return "notebook"
    if dependency_file_type(name):
        return "deps"
    if lowered == ".env" or lowered.startswith(".env.") or suffix == ".env" or lowered in ENV_NAMES:
        return "env"
    if lowered.startswith(("dockerfile", "containerfile")) or suffix in (".sh", ".dockerfile", ".bash"):
        return "shell"
    if suffix in STRUCTURED:
        return "structured"
    if suffix in RESULT_SUFFIXES:
        return "results"
    if suffix in NOT_ANALYSED:
        return "not-analysed:" + NOT_ANALYSED[suffix]
    return None


class FileTooLargeError(OSError):
    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def _read_bytes(path: str, max_bytes: int) -> bytes:
    """The file's bytes, or FileTooLargeError. os.open/os.read: no buffered file object, no separate stat."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        chunks = [os.read(descriptor, max_bytes + 1)]
        total = len(chunks[0])
        while chunks[-1] and total <= max_bytes:
            chunks.append(os.read(descriptor, max_bytes + 1 - total))
            total += len(chunks[-1])
        if total > max_bytes:
            raise FileTooLargeError(os.fstat(descriptor).st_size)
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def _read_text(entry: FileEntry, result: ScanResult, max_bytes: int) -> tuple[str, bytes] | None:
    try:
        data = _read_bytes(entry.path, max_bytes)
    except FileTooLargeError as exc:
        limit = max_bytes // (1024 * 1024)
        result.skipped.append(Skipped(entry.relative, f"larger than {limit} MB ({exc.size} bytes)"))
        return None
    except OSError as exc:
        result.skipped.append(Skipped(entry.relative, f"unreadable ({exc.strerror or exc})"))
        return None
    if b"\0" in data[:8192]:
        result.skipped.append(Skipped(entry.relative, "binary file (NUL bytes)"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.skipped.append(Skipped(entry.relative, f"not UTF-8 text (byte {exc.start})"))
        return None
    result.files_read += 1
    return text, data


def _scan_gguf(catalog: Catalog, entry: FileEntry, result: ScanResult) -> None:
    try:
        metadata = read_general_metadata(Path(entry.path))
    except (OSError, GGUFError) as exc:
        result.skipped.append(Skipped(entry.relative, f"GGUF header unreadable ({exc})"))
        return
    result.files_read += 1
    organisation = metadata.get("general.organization", "")
    basename = metadata.get("general.basename") or metadata.get("general.name") or Path(entry.relative).stem
    hint = f"hub:{organisation}" if organisation else f"name:{basename}"
    evidence = ", ".join(
        f"{k}={v}"
        for k, v in sorted(metadata.items())
        if k in ("general.name", "general.basename", "general.organization", "general.license")
    )
    note = "GGUF metadata" if metadata else "GGUF file without general.* metadata; attributed by file name"
    result.findings.append(
        Finding(MODEL, entry.relative, 0, evidence or entry.relative, basename, "file:gguf", hint, note)
    )


def _dispatch(
    catalog: Catalog, triggers: _Triggers, entry: FileEntry, role: str, result: ScanResult, max_bytes: int
) -> None:
    read = _read_text(entry, result, max_bytes)
    if read is None:
        return
    text, data = read
    tokens = byte_tokens(data)
    if role == "results":
        _collect_result_lines(triggers, tokens, entry.relative, text, result)
        return
    try:
        _detect(catalog, triggers, entry, role, (text, data), tokens, result)
    except SyntaxError as exc:
        result.skipped.append(Skipped(entry.relative, f"not valid Python (line {exc.lineno}: {exc.msg})"))
    except BudgetExceededError as exc:
        result.findings.extend(exc.findings)
        reason = (
            f"time budget of {FILE_BUDGET_S:g} s exceeded: partly read, {len(exc.findings)} findings kept"
        )
        result.skipped.append(Skipped(entry.relative, reason))
    except (ConfigError, ValueError, RecursionError) as exc:
        result.skipped.append(Skipped(entry.relative, f"cannot parse ({str(exc).splitlines()[0][:160]})"))


def _detect(
    catalog: Catalog,
    triggers: _Triggers,
    entry: FileEntry,
    role: str,
    content: tuple[str, bytes],
    tokens: list[bytes],
    result: ScanResult,
) -> None:
    name = entry.relative.rsplit("/", 1)[-1]
    text, data = content
    if role == "python":
        if triggers.python(tokens):
            tree = ast.parse(text, filename=entry.relative)
            result.findings.extend(scan_python(catalog, entry.relative, text, tree))
    elif role == "js":
        if triggers.js(tokens):
            result.findings.extend(scan_js(catalog, entry.relative, data, text, dialect_of(name) or "js"))
    elif role == "notebook":
        if triggers.python(tokens):
            result.findings.extend(scan_notebook(catalog, entry.relative, text))
    elif role == "deps":
        file_type = dependency_file_type(name) or ""
        result.findings.extend(scan_dependencies(catalog, entry.relative, file_type, text))
        if file_type == "pyproject" and triggers.config(tokens, text):
            benchmarks = not triggers.benchmark_tokens.isdisjoint(tokens)
            found = scan_structured(catalog, entry.relative, "toml", text, FILE_BUDGET_S, benchmarks)
            result.findings.extend(found)
    elif role in ("env", "shell"):
        result.findings.extend(scan_env_lines(catalog, entry.relative, text, role))
    elif role == "structured":
        if triggers.config(tokens, text):
            kind = STRUCTURED[name.lower()[name.rfind(".") :]]
            benchmarks = not triggers.benchmark_tokens.isdisjoint(tokens)
            found = scan_structured(catalog, entry.relative, kind, text, FILE_BUDGET_S, benchmarks)
            result.findings.extend(found)
        _collect_result_lines(triggers, tokens, entry.relative, text, result)


def _collect_result_lines(
    triggers: _Triggers, tokens: list[bytes], relative: str, text: str, result: ScanResult
) -> None:
    """Lines naming a benchmark in data and documentation files: candidates for reported results."""
    seen_lines: set[int] = set()
    if triggers.benchmark_tokens.isdisjoint(tokens):
        return
    index = LineIndex(text)
    for match in triggers.catalog.benchmark_any.finditer(text):
        number = index.line(match.start())
        if number not in seen_lines:
            seen_lines.add(number)
            result.result_lines.append((relative, number, index.text_at(match.start()).strip()[:500]))


def scan_repository(
    root: Path | str, catalog: Catalog | None = None, max_bytes: int = MAX_FILE_BYTES, progress=None
) -> ScanResult:
    """Scan `root` (a directory) statically. `progress`: optional callable(files_seen) for a progress bar."""
    root_path = Path(root)
    if not root_path.is_dir():
        raise UnusableInputError(f"{root}: not a directory (give the repository's root folder)")
    catalog = catalog or load_catalog()
    triggers = _Triggers(catalog)
    result = ScanResult(root=str(root_path))
    for entry in walk(root_path, result.skipped):
        result.files_seen += 1
        if progress is not None and result.files_seen % 500 == 0:
            progress(result.files_seen)
        name = entry.relative.rsplit("/", 1)[-1]
        role = None if name.lower() in catalog.keys["data_files"] else file_role(name)
        if role is not None and role.startswith("not-analysed:"):
            language = role.split(":", 1)[1]
            result.not_analysed[language] = result.not_analysed.get(language, 0) + 1
        elif role == "gguf":
            _scan_gguf(catalog, entry, result)
        elif role is not None:
            _dispatch(catalog, triggers, entry, role, result, max_bytes)
    result.findings.sort(key=lambda f: (f.file, f.line, f.kind, f.subject))
    return result
