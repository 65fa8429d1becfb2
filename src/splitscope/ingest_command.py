"""The library side of `splitscope build` and `splitscope status`: resolve paths, open the store, call
build(). Kept out of cli.py so the CLI stays thin and tests can call these directly."""

from __future__ import annotations

from pathlib import Path

from splitscope.config import load_settings, shared_data_dir
from splitscope.errors import UnusableInputError
from splitscope.pipeline.build import BuildSummary, build
from splitscope.resolve.affiliations import default_resolver
from splitscope.selection import parse_selection
from splitscope.sources.paperlists.download import fetch_paperlists
from splitscope.store import connect


def resolve_mirror(
    mirror: Path | None, shared: Path | None, cache_dir: Path, venues: str, years: str
) -> Path:
    """--mirror, else SPLITSCOPE_MIRROR, else <shared>/paperlists, else download into the cache."""
    settings = load_settings(mirror=mirror)
    if settings.mirror_dir is not None:
        return settings.mirror_dir
    if shared is not None and (shared / "paperlists").is_dir():
        return shared / "paperlists"
    return fetch_paperlists(parse_selection(venues, years), cache_dir)


def run_build(
    venues: str,
    years: str,
    mirror: Path | None,
    shared: Path | None,
    db: Path | None,
    progress: bool = True,
) -> BuildSummary:
    selection = parse_selection(venues, years)
    settings = load_settings(db=db)
    shared = shared or shared_data_dir()
    if shared is not None and not shared.is_dir():
        raise UnusableInputError(f"{shared}: --shared data directory not found")
    mirror_dir = resolve_mirror(mirror, shared, settings.cache_dir, venues, years)
    con = connect(settings.db_path)
    try:
        resolver = default_resolver(shared, settings.ror_registry_file)
        return build(con, selection, mirror_dir, shared, progress=progress, resolver=resolver)
    finally:
        con.close()
