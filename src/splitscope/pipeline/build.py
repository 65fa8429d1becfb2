"""`splitscope build`: ingest paper lists, then openreview-authors, then the conference CSV, then run the
post-ingestion steps (affiliation resolution, person linkage) that later stages register below.

A paper list and the openreview-authors file of the same venue-year form one unit: the authors file
attaches rows to the paper list's papers, so both are parsed together (in a worker process) and written
in one transaction. Unchanged inputs (same file stamp, or same sha256) are skipped without parsing.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import duckdb
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from splitscope.errors import SplitscopeError, UnusableInputError
from splitscope.resolve import steps as post_ingest_steps
from splitscope.resolve.affiliations.resolver import AffiliationResolver, default_resolver
from splitscope.selection import Selection
from splitscope.sources import conference_csv
from splitscope.sources.openreview import authors as openreview_authors
from splitscope.sources.paperlists import parse as paperlists
from splitscope.sources.reading import RawInput, read_input
from splitscope.store.batch import SourceBatch
from splitscope.store.keys import check_unique_keys
from splitscope.store.write import (
    FileStamp,
    bulk_load_settings,
    replace_sources,
    stored_sha256,
    stored_stamp_matches,
)

# Units are written in groups of about this many rows per transaction (each commit maintains the
# primary-key indexes; measured: one commit per file made writing 3x slower than parsing).
WRITE_GROUP_ROWS = 400_000
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

    @property
    def problem(self) -> UnusableInputError | None:
        """The build stored what it could; unusable files still make the command exit 2."""
        if not self.errors:
            return None
        more = f" (and {len(self.errors) - 1} more unusable files)" if len(self.errors) > 1 else ""
        return UnusableInputError(self.errors[0] + more)

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
    failed_source_id: str = ""

    @property
    def row_count(self) -> int:
        return sum(b.row_count for b in (self.paperlist, self.authors) if b is not None)


def find_units(selection: Selection, mirror_dir: Path, authors_dir: Path | None) -> list[Unit]:
    units = []
    for venue, year, path in paperlists.discover_paperlists(mirror_dir):
        if selection.includes(venue, year):
            authors = openreview_authors.find_file(authors_dir, venue, year) if authors_dir else None
            units.append(Unit(venue, year, path, authors))
    return units


@dataclass(frozen=True)
class StoredState:
    """What the store knows about its inputs, read in two queries (not three per file)."""

    stamps: dict[str, FileStamp]
    shas: dict[str, str]

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> StoredState:
        stamps = {
            row[0]: FileStamp(row[1], row[2], row[3])
            for row in con.execute("SELECT source_id, path, file_size, mtime_ns FROM source_files").fetchall()
        }
        shas = dict(con.execute("SELECT source_id, sha256 FROM sources").fetchall())
        return cls(stamps, shas)

    def unit_is_unchanged(self, unit: Unit) -> bool:
        """Cheap check (file size and mtime only): both inputs exactly as last loaded."""
        paperlist_id = paperlists.source_id_for(unit.venue, unit.year)
        if self.stamps.get(paperlist_id) != FileStamp.of(unit.paperlist):
            return False
        authors_id = openreview_authors.source_id_for(unit.venue, unit.year)
        if unit.authors is None:
            return authors_id not in self.shas
        return self.stamps.get(authors_id) == FileStamp.of(unit.authors)

    def known_shas(self, unit: Unit) -> tuple[str | None, str | None]:
        return (
            self.shas.get(paperlists.source_id_for(unit.venue, unit.year)),
            self.shas.get(openreview_authors.source_id_for(unit.venue, unit.year)),
        )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Parsing allocates millions of small acyclic lists and tuples; the cyclic collector's repeated
    scans of them cost 23% of the parse time (measured on the full corpus). Refcounting frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_unit(unit: Unit, known_paperlist_sha: str | None, known_authors_sha: str | None) -> UnitResult:
    """Worker: read both files; parse only when some content changed. Never touches the store."""
    with gc_paused():
        return _parse_unit(unit, known_paperlist_sha, known_authors_sha)


def _parse_unit(unit: Unit, known_paperlist_sha: str | None, known_authors_sha: str | None) -> UnitResult:
    paperlist_id = paperlists.source_id_for(unit.venue, unit.year)
    result = UnitResult(unit, failed_source_id=paperlist_id)
    try:
        raw = read_input(unit.paperlist, unit.label)
    except UnusableInputError as exc:
        result.errors.append(str(exc))
        return result
    raw_authors, authors_error = _read_authors(unit)
    authors_sha = raw_authors.sha256 if raw_authors else None
    if authors_error is None and (raw.sha256, authors_sha) == (known_paperlist_sha, known_authors_sha):
        result.unchanged = True
        return result
    try:
        parsed = paperlists.parse_paperlist(raw, unit.venue, unit.year)
    except UnusableInputError as exc:
        result.errors.append(str(exc))
        return result
    if raw_authors is not None and authors_error is None:
        try:
            result.authors = openreview_authors.parse_openreview_authors(
                raw_authors, unit.venue, unit.year, parsed
            ).freeze()
        except UnusableInputError as exc:
            authors_error = str(exc)
    if authors_error is not None:
        result.errors.append(authors_error)
        result.failed_source_id = openreview_authors.source_id_for(unit.venue, unit.year)
        if raw.sha256 == known_paperlist_sha:  # only the authors file broke: keep what is stored
            return result
    result.paperlist = parsed.batch.freeze()
    return result


def _read_authors(unit: Unit) -> tuple[RawInput | None, str | None]:
    if unit.authors is None:
        return None, None
    try:
        return read_input(unit.authors, f"openreview-authors/{unit.venue}/{unit.authors.name}"), None
    except UnusableInputError as exc:
        return None, str(exc)


def _parse_all(jobs: list[tuple[Unit, str | None, str | None]], workers: int) -> Iterator[UnitResult]:
    if workers <= 1 or len(jobs) < MIN_FILES_FOR_POOL:
        for job in jobs:
            yield parse_unit(*job)
        return
    # forkserver: workers start from a clean single-threaded server (fork from a process running DuckDB
    # threads is unsafe) with the parser preloaded (spawn re-imported it in every worker: ~1 s).
    context = get_context("forkserver")
    context.set_forkserver_preload(
        ["splitscope.sources.paperlists.parse", "splitscope.sources.openreview.authors"]
    )
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        # biggest files first keeps both workers busy until the end
        ordered = sorted(jobs, key=lambda j: -j[0].paperlist.stat().st_size)
        yield from pool.map(parse_unit, *zip(*ordered, strict=True), chunksize=1)


def write_units(con: duckdb.DuckDBPyConnection, results: list[UnitResult], summary: BuildSummary) -> bool:
    """Store parsed units in one transaction; True when the store changed."""
    batches: list[tuple[SourceBatch, FileStamp | None]] = []
    also_delete: list[str] = []
    for result in results:
        unit = result.unit
        summary.errors.extend(result.errors)
        if result.paperlist is None:
            action = "unchanged" if result.unchanged else "failed"
            source_id = (
                result.failed_source_id
                if action == "failed"
                else paperlists.source_id_for(unit.venue, unit.year)
            )
            summary.outcomes.append(SourceOutcome(source_id, action, message="; ".join(result.errors)))
            if result.unchanged:  # same content under a new stamp: remember the stamp, change nothing
                _restamp(con, unit)
            continue
        batches.append((result.paperlist, FileStamp.of(unit.paperlist)))
        if result.authors is not None and unit.authors is not None:
            batches.append((result.authors, FileStamp.of(unit.authors)))
        else:  # its rows hung off the replaced papers: drop its bookkeeping too
            also_delete.append(openreview_authors.source_id_for(unit.venue, unit.year))
    if not batches:
        return False
    replace_sources(con, batches, also_delete=tuple(also_delete))
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
    post_ingest: bool = True,
    resolver: AffiliationResolver | None = None,
) -> BuildSummary:
    """Ingest every selected paper list under `mirror_dir`, the matching openreview-authors files and the
    conference CSV from `shared_dir`, then run the post-ingestion steps of resolve/steps.py (unless
    `post_ingest` is False: the ingestion benchmark times ingestion alone). Unusable files are reported
    in `summary.errors` (their previously stored rows stay); everything else is loaded."""
    if not mirror_dir.is_dir():
        raise UnusableInputError(f"{mirror_dir}: paper-list mirror directory not found")
    authors_dir = shared_dir / "openreview-authors" if shared_dir else None
    summary = BuildSummary()
    units = find_units(selection, mirror_dir, authors_dir)
    stored = StoredState.load(con)
    pending = []
    for unit in units:
        if stored.unit_is_unchanged(unit):
            summary.outcomes.append(
                SourceOutcome(paperlists.source_id_for(unit.venue, unit.year), "unchanged")
            )
        else:
            pending.append((unit, *stored.known_shas(unit)))
    workers = workers or min(2, os.cpu_count() or 1)
    with bulk_load_settings(con):
        changed = _ingest_paperlists(con, pending, workers, progress, summary)
        csv_path = conference_csv.find_file(shared_dir) if shared_dir else None
        if csv_path is not None:
            _load_csv(con, csv_path, selection, changed, summary)
    check_unique_keys(con)
    if post_ingest:
        summary.post_ingest_steps = post_ingest_steps.run_post_ingest_steps(
            con, resolver or default_resolver(shared_dir)
        )
    return summary


def _ingest_paperlists(
    con: duckdb.DuckDBPyConnection,
    pending: list[tuple[Unit, str | None, str | None]],
    workers: int,
    progress: bool,
    summary: BuildSummary,
) -> bool:
    changed = False
    group: list[UnitResult] = []
    with _progress(progress) as bar:
        task = bar.add_task("paper lists", total=len(pending))
        for result in _parse_all(pending, workers):
            group.append(result)
            if sum(r.row_count for r in group) >= WRITE_GROUP_ROWS:
                changed |= write_units(con, group, summary)
                group = []
            bar.advance(task)
        changed |= write_units(con, group, summary)
    return changed


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
