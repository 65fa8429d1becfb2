"""`splitscope openreview fetch`: fetch one venue into the store, then the post-ingest steps (resolution,
profile evidence, linkage) and the education origin that derive from it."""

from __future__ import annotations

from typing import Any

from rich.progress import Progress

from splitscope.config import Settings
from splitscope.resolve.affiliations.resolver import default_resolver
from splitscope.resolve.profiles.education_origin import compute_education_origin
from splitscope.resolve.steps import run_post_ingest_steps
from splitscope.sources.openreview.api import make_client
from splitscope.sources.openreview.load import load_openreview_venue
from splitscope.store import connect


def fetch_venue_into_store(
    settings: Settings, venue_id: str, interval: float = 3.0, show_progress: bool = True
) -> dict[str, Any]:
    cache_dir = settings.cache_dir / "openreview"
    client = make_client(cache_dir, settings.mirror_dir, min_interval=interval)
    con = connect(settings.db_path)
    try:
        with Progress(disable=not show_progress, transient=True) as progress:
            summary = load_openreview_venue(con, venue_id, client=client, progress=progress)
        # Resolve profile institutions, add dated profile evidence, link, then the education origin.
        resolver = default_resolver(settings.shared_dir, settings.ror_registry_file)
        summary["post_ingest_steps"] = run_post_ingest_steps(con, resolver)
        summary["origin"] = compute_education_origin(con)
        return summary
    finally:
        client.close()
        con.close()
