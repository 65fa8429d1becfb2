"""Walk a repository safely: which files to read, and every skipped path with its reason.

Never follows a symlink out of the repository or into a loop, skips vendored installs (site-packages,
virtualenvs, node_modules), VCS metadata and oversized files. Nothing here reads file contents.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from splitscope.audit.model import Skipped

# 5 MB: real configs and sources are far smaller; anything bigger is data or generated code.
MAX_FILE_BYTES = 5 * 1024 * 1024
VCS_AND_CACHES = {
    ".git",
    ".hg",
    ".svn",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    ".nox",
    ".ipynb_checkpoints",
}
VENDORED = {"site-packages", "dist-packages", "node_modules", "__pypackages__", ".venv"}


@dataclass(frozen=True)
class FileEntry:
    path: Path  # absolute
    relative: str  # forward slashes, relative to the root
    size: int


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _dir_skip_reason(entry: os.DirEntry[str]) -> str | None:
    if entry.name in VCS_AND_CACHES:
        return None  # skipped silently: never part of the code under audit
    if entry.name in VENDORED:
        return f"vendored third-party code ({entry.name})"
    if os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
        return "virtual environment (has pyvenv.cfg)"
    return ""


def _resolved_inside(root_real: Path, path: str) -> Path | None:
    try:
        real = Path(os.path.realpath(path, strict=True))
    except OSError:
        return None
    return real if real == root_real or root_real in real.parents else None


def walk(root: Path, skipped: list[Skipped], max_bytes: int = MAX_FILE_BYTES) -> Iterator[FileEntry]:
    """Yield the files under `root` worth classifying; append every skip (with reason) to `skipped`."""
    root_real = Path(os.path.realpath(root))
    visited_dirs = {root_real}
    stack = [root_real]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(
                Skipped(_relative(root_real, directory) or ".", f"unreadable directory ({exc.strerror})")
            )
            continue
        for entry in entries:
            relative = _relative(root_real, Path(entry.path))
            if entry.is_symlink() and _resolved_inside(root_real, entry.path) is None:
                skipped.append(Skipped(relative, "symlink pointing outside the repository, or broken"))
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                real = Path(os.path.realpath(entry.path))
                if real in visited_dirs:
                    skipped.append(Skipped(relative, "symlink loop, or directory already scanned"))
                    continue
                reason = _dir_skip_reason(entry)
                if reason:
                    skipped.append(Skipped(relative, reason))
                elif reason == "":
                    visited_dirs.add(real)
                    stack.append(Path(entry.path))
                continue
            yield from _file_entry(entry, relative, skipped, max_bytes)


def _file_entry(
    entry: os.DirEntry[str], relative: str, skipped: list[Skipped], max_bytes: int
) -> Iterator[FileEntry]:
    try:
        stat = entry.stat()
    except OSError as exc:
        skipped.append(Skipped(relative, f"cannot stat ({exc.strerror})"))
        return
    if not entry.is_file():
        skipped.append(Skipped(relative, "not a regular file"))
        return
    # GGUF weights are only header-read (a few KB), so their size does not matter.
    if stat.st_size > max_bytes and not entry.name.lower().endswith(".gguf"):
        skipped.append(
            Skipped(relative, f"larger than {max_bytes // (1024 * 1024)} MB ({stat.st_size} bytes)")
        )
        return
    yield FileEntry(Path(entry.path), relative, stat.st_size)
