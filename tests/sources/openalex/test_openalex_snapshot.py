"""OpenAlex snapshot: hand-written works flattened to exact rows, filters, manifest checks, loading,
the DuckDB/Spark identity on a generated snapshot, and the CLI's wiring."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from splitscope.cli import app
from splitscope.config import shared_data_dir
from splitscope.engines import engine_named
from splitscope.errors import UnusableInputError
from splitscope.pipeline.openalex import ingest_snapshot
from splitscope.resolve.affiliations.resolver import default_resolver
from splitscope.sources.openalex import flatten
from splitscope.sources.openalex.flatten import TABLES, table_path
from splitscope.sources.openalex.layout import write_manifest
from splitscope.sources.openalex.query import WorkFilter

OA = "https://openalex.org/"
OLD, NEW = "2024-01-01", "2024-06-01"
SID = "openalex:snapshot:snap"


def authorship(position: str, author_id: str, name: str, raw: list[str], inst: dict[str, str], **extra: Any):
    return {
        "author_position": position,
        "author": {"id": OA + author_id, "display_name": name, "orcid": extra.get("orcid")},
        "institutions": [inst],
        "countries": [inst["country_code"]],
        "is_corresponding": extra.get("corresponding", False),
        "raw_author_name": name,
        "raw_affiliation_strings": raw,
    }


TSINGHUA = {
    "id": OA + "I99065089",
    "display_name": "Tsinghua University",
    "ror": "https://ror.org/03cve4549",
    "country_code": "CN",
    "type": "education",
}
STANFORD = {
    "id": OA + "I97018004",
    "display_name": "Stanford University",
    "ror": "https://ror.org/00f54p054",
    "country_code": "US",
    "type": "education",
}
PEKING = {
    "id": OA + "I20231570",
    "display_name": "Peking University",
    "ror": None,
    "country_code": "CN",
    "type": "education",
}

W1 = {  # a Tsinghua + Stanford paper at NeurIPS
    "id": OA + "W101",
    "doi": "https://doi.org/10.1/x",
    "title": "Scaling  laws\tfor graphs",
    "display_name": "Scaling laws for graphs",
    "publication_year": 2021,
    "publication_date": "2021-12-06",
    "type": "article",
    "primary_location": {
        "source": {"id": OA + "S4306420609", "display_name": "Neural Information Processing Systems"}
    },
    "authorships": [
        authorship(
            "first",
            "A1",
            "Li Wei",
            ["Tsinghua University, Beijing, China"],
            TSINGHUA,
            orcid="https://orcid.org/0000-0002-1825-0097",
        ),
        authorship("last", "A2", "Jane Roe", ["Stanford University, CA, USA"], STANFORD, corresponding=True),
    ],
    "concepts": [{"id": OA + "C154945302", "display_name": "Artificial intelligence"}],
    "topics": [{"id": OA + "T10028"}],
    "primary_topic": {"id": OA + "T10028"},
    "keywords": [{"display_name": "graph neural networks"}, {"display_name": "scaling"}],
    "cited_by_count": 12,
    "updated_date": "2024-01-01T00:00:00",
}
W2 = {  # no raw affiliation strings: OpenAlex's institution name stands in
    "id": OA + "W102",
    "display_name": "Only a display name",
    "publication_year": 2019,
    "type": "preprint",
    "primary_location": {"source": None},
    "authorships": [authorship("first", "A3", "Chen Jing", [], PEKING)],
    "topics": [{"id": OA + "T99999"}],
    "primary_topic": {"id": OA + "T10181"},
}
W3_OLD = {"id": OA + "W103", "title": "Old title", "publication_year": 2019, "authorships": []}
W3_NEW = {"id": OA + "W103", "title": "New title", "publication_year": 2020, "authorships": []}
W4 = {"id": OA + "W104", "title": "No year here", "authorships": []}
W5 = {"id": OA + "W105", "title": None, "display_name": "", "publication_year": 2020}


def _write_part(root: Path, entity: str, date: str, lines: list[str]) -> str:
    folder = root / "data" / entity / f"updated_date={date}"
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / "part_000.gz", "wt", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
    return f"data/{entity}/updated_date={date}/part_000.gz"


@pytest.fixture()
def snapshot(tmp_path: Path) -> Path:
    root = tmp_path / "snap"
    old = [
        json.dumps(W1),
        json.dumps(W2),
        '{"id": "https://openalex.org/W999", "title": "cut sh',
        json.dumps(W3_OLD),
        json.dumps(W4),
    ]
    new = [json.dumps(W3_NEW), "[1, 2]", "", json.dumps(W5)]
    write_manifest(
        root / "data" / "works",
        {_write_part(root, "works", OLD, old): 5, _write_part(root, "works", NEW, new): 3},
    )
    a1_old = {"id": OA + "A1", "affiliations": [{"institution": STANFORD, "years": [2018]}]}
    a1 = {
        "id": OA + "A1",
        "display_name": "Li Wei",
        "affiliations": [
            {"institution": TSINGHUA, "years": [2021, 2020]},
            {"institution": STANFORD, "years": [2018]},
        ],
    }
    a9 = {
        "id": OA + "A9",
        "affiliations": [{"institution": PEKING, "years": [2015]}],
    }  # named by no stored work
    write_manifest(
        root / "data" / "authors",
        {
            _write_part(root, "authors", OLD, [json.dumps(a1_old)]): 1,
            _write_part(root, "authors", NEW, [json.dumps(a1), json.dumps(a9)]): 2,
        },
    )
    return root


def flatten_snapshot(snapshot_dir: Path, out_dir: Path, work_filter: WorkFilter, engine: str = "duckdb"):
    return flatten.flatten_snapshot(snapshot_dir, out_dir, work_filter, engine_named(engine))


OA_BASIS = "openalex"  # the affiliation basis every OpenAlex mention carries (store/batch.py)


def rows(out: Path, table: str) -> list[tuple]:
    return duckdb.sql(f"SELECT * FROM read_parquet('{table_path(out, table)}') ORDER BY ALL").fetchall()


def test_hand_written_works_flatten_to_exact_rows(snapshot: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = flatten_snapshot(snapshot, out, WorkFilter())
    assert rows(out, "papers") == [
        (
            "openalex:W101",
            "nips",
            2021,
            "Scaling laws for graphs",
            "article",
            None,
            True,
            False,
            ["graph neural networks", "scaling"],
            None,
            SID,
            "W101",
            None,
        ),
        (
            "openalex:W102",
            "openalex:none",
            2019,
            "Only a display name",
            "preprint",
            None,
            True,
            False,
            None,
            None,
            SID,
            "W102",
            None,
        ),
        (
            "openalex:W103",
            "openalex:none",
            2020,
            "New title",
            None,
            None,
            True,
            False,
            None,
            None,
            SID,
            "W103",
            None,
        ),
    ]
    assert rows(out, "authorships") == [
        ("openalex:W101#1", "openalex:W101", 1, "Li Wei", None, "0000-0002-1825-0097", None, None, SID),
        ("openalex:W101#2", "openalex:W101", 2, "Jane Roe", None, None, None, None, SID),
        ("openalex:W102#1", "openalex:W102", 1, "Chen Jing", None, None, None, None, SID),
    ]
    assert rows(out, "affiliation_mentions") == [
        (
            "openalex:W101#1",
            1,
            "Tsinghua University, Beijing, China",
            SID,
            "raw_affiliation_strings",
            None,
            OA_BASIS,
        ),
        (
            "openalex:W101#2",
            1,
            "Stanford University, CA, USA",
            SID,
            "raw_affiliation_strings",
            None,
            OA_BASIS,
        ),
        ("openalex:W102#1", 1, "Peking University", SID, "institutions.display_name", None, OA_BASIS),
    ]
    assert rows(out, "openalex_authorships") == [
        ("openalex:W101#1", "A1", "first", False, ["CN"], SID),
        ("openalex:W101#2", "A2", "last", True, ["US"], SID),
        ("openalex:W102#1", "A3", "first", False, ["CN"], SID),
    ]
    assert rows(out, "openalex_authorship_institutions") == [
        (
            "openalex:W101#1",
            1,
            "I99065089",
            "https://ror.org/03cve4549",
            "Tsinghua University",
            "CN",
            "education",
            SID,
        ),
        (
            "openalex:W101#2",
            1,
            "I97018004",
            "https://ror.org/00f54p054",
            "Stanford University",
            "US",
            "education",
            SID,
        ),
        ("openalex:W102#1", 1, "I20231570", None, "Peking University", "CN", "education", SID),
    ]
    # A1's newest version wins; A9 is named by no stored work; A2 and A3 have no author record
    assert rows(out, "openalex_author_affiliation_years") == [
        ("A1", "I97018004", "Stanford University", "US", 2018, SID + ":authors"),
        ("A1", "I99065089", "Tsinghua University", "CN", 2020, SID + ":authors"),
        ("A1", "I99065089", "Tsinghua University", "CN", 2021, SID + ":authors"),
    ]
    quarantine = [(locator, reason) for _, locator, reason, _ in rows(out, "quarantine")]
    assert quarantine == [
        (f"data/works/updated_date={OLD}/part_000.gz:3", "not valid JSON (truncated line?)"),
        (f"data/works/updated_date={OLD}/part_000.gz:5", "no publication_year"),
        (f"data/works/updated_date={NEW}/part_000.gz:2", "not a JSON object"),
        (f"data/works/updated_date={NEW}/part_000.gz:4", "no title"),
    ]
    c = summary.counts
    assert (c["work_lines"], c["works_stored"], c["works_merged"], c["works_quarantined"]) == (8, 3, 1, 4)
    assert (summary.records_read, summary.works_filtered_out, summary.reconciles) == (8, 0, True)
    assert (c["authors_stored"], c["authors_merged"], summary.authors_not_referenced) == (1, 1, 1)
    # the manifest said 3 records for the new part: the blank line is not a record, so 3 were read
    assert summary.manifest_problems == []


def test_manifest_differences_are_reported(snapshot: Path, tmp_path: Path) -> None:
    manifest = snapshot / "data" / "works" / "manifest"
    data = json.loads(manifest.read_text())
    data["entries"][0]["meta"]["record_count"] = 7
    data["entries"].append(
        {"url": "s3://openalex/data/works/updated_date=2025-01-01/part_009.gz", "meta": {"record_count": 4}}
    )
    manifest.write_text(json.dumps(data))
    summary = flatten_snapshot(snapshot, tmp_path / "out", WorkFilter())
    assert summary.manifest_problems == [
        f"data/works/updated_date={OLD}/part_000.gz: manifest says 7 records, read 5",
        "data/works/updated_date=2025-01-01/part_009.gz: listed in the manifest (4 records) but missing",
    ]
    manifest.write_text("{not json")
    with pytest.raises(UnusableInputError, match="data/works/manifest: not a readable OpenAlex manifest"):
        flatten_snapshot(snapshot, tmp_path / "out", WorkFilter())


def test_filter_expressions_parse_and_reject() -> None:
    parsed = WorkFilter.parse(
        ["year:2018-2024", "source:S4306420609", "concept:C1,https://openalex.org/C2", "topic:t7"]
    )
    assert parsed == WorkFilter(
        (2018, 2024), frozenset({"S4306420609"}), frozenset({"C1", "C2"}), frozenset({"T7"})
    )
    assert WorkFilter.parse(["year:2020"]).years == (2020, 2020)
    for bad in ("year:20-21", "concept:T10028", "venue:nips", "year:2024-2018"):
        with pytest.raises(UnusableInputError, match="filter"):
            WorkFilter.parse([bad])


@pytest.mark.parametrize(
    ("expressions", "stored"),
    [
        (["year:2021"], ["W101"]),
        (["concept:C154945302"], ["W101"]),
        (["topic:T10181"], ["W102"]),  # primary_topic counts as well as topics[]
        (["source:S4306420609", "year:2000-2020"], []),  # kinds combine with AND
        # the newest W103 (2020) decides: its older 2019 version does not come back when 2020 is filtered out
        (["year:2019"], ["W102"]),
    ],
)
def test_filters_select_works_after_dedup(
    snapshot: Path, tmp_path: Path, expressions: list[str], stored: list[str]
):
    summary = flatten_snapshot(snapshot, tmp_path / "out", WorkFilter.parse(expressions))
    assert [r[11] for r in rows(tmp_path / "out", "papers")] == stored
    assert summary.counts["works_stored"] == len(stored)
    assert summary.records_read == len(stored) + summary.counts["works_merged"] + 4  # 4 quarantined, always
    assert summary.reconciles


def test_ingest_is_idempotent_and_reconciles_in_sources(store, snapshot: Path) -> None:
    for _ in range(2):
        summary = ingest_snapshot(store, snapshot, WorkFilter())
    assert summary.reconciles
    assert store.execute(
        "SELECT source_id, kind, records_read, papers_stored, records_merged, records_quarantined "
        "FROM sources "
        "ORDER BY source_id"
    ).fetchall() == [(SID, "openalex", 8, 3, 1, 4), (SID + ":authors", "openalex", 2, 1, 1, 0)]
    counts = {t: store.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    assert counts == {
        "papers": 3,
        "authorships": 3,
        "affiliation_mentions": 3,
        "openalex_authorships": 3,
        "openalex_authorship_institutions": 3,
        "openalex_author_affiliation_years": 3,
        "quarantine": 4,
    }


def test_a_work_another_source_holds_counts_as_merged(store, snapshot: Path) -> None:
    ingest_snapshot(store, snapshot, WorkFilter(), source_id="openalex:api:first")
    second = ingest_snapshot(store, snapshot, WorkFilter(), source_id="openalex:api:second")
    assert (second.papers_stored, second.held_elsewhere, second.records_merged, second.reconciles) == (
        0,
        3,
        4,
        True,
    )
    assert store.execute("SELECT count(*), min(source_id) FROM papers").fetchone() == (
        3,
        "openalex:api:first",
    )


def test_post_ingest_steps_resolve_openalex_affiliations(store, snapshot: Path) -> None:
    summary = ingest_snapshot(store, snapshot, WorkFilter(), resolver=default_resolver(shared_data_dir()))
    assert "resolve_affiliations" in summary.post_ingest_steps
    resolved = store.execute(
        "SELECT authorship_id, country FROM authorship_affiliations ORDER BY authorship_id"
    ).fetchall()
    assert resolved == [("openalex:W101#1", "CN"), ("openalex:W101#2", "US"), ("openalex:W102#1", "CN")]
    # our resolver's answer sits beside OpenAlex's own country for comparison
    assert store.execute(
        "SELECT count(*) FROM authorship_affiliations a JOIN openalex_authorship_institutions o "
        "USING (authorship_id) WHERE a.country = o.country_code"
    ).fetchone() == (3,)


def _generator():
    path = Path(__file__).resolve().parents[3] / "benchmarks" / "make_snapshot.py"
    spec = importlib.util.spec_from_file_location("make_snapshot", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_snapshot"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    gen = _generator()
    root = tmp_path_factory.mktemp("generated")
    stats = gen.make_snapshot(root, works=400, seed=11, rates=gen.Rates(0.02, 0.02, 0.05), part_bytes=60_000)
    return root, stats


def test_generated_snapshot_counts_match_the_generator(generated, tmp_path: Path) -> None:
    root, stats = generated
    summary = flatten_snapshot(root, tmp_path / "out", WorkFilter())
    assert stats["malformed"] > 0 and stats["duplicates"] > 0 and stats["missing_year"] > 0
    c = summary.counts
    assert c["work_lines"] == stats["works"] + stats["duplicates"]
    assert c["works_quarantined"] == stats["malformed"] + stats["missing_year"]
    assert c["works_merged"] == stats["duplicates"]
    assert c["works_stored"] == stats["works"] - stats["malformed"] - stats["missing_year"]
    assert summary.manifest_problems == [] and summary.reconciles
    assert len(list((root / "data" / "works").glob("updated_date=*"))) == 4


@pytest.mark.spark
def test_duckdb_and_spark_give_identical_tables(spark, generated, snapshot: Path, tmp_path: Path) -> None:
    for name, root in (("generated", generated[0]), ("hand", snapshot)):
        duck = flatten_snapshot(root, tmp_path / f"{name}-duckdb", WorkFilter.parse(["year:2012-2024"]))
        spark = flatten_snapshot(
            root, tmp_path / f"{name}-spark", WorkFilter.parse(["year:2012-2024"]), "spark"
        )
        assert spark.counts == duck.counts and spark.table_rows == duck.table_rows
        for table in TABLES:
            assert rows(tmp_path / f"{name}-spark", table) == rows(tmp_path / f"{name}-duckdb", table), table
    assert duck.table_rows["papers"] == 3


def test_cli_reports_a_missing_snapshot_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["openalex", "ingest-snapshot", str(tmp_path / "nope"), "--db", str(tmp_path / "s.db")]
    )
    assert result.exit_code == 2
    assert result.output.strip() == f"splitscope: {tmp_path / 'nope'}: no such snapshot directory"
    assert not (tmp_path / "s.db").exists()
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(app, ["openalex", "ingest-snapshot", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "not an OpenAlex snapshot" in result.output


def test_cli_ingests_with_filters_as_json(snapshot: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    args = [
        "openalex",
        "ingest-snapshot",
        str(snapshot),
        "--filter",
        "year:2021",
        "--db",
        str(db),
        "--json",
        "--out",
        str(tmp_path / "parquet"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["papers_stored"], data["records_quarantined"], data["works_filtered_out"]) == (1, 4, 3)
    assert data["reconciles"] and "resolve_affiliations" in data["post_ingest_steps"]
    assert (tmp_path / "parquet" / "papers.parquet").is_file()


def test_spark_engine_without_pyspark_is_a_clear_error(snapshot: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # what a missing package looks like to import
    result = CliRunner().invoke(
        app,
        ["openalex", "ingest-snapshot", str(snapshot), "--engine", "spark", "--db", str(tmp_path / "s.db")],
    )
    assert result.exit_code == 2
    assert "--engine spark needs pyspark: pip install 'splitscope[spark]'" in result.output


def test_duckdb_worker_processes_give_the_same_tables(generated, tmp_path: Path) -> None:
    """Stage A in two worker processes (one file each at a time) against one process: the same rows,
    counts and lines per file. The generated snapshot has several part files, so both workers work."""
    from splitscope.engines.duckdb import DuckDBFlatten

    root, _ = generated
    assert len(list((root / "data" / "works").rglob("*.gz"))) > 2
    one = flatten.flatten_snapshot(root, tmp_path / "one", WorkFilter(), DuckDBFlatten(workers=1))
    two = flatten.flatten_snapshot(root, tmp_path / "two", WorkFilter(), DuckDBFlatten(workers=2))
    assert one.counts == two.counts and one.table_rows == two.table_rows and two.reconciles
    for table in TABLES:
        assert rows(tmp_path / "one", table) == rows(tmp_path / "two", table), table


def test_duckdb_small_chunks_and_batches_give_the_same_tables(generated, tmp_path: Path, monkeypatch) -> None:
    """Lines cut into many chunks (lines across two blocks, the parse appended chunk by chunk) and the
    later steps run per batch of several chunks, several batches per file: the same rows as one chunk
    and one batch per file."""
    from splitscope.engines import duckdb as engine

    root, _ = generated
    whole = flatten.flatten_snapshot(root, tmp_path / "whole", WorkFilter(), engine.DuckDBFlatten(workers=1))
    calls = {"chunks": 0, "batches": 0}
    chunk, run_batch = engine._chunk, engine.StageTask._run_batch

    def counted_chunk(*args, **kwargs):
        calls["chunks"] += 1
        return chunk(*args, **kwargs)

    def counted_batch(*args, **kwargs):
        calls["batches"] += 1
        return run_batch(*args, **kwargs)

    monkeypatch.setattr(engine, "_chunk", counted_chunk)
    monkeypatch.setattr(engine.StageTask, "_run_batch", counted_batch)
    small = engine.DuckDBFlatten(workers=1, chunk_bytes=16_000, batch_bytes=40_000)
    cut = flatten.flatten_snapshot(root, tmp_path / "cut", WorkFilter(), small)
    files = len(list((root / "data" / "works").rglob("*.gz")))
    assert calls["batches"] > files and calls["chunks"] > 2 * calls["batches"], calls
    assert whole.counts == cut.counts and whole.table_rows == cut.table_rows and cut.reconciles
    for table in TABLES:
        assert rows(tmp_path / "whole", table) == rows(tmp_path / "cut", table), table
