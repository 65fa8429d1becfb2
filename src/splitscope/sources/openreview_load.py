"""Fetch one OpenReview venue and write it to the store in one transaction (all or nothing)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from splitscope.sources.openreview import (
    PapersHeld,
    VenueLoad,
    fetch_accepted_notes,
    fetch_profiles,
    make_client,
    parse_venue,
    venue_code_and_year,
)
from splitscope.sources.polite_http import PoliteClient
from splitscope.sources.text import normalise_title

_COLUMNS = {
    "papers": [
        "paper_id",
        "venue",
        "year",
        "title",
        "status",
        "track",
        "accepted",
        "top_tier",
        "keywords",
        "primary_area",
        "source_id",
        "source_paper_id",
        "openreview_forum_id",
    ],
    "authorships": [
        "authorship_id",
        "paper_id",
        "position",
        "name",
        "openreview_id",
        "orcid",
        "email_domain",
        "position_title",
        "source_id",
    ],
    "openreview_profiles": [
        "profile_id",
        "preferred_name",
        "usernames",
        "email_domains",
        "source_id",
        "fetched_year",
    ],
    "profile_history": [
        "profile_id",
        "entry_order",
        "kind",
        "degree_level",
        "position",
        "institution_name",
        "institution_domain",
        "institution_country",
        "start_year",
        "end_year",
        "country",
        "country_method",
        "source_id",
    ],
}


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=_COLUMNS[table])  # noqa: F841 - read by DuckDB's replacement scan
    con.execute(f"insert into {table} ({', '.join(_COLUMNS[table])}) select * from frame")


def _forget_source(con: duckdb.DuckDBPyConnection, source_id: str) -> None:
    """Remove what an earlier load of the same source wrote, so a reload replaces instead of duplicating."""
    con.execute("delete from authorships where source_id = ?", [source_id])
    con.execute("delete from papers where source_id = ?", [source_id])
    con.execute("delete from profile_history where source_id = ?", [source_id])
    con.execute("delete from openreview_profiles where source_id = ?", [source_id])
    con.execute("delete from quarantine where source_id = ?", [source_id])
    con.execute("delete from sources where source_id = ?", [source_id])


def write_venue(
    con: duckdb.DuckDBPyConnection, load: VenueLoad, tables: dict[str, list[dict[str, Any]]], uri: str
) -> None:
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
    con.execute("begin transaction")
    try:
        _forget_source(con, load.source_id)
        _insert(con, "papers", tables["papers"])
        _insert(con, "authorships", tables["authorships"])
        _insert(con, "openreview_profiles", profiles)
        _insert(con, "profile_history", history)
        for locator, reason, raw in load.quarantine:
            con.execute(
                "insert into quarantine (source_id, locator, reason, raw_record) values (?, ?, ?, ?)",
                [load.source_id, locator, reason, raw],
            )
        con.execute(
            "insert into sources (source_id, kind, venue, year, uri, records_read, papers_stored,"
            " records_merged, records_quarantined) values (?, 'openreview_api', ?, ?, ?, ?, ?, ?, ?)",
            [
                load.source_id,
                tables["papers"][0]["venue"] if tables["papers"] else None,
                tables["papers"][0]["year"] if tables["papers"] else None,
                uri,
                load.records_read,
                load.papers_stored,
                load.records_merged,
                load.records_quarantined,
            ],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


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
