"""Gap filling: the OpenAlex works of one venue-year (fetched in the snapshot layout and flattened as any
snapshot) attached to the paper-list papers they match, as a source of kind `openalex_fill`.

What is written, under source `openalex-fill:<venue>/<year>`, through the store's one writer:
- `affiliation_mentions` on the EXISTING paper-list authorships of matched papers: OpenAlex's raw
  affiliation strings (else its institution names), so resolution reads them like any printed
  affiliation; the paper list's own strings keep priority (resolve/affiliations/step.py ranks
  source kinds, and this one comes last);
- `openalex_authorships` and `openalex_authorship_institutions` keyed by those same authorship ids:
  OpenAlex's own institution ids and countries beside our resolver's answer;
- `quarantine`: every work that was not attached, with why (no such title, authors differ, a
  duplicate), and the flatten's unusable records.
Papers, authorships and names are not written: the paper list holds them. Reconciliation: records_read
(works lines) = records_merged (attached works and superseded versions) + records_quarantined.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from splitscope.sources.openalex.flatten import FlattenSummary, table_path
from splitscope.sources.openalex.flatten_sql import quote
from splitscope.sources.openalex.matching import (
    ListAuthor,
    ListPaper,
    MatchResult,
    OpenAlexWork,
    bare_doi,
    match_works,
)
from splitscope.store.batch import ParquetRows, SourceBatch, columns, dicts_to_table
from splitscope.store.write import replace_sources

KIND = "openalex_fill"
ATTACHED_TABLES = ("affiliation_mentions", "openalex_authorships", "openalex_authorship_institutions")


def fill_source_id(venue: str, year: int) -> str:
    return f"openalex-fill:{venue}/{year}"


@dataclass
class FillSummary:
    venue: str
    year: int
    source_id: str
    works: int = 0
    papers: int = 0
    matched: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    unmatched_works: list[tuple[str, str]] = field(default_factory=list)
    unmatched_papers: list[tuple[str, str]] = field(default_factory=list)
    unaligned_authorships: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    records_read: int = 0
    records_merged: int = 0
    records_quarantined: int = 0
    matches: list[tuple[str, str, str]] = field(default_factory=list)  # (paper id, work id, method)

    @property
    def reconciles(self) -> bool:
        return self.records_read == self.records_merged + self.records_quarantined

    def to_dict(self) -> dict[str, Any]:
        return {
            "venue": self.venue,
            "year": self.year,
            "source_id": self.source_id,
            "works": self.works,
            "papers": self.papers,
            "matched": self.matched,
            "by_method": self.by_method,
            "unaligned_authorships": self.unaligned_authorships,
            "rows": self.rows,
            "records_read": self.records_read,
            "records_merged": self.records_merged,
            "records_quarantined": self.records_quarantined,
            "reconciles": self.reconciles,
            "unmatched_works": [{"work": w, "reason": r} for w, r in self.unmatched_works],
            "unmatched_papers": [{"paper_id": p, "reason": r} for p, r in self.unmatched_papers],
        }


def list_papers(con: duckdb.DuckDBPyConnection, venue: str, year: int) -> list[ListPaper]:
    """The accepted papers of a venue-year that a paper list (not an OpenAlex load) holds, with bylines."""
    rows = con.execute(
        """select p.paper_id, p.year, p.title, p.source_paper_id,
                  list(struct_pack(id := a.authorship_id, pos := a.position, name := a.name)
                       order by a.position) filter (where a.authorship_id is not null)
           from papers p
           join sources s on s.source_id = p.source_id
           left join authorships a using (paper_id)
           where p.venue = ? and p.year = ? and p.accepted and s.kind not like 'openalex%'
           group by all order by p.paper_id""",
        [venue, year],
    ).fetchall()
    return [
        ListPaper(pid, y, title, spid, tuple(ListAuthor(a["id"], a["pos"], a["name"]) for a in authors or []))
        for pid, y, title, spid, authors in rows
    ]


def flattened_works(con: duckdb.DuckDBPyConnection, out_dir: Path, snapshot_dir: Path) -> list[OpenAlexWork]:
    """The flattened works with their authorships (DOIs read from the works files: the canonical papers
    table has no DOI column)."""
    dois = _dois(snapshot_dir)
    rows = con.execute(
        f"""select p.source_paper_id, p.year, p.title,
                   list(struct_pack(id := a.authorship_id, name := a.name) order by a.position)
                       filter (where a.authorship_id is not null)
            from read_parquet({quote(table_path(out_dir, "papers"))}) p
            left join read_parquet({quote(table_path(out_dir, "authorships"))}) a using (paper_id)
            group by all order by p.source_paper_id"""
    ).fetchall()
    return [
        OpenAlexWork(wid, year, title, dois.get(wid), tuple((a["id"], a["name"]) for a in authors or []))
        for wid, year, title, authors in rows
    ]


def _dois(snapshot_dir: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in sorted((snapshot_dir / "data" / "works").rglob("*.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # the flatten quarantines it with its place
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    doi = bare_doi(record.get("doi") if isinstance(record.get("doi"), str) else None)
                    if doi:
                        found[record["id"].rsplit("/", 1)[-1]] = doi
    return found


def attach(
    con: duckdb.DuckDBPyConnection,
    venue: str,
    year: int,
    flattened: FlattenSummary | None,
    snapshot_dir: Path | None,
) -> FillSummary:
    """Match the flattened works of `snapshot_dir` (None: OpenAlex had no works) to the venue-year's
    papers and replace the fill source's rows in one transaction."""
    source_id = fill_source_id(venue, year)
    summary = FillSummary(venue, year, source_id)
    papers = list_papers(con, venue, year)
    works: list[OpenAlexWork] = []
    if flattened is not None and snapshot_dir is not None:
        works = flattened_works(con, Path(flattened.out_dir), snapshot_dir)
    result = match_works(papers, works)
    summary.papers, summary.works, summary.matched = len(papers), len(works), len(result.matches)
    for match in result.matches:
        summary.by_method[match.method] = summary.by_method.get(match.method, 0) + 1
        summary.matches.append((match.paper_id, match.work_id, match.method))
    summary.unmatched_works, summary.unmatched_papers = result.unmatched_works, result.unmatched_papers
    summary.unaligned_authorships = result.unaligned_authorships
    batch = _batch(con, source_id, venue, year, flattened, result, works)
    summary.records_read, summary.records_merged = batch.records_read, batch.records_merged
    summary.records_quarantined = batch.records_quarantined
    written = replace_sources(con, [(batch, None)])
    summary.rows = {table: written.rows.get(table, 0) for table in (*ATTACHED_TABLES, "quarantine")}
    return summary


def _batch(
    con: duckdb.DuckDBPyConnection,
    source_id: str,
    venue: str,
    year: int,
    flattened: FlattenSummary | None,
    result: MatchResult,
    works: list[OpenAlexWork],
) -> SourceBatch:
    uri = flattened.snapshot_dir if flattened else "openalex: no works for this venue-year"
    batch = SourceBatch(source_id, KIND, venue, year, uri, None, flattened.gz_bytes if flattened else None)
    by_id = {w.work_id: w for w in works}
    unmatched = [
        {
            "source_id": source_id,
            "locator": work_id,
            "reason": reason,
            "raw_record": json.dumps(
                {
                    "title": by_id[work_id].title,
                    "year": by_id[work_id].year,
                    "authors": [name for _, name in by_id[work_id].authors],
                },
                ensure_ascii=False,
            ),  # fmt: skip
        }
        for work_id, reason in result.unmatched_works
    ]
    tables: dict[str, Any] = {}
    if flattened is not None:
        pairs = pa.table(
            {
                "openalex_authorship_id": [oa for m in result.matches for _, oa in m.authors],
                "list_authorship_id": [listed for m in result.matches for listed, _ in m.authors],
            },
            schema=pa.schema([("openalex_authorship_id", pa.string()), ("list_authorship_id", pa.string())]),
        )
        tables = _attached(con, Path(flattened.out_dir), source_id, pairs)
        quarantined = con.execute(
            f"select source_id, locator, reason, raw_record from read_parquet("
            f"{quote(table_path(Path(flattened.out_dir), 'quarantine'))})"
        ).fetchall()
        unmatched += [
            {"source_id": source_id, "locator": loc, "reason": reason, "raw_record": raw}
            for _, loc, reason, raw in quarantined
        ]
        batch.records_read = flattened.records_read
        batch.records_merged = flattened.counts["works_merged"] + len(result.matches)
    tables["quarantine"] = dicts_to_table("quarantine", unmatched)
    batch.records_quarantined = len(unmatched)
    batch.tables = tables
    return batch


def _attached(
    con: duckdb.DuckDBPyConnection, out_dir: Path, source_id: str, pairs: pa.Table
) -> dict[str, ParquetRows | pa.Table]:
    """The flattened rows of matched authorships, re-keyed to the paper-list authorship ids and the
    fill source (an OpenAlex authorship with no byline name to pair with is left out)."""
    con.register("fill_pairs", pairs)
    try:
        tables: dict[str, ParquetRows | pa.Table] = {}
        for table in ATTACHED_TABLES:
            select = ", ".join(
                "x.list_authorship_id AS authorship_id"
                if name == "authorship_id"
                else f"{quote(source_id)} AS source_id"
                if name == "source_id"
                else f"t.{name}"
                for name in columns(table)
            )
            tables[table] = con.sql(
                f"select {select} from read_parquet({quote(table_path(out_dir, table))}) t "
                "join fill_pairs x on x.openalex_authorship_id = t.authorship_id"
            ).to_arrow_table()
        return tables
    finally:
        con.unregister("fill_pairs")
