"""build(): idempotent, incremental, atomic replacement, unusable files keep what is stored."""

import json
import os

from splitscope.build import build
from splitscope.filters import Selection


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
