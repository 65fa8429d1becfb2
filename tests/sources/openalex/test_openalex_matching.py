"""Matching OpenAlex works to paper-list papers (sources/openalex/matching.py), on hand-written cases:
each way a work can match, each reason it can fail, and the author alignment behind the check."""

from __future__ import annotations

from splitscope.sources.openalex.matching import (
    ListAuthor,
    ListPaper,
    OpenAlexWork,
    align_authors,
    bare_doi,
    match_works,
    paper_doi,
)


def paper(pid, title, names, year=2019, source_paper_id=None):
    authors = tuple(ListAuthor(f"{pid}#{k}", k, n) for k, n in enumerate(names, 1))
    return ListPaper(pid, year, title, source_paper_id, authors)


def work(wid, title, names, year=2019, doi=None):
    return OpenAlexWork(
        wid, year, title, doi, tuple((f"openalex:{wid}#{k}", n) for k, n in enumerate(names, 1))
    )


PAPERS = [
    paper("p1", "Deep Sets", ["Manzil Zaheer", "Satwik Kottur", "Barnabás Póczos"]),
    paper("p2", "Attention Is All You Need", ["Ashish Vaswani", "Noam Shazeer"]),
    paper(
        "p3", "A Bidirectional Transformer Based Alignment Model", ["Jingyi Zhang"], 2021, "2021.acl-long.24"
    ),
    paper("p4", "Learning to Rank: From Pairwise to Listwise", ["Zhe Cao", "Tao Qin"]),
    paper("p5", "Titles Only", []),
    paper("p6", "Softstar: Heuristic-Guided Probabilistic Inference", ["Mathew Monfort", "Brenden Lake"]),
]


def test_each_way_of_matching_and_each_reason_of_not():
    works = [
        work("W1", "Deep sets", ["M. Zaheer", "Satwik Kottur", "Barnabas Poczos"]),  # initials, accents
        work("W2", "Attention is all you need", ["Ashish Vaswani", "Noam Shazeer"]),
        work("W3", "Attention Is All You Need", ["Someone Else", "Another Person"]),  # homonymous title
        work("W4", "Attention is all you need.", ["Ashish Vaswani", "Noam Shazeer"]),  # a duplicate record
        work("W5", "Something else entirely", ["Tao Qin"]),
        work("W6", "Different title, same DOI", ["Jingyi Zhang"], 2021, "10.18653/V1/2021.ACL-LONG.24"),
        work("W7", "Learning to Rank From Pairwise to Listwize", ["Zhe Cao", "Tao Qin"]),  # a typo
        work("W8", "Softstar", ["Mathew Monfort", "Brenden M. Lake"]),  # the subtitle dropped
        work("W9", "Softstar", ["Other Author"]),  # the same words, another byline: no shared surname
        work("W10", "Titles only", ["Some One"]),
    ]
    result = match_works(PAPERS, works)
    assert {(m.paper_id, m.work_id, m.method) for m in result.matches} == {
        ("p1", "W1", "title"),
        ("p2", "W2", "title"),
        ("p3", "W6", "doi"),
        ("p4", "W7", "near title"),
        ("p6", "W8", "near title"),
    }
    reasons = dict(result.unmatched_works)
    assert reasons["W3"] == "title matches p2 but authors differ (0 names shared)"
    assert reasons["W4"] == "duplicate: p2 already matched W2"
    assert reasons["W5"] == reasons["W9"] == "no paper of the list has this title or DOI"
    assert reasons["W10"] == "title matches p5, which has no authors"
    assert dict(result.unmatched_papers) == {"p5": "the paper has no authorships to attach affiliations to"}
    p1 = next(m for m in result.matches if m.paper_id == "p1")
    assert p1.authors == [("p1#2", "openalex:W1#2"), ("p1#3", "openalex:W1#3"), ("p1#1", "openalex:W1#1")]
    assert result.unaligned_authorships == 0


def test_a_title_in_another_year_does_not_match():
    result = match_works(PAPERS, [work("W1", "Deep Sets", ["Manzil Zaheer"], year=2020)])
    assert result.matches == [] and result.unmatched_works[0][1].startswith("no paper of the list")


def test_alignment_uses_each_name_once_and_ignores_unknown_names():
    byline = (
        ListAuthor("a#1", 1, "Wei Li"),
        ListAuthor("a#2", 2, "Wei Li"),
        ListAuthor("a#3", 3, "Yang Liu"),
    )
    pairs = align_authors(byline, (("w#1", "Wei Li"), ("w#2", "W. Li"), ("w#3", "Nobody Known")))
    assert pairs == [("a#1", "w#1"), ("a#2", "w#2")]


def test_dois():
    assert paper_doi("2021.acl-long.24") == "10.18653/v1/2021.acl-long.24"
    assert paper_doi("P19-1001") == "10.18653/v1/p19-1001"
    assert paper_doi("site_909d9fddd4") is None and paper_doi(None) is None
    assert bare_doi("https://doi.org/10.1109/CVPR.2019.001") == "10.1109/cvpr.2019.001"
