"""`splitscope build`: ingest paper lists with their openreview-authors files (pipeline/units.py), then
the conference CSV, then run the post-ingestion steps (affiliation resolution, person linkage, …).

The store remembers whether the last build completed (`pipeline_state`): a build that follows an
interrupted one relinks persons in full, so that it ends with exactly the store a clean build gives.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from splitscope.errors import SplitscopeError, UnusableInputError
from splitscope.pipeline.units import StoredState, Unit, UnitResult, find_units, parse_all
from splitscope.resolve import steps as post_ingest_steps
from splitscope.resolve.affiliations.resolver import AffiliationResolver, default_resolver
from splitscope.selection import Selection
from splitscope.sources import conference_csv
from splitscope.sources.openreview import authors as openreview_authors
from splitscope.sources.paperlists import parse as paperlists
from splitscope.sources.reading import read_input
from splitscope.store.batch import SourceBatch
from splitscope.store.keys import check_unique_keys
from splitscope.store.state import BUILD_COMPLETE, BUILD_RUNNING, forget_person_links, read_state, write_state
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
    relinked_in_full: str = ""  # why persons were relinked from nothing ('' when they were not)

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
            "relinked_in_full": self.relinked_in_full,
            "errors": self.errors,
            "sources": [o.__dict__ for o in self.outcomes],
        }


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
    full: bool = False,
) -> BuildSummary:
    """Ingest every selected paper list under `mirror_dir`, the matching openreview-authors files and the
    conference CSV from `shared_dir`, then run the post-ingestion steps of resolve/steps.py (unless
    `post_ingest` is False: the ingestion benchmark times ingestion alone). Unusable files are reported
    in `summary.errors` (their previously stored rows stay); everything else is loaded.

    Persons are relinked in full (as a clean build links them) when `full` is set or the last build did
    not complete; otherwise new records join the persons already linked (resolve/persons/step.py)."""
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
    interrupted = read_state(con, "build") == BUILD_RUNNING
    write_state(con, "build", BUILD_RUNNING)
    with bulk_load_settings(con):
        changed = _ingest_paperlists(con, pending, workers, progress, summary)
        csv_path = conference_csv.find_file(shared_dir) if shared_dir else None
        if csv_path is not None:
            _load_csv(con, csv_path, selection, changed, summary)
    check_unique_keys(con)
    if post_ingest:
        if full or interrupted:
            forget_person_links(con)
            summary.relinked_in_full = "asked (--full)" if full else "the last build did not complete"
        summary.post_ingest_steps = post_ingest_steps.run_post_ingest_steps(
            con, resolver or default_resolver(shared_dir)
        )
        write_state(con, "build", BUILD_COMPLETE)
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
        for result in parse_all(pending, workers):
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
