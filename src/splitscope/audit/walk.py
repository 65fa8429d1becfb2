"""Walk a repository safely: which files to read, and every skipped path with its reason.

Never follows a symlink out of the repository or into a loop, skips vendored installs (site-packages,
virtualenvs, node_modules) and VCS metadata. Nothing here reads or even stats files: sizes are checked
when a file is read (scan.py), so files no detector wants cost nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from splitscope.audit.model import Skipped

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
    path: str  # absolute (plain strings: pathlib costs more than the scan of a small file)
    relative: str  # forward slashes, relative to the root


def _dir_skip_reason(entry: os.DirEntry[str]) -> str | None:
    if entry.name in VCS_AND_CACHES:
        return None  # skipped silently: never part of the code under audit
    if entry.name in VENDORED:
        return f"vendored third-party code ({entry.name})"
    if os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
        return "virtual environment (has pyvenv.cfg)"
    return ""


def _inside(root_real: str, path: str) -> bool:
    try:
        real = os.path.realpath(path, strict=True)
    except OSError:
        return False
    return real == root_real or real.startswith(root_real + os.sep)


def walk(root: Path, skipped: list[Skipped]) -> Iterator[FileEntry]:
    """Yield the files under `root` worth classifying; append every skip (with reason) to `skipped`."""
    root_real = os.path.realpath(root)
    prefix = len(root_real) + 1
    visited_dirs = {root_real}
    stack = [root_real]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            relative = directory[prefix:].replace(os.sep, "/") or "."
            skipped.append(Skipped(relative, f"unreadable directory ({exc.strerror})"))
            continue
        for entry in entries:
            relative = entry.path[prefix:].replace(os.sep, "/")
            symlink = entry.is_symlink()
            if symlink and not _inside(root_real, entry.path):
                skipped.append(Skipped(relative, "symlink pointing outside the repository, or broken"))
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                _enter(entry, relative, symlink, visited_dirs, stack, skipped)
                continue
            file_entry = _file_entry(entry, relative, skipped)
            if file_entry is not None:
                yield file_entry


def _enter(
    entry: os.DirEntry[str],
    relative: str,
    symlink: bool,
    visited: set[str],
    stack: list[str],
    skipped: list[Skipped],
) -> None:
    real = os.path.realpath(entry.path) if symlink else entry.path
    if real in visited:
        skipped.append(Skipped(relative, "symlink loop, or directory already scanned"))
        return
    reason = _dir_skip_reason(entry)
    if reason:
        skipped.append(Skipped(relative, reason))
    elif reason == "":
        visited.add(real)
        stack.append(entry.path)


def _file_entry(entry: os.DirEntry[str], relative: str, skipped: list[Skipped]) -> FileEntry | None:
    try:
        regular = entry.is_file()  # from the directory listing (d_type): no system call per file
    except OSError as exc:
        skipped.append(Skipped(relative, f"cannot stat ({exc.strerror})"))
        return None
    if not regular:
        skipped.append(Skipped(relative, "not a regular file"))
        return None
    return FileEntry(entry.path, relative)
