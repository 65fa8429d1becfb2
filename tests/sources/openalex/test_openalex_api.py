"""The OpenAlex API client against a local fake API (127.0.0.1) with injected faults."""

from __future__ import annotations

import gzip
import json
from datetime import date

import duckdb
import httpx
import pytest
from openalex_fake_api import FILTER, SOURCE_ID, FakeOpenAlex

from splitscope.errors import UnusableInputError
from splitscope.sources.http import FetchError
from splitscope.sources.openalex import api as openalex
from splitscope.sources.openalex.api import fetch_openalex
from splitscope.sources.openalex.budget import budget_exhausted_reason
from splitscope.sources.openalex.query import WorksQuery

KEY = "test-key-0123456789"
QUERY = WorksQuery.parse("source", SOURCE_ID, "2018-2024")
DAY = date(2026, 3, 2)
ALL_LABELS = ["count", "works@0", "works@1", "works@2", "works@3", "authors@A1", "authors@A4", "authors@A7"]


@pytest.fixture(autouse=True)
def key_and_small_batches(monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", KEY)
    # Seven authors in batches of three: three author pages.
    monkeypatch.setattr(openalex, "AUTHOR_BATCH_SIZE", 3)


def client_for(fake, cache, sleeps, max_requests=None, mirror=None, max_retries=4):
    return openalex.make_client(
        cache,
        mirror,
        requests_per_second=0,
        max_requests=max_requests,
        base_url=fake.url if fake else openalex.API_BASE,
        max_retries=max_retries,
        backoff_base=0.01,
        timeout=0.3,
        sleep=sleeps.append,
    )


def fetch(client, out, **kwargs):
    # Two works per page: six served entries make pages of 2, 2, 2 and a final empty one.
    return fetch_openalex(client, QUERY, out, per_page=2, today=DAY, **kwargs)


def read_part_files(out, entity):
    manifest = json.loads((out / "data" / entity / "manifest").read_text())
    records = []
    for entry in manifest["entries"]:
        path = out / "data" / entry["url"].removeprefix("s3://openalex/data/")
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        assert len(lines) == entry["meta"]["record_count"]
        assert path.stat().st_size == entry["meta"]["content_length"]
        records.extend(json.loads(line) for line in lines)
    assert manifest["meta"]["record_count"] == len(records)
    return manifest, records


def test_query_filter_slug_and_bad_input():
    assert QUERY.filter == FILTER
    assert QUERY.source_id == f"openalex:api:source-{SOURCE_ID}-2018-2024"
    topic = WorksQuery.parse("topic", "https://openalex.org/T10320,t10028", "2020")
    assert topic.filter == "topics.id:T10028|T10320,publication_year:2020-2020"
    assert topic.select.endswith(",topics") and topic.slug == "topic-T10028+T10320-2020-2020"
    with pytest.raises(UnusableInputError, match="not an OpenAlex concept id like C"):
        WorksQuery.parse("concept", "S123", "2020")
    with pytest.raises(UnusableInputError, match="runs backwards"):
        WorksQuery.parse("source", "S1", "2024-2018")


def test_faults_are_recovered_and_every_page_is_fetched_once(tmp_path):
    faults = {
        "count": ["429"],
        "works@0": ["500", "cut"],
        "works@1": ["stall"],
        "works@2": ["truncate"],
        "authors@A4": ["429", "500"],
    }
    sleeps: list[float] = []
    with FakeOpenAlex(faults) as fake:
        result = fetch(client_for(fake, tmp_path / "cache", sleeps), tmp_path / "out")
    assert result.complete and result.stop_reason is None
    assert dict(fake.served_ok) == dict.fromkeys(ALL_LABELS, 1)
    assert fake.attempts["works@0"] == 3 and fake.attempts["authors@A4"] == 3
    assert fake.attempts["works@1"] == 2 and fake.attempts["works@2"] == 2  # timeout, truncated body
    assert sleeps.count(2.0) == 2  # Retry-After honoured on both 429s
    assert set(fake.api_keys) == {KEY}  # the key went with every request
    _, works = read_part_files(tmp_path / "out", "works")
    ids = [w["id"] for w in works]
    assert sorted(ids) == [f"https://openalex.org/{w}" for w in ("W1001", "W1002", "W1004", "W1005", "W3003")]
    assert result.works_written == 5 and result.duplicate_works == 1
    assert "cited_by_count" not in works[0] and "authorships" in works[0]  # select= asked only what maps
    _, authors = read_part_files(tmp_path / "out", "authors")
    assert result.authors_requested == 7 and result.authors_written == 6  # A7 merged away upstream
    li = next(a for a in authors if a["id"].endswith("/A1"))
    assert (
        li["affiliations"][1]
        == {
            "institution": li["affiliations"][1]["institution"],
            "years": [2020, 2019, 2018],
        }
        and li["affiliations"][1]["institution"]["country_code"] == "CN"
    )


def test_snapshot_layout_part_files_and_manifests(tmp_path):
    with FakeOpenAlex() as fake:
        result = fetch_openalex(
            client_for(fake, tmp_path / "cache", []), QUERY, tmp_path / "out", 2, part_records=2, today=DAY
        )
    manifest, works = read_part_files(tmp_path / "out", "works")
    urls = [e["url"] for e in manifest["entries"]]
    assert urls == [
        f"s3://openalex/data/works/updated_date=2026-03-02/part_00{i}.gz" for i in range(3)
    ]  # five works, two per part
    assert [e["meta"]["record_count"] for e in manifest["entries"]] == [2, 2, 1] and len(works) == 5
    provenance = json.loads((tmp_path / "out" / "splitscope_fetch.json").read_text())
    assert provenance["source_id"] == QUERY.source_id and provenance["works_written"] == 5
    assert not list(tmp_path.glob(".out.partial*"))
    # Fetching again (all from the cache) replaces the snapshot rather than adding a partition.
    again = fetch(client_for(None, tmp_path / "cache", []), tmp_path / "out")
    assert again.complete and again.requests_made == 0 and result.works_written == 5
    assert sorted(p.name for p in (tmp_path / "out" / "data" / "works").iterdir()) == [
        "manifest",
        "updated_date=2026-03-02",
    ]


def test_killed_run_resumes_asking_only_for_missing_pages(tmp_path):
    def crash_after_second_page(kind, index):
        if kind == "works" and index == 1:
            raise KeyboardInterrupt("killed")

    with FakeOpenAlex() as fake:
        with pytest.raises(KeyboardInterrupt):
            fetch(client_for(fake, tmp_path / "cache", []), tmp_path / "out", on_page=crash_after_second_page)
        assert set(fake.served_ok) == {"count", "works@0", "works@1"}
        assert not (tmp_path / "out").exists()  # nothing half-written where the reader looks
        resumed = client_for(fake, tmp_path / "cache", [])
        result = fetch(resumed, tmp_path / "out")
    assert result.complete
    assert dict(fake.served_ok) == dict.fromkeys(ALL_LABELS, 1)  # nothing asked twice
    assert result.requests_made == 5 and resumed.stats.cache_hits == 3  # count and pages 1-2
    _, works = read_part_files(tmp_path / "out", "works")
    assert len(works) == len({w["id"] for w in works}) == 5


def test_estimate_equals_requests_made(tmp_path):
    cache = tmp_path / "cache"
    with FakeOpenAlex() as fake:
        dry = fetch(client_for(fake, cache, []), tmp_path / "out", dry_run=True)
        assert not dry.complete and dry.stop_reason.startswith("dry run")
        assert set(fake.served_ok) == {"count"} and dry.plan.count_requests_spent == 1
        assert (dry.plan.works_pages, dry.plan.works_pages_held, dry.plan.authors_exact) == (4, 0, False)
        client = client_for(fake, cache, [])
        result = fetch(client, tmp_path / "out")
    # Works pages were exact before spending; with the works held, the whole plan is exact.
    assert result.requests_made == dry.plan.works_pages + 3
    exact = fetch(client_for(None, cache, [], mirror=cache), tmp_path / "o2", dry_run=True).plan
    assert exact.authors_exact and (exact.authors, exact.author_pages) == (7, 3)
    assert result.requests_made == exact.works_pages + exact.author_pages
    assert sum(fake.served_ok.values()) == 1 + exact.works_pages + exact.author_pages == fake.hits
    assert exact.requests_to_spend == 0
    # Works held but authors not yet: the author part is exact too, and counts what is missing.
    partial = tmp_path / "partial"
    partial.mkdir()
    for path in cache.glob("*.json"):
        if "/authors" not in json.loads(path.read_text())["url"]:
            (partial / path.name).write_text(path.read_text())
    plan = fetch(client_for(None, partial, [], mirror=partial), tmp_path / "o3", dry_run=True).plan
    assert plan.authors_exact and plan.requests_to_spend == 3


def test_missing_api_key_is_one_line_and_spends_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENALEX_API_KEY")
    missing = r"^OPENALEX_API_KEY is not set: .*--mirror DIR"
    with FakeOpenAlex() as fake, pytest.raises(FetchError, match=missing) as info:
        fetch(client_for(fake, tmp_path / "cache", []), tmp_path / "out")
    assert "\n" not in str(info.value) and fake.hits == 0


def test_mirror_makes_no_network_request_and_needs_no_key(tmp_path, monkeypatch):
    with FakeOpenAlex() as fake:
        recorded = fetch(client_for(fake, tmp_path / "rec", []), tmp_path / "out1")
    assert not any(KEY in p.read_text() for p in (tmp_path / "rec").glob("*.json"))  # key never on disk
    monkeypatch.delenv("OPENALEX_API_KEY")
    # The real API base: recordings are keyed by path and query, not host, so they replay as its answers.
    offline = client_for(None, tmp_path / "cache", [], mirror=tmp_path / "rec")
    result = fetch(offline, tmp_path / "out2")
    assert result.complete and offline.stats.network_requests == 0 and offline.stats.mirror_hits == 8
    assert result.works_written == recorded.works_written == 5
    with pytest.raises(FetchError, match="not in the mirror"):
        fetch_openalex(offline, WorksQuery.parse("source", "S1", "2018-2024"), tmp_path / "o3")


def test_spent_daily_budget_stops_cleanly_and_resumes(tmp_path):
    with FakeOpenAlex({"works@2": ["budget"]}) as fake:
        stopped = fetch(client_for(fake, tmp_path / "cache", []), tmp_path / "out")
        assert not stopped.complete and "daily budget is spent" in stopped.stop_reason
        assert fake.attempts["works@2"] == 1  # not retried: retrying cannot refill a daily budget
        assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.partial"))
        result = fetch(client_for(fake, tmp_path / "cache", []), tmp_path / "out")
    assert result.complete and dict(fake.served_ok) == dict.fromkeys(ALL_LABELS, 1)


def test_request_cap_stops_cleanly_and_resumes(tmp_path):
    with FakeOpenAlex() as fake:
        first = fetch(client_for(fake, tmp_path / "cache", [], max_requests=3), tmp_path / "out")
        assert not first.complete and "stopped after 3 requests" in first.stop_reason
        assert fake.hits == 3
        second = fetch(client_for(fake, tmp_path / "cache", [], max_requests=3), tmp_path / "out")
        assert not second.complete and fake.hits == 6
        third = fetch(client_for(fake, tmp_path / "cache", [], max_requests=3), tmp_path / "out")
    assert third.complete and fake.hits == 8 and dict(fake.served_ok) == dict.fromkeys(ALL_LABELS, 1)


def test_budget_reasons_tell_a_daily_budget_from_a_per_second_limit():
    spent = httpx.Response(429, headers={"X-RateLimit-Remaining-USD": "0"}, json={"error": "x"})
    assert budget_exhausted_reason(spent) == "X-RateLimit-Remaining-USD: 0"
    worded = httpx.Response(429, json={"error": "Too Many Requests", "message": "Daily credits used up"})
    assert budget_exhausted_reason(worded) == "Too Many Requests Daily credits used up"
    per_second = httpx.Response(429, headers={"Retry-After": "1"}, json={"message": "Rate limit exceeded"})
    assert budget_exhausted_reason(per_second) is None
    assert budget_exhausted_reason(httpx.Response(500, text="daily budget")) is None


# --- CLI: `splitscope openalex fetch` ------------------------------------------------------------------


def invoke(*args):
    from typer.testing import CliRunner

    from splitscope.cli import app

    return CliRunner().invoke(app, ["openalex", "fetch", *args])


def record(tmp_path):
    """Responses recorded from the fake at the CLI's page size, to serve as a mirror."""
    with FakeOpenAlex() as fake:
        fetch_openalex(client_for(fake, tmp_path / "rec", []), QUERY, tmp_path / "recorded-out")
    return tmp_path / "rec"


def cli_args(tmp_path, mirror, *extra):
    common = ["--source", SOURCE_ID, "--years", "2018-2024", "--cache", str(tmp_path / "c")]
    return [
        *common,
        "--mirror",
        str(mirror),
        "--out",
        str(tmp_path / "o"),
        "--db",
        str(tmp_path / "s.db"),
        *extra,
    ]


def test_cli_fetches_and_loads_into_the_store_end_to_end(tmp_path, monkeypatch):
    mirror = record(tmp_path)
    monkeypatch.delenv("OPENALEX_API_KEY")  # offline: the mirror serves every request
    result = invoke(*cli_args(tmp_path, mirror, "--json"))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["fetch"]["works_written"] == 5 and summary["ingest"]["papers_stored"] == 5
    con = duckdb.connect(str(tmp_path / "s.db"), read_only=True)
    source_id = f"openalex:api:source-{SOURCE_ID}-2018-2024"
    read, stored, merged, quarantined = con.execute(
        "select records_read, papers_stored, records_merged, records_quarantined from sources "
        "where source_id = ?",
        [source_id],
    ).fetchall()[0]
    assert read == stored + merged + quarantined and stored == 5
    # W3003's first author prints only 'Dept. of CS, Peking University, Beijing, China': our resolver
    # says CN, and OpenAlex gave no institution to compare with
    assert con.execute(
        "select a.name, aa.country from authorships a join authorship_affiliations aa using (authorship_id) "
        "where a.paper_id = 'openalex:W3003' and a.position = 1"
    ).fetchall() == [("Dan Wu", "CN")]
    # ORCIDs are hard evidence: Li Wei's two papers are one person
    assert con.execute(
        "select count(distinct ap.person_id) from authorships a "
        "join authorship_person ap using (authorship_id) where a.orcid = '0000-0001-0000-0001'"
    ).fetchall() == [(1,)]
    con.close()


def test_cli_dry_run_cap_and_bad_input(tmp_path, monkeypatch):
    from splitscope.pipeline import openalex as openalex_workflow

    with FakeOpenAlex() as fake:
        real = openalex_workflow.make_client
        monkeypatch.setattr(
            openalex_workflow,
            "make_client",
            lambda *a, **k: real(*a, base_url=fake.url, backoff_base=0.01, timeout=0.3, **k),
        )
        common = ["--source", SOURCE_ID, "--years", "2018-2024", "--cache", str(tmp_path / "c")]
        dry = invoke(*common, "--dry-run", "--json")
        assert dry.exit_code == 0, dry.output
        plan = json.loads(dry.stdout)["fetch"]["plan"]
        # The CLI's page size (100): six works fit one short page; authors are a prior until it is held.
        assert (plan["works_pages"], plan["authors_exact"], plan["authors"]) == (1, False, 12)
        assert fake.hits == 1 and not (tmp_path / "c" / "openalex" / "snapshots").exists()
        capped = invoke(*common, "--max-requests", "1")
        assert capped.exit_code == 3 and "stopped after 1 requests" in capped.output
        assert fake.hits == 2  # the count came from the cache; the works page was the one request
        monkeypatch.delenv("OPENALEX_API_KEY")
        keyless = invoke(*common)
        assert keyless.exit_code == 2 and "OPENALEX_API_KEY is not set" in keyless.output
        assert fake.hits == 2
    for bad in ([], ["--source", SOURCE_ID, "--topic", "T1"]):
        result = invoke(*bad, "--years", "2020")
        assert result.exit_code == 2 and "give exactly one of --source" in result.output
