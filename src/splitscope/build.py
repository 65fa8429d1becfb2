"""`splitscope build`: ingest paper lists, then openreview-authors, then the conference CSV, then run the
post-ingestion steps (affiliation resolution, person linkage) that later stages register below.

A paper list and the openreview-authors file of the same venue-year form one unit: the authors file
attaches rows to the paper list's papers, so both are parsed together (in a worker process) and written
in one transaction. Unchanged inputs (same file stamp, or same sha256) are skipped without parsing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import duckdb
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from splitscope.errors import SplitscopeError, UnusableInputError
from splitscope.filters import Selection
from splitscope.sources import conference_csv, openreview_authors, paperlists
from splitscope.sources.reading import read_input
from splitscope.sources.rows import SourceBatch
from splitscope.store.write import FileStamp, replace_sources, stored_sha256, stored_stamp_matches

# Steps run after ingestion, in order, each `step(con) -> None`. Later stages add one line each
# (e.g. resolve_affiliations, link_persons). They must be idempotent: build runs them every time.
POST_INGEST_STEPS: list[Callable[[duckdb.DuckDBPyConnection], None]] = []

# Parsing a file takes 10-400 ms; below this many files a process pool costs more than it saves.
MIN_FILES_FOR_POOL = 8


@dataclass(frozen=True)
class Unit:
    venue: str
    year: int
    paperlist: Path
    authors: Path | None

    @property
    def label(self) -> str:
        return f"{self.venue}/{self.paperlist.name}"


@dataclass
class SourceOutcome:
    source_id: str
    action: str  # loaded | unchanged | failed
    records_read: int = 0
    papers_stored: int = 0
    records_merged: int = 0
    records_quarantined: int = 0
    message: str = ""

    @classmethod
    def loaded(cls, batch: SourceBatch) -> SourceOutcome:
        return cls(
            batch.source_id,
            "loaded",
            batch.records_read,
            batch.papers_stored,
            batch.records_merged,
            batch.records_quarantined,
        )

    @property
    def reconciles(self) -> bool:
        return self.records_read == self.papers_stored + self.records_merged + self.records_quarantined


@dataclass
class BuildSummary:
    outcomes: list[SourceOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    post_ingest_steps: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    def to_dict(self) -> dict[str, object]:
        loaded = [o for o in self.outcomes if o.action == "loaded"]
        return {
            "sources_loaded": len(loaded),
            "sources_unchanged": self.count("unchanged"),
            "sources_failed": self.count("failed"),
            "records_read": sum(o.records_read for o in loaded),
            "papers_stored": sum(o.papers_stored for o in loaded),
            "records_merged": sum(o.records_merged for o in loaded),
            "records_quarantined": sum(o.records_quarantined for o in loaded),
            "all_reconcile": all(o.reconciles for o in loaded),
            "post_ingest_steps": self.post_ingest_steps,
            "errors": self.errors,
            "sources": [o.__dict__ for o in self.outcomes],
        }


@dataclass
class UnitResult:
    unit: Unit
    paperlist: SourceBatch | None = None  # None: unchanged or failed
    authors: SourceBatch | None = None
    unchanged: bool = False
    errors: list[str] = field(default_factory=list)


def find_units(selection: Selection, mirror_dir: Path, authors_dir: Path | None) -> list[Unit]:
    units = []
    for venue, year, path in paperlists.discover_paperlists(mirror_dir):
        if selection.includes(venue, year):
            authors = openreview_authors.find_file(authors_dir, venue, year) if authors_dir else None
            units.append(Unit(venue, year, path, authors))
    return units


def unit_is_unchanged(con: duckdb.DuckDBPyConnection, unit: Unit) -> bool:
    """Cheap check (file size and mtime only): both inputs exactly as last loaded."""
    if not stored_stamp_matches(
        con, paperlists.source_id_for(unit.venue, unit.year), FileStamp.of(unit.paperlist)
    ):
        return False
    authors_id = openreview_authors.source_id_for(unit.venue, unit.year)
    if unit.authors is None:
        return stored_sha256(con, authors_id) is None
    return stored_stamp_matches(con, authors_id, FileStamp.of(unit.authors))


def parse_unit(unit: Unit, known_paperlist_sha: str | None, known_authors_sha: str | None) -> UnitResult:
    """Worker: read both files; parse only when some content changed. Never touches the store."""
    result = UnitResult(unit)
    try:
        raw = read_input(unit.paperlist, unit.label)
        raw_authors = (
            read_input(unit.authors, f"openreview-authors/{unit.venue}/{unit.authors.name}")
            if unit.authors
            else None
        )
    except UnusableInputError as exc:
        result.errors.append(str(exc))
        return result
    authors_sha = raw_authors.sha256 if raw_authors else None
    if raw.sha256 == known_paperlist_sha and authors_sha == known_authors_sha:
        result.unchanged = True
        return result
    try:
        parsed = paperlists.parse_paperlist(raw, unit.venue, unit.year)
    except UnusableInputError as exc:
        result.errors.append(str(exc))
        return result
    if raw_authors is not None:
        try:
            result.authors = openreview_authors.parse_openreview_authors(
                raw_authors, unit.venue, unit.year, parsed
            ).freeze()
        except UnusableInputError as exc:
            result.errors.append(str(exc))
    result.paperlist = parsed.batch.freeze()
    return result


def _parse_all(jobs: list[tuple[Unit, str | None, str | None]], workers: int) -> Iterator[UnitResult]:
    if workers <= 1 or len(jobs) < MIN_FILES_FOR_POOL:
        for job in jobs:
            yield parse_unit(*job)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        # biggest files first keeps both workers busy until the end
        ordered = sorted(jobs, key=lambda j: -j[0].paperlist.stat().st_size)
        yield from pool.map(parse_unit, *zip(*ordered, strict=True), chunksize=1)


def write_unit(con: duckdb.DuckDBPyConnection, result: UnitResult, summary: BuildSummary) -> bool:
    """Store one parsed unit; True when the store changed."""
    unit = result.unit
    summary.errors.extend(result.errors)
    paperlist_id = paperlists.source_id_for(unit.venue, unit.year)
    authors_id = openreview_authors.source_id_for(unit.venue, unit.year)
    if result.paperlist is None:
        action = "unchanged" if result.unchanged else "failed"
        summary.outcomes.append(SourceOutcome(paperlist_id, action, message="; ".join(result.errors)))
        if result.unchanged:  # content identical under a new stamp: remember the stamp, change nothing
            _restamp(con, unit)
        return False
    batches: list[tuple[SourceBatch, FileStamp | None]] = [(result.paperlist, FileStamp.of(unit.paperlist))]
    if result.authors is not None and unit.authors is not None:
        batches.append((result.authors, FileStamp.of(unit.authors)))
    replace_sources(con, batches, also_delete=(authors_id,))
    summary.outcomes.extend(SourceOutcome.loaded(batch) for batch, _ in batches)
    return True


def _restamp(con: duckdb.DuckDBPyConnection, unit: Unit) -> None:
    from splitscope.store.write import record_stamp

    for source_id, path in (
        (paperlists.source_id_for(unit.venue, unit.year), unit.paperlist),
        (openreview_authors.source_id_for(unit.venue, unit.year), unit.authors),
    ):
        sha = stored_sha256(con, source_id)
        if path is not None and sha is not None:
            record_stamp(con, source_id, FileStamp.of(path), sha)


def build(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    mirror_dir: Path,
    shared_dir: Path | None = None,
    progress: bool = True,
    workers: int | None = None,
) -> BuildSummary:
    """Ingest every selected paper list under `mirror_dir`, the matching openreview-authors files and the
    conference CSV from `shared_dir`, then run POST_INGEST_STEPS. Unusable files are reported in
    `summary.errors` (their previously stored rows stay); everything else is loaded."""
    if not mirror_dir.is_dir():
        raise UnusableInputError(f"{mirror_dir}: paper-list mirror directory not found")
    authors_dir = shared_dir / "openreview-authors" if shared_dir else None
    summary = BuildSummary()
    units = find_units(selection, mirror_dir, authors_dir)
    pending = []
    for unit in units:
        if unit_is_unchanged(con, unit):
            summary.outcomes.append(
                SourceOutcome(paperlists.source_id_for(unit.venue, unit.year), "unchanged")
            )
        else:
            known = (
                stored_sha256(con, paperlists.source_id_for(unit.venue, unit.year)),
                stored_sha256(con, openreview_authors.source_id_for(unit.venue, unit.year)),
            )
            pending.append((unit, *known))
    workers = workers or min(2, os.cpu_count() or 1)
    changed = False
    with _progress(progress) as bar:
        task = bar.add_task("paper lists", total=len(pending))
        for result in _parse_all(pending, workers):
            changed |= write_unit(con, result, summary)
            bar.advance(task)
    csv_path = conference_csv.find_file(shared_dir) if shared_dir else None
    if csv_path is not None:
        _load_csv(con, csv_path, selection, changed, summary)
    for step in POST_INGEST_STEPS:
        step(con)
        summary.post_ingest_steps.append(step.__name__)
    return summary


def _load_csv(
    con: duckdb.DuckDBPyConnection, path: Path, selection: Selection, force: bool, summary: BuildSummary
) -> None:
    """The CSV attaches to paper-list papers, so it is re-matched whenever any paper list was reloaded."""
    source_id = conference_csv.SOURCE_ID
    stamp = FileStamp.of(path)
    if not conference_csv.selection_covers(selection):
        return
    if not force and stored_stamp_matches(con, source_id, stamp):
        summary.outcomes.append(SourceOutcome(source_id, "unchanged"))
        return
    try:
        batch = conference_csv.parse_conference_csv(con, read_input(path, f"conference-csv/{path.name}"))
    except SplitscopeError as exc:
        summary.errors.append(str(exc))
        summary.outcomes.append(SourceOutcome(source_id, "failed", message=str(exc)))
        return
    if not force and batch.sha256 == stored_sha256(con, source_id):
        summary.outcomes.append(SourceOutcome(source_id, "unchanged"))
        return
    replace_sources(con, [(batch, stamp)])
    summary.outcomes.append(SourceOutcome.loaded(batch))


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
        transient=False,
    )
