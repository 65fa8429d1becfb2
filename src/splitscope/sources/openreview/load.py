"""Fetch one OpenReview venue and write it to the store in one transaction (all or nothing)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb

from splitscope.sources.http import PoliteClient
from splitscope.sources.openreview.api import fetch_accepted_notes, fetch_profiles, make_client
from splitscope.sources.openreview.records import PapersHeld, VenueLoad, parse_venue, venue_code_and_year
from splitscope.sources.text import normalise_title
from splitscope.store.batch import SourceBatch, dicts_to_table, rows_to_table
from splitscope.store.write import replace_sources

KIND = "openreview_api"


def write_venue(
    con: duckdb.DuckDBPyConnection, load: VenueLoad, tables: dict[str, list[dict[str, Any]]], uri: str
) -> None:
    """Replace this venue's earlier load in one transaction through the store's writer. Other sources'
    rows attached to its papers stay: nothing re-attaches them after an API load."""
    # Profiles already stored by another venue's load are kept there; this load adds only new ones.
    known = {
        row[0]
        for row in con.execute(
            "select profile_id from openreview_profiles where source_id <> ?", [load.source_id]
        ).fetchall()
    }
    profiles = [p for p in tables["openreview_profiles"] if p["profile_id"] not in known]
    new_ids = {p["profile_id"] for p in profiles}
    history = [h for h in tables["profile_history"] if h["profile_id"] in new_ids]
    papers = tables["papers"]
    batch = SourceBatch(
        load.source_id,
        KIND,
        papers[0]["venue"] if papers else None,
        papers[0]["year"] if papers else None,
        uri,
        sha256=None,
        bytes=None,
        records_read=load.records_read,
        papers_stored=load.papers_stored,
        records_merged=load.records_merged,
        records_quarantined=load.records_quarantined,
    )
    rows = {
        "papers": papers,
        "authorships": tables["authorships"],
        "openreview_profiles": profiles,
        "profile_history": history,
    }
    batch.tables = {name: dicts_to_table(name, found) for name, found in rows.items() if found}
    if load.quarantine:
        quarantined = [(load.source_id, locator, reason, raw) for locator, reason, raw in load.quarantine]
        batch.tables["quarantine"] = rows_to_table("quarantine", quarantined)
    replace_sources(con, [(batch, None)], keep_attached=True)


def _papers_held_elsewhere(con: duckdb.DuckDBPyConnection, venue_id: str) -> PapersHeld:
    """Paper ids and normalised titles other sources hold for this venue-year. Titles matter because some
    paper lists (NeurIPS 2024, ICML 2025) use site ids rather than OpenReview forum ids."""
    venue, year = venue_code_and_year(venue_id)
    rows = con.execute(
        "select paper_id, title from papers where venue = ? and year = ? and source_id <> ?",
        [venue, year, f"openreview-api:{venue_id}"],
    ).fetchall()
    return PapersHeld({r[0] for r in rows}, {normalise_title(r[1]) for r in rows})


def load_openreview_venue(
    con: duckdb.DuckDBPyConnection,
    venue_id: str,
    cache_dir: Path | None = None,
    mirror_dir: Path | None = None,
    client: PoliteClient | None = None,
    progress: Any = None,
    fetched_year: int | None = None,
) -> dict[str, Any]:
    """Fetch a venue's accepted papers and their authors' profiles, then store them.

    Nothing is written until everything is fetched; the response cache makes a rerun after a crash
    resume without refetching."""
    venue_code_and_year(venue_id)  # reject a malformed venue id before any request
    client = client or make_client(cache_dir, mirror_dir)
    task = progress.add_task(f"OpenReview {venue_id}", total=None) if progress else None

    def report(done: int, total: int) -> None:
        if progress:
            progress.update(task, completed=done, total=total)

    notes = fetch_accepted_notes(client, venue_id, on_page=report)
    author_ids = {
        a
        for n in notes
        if isinstance(n, dict) and isinstance(n.get("content"), dict)
        for a in (n["content"].get("authorids", {}) or {}).get("value", []) or []
        if isinstance(a, str) and a.startswith("~")
    }
    profiles = fetch_profiles(client, author_ids, on_batch=report)
    held = _papers_held_elsewhere(con, venue_id)
    load, tables = parse_venue(venue_id, notes, profiles, held, fetched_year)
    write_venue(con, load, tables, uri=f"{client.base_url}/notes?content.venueid={venue_id}")
    summary = {k: v for k, v in asdict(load).items() if k != "quarantine"}
    summary["requested_profiles"] = len(author_ids)
    summary["fetch"] = {k: v for k, v in asdict(client.stats).items() if k != "by_key"}
    return summary
