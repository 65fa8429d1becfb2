"""Scan a repository: walk it, send each file to its detector, collect findings and skips.

No code is executed. Files no detector reads are ignored; files a detector cannot use (binary, not
UTF-8, unparsable, unreadable, too large) are skipped with a reason and the scan goes on.
"""

from __future__ import annotations

import ast
import bisect
from pathlib import Path

from splitscope.audit.catalog import Catalog, load_catalog
from splitscope.audit.config_scan import ConfigError, scan_env_lines, scan_structured
from splitscope.audit.deps_scan import dependency_file_type, scan_dependencies
from splitscope.audit.gguf import GGUFError, read_general_metadata
from splitscope.audit.model import MODEL, Finding, ScanResult, Skipped
from splitscope.audit.python_scan import TRIGGER_WORDS, scan_python
from splitscope.audit.walk import MAX_FILE_BYTES, FileEntry, walk
from splitscope.errors import UnusableInputError

STRUCTURED = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}
RESULT_SUFFIXES = {".md", ".csv", ".tsv", ".jsonl", ".txt", ".json", ".yaml", ".yml", ".rst"}
CONFIG_TRIGGERS = ["model", "dataset", "tokenizer", "checkpoint", "llm", "embedding", "repo_id"]


class _Triggers:
    """Cheap regular-expression gates: a file is parsed only if a detector could fire on it."""

    def __init__(self, catalog: Catalog) -> None:
        names = sorted(catalog.environment) + sorted({m.split(".")[-1] for m in catalog.import_modules})
        hosts = sorted({*catalog.api_hosts, *catalog.unknown_hosts, *catalog.hub_hosts})
        # Plain substring tests: a regular-expression alternation of ~90 words is several times slower.
        self.words = tuple(TRIGGER_WORDS + names + hosts)
        self.catalog = catalog

    def python(self, text: str) -> bool:
        return any(word in text for word in self.words) or self.catalog.names_benchmark(text)

    def config(self, text: str) -> bool:
        lowered = text.lower()
        return (
            any(word in lowered for word in CONFIG_TRIGGERS)
            or any(word in text for word in self.words)
            or self.catalog.names_benchmark(text)
        )


def file_role(name: str) -> str | None:
    lowered = name.lower()
    suffix = Path(lowered).suffix
    if suffix == ".py":
        return "python"
    if suffix == ".gguf":
        return "gguf"
    if dependency_file_type(name):
        return "deps"
    if lowered == ".env" or lowered.startswith(".env.") or suffix == ".env":
        return "env"
    if lowered.startswith("dockerfile") or suffix in (".sh", ".dockerfile"):
        return "shell"
    if suffix in STRUCTURED:
        return "structured"
    if suffix in RESULT_SUFFIXES:
        return "results"
    return None


def _read_text(entry: FileEntry, result: ScanResult) -> str | None:
    try:
        data = entry.path.read_bytes()
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
    return text


def _scan_gguf(catalog: Catalog, entry: FileEntry, result: ScanResult) -> None:
    try:
        metadata = read_general_metadata(entry.path)
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


def _dispatch(catalog: Catalog, triggers: _Triggers, entry: FileEntry, role: str, result: ScanResult) -> None:
    text = _read_text(entry, result)
    if text is None:
        return
    name = Path(entry.relative).name
    try:
        if role == "python":
            if triggers.python(text):
                tree = ast.parse(text, filename=entry.relative)
                result.findings.extend(scan_python(catalog, entry.relative, text, tree))
            return
        if role == "deps":
            file_type = dependency_file_type(name) or ""
            result.findings.extend(scan_dependencies(catalog, entry.relative, file_type, text))
            if file_type == "pyproject" and triggers.config(text):
                result.findings.extend(scan_structured(catalog, entry.relative, "toml", text))
            return
        if role in ("env", "shell"):
            result.findings.extend(scan_env_lines(catalog, entry.relative, text, role))
            return
        if role == "structured" and triggers.config(text):
            kind = STRUCTURED[Path(name.lower()).suffix]
            result.findings.extend(scan_structured(catalog, entry.relative, kind, text))
        _collect_result_lines(triggers, entry.relative, text, result)
    except SyntaxError as exc:
        result.skipped.append(Skipped(entry.relative, f"not valid Python (line {exc.lineno}: {exc.msg})"))
    except (ConfigError, ValueError, RecursionError) as exc:
        result.skipped.append(Skipped(entry.relative, f"cannot parse ({str(exc).splitlines()[0][:160]})"))


def _collect_result_lines(triggers: _Triggers, relative: str, text: str, result: ScanResult) -> None:
    """Lines naming a benchmark in data and documentation files: candidates for reported results."""
    line_starts: list[int] | None = None
    seen_lines: set[int] = set()
    if not triggers.catalog.names_benchmark(text):
        return
    for match in triggers.catalog.benchmark_any.finditer(text):
        if line_starts is None:
            line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        number = bisect.bisect_right(line_starts, match.start())
        if number not in seen_lines:
            seen_lines.add(number)
            start = line_starts[number - 1]
            end = text.find("\n", start)
            line = text[start : end if end >= 0 else len(text)]
            result.result_lines.append((relative, number, line.strip()[:500]))


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
    for entry in walk(root_path, result.skipped, max_bytes):
        result.files_seen += 1
        if progress is not None and result.files_seen % 500 == 0:
            progress(result.files_seen)
        role = file_role(Path(entry.relative).name)
        if role == "gguf":
            _scan_gguf(catalog, entry, result)
        elif role is not None:
            _dispatch(catalog, triggers, entry, role, result)
    result.findings.sort(key=lambda f: (f.file, f.line, f.kind, f.subject))
    return result
