"""The venue map: schema checks that report every problem, several ids per venue, one venue per id, and
the packaged map's coverage of the paper lists' venue codes."""

from __future__ import annotations

import pytest

from splitscope.errors import UnusableInputError
from splitscope.sources.openalex.flatten import venue_sql
from splitscope.sources.openalex.venues import mapped_venues, parse_venue_map, source_ids, venue_map


def entry(source_id, **extra):
    return {"id": source_id, "name": "X", "years": None, "from": "a test", "checked_live": False, **extra}


def test_packaged_map_has_at_least_15_venues_and_the_issue_ids():
    venues = mapped_venues()
    assert len(venues) >= 15
    assert source_ids("nips") == ("S4306420609", "S4363606243", "S4393916742")
    issue_ids = {
        "icml": "S4306419644", "iclr": "S4306419637", "cvpr": "S4363607701", "iccv": "S4363607764",
        "eccv": "S4306418318", "aaai": "S4210191458", "ijcai": "S4306419999", "acl": "S2729999759",
        "emnlp": "S4306418267", "naacl": "S2744807627", "coling": "S2766172945", "aistats": "S4306419146",
        "uai": "S4306421103", "corl": "S4306506823", "rss": "S4306420803", "www": "S4306421067",
    }  # fmt: skip
    for venue, source_id in issue_ids.items():
        assert source_id in source_ids(venue), venue
    # nothing here was checked live (no network where the map was written): the file must say so
    assert all(e.checked_live is None and e.provenance for e in venue_map())


def test_every_id_of_a_venue_labels_its_works():
    sql = venue_sql()
    for source_id in ("S4306420609", "S4393916742", "S4306417987"):
        assert f"WHEN '{source_id}' THEN" in sql
    assert "WHEN 'S4393916742' THEN 'nips'" in sql


def test_schema_problems_are_reported_together():
    data = {
        "venues": {
            "NIPS": [entry("S1")],
            "icml": [entry("W12"), entry("S2", years="2020"), {"id": "S3"}],
            "iclr": [entry("S4", checked_live="yesterday")],
            "cvpr": [entry("S5")],
            "iccv": [entry("S5")],
        }
    }
    with pytest.raises(UnusableInputError) as error:
        parse_venue_map(data)
    text = str(error.value)
    for fragment in (
        "'NIPS' is not a lower-case",
        "'W12' is not a short OpenAlex source id",
        "years must be null or a list",
        "icml entry 3: unknown fields [], missing",
        "checked_live must be false or a date",
        "S5 is already listed under cvpr",
    ):
        assert fragment in text


def test_a_venue_without_ids_is_named_in_the_error():
    with pytest.raises(UnusableInputError, match="'kdd' has no OpenAlex source"):
        source_ids("kdd")
    good = parse_venue_map({"venues": {"nips": [entry("S1", years=[2020, 2019], checked_live="2026-01-02")]}})
    assert good[0].years == (2019, 2020) and good[0].checked_live == "2026-01-02"
