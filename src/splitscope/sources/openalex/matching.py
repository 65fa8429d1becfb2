"""Match OpenAlex works to the paper-list papers of one venue-year, and their authorships to the
papers' bylines, for gap filling (fill.py). Pure Python over small lists (a venue-year has at most a
few tens of thousands of papers).

A work matches a paper by, in this order:
1. DOI, where the paper has one (the store keeps no DOI column; an ACL Anthology id such as
   `2021.acl-long.24` is the DOI `10.18653/v1/2021.acl-long.24`, so ACL-family papers have one);
2. the normalised title (sources.text.normalise_title: decoded, casefolded, accents and punctuation
   dropped) within the same year;
3. among the papers that share an author surname: a near-identical title (difflib ratio >= NEAR_TITLE:
   a typo, a LaTeX remnant), or one title the other's beginning (a subtitle dropped after ':').
Every candidate must then pass the author check: enough of the work's author names found in the
paper's byline (AUTHOR_OVERLAP). Title collisions ("Attention is all you need" and a homonymous
workshop paper) fail it and are listed, not attached. Nothing about a person is inferred from a name:
names are only compared with names.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from splitscope.sources.text import normalise_name, normalise_title

# Share of the shorter author list that must be found in the other for a title match to count. Half:
# OpenAlex and the paper lists spell some names differently (initials, transliteration, a middle
# name), measured on the synthetic responses of docs/openalex.md to lose under 1% of true matches at
# 0.5, while a homonymous title with other authors shares none.
AUTHOR_OVERLAP = 0.5
NEAR_TITLE = 0.9  # difflib ratio of normalised titles for the fallback match
_ANTHOLOGY_ID = re.compile(r"^[0-9]{4}\.[a-z]+-[a-z]+\.[0-9]+$|^[A-Z][0-9]{2}-[0-9]{4}$")


@dataclass(frozen=True)
class ListAuthor:
    authorship_id: str
    position: int
    name: str


@dataclass(frozen=True)
class ListPaper:
    paper_id: str
    year: int
    title: str
    source_paper_id: str | None
    authors: tuple[ListAuthor, ...]


@dataclass(frozen=True)
class OpenAlexWork:
    work_id: str  # short, 'W123'
    year: int
    title: str
    doi: str | None  # lower-case, without https://doi.org/
    authors: tuple[tuple[str, str], ...]  # (flattened authorship id 'openalex:W123#2', display name)


@dataclass
class Match:
    paper_id: str
    work_id: str
    method: str  # 'doi' | 'title' | 'near title'
    authors: list[tuple[str, str]]  # (paper-list authorship id, flattened OpenAlex authorship id)
    overlap: float


@dataclass
class MatchResult:
    matches: list[Match] = field(default_factory=list)
    unmatched_works: list[tuple[str, str]] = field(default_factory=list)  # (work id, reason)
    unmatched_papers: list[tuple[str, str]] = field(default_factory=list)  # (paper id, reason)
    unaligned_authorships: int = 0  # OpenAlex authorships of matched works with no byline name


def paper_doi(source_paper_id: str | None) -> str | None:
    """The DOI a paper-list id implies: ACL Anthology ids are DOIs under 10.18653/v1/."""
    if source_paper_id and _ANTHOLOGY_ID.match(source_paper_id):
        return f"10.18653/v1/{source_paper_id}".lower()
    return None


def bare_doi(doi: str | None) -> str | None:
    if not doi:
        return None
    return re.sub(r"^https?://(dx\.)?doi\.org/", "", doi.strip()).lower() or None


def _name_keys(name: str) -> tuple[str, str]:
    """(full normalised name, surname + first initial): 'Jürgen Schmidhuber' and 'J. Schmidhuber' share
    the second."""
    tokens = normalise_name(name).split()
    if not tokens:
        return "", ""
    return " ".join(tokens), f"{tokens[-1]} {tokens[0][0]}"


def align_authors(
    byline: tuple[ListAuthor, ...], work_authors: tuple[tuple[str, str], ...]
) -> list[tuple[str, str]]:
    """Pairs (paper-list authorship, OpenAlex authorship) by full name, then by surname + initial, each
    used once; positions only break ties between equal keys."""
    pairs: list[tuple[str, str]] = []
    used_list: set[str] = set()
    used_work: set[str] = set()
    keyed = [(author, _name_keys(author.name)) for author in byline]
    for level in (0, 1):
        for work_authorship, name in work_authors:
            if work_authorship in used_work:
                continue
            key = _name_keys(name)[level]
            if not key:
                continue
            for author, keys in keyed:
                if author.authorship_id not in used_list and keys[level] == key:
                    pairs.append((author.authorship_id, work_authorship))
                    used_list.add(author.authorship_id)
                    used_work.add(work_authorship)
                    break
    return pairs


def _overlap(paper: ListPaper, work: OpenAlexWork, pairs: list[tuple[str, str]]) -> float:
    shorter = min(len(paper.authors), len(work.authors))
    return len(pairs) / shorter if shorter else 0.0


def match_works(papers: list[ListPaper], works: list[OpenAlexWork]) -> MatchResult:
    """Match every work to at most one paper and every paper to at most one work; say why for each
    work and paper left over."""
    result = MatchResult()
    by_doi = {d: p for p in papers if (d := paper_doi(p.source_paper_id))}
    by_title: dict[tuple[int, str], list[ListPaper]] = defaultdict(list)
    by_surname: dict[str, list[ListPaper]] = defaultdict(list)
    for paper in papers:
        by_title[(paper.year, normalise_title(paper.title))].append(paper)
        for author in paper.authors:
            if surname := _name_keys(author.name)[1].split(" ")[0]:
                by_surname[surname].append(paper)
    taken: dict[str, str] = {}  # paper id → work id
    near: list[OpenAlexWork] = []
    for work in works:
        candidates, method = _candidates(work, by_doi, by_title)
        if not candidates:
            near.append(work)
            continue
        _take(result, taken, work, candidates, method)
    for work in near:
        candidates = _near_titles(work, by_surname)
        if not candidates:
            result.unmatched_works.append((work.work_id, "no paper of the list has this title or DOI"))
            continue
        _take(result, taken, work, candidates, "near title")
    for paper in papers:
        if paper.paper_id not in taken:
            reason = "no OpenAlex work with this title or DOI passed the author check"
            if not works:
                reason = "OpenAlex returned no works for this venue-year"
            elif not paper.authors:
                reason = "the paper has no authorships to attach affiliations to"
            result.unmatched_papers.append((paper.paper_id, reason))
    result.unaligned_authorships = sum(len(w.authors) for w in works if w.work_id in taken.values()) - sum(
        len(m.authors) for m in result.matches
    )
    return result


def _candidates(
    work: OpenAlexWork,
    by_doi: dict[str, ListPaper],
    by_title: dict[tuple[int, str], list[ListPaper]],
) -> tuple[list[ListPaper], str]:
    doi = bare_doi(work.doi)
    if doi and doi in by_doi:
        return [by_doi[doi]], "doi"
    return by_title.get((work.year, normalise_title(work.title)), []), "title"


def _near_titles(work: OpenAlexWork, by_surname: dict[str, list[ListPaper]]) -> list[ListPaper]:
    title = normalise_title(work.title)
    seen: dict[str, ListPaper] = {}
    for _, name in work.authors:
        surname = _name_keys(name)[1].split(" ")[0]
        for paper in by_surname.get(surname, ()):
            if paper.year == work.year:
                seen[paper.paper_id] = paper
    scored = [(_similarity(title, normalise_title(p.title)), p.paper_id, p) for p in seen.values()]
    return [p for score, _, p in sorted(scored, key=lambda s: (-s[0], s[1])) if score >= NEAR_TITLE]


def _similarity(a: str, b: str) -> float:
    """1.0 when one title is the other's first words (a dropped subtitle), else difflib's ratio."""
    if a and b and (b.startswith(a + " ") or a.startswith(b + " ")):
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def _take(
    result: MatchResult,
    taken: dict[str, str],
    work: OpenAlexWork,
    candidates: list[ListPaper],
    method: str,
) -> None:
    """The candidate whose byline shares the most names with the work, if enough; else say why."""
    best: tuple[float, ListPaper, list[tuple[str, str]]] | None = None
    for paper in candidates:
        pairs = align_authors(paper.authors, work.authors)
        overlap = _overlap(paper, work, pairs)
        if best is None or overlap > best[0]:
            best = (overlap, paper, pairs)
    assert best is not None
    overlap, paper, pairs = best
    if not paper.authors:
        result.unmatched_works.append(
            (work.work_id, f"{method} matches {paper.paper_id}, which has no authors")
        )
    elif overlap < AUTHOR_OVERLAP:
        result.unmatched_works.append(
            (
                work.work_id,
                f"{method} matches {paper.paper_id} but authors differ ({len(pairs)} names shared)",
            )
        )
    elif paper.paper_id in taken:
        result.unmatched_works.append(
            (work.work_id, f"duplicate: {paper.paper_id} already matched {taken[paper.paper_id]}")
        )
    else:
        taken[paper.paper_id] = work.work_id
        result.matches.append(Match(paper.paper_id, work.work_id, method, pairs, round(overlap, 3)))
