"""The conference CSV merged into stored paper-list papers."""

import gzip
import json

import pytest

from splitscope.errors import UnusableInputError
from splitscope.pipeline.build import build
from splitscope.selection import Selection
from splitscope.sources.conference_csv import parse_conference_csv
from splitscope.sources.reading import RawInput

HEADER = "Conference,Year,Title,Author,Affiliation\n"


def csv_raw(body: str, header: str = HEADER) -> RawInput:
    return RawInput("conference-csv/p.csv", "p.csv", (header + body).encode(), "sha")


def test_wrong_columns_is_a_one_line_error():
    with pytest.raises(UnusableInputError) as info:
        parse_conference_csv(None, csv_raw("", header="Venue,Year,Title\n"))
    assert str(info.value) == (
        "conference-csv/p.csv: expected columns Conference,Year,Title,Author,Affiliation, "
        "found Venue,Year,Title"
    )


def test_csv_paper_matching_a_stored_paper_is_merged_not_duplicated(tmp_path, store):
    mirror = tmp_path / "mirror" / "nips"
    mirror.mkdir(parents=True)
    (mirror / "nips2010.json").write_text(
        json.dumps(
            [
                {"id": "1", "title": "Deep  Nets, Revisited", "status": "Poster", "author": "Ann Lee; Bo Wu"},
                {"id": "2", "title": "Margins", "author": "Peter L Bartlett; Dylan J Foster"},
            ]
        )
    )
    shared = tmp_path / "shared" / "conference-csv"
    shared.mkdir(parents=True)
    with gzip.open(shared / "papers.csv.gz", "wt") as out:
        out.write(HEADER)
        out.write('NIPS,2010,"Deep nets, revisited",Bo Wu,ETH Zurich\n')
        out.write('NIPS,2010,"Deep nets, revisited",Ann Lee,MIT\n')
        out.write('NIPS,2010,"Deep nets, revisited",Cy Ng,CMU\n')
        out.write("NIPS,2010,Another Paper,Di Xu,Google\n")
        out.write("NIPS,2010,Margins,Peter Bartlett,UC Berkeley\n")  # middle name missing: same position
        out.write("NIPS,2010,Margins,Dylan Foster,Cornell University\n")
        out.write("KDD,2010,Not Ours,Ed Yu,UCL\n")
    summary = build(store, Selection(), tmp_path / "mirror", tmp_path / "shared", progress=False)
    csv_outcome = next(o for o in summary.outcomes if o.source_id == "conference-csv:papers")
    assert (
        csv_outcome.records_read,
        csv_outcome.papers_stored,
        csv_outcome.records_merged,
        csv_outcome.records_quarantined,
    ) == (4, 1, 2, 1)
    assert store.execute("SELECT count(*) FROM papers WHERE venue = 'nips'").fetchone() == (3,)
    attached = store.execute(
        "SELECT a.name, m.affiliation FROM affiliation_mentions m JOIN authorships a USING (authorship_id) "
        "WHERE a.paper_id = 'nips2010:1' ORDER BY a.position"
    ).fetchall()
    assert attached == [("Ann Lee", "MIT"), ("Bo Wu", "ETH Zurich")]
    margins = store.execute(
        "SELECT a.name, m.affiliation FROM affiliation_mentions m JOIN authorships a USING (authorship_id) "
        "WHERE a.paper_id = 'nips2010:2' ORDER BY a.position"
    ).fetchall()
    assert margins == [("Peter L Bartlett", "UC Berkeley"), ("Dylan J Foster", "Cornell University")]
    assert store.execute("SELECT affiliation, reason FROM paper_affiliation_mentions").fetchall() == [
        ("CMU", "csv author not in byline")
    ]
    (reason,) = store.execute("SELECT reason FROM quarantine").fetchone()
    assert reason == "unknown conference 'KDD'"
