"""The OpenReview connector against a local fake API with injected faults."""

from __future__ import annotations

import pytest
from openreview_fake_api import FakeOpenReview

from splitscope.resolve.profiles.education_origin import compute_education_origin
from splitscope.resolve.profiles.history import HistoryAnswer, resolve_profile_history
from splitscope.sources.http import FetchError, PoliteClient
from splitscope.sources.openreview import api as openreview
from splitscope.sources.openreview.load import load_openreview_venue
from splitscope.sources.openreview.records import classify_position, venue_code_and_year
from splitscope.store import connect

VENUE = "NeurIPS.cc/2024/Conference"


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    # Two notes per page and two ids per profile batch, so three notes and three profiles page.
    monkeypatch.setattr(openreview, "NOTES_PAGE_SIZE", 2)
    monkeypatch.setattr(openreview, "PROFILE_BATCH_SIZE", 2)


def client_for(fake, cache_dir, sleeps, max_retries=4):
    return PoliteClient(
        fake.url,
        cache_dir=cache_dir,
        min_interval=0.0,
        max_retries=max_retries,
        backoff_base=0.01,
        timeout=0.3,
        sleep=sleeps.append,
    )


def load(con, client):
    return load_openreview_venue(con, VENUE, client=client, fetched_year=2026)


def test_faults_are_recovered_and_every_page_is_fetched_once(tmp_path):
    faults = {
        "notes@0": ["429", "500"],
        "notes@2": ["stall", "truncate"],
        "profiles@~Alice_Zhang1": ["429-reset"],
        "profiles@~Dan_Roe1": ["500"],
    }
    sleeps: list[float] = []
    con = connect(":memory:")
    with FakeOpenReview(faults, stall_seconds=0.8) as fake:
        summary = load(con, client_for(fake, tmp_path, sleeps))
    assert dict(fake.served_ok) == {
        "notes@0": 1,
        "notes@2": 1,
        "profiles@~Alice_Zhang1": 1,
        "profiles@~Dan_Roe1": 1,
    }
    assert fake.attempts["notes@0"] == 3 and fake.attempts["notes@2"] == 3
    assert 2.0 in sleeps  # the Retry-After header was honoured
    assert summary["records_read"] == 3 and summary["papers_stored"] == 2
    assert summary["records_quarantined"] == 1 and summary["profiles_quarantined"] == 1
    reasons = sorted(r[0] for r in con.execute("select reason from quarantine").fetchall())
    assert reasons == ["note has no title", "profile ~Dan_Roe1: 'history' is not a list"]
    papers = con.execute("select paper_id, status, top_tier from papers order by 1").fetchall()
    assert papers == [("nips2024:n1", "Oral", True), ("nips2024:n2", "Poster", False)]
    carol = con.execute(
        "select openreview_id, email_domain from authorships where name = 'Carol Smith'"
    ).fetchone()
    assert carol == (None, "csail.mit.edu")  # the address itself is never stored
    recon = con.execute(
        "select records_read, papers_stored + records_merged + records_quarantined from sources"
    ).fetchone()
    assert recon == (3, 3)


def test_kill_and_resume_neither_refetches_nor_duplicates(tmp_path):
    sleeps: list[float] = []
    con = connect(":memory:")
    with FakeOpenReview({"profiles@~Dan_Roe1": ["500"] * 5}) as fake:
        with pytest.raises(FetchError, match="gave up after 2 attempts"):
            load(con, client_for(fake, tmp_path, sleeps, max_retries=1))
        assert con.execute("select count(*) from papers").fetchone() == (0,)  # nothing half-written
        load(con, client_for(fake, tmp_path, sleeps))
        load(con, client_for(fake, tmp_path, sleeps))  # a third run: everything from the cache
    assert all(count == 1 for count in fake.served_ok.values()) and len(fake.served_ok) == 4
    assert con.execute("select count(*) from papers").fetchone() == (2,)
    assert con.execute("select count(*) from authorships").fetchone() == (5,)
    assert con.execute("select count(*) from openreview_profiles").fetchone() == (2,)
    assert con.execute("select count(*) from quarantine").fetchone() == (2,)


def test_mirror_serves_recorded_responses_offline(tmp_path):
    sleeps: list[float] = []
    with FakeOpenReview() as fake:
        load(connect(":memory:"), client_for(fake, tmp_path, sleeps))
        base = fake.url
    offline = PoliteClient(base, mirror_dir=tmp_path, min_interval=0.0, sleep=sleeps.append)
    con = connect(":memory:")
    summary = load(con, offline)  # the server is gone: only the mirror answers
    assert summary["papers_stored"] == 2 and offline.stats.network_requests == 0
    with pytest.raises(FetchError, match="not in the mirror"):
        load_openreview_venue(con, "ICLR.cc/2025/Conference", client=offline)


def test_education_origin_first_bachelor_else_first_degree(tmp_path):
    con = connect(":memory:")
    with FakeOpenReview() as fake:
        load(con, client_for(fake, tmp_path, []))
    counts = compute_education_origin(con)
    rows = con.execute(
        "select person_id, country, basis, institution_name from person_education_origin order by 1"
    ).fetchall()
    assert rows == [
        ("or:~Alice_Zhang1", "CN", "first bachelor-level degree", "Tsinghua University"),
        ("or:~Bob_Li1", "CA", "first degree", "University of Toronto"),
    ]
    assert counts == {"profiles": 2, "profiles_with_education": 2, "persons_with_origin": 2}
    # Google has no country in the profile: the resolver fills it, labelled as such.
    filled = resolve_profile_history(
        con,
        lambda name, domain: (
            HistoryAnswer("google", "US", "company", "alias")
            if name == "Google"
            else HistoryAnswer(None, None, None, "unknown")
        ),
    )
    assert filled == 1
    assert con.execute(
        "select country_method from profile_history where institution_name = 'Google'"
    ).fetchone() == ("resolver:alias",)


def test_education_origin_prefers_linked_person_ids(tmp_path):
    con = connect(":memory:")
    with FakeOpenReview() as fake:
        load(con, client_for(fake, tmp_path, []))
    con.execute(
        "insert into authorship_person select authorship_id, 'p:bob', null, 'openreview_id', 'test' "
        "from authorships where openreview_id = '~Bob_Li2'"
    )
    compute_education_origin(con)
    assert con.execute(
        "select person_id from person_education_origin where profile_id = '~Bob_Li1'"
    ).fetchone() == ("p:bob",)


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        ("PhD student", ("education", "doctorate")),
        ("Undergrad student", ("education", "bachelor")),
        ("MS student", ("education", "master")),
        ("Postdoc", ("position", None)),
        ("Full Professor", ("position", None)),
        ("Master's student", ("education", "master")),
        ("Research Scientist", ("position", None)),
        (None, ("position", None)),
    ],
)
def test_classify_position(position, expected):
    assert classify_position(position) == expected


def test_venue_ids_map_to_paper_list_codes():
    assert venue_code_and_year("NeurIPS.cc/2024/Conference") == ("nips", 2024)
    assert venue_code_and_year("ICLR.cc/2025/Conference") == ("iclr", 2025)
    with pytest.raises(Exception, match="not an OpenReview venue id"):
        venue_code_and_year("NeurIPS 2024")


def test_cli_fetch_reads_a_mirror_and_reports(tmp_path):
    from typer.testing import CliRunner

    from splitscope.cli import app

    with FakeOpenReview() as fake:
        load(connect(":memory:"), client_for(fake, tmp_path / "rec", []))
    # Recorded responses were keyed under the fake server's URL; the CLI's client uses the real API base,
    # so re-key them as the real base would request them.
    import json as _json

    from splitscope.sources.http import request_key

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for path in (tmp_path / "rec").glob("*.json"):
        record = _json.loads(path.read_text())
        url = record["url"].replace(fake.url, openreview.API_BASE)
        key = request_key(record["method"], url, record["request_body"])
        (mirror / f"{key}.json").write_text(_json.dumps({**record, "url": url}))
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "openreview",
            "fetch",
            VENUE,
            "--db",
            str(db),
            "--mirror",
            str(mirror),
            "--cache",
            str(tmp_path / "c"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = _json.loads(result.stdout)
    assert summary["papers_stored"] == 2 and summary["origin"]["persons_with_origin"] == 2
    assert "link_persons" in summary["post_ingest_steps"]
    # End to end with the real resolver and linker: Google (no country in the profile) resolves to its
    # documented default US, a guess: it counts in work shares but not in career claims such as flows
    # (issue 16, analysis/talent/trust.py), so only Bob's MIT entry gives a work country here.
    from splitscope.analysis.talent.tables import talent_tables
    from splitscope.selection import Selection

    con = connect(db)
    tables = talent_tables(con, Selection(), origin="education", resamples=50)
    flow = tables["talent.origin_work_flow"].frame
    assert sorted(zip(flow.origin_country, flow.work_country, strict=True)) == [("CA", "US")]
    assert con.execute(
        "select country, country_method from profile_history where institution_name = 'Google'"
    ).fetchone() == ("US", "resolver:default")
    work = tables["talent.work_country_share"].frame
    assert set(work.country) == {"US"}  # Alice's Google years still count where she works
    con.close()
    bad = CliRunner().invoke(app, ["openreview", "fetch", "NeurIPS 2024", "--db", str(db)])
    assert bad.exit_code == 2 and "not an OpenReview venue id" in bad.output


def test_papers_a_paper_list_holds_under_site_ids_are_merged_by_title(tmp_path):
    con = connect(":memory:")
    con.execute(
        "insert into papers (paper_id, venue, year, title, accepted, source_id) values "
        "('nips2024:site_1', 'nips', 2024, 'Paper  one', true, 'paperlists:nips/nips2024')"
    )
    with FakeOpenReview() as fake:
        summary = load(con, client_for(fake, tmp_path, []))
    assert summary["records_merged"] == 1 and summary["papers_stored"] == 1
    assert con.execute("select count(*) from papers where title = 'Paper One'").fetchone() == (0,)
    raw = con.execute("select raw_record from quarantine where reason = 'note has no title'").fetchone()[0]
    assert "~Eve_Nil1" in raw
