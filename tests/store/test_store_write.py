"""The one writer: replacement is idempotent, other sources' attachments go or stay as asked, a paper
another source holds is skipped and counted as merged, and Parquet streams in like Arrow."""

from __future__ import annotations

import pyarrow.parquet as pq

from splitscope.store.batch import ParquetRows, SourceBatch, rows_to_table
from splitscope.store.write import replace_sources


def batch(source_id: str, paper: str, title: str = "T") -> SourceBatch:
    made = SourceBatch(source_id, "test", "nips", 2020, f"{source_id}.json", "sha", 10)
    made.rows["papers"].append(
        (paper, "nips", 2020, title, None, None, True, False, None, None, source_id, paper, None)
    )
    made.rows["authorships"].append((f"{paper}#1", paper, 1, "A. Author", None, None, None, None, source_id))
    made.records_read = made.papers_stored = 1
    return made


def mention(source_id: str, authorship_id: str) -> SourceBatch:
    made = SourceBatch(source_id, "test", None, None, "m.csv", "sha", 1)
    made.rows["affiliation_mentions"].append((authorship_id, 1, "MIT", source_id, "aff", None, "paper"))
    return made


def count(store, sql: str) -> int:
    return store.execute(sql).fetchone()[0]


def test_replacing_is_idempotent_and_cascades_to_attachments_unless_kept(store):
    replace_sources(store, [(batch("s1", "p1"), None)])
    replace_sources(store, [(mention("csv", "p1#1"), None)])
    replace_sources(store, [(batch("s1", "p1"), None)], keep_attached=True)
    assert count(store, "select count(*) from papers") == 1
    assert count(store, "select count(*) from affiliation_mentions") == 1  # the CSV's mention stayed
    replace_sources(store, [(batch("s1", "p1"), None)])
    assert count(store, "select count(*) from affiliation_mentions") == 0  # gone with the paper tree
    assert count(store, "select count(*) from authorships") == 1
    assert count(store, "select count(*) from sources") == 2


def test_a_paper_another_source_holds_is_skipped_and_counted_as_merged(store):
    replace_sources(store, [(batch("first", "p1"), None)])
    second = batch("second", "p1", title="Other")
    written = replace_sources(store, [(second, None)], skip_held_papers=True)
    assert (written.held_elsewhere, written.rows) == (1, {"papers": 0, "authorships": 0})
    assert (second.papers_stored, second.records_merged, second.reconciles()) == (0, 1, True)
    assert store.execute("select title, source_id from papers").fetchall() == [("T", "first")]
    stored = store.execute("select papers_stored, records_merged from sources where source_id = 'second'")
    assert stored.fetchone() == (0, 1)


def test_parquet_rows_stream_in_by_column_name(store, tmp_path):
    source = batch("s1", "p1")
    path = tmp_path / "papers.parquet"
    pq.write_table(rows_to_table("papers", source.rows["papers"]), path)
    source.tables = {"papers": ParquetRows(str(path), 1)}
    written = replace_sources(store, [(source, None)])
    assert written.rows == {"papers": 1}
    assert store.execute("select paper_id, year, accepted from papers").fetchall() == [("p1", 2020, True)]
