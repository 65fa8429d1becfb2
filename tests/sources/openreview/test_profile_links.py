"""Which OpenReview profiles are one researcher, for scoring the person linker against a truth that does
not count one person's two profiles as two people."""

from __future__ import annotations

import json

import pytest

from splitscope.errors import UnusableInputError
from splitscope.sources.openreview.profile_links import normalise_link, profile_links, same_researcher
from splitscope.sources.reading import RawInput


def raw(records: list[dict[str, str]]) -> RawInput:
    data = "\n".join(json.dumps(r) for r in records).encode()
    return RawInput("x", "x", data, "sha")


def test_links_are_normalised_from_bare_ids_and_urls() -> None:
    assert normalise_link("google_scholar", "JoLjflYAAAAJ") == "scholar:JoLjflYAAAAJ"
    url = "https://scholar.google.com.tw/citations?user=JoLjflYAAAAJ&hl=en"
    assert normalise_link("google_scholar", url) == "scholar:JoLjflYAAAAJ"
    assert normalise_link("google_scholar", "not a scholar id") is None
    assert normalise_link("dblp", "https://dblp.org/pid/84/3254-1.html") == "dblp:84/3254-1"
    assert normalise_link("dblp", "h/StevenCHHoi") == "dblp:h/stevenchhoi"
    assert normalise_link("dblp", "https://dblp.uni-trier.de/pers/hd/s/Song:Dawn") == "dblp:s/song:dawn"
    assert normalise_link("dblp", "nothing") is None
    assert normalise_link("orcid", "https://orcid.org/0000-0002-1664-197X") == "orcid:0000-0002-1664-197X"


def test_links_follow_or_profile_order_and_skip_unaligned_records() -> None:
    records = [
        # or_profile lists the alias-resolved author last: the fields follow it, not the byline
        {"authorids": "~B1;~A_Smith1", "or_profile": "~A_Smith1;~B_Jones1",
         "google_scholar": "AAAAAAAAAAAA;BBBBBBBBBBBB", "dblp": ";j/BJones", "orcid": ";"},
        {"or_profile": "~C_Wu1;~D_Li1", "google_scholar": "CCCCCCCCCCCC"},  # one slot for two profiles
    ]  # fmt: skip
    assert profile_links(raw(records)) == {
        "~A_Smith1": {"scholar:AAAAAAAAAAAA"},
        "~B_Jones1": {"scholar:BBBBBBBBBBBB", "dblp:j/bjones"},
    }


def test_one_researcher_needs_a_shared_link_and_the_same_name() -> None:
    links = {
        "~Steven_Hoi2": {"scholar:JoLjflYAAAAJ"},
        "~Steven_HOI1": {"scholar:JoLjflYAAAAJ", "dblp:h/stevenchhoi"},
        "~Pietro_Liò1": {"orcid:0000-0002-0540-5053"},
        "~Pietro_Lio1": {"dblp:l/pietrolio", "orcid:0000-0002-0540-5053"},
        # a link typed into a co-author's profile: a shared link, another name
        "~LINGYU_DUAN1": {"dblp:d/lingyuduan"},
        "~Lin_Zhang8": {"dblp:d/lingyuduan"},
        # the same name, nothing shared: two people as far as the links say
        "~Dawn_Song1": {"dblp:s/dxsong"},
        "~Dawn_Song2": {"scholar:84WzBlYAAAAJ"},
    }
    assert same_researcher(links) == {
        "~Steven_HOI1": "~Steven_HOI1",
        "~Steven_Hoi2": "~Steven_HOI1",
        "~Pietro_Lio1": "~Pietro_Lio1",
        "~Pietro_Liò1": "~Pietro_Lio1",
    }


def test_a_bad_line_is_skipped_and_a_cut_off_file_is_a_clear_error() -> None:
    good = json.dumps({"or_profile": "~A_Smith1", "orcid": "0000-0002-1664-1975"}).encode()
    later = json.dumps({"or_profile": "~B_Jones1", "google_scholar": 12345}).encode()  # not a link: none
    links = profile_links(RawInput("x", "x", good + b"\n{not json\n" + later, "sha"))
    assert links == {"~A_Smith1": {"orcid:0000-0002-1664-1975"}}
    with pytest.raises(UnusableInputError, match="^x: "):
        profile_links(RawInput("x", "x", good + b'\n{"or_profile": "~B', "sha"))
