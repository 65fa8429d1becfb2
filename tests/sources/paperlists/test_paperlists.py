"""Hand-written records, one per quirk of the data README."""

import json

import pytest

from splitscope.errors import UnusableInputError
from splitscope.sources.paperlists.authors import profile_to_byline
from splitscope.sources.paperlists.parse import is_accepted, is_top_tier, parse_paperlist
from splitscope.sources.reading import RawInput


def raw_of(records, label="x/x2020.json") -> RawInput:
    data = json.dumps(records).encode() if not isinstance(records, bytes) else records
    return RawInput(label, label, data, "sha")


def parse(records, venue="x", year=2020):
    return parse_paperlist(raw_of(records), venue, year).batch


def authorships(batch):
    return [(r[0], r[3], r[4], r[6], r[7]) for r in batch.rows["authorships"]]


def mentions(batch):
    return [(m[0], m[1], m[2], m[5]) for m in batch.rows["affiliation_mentions"]]


def test_per_author_affiliations_plus_split_and_country_labels():
    batch = parse(
        [
            {
                "id": "p1",
                "title": "T",
                "status": "Poster",
                "author": "Ann Lee; Bo Wu",
                "aff": "MIT; Google+Stanford University",
                "aff_country_unique": "United States",
                "aff_country_unique_index": "0;0+0",
            }
        ]
    )
    assert [a[1] for a in authorships(batch)] == ["Ann Lee", "Bo Wu"]
    assert mentions(batch) == [
        ("x2020:p1#1", 1, "MIT", "United States"),
        ("x2020:p1#2", 1, "Google", "United States"),
        ("x2020:p1#2", 2, "Stanford University", "United States"),
    ]
    assert batch.rows["paper_affiliation_mentions"] == []


def test_empty_slots_give_no_mention_and_separator_only_aff_gives_nothing():
    batch = parse(
        [
            {"id": "a", "title": "T1", "author": "A;B;C", "aff": ";MIT;"},
            {"id": "b", "title": "T2", "author": "A;B", "aff": ";;"},
        ]
    )
    assert mentions(batch) == [("x2020:a#2", 1, "MIT", None)]


def test_count_mismatch_goes_to_paper_level_with_reason():
    batch = parse([{"id": "p", "title": "T", "author": "A;B;C", "aff": "MIT;Google"}])
    assert mentions(batch) == []
    rows = batch.rows["paper_affiliation_mentions"]
    assert [(r[0], r[1], r[2], r[5]) for r in rows] == [
        ("x2020:p", 1, "MIT", "count mismatch: 2 affiliation entries for 3 authors"),
        ("x2020:p", 2, "Google", "count mismatch: 2 affiliation entries for 3 authors"),
    ]


def test_icra_double_byline_is_deduplicated_and_aligns_with_aff():
    batch = parse(
        [
            {
                "id": "9196975",
                "title": "T",
                "author": "Ann Lee;Bo Wu;Ann Lee;Bo Wu",
                "authorids": "/1;/2;/1;/2",
                "aff": "NTHU; NEC Labs America",
            }
        ]
    )
    assert [a[1] for a in authorships(batch)] == ["Ann Lee", "Bo Wu"]
    assert mentions(batch) == [
        ("x2020:9196975#1", 1, "NTHU", None),
        ("x2020:9196975#2", 1, "NEC Labs America", None),
    ]


def test_or_profile_order_maps_profile_fields_back_to_the_byline():
    # As in CoRL 2022 '00OqOl4txhe'-like records: author 1 was resolved through an alias, so or_profile
    # lists them last and aff/aff_domain/position follow or_profile order.
    batch = parse(
        [
            {
                "id": "p",
                "title": "T",
                "author": "Dan Seita;Yu Wang;Zack Erickson",
                "authorids": "~Dan_Seita1;~Yu_Wang4;zack@cmu.edu",
                "or_profile": "~Yu_Wang4;~Dan_Takeshi_Seita1;~Zack_Erickson1",
                "aff": "CMU;UC Berkeley;Georgia Tech",
                "aff_domain": "cmu.edu;berkeley.edu;gatech.edu",
                "position": "PhD student;Postdoc;Professor",
            }
        ]
    )
    assert profile_to_byline(
        ["~Ann_Lee1", "~Bo_Wu1", "cy@x.org"],
        ["~Bo_Wu1", "~Ann_Lee2", "~Cy_Ng1"],
        ["Ann Lee", "Bo Wu", "Cy Ng"],
    ) == [1, 0, 2]
    rows = authorships(batch)
    # ~Dan_Seita1 is not found as given, ~Yu_Wang4 is: or_profile = [Yu, then the resolved ones]
    assert rows[0] == ("x2020:p#1", "Dan Seita", "~Dan_Takeshi_Seita1", "berkeley.edu", "Postdoc")
    assert rows[1] == ("x2020:p#2", "Yu Wang", "~Yu_Wang4", "cmu.edu", "PhD student")
    assert rows[2] == ("x2020:p#3", "Zack Erickson", "~Zack_Erickson1", "gatech.edu", "Professor")
    assert mentions(batch) == [
        ("x2020:p#2", 1, "CMU", None),
        ("x2020:p#1", 1, "UC Berkeley", None),
        ("x2020:p#3", 1, "Georgia Tech", None),
    ]


def test_several_alias_resolved_authors_are_matched_by_name_words_not_byline_order():
    # ICLR 2022 '86sEVRfeGYS' as openreview-authors has it: both alias-resolved profiles are appended,
    # Mahmood before Sutton, and the profile fields follow that order.
    batch = parse(
        [
            {
                "id": "p",
                "title": "T",
                "author": "Shibhansh Dohare;Richard S. Sutton;A. Rupam Mahmood",
                "authorids": "~Shibhansh_Dohare1;~Richard_S._Sutton1;~A._Rupam_Mahmood1",
                "or_profile": "~Shibhansh_Dohare1;~Rupam_Mahmood1;~Richard_S_Sutton1",
                "aff": "University of Alberta;University of Alberta;Google DeepMind",
            }
        ]
    )
    rows = authorships(batch)
    assert [r[2] for r in rows] == ["~Shibhansh_Dohare1", "~Richard_S_Sutton1", "~Rupam_Mahmood1"]
    # OpenReview's statement that the typed ids are aliases of those profiles is kept for person linkage
    assert sorted(batch.rows["openreview_aliases"]) == [
        ("~A._Rupam_Mahmood1", "~Rupam_Mahmood1", "paperlists:x/x2020"),
        ("~Richard_S._Sutton1", "~Richard_S_Sutton1", "paperlists:x/x2020"),
    ]
    assert mentions(batch)[1:] == [
        ("x2020:p#3", 1, "University of Alberta", None),
        ("x2020:p#2", 1, "Google DeepMind", None),
    ]


def test_alias_resolved_authors_whose_names_do_not_decide_leave_the_profile_fields_unaligned():
    assert (
        profile_to_byline(["~a", "~Bo_Li1", "~Bo_Li2"], ["~a", "~Li_Bo3", "~Li_Bo4"], ["A", "Bo Li", "Bo Li"])
        is None
    )
    # one appended author needs no matching; all-empty profile slots (not fetched) keep the byline order
    assert profile_to_byline(["~a", "~b"], ["~a", "~c"], ["A", "B"]) == [0, 1]
    assert profile_to_byline(["~Ann_Lee1", "~Bo_Wu1"], ["", ""], ["Ann Lee", "Bo Wu"]) == [0, 1]


def test_email_authorids_give_domain_only_and_openreview_ids_are_kept():
    batch = parse(
        [{"id": "p", "title": "T", "author": "A;B", "authorids": "jane.doe@cs.toronto.edu;~Bo_Wu1"}]
    )
    rows = authorships(batch)
    assert rows[0][2:4] == (None, "cs.toronto.edu")
    assert rows[1][2:4] == ("~Bo_Wu1", None)
    assert "jane.doe" not in json.dumps(batch.rows)


def test_statuses_accepted_and_top_tier():
    assert not is_accepted("Reject") and not is_accepted("Withdraw") and not is_accepted("Desk Reject")
    assert not is_accepted("Active") and not is_accepted("Oral Workshop") and not is_accepted("Workshop")
    assert is_accepted("") and is_accepted("Poster") and is_accepted("Accept") and is_accepted("Findings")
    assert (
        is_top_tier("Oral")
        and is_top_tier("Spotlight")
        and is_top_tier("Top-5%")
        and is_top_tier("Highlight")
    )
    assert not is_top_tier("Poster") and not is_top_tier("Oral Workshop")
    batch = parse([{"id": "r", "title": "T", "status": "Reject", "author": "A"}])
    assert batch.rows["papers"][0][6:8] == [False, False]


def test_bad_records_are_quarantined_and_counts_reconcile():
    batch = parse(
        [
            {"id": "ok", "title": "Fine", "author": "A"},
            "not an object",
            {"id": "nt", "title": "", "author": "A"},
            {"id": "na", "title": "No author field"},
            {"id": "ok", "title": "Duplicate id", "author": "B"},
        ]
    )
    reasons = [q[2] for q in batch.rows["quarantine"]]
    assert reasons == [
        "record is not an object but a JSON str",
        "missing title",
        "missing author field",
        "duplicate id 'ok' (first at index 0)",
    ]
    assert (batch.records_read, batch.papers_stored, batch.records_quarantined) == (5, 1, 4)
    assert batch.reconciles()


def test_records_without_ids_get_stable_title_ids():
    batch = parse([{"title": "Same", "author": "A"}, {"title": "Same", "author": "B"}])
    ids = [p[0] for p in batch.rows["papers"]]
    assert len(set(ids)) == 2 and ids[0].startswith("x2020:t") and ids[1].endswith("-2")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"id": "a", "title": "T"', "x/x2020.json: not valid JSON at byte 25 (truncated?)"),
        (b'{"id": "a"}', "x/x2020.json: expected a JSON array of records, found a JSON object"),
        (b"\x00\x01\xff\xfe binary", "x/x2020.json: not valid JSON at byte 0 (not UTF-8 text: binary file?)"),
    ],
)
def test_unusable_files_raise_one_line_errors(data, message):
    with pytest.raises(UnusableInputError) as info:
        parse_paperlist(raw_of(data), "x", 2020)
    assert str(info.value) == message


def test_byline_with_an_email_block_keeps_the_paper_without_guessing_names():
    # ECCV 2020: 'Namdar Homayounfar Yuwen Xiong ... {namdar;yuwen;...}@uber.com'
    batch = parse([{"id": "eb", "title": "E", "author": "Ann Lee Bo Wu {ann;bo}@uber.com", "aff": "Uber"}])
    assert batch.papers_stored == 1 and batch.rows["authorships"] == []
    assert batch.notes["byline_with_email_block_not_split"] == 1
    assert [(r[2], r[5]) for r in batch.rows["paper_affiliation_mentions"]] == [("Uber", "no author names")]
