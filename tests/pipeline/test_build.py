"""build(): idempotent, incremental, atomic replacement, unusable files keep what is stored."""

import json
import os

from splitscope.pipeline.build import build
from splitscope.selection import Selection


def write(mirror, venue, year, records, raw: bytes | None = None):
    folder = mirror / venue
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{venue}{year}.json"
    path.write_bytes(raw if raw is not None else json.dumps(records).encode())
    return path


def counts(con):
    return {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("papers", "authorships", "affiliation_mentions", "quarantine", "sources")
    }


def run(con, mirror, **kw):
    return build(con, Selection(), mirror, None, progress=False, **kw)


def test_idempotent_incremental_and_replacing(store, tmp_path):
    mirror = tmp_path / "m"
    write(mirror, "x", 2020, [{"id": "1", "title": "A", "author": "Ann; Bo", "aff": "MIT; ETH"}])
    first = run(store, mirror)
    assert first.count("loaded") == 1
    before = counts(store)
    again = run(store, mirror)
    assert again.count("loaded") == 0 and counts(store) == before

    write(mirror, "x", 2021, [{"id": "9", "title": "New", "author": "Cy"}])
    incremental = run(store, mirror)
    assert [o.source_id for o in incremental.outcomes if o.action == "loaded"] == ["paperlists:x/x2021"]

    path = write(mirror, "x", 2020, [{"id": "1", "title": "A", "author": "Ann"}, {"title": ""}])
    os.utime(path, ns=(1, 1))
    replaced = run(store, mirror)
    assert [o.source_id for o in replaced.outcomes if o.action == "loaded"] == ["paperlists:x/x2020"]
    assert store.execute("SELECT count(*) FROM authorships WHERE paper_id LIKE 'x2020:%'").fetchone() == (1,)
    assert store.execute("SELECT count(*) FROM affiliation_mentions").fetchone() == (0,)
    assert store.execute(
        "SELECT records_read, papers_stored, records_quarantined FROM sources "
        "WHERE source_id = 'paperlists:x/x2020'"
    ).fetchone() == (2, 1, 1)


def test_touched_but_identical_file_is_not_reloaded(store, tmp_path):
    mirror = tmp_path / "m"
    path = write(mirror, "x", 2020, [{"id": "1", "title": "A", "author": "Ann"}])
    run(store, mirror)
    os.utime(path, ns=(5, 5))
    summary = run(store, mirror)
    assert summary.count("loaded") == 0 and summary.count("unchanged") == 1


def test_unusable_replacement_keeps_the_stored_version(store, tmp_path):
    mirror = tmp_path / "m"
    write(mirror, "nips", 2030, [{"id": "1", "title": "A", "author": "Ann"}])
    run(store, mirror)
    before = counts(store)
    path = write(mirror, "nips", 2030, None, raw=b'[{"id": "1", "title": "A", "author": "Ann"}, {"id": ')
    os.utime(path, ns=(7, 7))
    summary = run(store, mirror)
    assert summary.errors == ["nips/nips2030.json: not valid JSON at byte 52 (truncated?)"]
    assert counts(store) == before


def test_pool_and_inline_parsing_give_the_same_store(store, tmp_path):
    from splitscope.store import connect

    mirror = tmp_path / "m"
    for year in range(2000, 2010):  # enough files for the process pool
        write(
            mirror,
            "x",
            year,
            [{"id": str(year), "title": f"T{year}", "author": "Ann; Bo", "aff": "MIT; ETH"}],
        )
    run(store, mirror, workers=1)
    pooled = connect(":memory:")
    run(pooled, mirror, workers=2)
    assert counts(pooled) == counts(store)


def write_authors(shared, venue, year, lines: bytes):
    folder = shared / "openreview-authors" / venue
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{venue}{year}.jsonl"
    path.write_bytes(lines)
    return path


def test_changed_authors_file_reloads_its_unit_and_a_broken_one_is_reported(store, tmp_path):
    mirror, shared = tmp_path / "m", tmp_path / "s"
    write(mirror, "x", 2020, [{"id": "f1", "title": "A", "author": "Ann;Bo", "aff": "MIT;"}])
    write_authors(shared, "x", 2020, b'{"id": "f1", "author": "Ann;Bo", "aff": ";ETH"}\n')
    build(store, Selection(), mirror, shared, progress=False)
    mentions = "SELECT authorship_id, affiliation, source_id FROM affiliation_mentions ORDER BY 1, 3"
    assert store.execute(mentions).fetchall() == [
        ("x2020:f1#1", "MIT", "paperlists:x/x2020"),
        ("x2020:f1#2", "ETH", "openreview-authors:x/x2020"),
    ]
    path = write_authors(shared, "x", 2020, b'{"id": "f1", "author": "Ann;Bo", "aff": ";ETH Zurich"}\n')
    os.utime(path, ns=(3, 3))
    summary = build(store, Selection(), mirror, shared, progress=False)
    assert sorted(o.source_id for o in summary.outcomes if o.action == "loaded") == [
        "openreview-authors:x/x2020",
        "paperlists:x/x2020",
    ]
    assert store.execute(mentions).fetchall()[1] == ("x2020:f1#2", "ETH Zurich", "openreview-authors:x/x2020")
    path = write_authors(shared, "x", 2020, b'{"id": "f1", "auth')
    os.utime(path, ns=(4, 4))
    summary = build(store, Selection(), mirror, shared, progress=False)
    assert summary.errors == ["openreview-authors/x/x2020.jsonl: not valid JSON at byte 18 (truncated?)"]
    assert len(store.execute(mentions).fetchall()) == 2  # nothing stored was lost
