"""openreview-authors joined to hand-written paper lists."""

import json

import pytest

from splitscope.errors import UnusableInputError
from splitscope.sources.openreview.authors import parse_openreview_authors
from splitscope.sources.paperlists.parse import parse_paperlist
from splitscope.sources.reading import RawInput


def raw(data: bytes, label="x") -> RawInput:
    return RawInput(label, label, data, "sha")


def jsonl(*records) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode() + b"\n"


def paperlist(records):
    return parse_paperlist(raw(json.dumps(records).encode()), "x", 2023)


def test_join_by_id_fills_gaps_adds_mentions_and_quarantines_other_submissions():
    listed = paperlist([{"id": "f1", "title": "T", "author": "Ann Lee;Bo Wu", "aff": "MIT;"}])
    batch = parse_openreview_authors(
        raw(
            jsonl(
                {
                    "id": "f1",
                    "author": "Ann Lee;Bo Wu",
                    "authorids": "~Ann_Lee1;bo@eth.ch",
                    "or_profile": "~Ann_Lee1;~Bo_Wu2",
                    "aff": "MIT+Google;ETH Zurich",
                    "aff_domain": "mit.edu;ethz.ch",
                    "position": "PhD student;Professor",
                },
                {"id": "other", "author": "Cy Ng", "aff": "CMU"},
            )
        ),
        "x",
        2023,
        listed,
    )
    assert (batch.records_read, batch.records_merged, batch.records_quarantined) == (2, 1, 1)
    assert batch.reconciles() and batch.papers_stored == 0
    assert batch.rows["quarantine"][0][1:3] == (
        "line 2",
        "id not in the paper list (another submission, not a paper of the list)",
    )
    rows = listed.batch.rows["authorships"]
    assert [(r[3], r[4], r[6], r[7]) for r in rows] == [
        ("Ann Lee", "~Ann_Lee1", "mit.edu", "PhD student"),
        ("Bo Wu", "~Bo_Wu2", "ethz.ch", "Professor"),
    ]
    assert [(m[0], m[1], m[2], m[3]) for m in batch.rows["affiliation_mentions"]] == [
        ("x2023:f1#1", 1, "MIT", "openreview-authors:x/x2023"),
        ("x2023:f1#1", 2, "Google", "openreview-authors:x/x2023"),
        ("x2023:f1#2", 1, "ETH Zurich", "openreview-authors:x/x2023"),
    ]
    # the paper list's own mention is untouched and keeps its own source id
    assert [(m[0], m[2], m[3]) for m in listed.batch.rows["affiliation_mentions"]] == [
        ("x2023:f1#1", "MIT", "paperlists:x/x2023")
    ]
    assert listed.batch.rows["papers"][0][-1] == "f1"  # openreview forum id recorded


def test_titles_only_list_gets_authorships_created_by_openreview():
    listed = paperlist([{"id": "f1", "title": "T", "authors": ""}])
    batch = parse_openreview_authors(
        raw(
            jsonl({"id": "f1", "author": "Ann Lee;Bo Wu", "authorids": "~Ann_Lee1;~Bo_Wu1", "aff": "MIT;ETH"})
        ),
        "x",
        2023,
        listed,
    )
    assert [(r[0], r[3], r[4], r[8]) for r in batch.rows["authorships"]] == [
        ("x2023:f1#1", "Ann Lee", "~Ann_Lee1", "openreview-authors:x/x2023"),
        ("x2023:f1#2", "Bo Wu", "~Bo_Wu1", "openreview-authors:x/x2023"),
    ]
    assert len(batch.rows["affiliation_mentions"]) == 2


def test_site_id_lists_join_by_exact_normalised_name_set():
    listed = paperlist(
        [
            {"id": "site_1", "title": "A", "author": "Ann Lee, Bo Wu"},
            {"id": "site_2", "title": "B", "author": "Cy Ng, Di Xu"},
            {"id": "site_3", "title": "C", "author": "Cy Ng, Di Xu"},  # same name set as site_2
        ]
    )
    batch = parse_openreview_authors(
        raw(
            jsonl(
                {"id": "or1", "author": "Bo Wu;ann lee", "aff": "ETH;MIT"},  # order and case differ
                {"id": "or2", "author": "Cy Ng;Di Xu", "aff": "CMU;CMU"},
                {"id": "or3", "author": "Ed Yu", "aff": "UCL"},
            )
        ),
        "x",
        2023,
        listed,
    )
    assert batch.records_merged == 1 and batch.records_quarantined == 2
    reasons = sorted(q[2] for q in batch.rows["quarantine"])
    assert reasons[0].startswith("author-name set shared by several papers")
    assert reasons[1].startswith("no paper of the list has this exact author-name set")
    assert listed.batch.rows["papers"][0][-1] == "or1"


def test_author_count_difference_keeps_affiliations_at_paper_level():
    listed = paperlist([{"id": "f1", "title": "T", "author": "Ann Lee;Bo Wu;Cy Ng"}])
    batch = parse_openreview_authors(
        raw(jsonl({"id": "f1", "author": "Ann Lee;Bo Wu", "aff": "MIT;ETH"})), "x", 2023, listed
    )
    assert batch.rows["affiliation_mentions"] == []
    assert [r[5] for r in batch.rows["paper_affiliation_mentions"]] == [
        "author count differs: 2 here, 3 in the paper list"
    ] * 2


def test_bad_line_mid_file_is_quarantined_but_a_truncated_last_line_is_unusable():
    listed = paperlist([{"id": "f1", "title": "T", "author": "A"}])
    data = jsonl({"id": "f1", "author": "A"}, {"id": "f9", "author": "B"}).replace(b"\n", b"\n{broken\n", 1)
    batch = parse_openreview_authors(raw(data), "x", 2023, listed)
    assert batch.records_quarantined == 2 and batch.rows["quarantine"][0][1] == "line 2"
    assert batch.rows["quarantine"][0][2].startswith("not valid JSON")
    with pytest.raises(UnusableInputError, match=r"^x: not valid JSON at byte \d+ \(truncated\?\)$"):
        parse_openreview_authors(
            raw(jsonl({"id": "f1", "author": "A"}) + b'{"id": "f2", "auth'), "x", 2023, listed
        )
