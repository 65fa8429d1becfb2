"""Attaching a venue-year's OpenAlex works to a hand-written paper list (sources/openalex/fill.py): rows
keyed to the list's own authorships under the fill source, the unmatched listed in quarantine,
reconciliation, and a second run replacing the first."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path

from openalex_fake_api import WORKS
from typer.testing import CliRunner

from splitscope.cli import app
from splitscope.engines import engine_named
from splitscope.sources.openalex.fill import attach
from splitscope.sources.openalex.flatten import flatten_snapshot
from splitscope.sources.openalex.layout import write_manifest
from splitscope.sources.openalex.query import WorkFilter
from splitscope.store import connect
from splitscope.store.batch import SourceBatch
from splitscope.store.write import replace_sources

PAPERS = [("nips2019:a", "First Paper", ["Li Wei", "Ann Lee"]), ("nips2019:b", "Unindexed", ["Bo Chen"])]


def paper_list(con):
    batch = SourceBatch("paperlists:nips/nips2019", "paperlists", "nips", 2019, "nips2019.json", None, None)
    for pid, title, names in PAPERS:
        batch.rows["papers"].append(
            (pid, "nips", 2019, title, "Poster", None, True, False, None, None, batch.source_id, pid, None)
        )
        for k, name in enumerate(names, 1):
            batch.rows["authorships"].append(
                (f"{pid}#{k}", pid, k, name, None, None, None, None, batch.source_id)
            )
    batch.records_read = batch.papers_stored = len(PAPERS)
    replace_sources(con, [(batch, None)])


def snapshot(root: Path) -> Path:
    first = copy.deepcopy(WORKS[0])  # W1001, 2019, 'First paper': Li Wei (Tsinghua), Ann Lee (Google)
    homonym = copy.deepcopy(WORKS[0])
    homonym["id"] = "https://openalex.org/W1999"
    for authorship, name in zip(homonym["authorships"], ("Zed Alpha", "Yan Beta"), strict=True):
        authorship["author"]["display_name"] = authorship["raw_author_name"] = name
    folder = root / "data" / "works" / "updated_date=2026-03-02"
    folder.mkdir(parents=True)
    with gzip.open(folder / "part_000.gz", "wt", encoding="utf-8") as out:
        for record in (first, homonym):
            out.write(json.dumps(record) + "\n")
        out.write('{"id": "https://openalex.org/W1998", "title": "cut sh\n')  # a truncated line
    write_manifest(root / "data" / "works", {"data/works/updated_date=2026-03-02/part_000.gz": 3})
    return root


def test_attach_keys_rows_to_the_list_and_lists_the_rest(tmp_path):
    con = connect(tmp_path / "store.duckdb")
    paper_list(con)
    root = snapshot(tmp_path / "snap")
    flattened = flatten_snapshot(root, tmp_path / "flat", WorkFilter(), engine_named("duckdb"))
    for _ in range(2):  # the second run replaces the first
        summary = attach(con, "nips", 2019, flattened, root)
    assert summary.matches == [("nips2019:a", "W1001", "title")] and summary.reconciles
    assert (summary.records_read, summary.records_merged, summary.records_quarantined) == (3, 1, 2)
    assert summary.unmatched_papers == [
        ("nips2019:b", "no OpenAlex work with this title or DOI passed the author check")
    ]
    sid = "openalex-fill:nips/2019"
    assert con.execute(
        "select authorship_id, affiliation, source_field from affiliation_mentions where source_id = ? "
        "order by all",
        [sid],
    ).fetchall() == [
        ("nips2019:a#1", "Tsinghua University, Beijing", "raw_affiliation_strings"),
        ("nips2019:a#2", "Google Research, Mountain View, CA", "raw_affiliation_strings"),
    ]
    assert con.execute(
        "select authorship_id, institution_id, country_code from openalex_authorship_institutions "
        "where source_id = ? order by all",
        [sid],
    ).fetchall() == [("nips2019:a#1", "I99065089", "CN"), ("nips2019:a#2", "I1291425158", "US")]
    assert con.execute(
        "select locator, reason from quarantine where source_id = ? order by locator", [sid]
    ).fetchall() == [
        ("W1999", "title matches nips2019:a but authors differ (0 names shared)"),
        ("data/works/updated_date=2026-03-02/part_000.gz:3", "not valid JSON (truncated line?)"),
    ]
    assert con.execute("select kind, papers_stored from sources where source_id = ?", [sid]).fetchall() == [
        ("openalex_fill", 0)
    ]
    # nothing of the list's own was touched or added
    assert con.execute("select count(*) from papers").fetchone() == (2,)
    assert con.execute("select count(*) from authorships").fetchone() == (3,)
    con.close()


def test_fill_rejects_a_venue_the_map_lacks_and_a_bad_year(tmp_path):
    for target, message in (("kdd:2023", "'kdd' has no OpenAlex source"), ("nips:20x", "is not a year")):
        result = CliRunner().invoke(app, ["openalex", "fill", target, "--db", str(tmp_path / "s.db")])
        assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "s.db").exists()  # nothing was opened
