"""The OpenAlex snapshot → canonical Parquet (this module) → the store (load.py).

The flatten is the engine-neutral plan of flatten_sql.py, run by an engine the caller chooses
(splitscope.engines; pipeline/openalex.py picks it by name). On DuckDB (default) the works files are read
in chunks of decompressed lines, each chunk flattened and staged as Parquet, so memory stays at the chunk
size and DuckDB's memory_limit whatever the snapshot size; stage B then drops superseded versions over
the staged files (DuckDB spills to disk past the limit). On Spark (engines/spark.py) the same SQL runs
over all files at once.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from splitscope.sources.openalex import flatten_sql as q
from splitscope.sources.openalex.layout import read_snapshot
from splitscope.sources.openalex.query import WorkFilter
from splitscope.sources.openalex.record_schema import work_schema
from splitscope.sources.openalex.venues import venue_of_source

TABLES = q.OUTPUT_TABLES


def venue_sql() -> str:
    """papers.venue: the papercopilot code for a source id of the venue map, else 'openalex:S…'. Over
    `venue_source`, the short source id the papers step computes once: `CASE x WHEN` repeats x in every
    WHEN, and binding 21 copies of the id cut cost 10 ms a chunk (measured)."""
    source = "venue_source"
    cases = " ".join(f"WHEN {q.quote(s)} THEN {q.quote(v)}" for s, v in sorted(venue_of_source().items()))
    # a work with no primary source (many preprints) still needs a venue: papers.venue is NOT NULL
    fallback = f"coalesce('openalex:' || {source}, 'openalex:none')"
    return f"CASE {source} {cases} ELSE {fallback} END" if cases else fallback


def make_plan(work_filter: WorkFilter, source_id: str, with_authors: bool) -> q.FlattenPlan:
    return q.FlattenPlan(
        q.work_stage_a(work_filter.sql(), venue_sql(), source_id),
        q.author_stage_a(authors_source_id(source_id)) if with_authors else [],
        q.stage_b_steps(with_authors),
        q.final_tables_sql(with_authors),
        q.counts_sql(with_authors),
        with_authors,
        work_schema(bool(work_filter.concept_ids), bool(work_filter.topic_ids)),
    )


def default_source_id(snapshot_dir: Path) -> str:
    return f"openalex:snapshot:{snapshot_dir.resolve().name}"


def authors_source_id(source_id: str) -> str:
    return f"{source_id}:authors"


@dataclass
class FlattenSummary:
    """Works: work_lines = works_quarantined + work_versions, and every version is stored, merged (a
    newer version of the same work is stored) or filtered out. The sources row's records_read is
    work_lines minus the filtered-out ones, so it reconciles as stored + merged + quarantined."""

    source_id: str
    engine: str
    snapshot_dir: str
    out_dir: str
    files: int
    gz_bytes: int
    counts: dict[str, int]
    table_rows: dict[str, int]
    manifest_problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def works_filtered_out(self) -> int:
        return self.counts["work_versions"] - self.counts["works_stored"] - self.counts["works_merged"]

    @property
    def records_read(self) -> int:
        return self.counts["work_lines"] - self.works_filtered_out

    @property
    def authors_not_referenced(self) -> int:
        c = self.counts
        return c["author_versions"] - c["authors_stored"] - c["authors_merged"]

    @property
    def reconciles(self) -> bool:
        c = self.counts
        return (
            c["work_lines"] == c["works_quarantined"] + c["work_versions"]
            and c["author_lines"] == c["authors_quarantined"] + c["author_versions"]
            and self.table_rows.get("papers", 0) == c["works_stored"]
            and self.table_rows.get("quarantine", 0) == c["works_quarantined"] + c["authors_quarantined"]
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            records_read=self.records_read,
            works_filtered_out=self.works_filtered_out,
            authors_not_referenced=self.authors_not_referenced,
            reconciles=self.reconciles,
        )
        return data


def table_path(out_dir: Path, table: str) -> str:
    """The Parquet of one table as DuckDB reads it: a file (DuckDB engine) or a folder of parts (Spark)."""
    folder = out_dir / table
    return str(folder / "*.parquet") if folder.is_dir() else str(out_dir / f"{table}.parquet")


def flatten_snapshot(
    snapshot_dir: Path,
    out_dir: Path,
    work_filter: WorkFilter,
    engine: q.FlattenEngine,
    *,
    source_id: str | None = None,
    progress: q.Progress | None = None,
) -> FlattenSummary:
    """Write out_dir/<table>.parquet (DuckDB) or out_dir/<table>/ (Spark) for every canonical and
    openalex_* table, plus out_dir/summary.json. The engine (splitscope.engines) runs the plan."""
    started = time.perf_counter()
    snapshot = read_snapshot(snapshot_dir)
    source_id = source_id or default_source_id(snapshot_dir)
    plan = make_plan(work_filter, source_id, snapshot.authors is not None)
    _clear_outputs(out_dir)
    counts, lines = engine.flatten(snapshot, plan, out_dir, progress)
    problems = snapshot.works.manifest_problems(lines)
    if snapshot.authors is not None:
        problems += snapshot.authors.manifest_problems(lines)
    summary = FlattenSummary(
        source_id=source_id,
        engine=engine.name,
        snapshot_dir=str(snapshot_dir.resolve()),
        out_dir=str(out_dir.resolve()),
        files=len(snapshot.works.files) + (len(snapshot.authors.files) if snapshot.authors else 0),
        gz_bytes=snapshot.gz_bytes,
        counts=counts,
        table_rows=count_rows(out_dir),
        manifest_problems=problems,
        seconds=round(time.perf_counter() - started, 3),
    )
    (out_dir / "summary.json").write_text(json.dumps(summary.to_dict(), indent=2), encoding="utf-8")
    return summary


def _clear_outputs(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        shutil.rmtree(out_dir / table, ignore_errors=True)
        (out_dir / f"{table}.parquet").unlink(missing_ok=True)
    for scratch in ("_staged", "_tmp"):
        shutil.rmtree(out_dir / scratch, ignore_errors=True)


def count_rows(out_dir: Path) -> dict[str, int]:
    """Rows per output table, from the Parquet footers (no data read)."""
    con = duckdb.connect()
    try:
        return {
            table: int(
                con.execute(
                    "SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(?)",
                    [table_path(out_dir, table)],
                ).fetchone()[0]  # type: ignore[index]
            )
            for table in TABLES
            if (out_dir / table).is_dir() or (out_dir / f"{table}.parquet").is_file()
        }
    finally:
        con.close()
