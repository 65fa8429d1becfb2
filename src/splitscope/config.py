"""Paths and settings, from explicit arguments first, then SPLITSCOPE_* environment variables.

Settings are passed down as arguments: no module keeps a path in a global or a context variable.
"""

from __future__ import annotations

import os
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
    shared_dir: Path | None = None  # the data bundle (../shared/data): reference lists, enrichment files

    def source_cache(self, source: str) -> Path:
        """A source's own folder under the cache root: its responses (the resume checkpoint) and what
        it derives from them, e.g. `.splitscope-cache/openalex/`."""
        return self.cache_dir / source

    @property
    def ror_registry_file(self) -> Path:
        """Where `splitscope orgs import-ror` writes by default and resolution looks for it."""
        return self.cache_dir / "orgs" / "ror.yaml"


def load_settings(
    db: Path | str | None = None,
    cache: Path | str | None = None,
    mirror: Path | str | None = None,
    shared: Path | str | None = None,
) -> Settings:
    return Settings(
        db_path=Path(db) if db else (_env_path("SPLITSCOPE_DB") or Path(DEFAULT_DB)),
        cache_dir=Path(cache) if cache else (_env_path("SPLITSCOPE_CACHE") or Path(DEFAULT_CACHE)),
        mirror_dir=Path(mirror) if mirror else _env_path("SPLITSCOPE_MIRROR"),
        shared_dir=Path(shared) if shared else shared_data_dir(),
    )


def shared_data_dir() -> Path | None:
    """The ../shared/data bundle, if present: SPLITSCOPE_SHARED, else ../shared/data beside the
    repository (or beside the working directory)."""
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
