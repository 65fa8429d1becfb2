"""The conference CSV (`Conference,Year,Title,Author,Affiliation`, one row per author, byline order).

A record is one paper: the rows sharing (Conference, Year, Title). A paper already stored from a paper
list (same venue, year and normalised title) is merged, never stored twice: its CSV affiliations are
attached as mentions with this source's id to the authorship whose normalised name matches. Other
papers are stored as new papers (accepted: the CSV lists accepted papers only).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from splitscope.errors import UnusableInputError
from splitscope.selection import Selection
from splitscope.sources import text
from splitscope.sources.reading import RawInput
from splitscope.store.batch import BASIS_PAPER, SourceBatch

KIND = "conference_csv"
SOURCE_ID = "conference-csv:papers"
COLUMNS = ["Conference", "Year", "Title", "Author", "Affiliation"]
VENUE_CODES = {"NIPS": "nips", "NEURIPS": "nips", "ICML": "icml", "ICLR": "iclr"}
# The years the bundled CSV covers; used to decide whether a selection touches it before reading it.
COVERED_YEARS = (2006, 2019)


def find_file(shared_dir: Path) -> Path | None:
    folder = shared_dir / "conference-csv"
    files = sorted(folder.glob("*.csv")) + sorted(folder.glob("*.csv.gz")) if folder.is_dir() else []
    return files[0] if files else None


def selection_covers(selection: Selection) -> bool:
    return any(
        selection.includes(venue, year)
        for venue in set(VENUE_CODES.values())
        for year in range(COVERED_YEARS[0], COVERED_YEARS[1] + 1)
    )


@dataclass
class CsvPaper:
    conference: str
    year_text: str
    title: str
    first_row: int
    last_row: int = 0
    authors: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, affiliations), byline order
    raw_rows: list[str] = field(default_factory=list)
    duplicate_rows: int = 0
    nameless_rows: int = 0

    def add_row(self, name: str, affiliation: str) -> None:
        """Scrape artefacts: a repeated (author, affiliation) row is dropped; the same author with another
        affiliation is one author with two affiliations; 'None' means no affiliation."""
        affiliation = "" if affiliation == "None" else affiliation
        if not name:
            self.nameless_rows += 1
            return
        for known_name, affiliations in self.authors:
            if known_name == name:
                if affiliation in affiliations or not affiliation:
                    self.duplicate_rows += 1
                else:
                    affiliations.append(affiliation)
                return
        self.authors.append((name, [affiliation] if affiliation else []))


def read_papers(raw: RawInput) -> list[CsvPaper]:
    try:
        decoded = raw.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnusableInputError(f"{raw.label}: not UTF-8 text at byte {exc.start} (binary file?)") from None
    reader = csv.reader(io.StringIO(decoded, newline=""))
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != COLUMNS:
        found = ",".join(header or []) or "nothing"
        raise UnusableInputError(f"{raw.label}: expected columns {','.join(COLUMNS)}, found {found[:200]}")
    papers: dict[tuple[str, str, str], CsvPaper] = {}
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = (row + [""] * 5)[:5]
        key = (cells[0].strip(), cells[1].strip(), text.normalise_title(cells[2]))
        paper = papers.setdefault(key, CsvPaper(key[0], key[1], text.clean(cells[2]), row_number))
        paper.last_row = row_number
        paper.add_row(text.clean(cells[3]), text.clean(cells[4]))
        paper.raw_rows.append(",".join(row))
    return list(papers.values())


def paper_problem(paper: CsvPaper) -> str | None:
    if paper.conference.upper() not in VENUE_CODES:
        return f"unknown conference {paper.conference!r}"
    if not (paper.year_text.isdigit() and 1900 < int(paper.year_text) < 2100):
        return f"year {paper.year_text!r} is not a year"
    if not paper.title:
        return "missing title"
    if not paper.authors:
        return "no author names"
    return None


def stored_papers(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int, str], str | None]:
    """(venue, year, normalised title) → paper_id of papers other sources hold; None when ambiguous."""
    rows = con.execute(
        "SELECT venue, year, title, paper_id FROM papers WHERE venue IN ('nips', 'icml', 'iclr') "
        "AND source_id <> ?",
        [SOURCE_ID],
    ).fetchall()
    index: dict[tuple[str, int, str], str | None] = {}
    for venue, year, title, paper_id in rows:
        key = (venue, year, text.normalise_title(title))
        index[key] = None if key in index else paper_id
    return index


def stored_bylines(con: duckdb.DuckDBPyConnection, paper_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """paper_id → [(authorship_id, normalised name)] for the papers the CSV merges into."""
    if not paper_ids:
        return {}
    con.register("_csv_targets", pa.table({"paper_id": paper_ids}))
    try:
        rows = con.execute(
            "SELECT a.paper_id, a.authorship_id, a.name FROM authorships a "
            "JOIN _csv_targets t USING (paper_id) ORDER BY a.paper_id, a.position"
        ).fetchall()
    finally:
        con.unregister("_csv_targets")
    bylines: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for paper_id, authorship_id, name in rows:
        bylines[paper_id].append((authorship_id, text.normalise_name(name)))
    return bylines


def parse_conference_csv(con: duckdb.DuckDBPyConnection, raw: RawInput) -> SourceBatch:
    batch = SourceBatch(SOURCE_ID, KIND, None, None, raw.uri, raw.sha256, len(raw.data))
    papers = read_papers(raw)
    index = stored_papers(con)
    matches: dict[int, str] = {}
    for number, paper in enumerate(papers):
        batch.records_read += 1
        problem = paper_problem(paper)
        if problem is not None:
            batch.quarantine(f"rows {paper.first_row}-{paper.last_row}", problem, "\n".join(paper.raw_rows))
            continue
        key = (VENUE_CODES[paper.conference.upper()], int(paper.year_text), text.normalise_title(paper.title))
        if index.get(key):
            matches[number] = str(index[key])
        else:
            add_new_paper(batch, paper, *key[:2])
    bylines = stored_bylines(con, sorted(set(matches.values())))
    for number, paper_id in matches.items():
        batch.records_merged += 1
        merge_affiliations(batch, papers[number], paper_id, bylines.get(paper_id, []))
    return batch


def add_new_paper(batch: SourceBatch, paper: CsvPaper, venue: str, year: int) -> None:
    digest = hashlib.sha1(text.normalise_title(paper.title).encode()).hexdigest()[:12]
    paper_id = f"{venue}{year}:csv-{digest}"
    batch.rows["papers"].append(
        (paper_id, venue, year, paper.title, None, None, True, False, None, None, SOURCE_ID, None, None)
    )
    batch.papers_stored += 1
    note_dropped_rows(batch, paper)
    for position, (name, affiliations) in enumerate(paper.authors, start=1):
        authorship_id = f"{paper_id}#{position}"
        batch.rows["authorships"].append(
            (authorship_id, paper_id, position, name, None, None, None, None, SOURCE_ID)
        )
        for order, affiliation in enumerate(affiliations, start=1):
            batch.rows["affiliation_mentions"].append(
                (authorship_id, order, affiliation, SOURCE_ID, "Affiliation", None, BASIS_PAPER)
            )


def note_dropped_rows(batch: SourceBatch, paper: CsvPaper) -> None:
    if paper.duplicate_rows:
        batch.note("duplicate_author_rows", paper.duplicate_rows)
    if paper.nameless_rows:
        batch.note("rows_without_author_name", paper.nameless_rows)


def merge_affiliations(
    batch: SourceBatch, paper: CsvPaper, paper_id: str, byline: list[tuple[str, str]]
) -> None:
    """Attach each CSV affiliation to the matching stored authorship (see match_author); an
    affiliation whose author cannot be matched is kept at paper level."""
    note_dropped_rows(batch, paper)
    by_name: dict[str, str | None] = {}
    for authorship_id, name in byline:
        by_name[name] = None if name in by_name else authorship_id
    paper_order = 0
    attached: set[str] = set()
    for index, (name, affiliations) in enumerate(paper.authors):
        target = match_author(name, index, len(paper.authors), byline, by_name)
        if target in attached:  # two CSV authors on one stored author: keep the first
            target = None
        if target:
            attached.add(target)
        for order, affiliation in enumerate(affiliations, start=1):
            if target:
                batch.rows["affiliation_mentions"].append(
                    (target, order, affiliation, SOURCE_ID, "Affiliation", None, BASIS_PAPER)
                )
                batch.note("affiliations_attached")
            else:
                paper_order += 1
                batch.rows["paper_affiliation_mentions"].append(
                    (
                        paper_id,
                        paper_order,
                        affiliation,
                        SOURCE_ID,
                        "Affiliation",
                        "csv author not in byline",
                        None,
                        BASIS_PAPER,
                    )
                )
                batch.note("affiliations_kept_at_paper_level")


def match_author(
    name: str, index: int, csv_count: int, byline: list[tuple[str, str]], by_name: dict[str, str | None]
) -> str | None:
    """The stored authorship a CSV author is: the unique one with the same normalised name; else, when
    both bylines have the same length, the one at the same position if first and last name tokens agree
    (`Peter Bartlett` / `Peter L Bartlett`: the two scrapes differ in middle names)."""
    normalised = text.normalise_name(name)
    exact = by_name.get(normalised)
    if exact:
        return exact
    if csv_count != len(byline) or normalised in by_name:
        return None
    stored_id, stored_name = byline[index]
    mine, theirs = normalised.split(), stored_name.split()
    if mine and theirs and mine[0] == theirs[0] and mine[-1] == theirs[-1]:
        return stored_id
    return None
