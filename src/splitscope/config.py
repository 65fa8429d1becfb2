"""Paths and settings, from explicit arguments first, then SPLITSCOPE_* environment variables."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "splitscope.duckdb"
DEFAULT_CACHE = ".splitscope-cache"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


@dataclass(frozen=True)
class Settings:
    db_path: Path
    cache_dir: Path
    mirror_dir: Path | None
    engine: str = "duckdb"

    def source_cache(self, source: str) -> Path:
        """A source's own folder under the cache root: its responses (the resume checkpoint) and what
        it derives from them, e.g. `.splitscope-cache/openalex/`."""
        return self.cache_dir / source


def load_settings(
    db: Path | str | None = None,
    cache: Path | str | None = None,
    mirror: Path | str | None = None,
    engine: str | None = None,
) -> Settings:
    return Settings(
        db_path=Path(db) if db else (_env_path("SPLITSCOPE_DB") or Path(DEFAULT_DB)),
        cache_dir=Path(cache) if cache else (_env_path("SPLITSCOPE_CACHE") or Path(DEFAULT_CACHE)),
        mirror_dir=Path(mirror) if mirror else _env_path("SPLITSCOPE_MIRROR"),
        engine=engine or os.environ.get("SPLITSCOPE_ENGINE", "duckdb"),
    )


# `splitscope build --shared DIR` sets this for the steps it runs (they take only a connection).
_shared_override: ContextVar[Path | None] = ContextVar("shared_override", default=None)


@contextmanager
def using_shared_dir(path: Path | None) -> Iterator[None]:
    token = _shared_override.set(path)
    try:
        yield
    finally:
        _shared_override.reset(token)


def shared_data_dir() -> Path | None:
    """The ../shared/data bundle, if present: the directory `build --shared` was given, else
    SPLITSCOPE_SHARED, else ../shared/data beside the repository (or the working directory)."""
    override = _shared_override.get()
    if override is not None:
        return override if override.is_dir() else None
    env = _env_path("SPLITSCOPE_SHARED")
    if env:
        return env if env.is_dir() else None
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if (parent / "pyproject.toml").exists() and candidate.is_dir():
            return candidate
    cwd_candidate = Path.cwd().parent / "shared" / "data"
    return cwd_candidate if cwd_candidate.is_dir() else None
