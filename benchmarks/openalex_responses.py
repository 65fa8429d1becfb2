"""OpenAlex API responses synthesised from the real paper lists and recorded through the real client,
for benchmarks/openalex_fill.py (the figures) and tests/integration/test_openalex_fill_real.py.
How each work differs from its paper is described in benchmarks/openalex_fill.py."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from splitscope.orgs.normalise import normalise
from splitscope.sources.openalex.api import fetch_openalex, make_client
from splitscope.sources.openalex.fill import list_papers
from splitscope.sources.openalex.query import WorksQuery
from splitscope.sources.openalex.venues import source_ids

OA = "https://openalex.org/"
DEPARTMENTS = ("Department of Computer Science, ", "School of Engineering, ", "Dept. of EECS, ")


@dataclass
class Synthetic:
    venue: str
    year: int
    works: list[dict[str, Any]] = field(default_factory=list)
    truth: dict[str, str | None] = field(default_factory=dict)  # work id → paper id (None: a decoy)
    author_of: dict[str, str] = field(default_factory=dict)  # synthetic author id → list authorship id


def synthetic_id(prefix: str, text: str) -> str:
    return prefix + str(int(hashlib.sha1(text.encode()).hexdigest()[:12], 16))


def ror_names(shared: Path) -> dict[str, tuple[str, str]]:
    with gzip.open(shared / "reference" / "ror-names-2021.json.gz", "rt", encoding="utf-8") as handle:
        return {normalise(r["name"]): (r["name"], r["country_code"]) for r in json.load(handle)}


def printed_affiliations(con: Any, venue: str, year: int) -> dict[str, str]:
    """Paper-list authorship id → its printed affiliation string (the paper list's `aff`, as stored)."""
    rows = con.execute(
        """select m.authorship_id, string_agg(m.affiliation, '; ' order by m.mention_order)
           from affiliation_mentions m join authorships a using (authorship_id) join papers p using (paper_id)
           where p.venue = ? and p.year = ? and split_part(m.source_id, ':', 1) = 'paperlists'
           group by all""",
        [venue, year],
    ).fetchall()
    return dict(rows)


def _title(rng: random.Random, title: str) -> str:
    if rng.random() < 0.03 and ":" in title:
        title = title.split(":", 1)[0]
    if rng.random() < 0.30:
        title = title.title() if rng.random() < 0.5 else title.capitalize()
    if rng.random() < 0.15:
        title = title.replace(":", "").replace("-", " ")
    if rng.random() < 0.04 and len(title) > 10:
        at = rng.randrange(len(title))
        title = title[:at] + rng.choice("aeiou") + title[at + 1 :]
    return title


def _name(rng: random.Random, name: str) -> str:
    parts = name.split()
    if len(parts) > 1 and rng.random() < 0.12:
        parts[0] = parts[0][0] + "."
    if len(parts) > 1 and rng.random() < 0.03:
        parts.insert(1, rng.choice("ABCDEFGHJKLMNPRSTW") + ".")
    name = " ".join(parts)
    if rng.random() < 0.05:
        name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return name


# ROR names that name a kind of unit, not an organisation ("Computer Science Department" is one French
# lab's ROR name; "Institute of Automation" one German institute's): a comma part of a printed string
# equal to one of them is not an institution.
_GENERIC = re.compile(
    r"^(department|dept|school|faculty|division|computer science|laboratory|lab|institute of [a-z]+$)"
)


def _institutions(printed: str, ror: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    found = []
    for candidate in [printed, *re.split(r"[,;]", printed)]:
        key = normalise(candidate.strip())
        hit = ror.get(key) if key and not _GENERIC.match(key) else None
        if hit and hit[0] not in {i["display_name"] for i in found}:
            iid = synthetic_id("I", hit[0])
            found.append(
                {
                    "id": OA + iid,
                    "display_name": hit[0],
                    "ror": None,
                    "country_code": hit[1],
                    "type": "education",
                    "lineage": [OA + iid],
                }
            )
        if found:
            break
    return found


def synthesise(
    con: Any,
    venue: str,
    year: int,
    ror: dict[str, tuple[str, str]],
    seed: int = 21,
    affiliation_of: dict[str, str] | None = None,
) -> Synthetic:
    """OpenAlex-format works for the accepted papers of a venue-year (module docstring: how). Printed
    affiliations come from the venue-year itself, else from `affiliation_of` (normalised name →
    affiliation string, e.g. the same names' affiliations in the year before)."""
    rng = random.Random(f"{seed}:{venue}:{year}")
    papers = list_papers(con, venue, year)
    printed = printed_affiliations(con, venue, year)
    source = source_ids(venue)[0]
    out = Synthetic(venue, year)

    def authorship(k: int, n: int, name: str, list_id: str | None, aff: str) -> dict[str, Any]:
        aid = synthetic_id("A", list_id or f"{name}:{rng.random()}")
        if list_id:
            out.author_of[aid] = list_id
        prefix = rng.choice(DEPARTMENTS) if rng.random() < 0.25 else ""
        raw = [] if not aff or rng.random() < 0.08 else [prefix + aff]
        institutions = _institutions(aff, ror) if aff else []
        return {
            "author_position": "first" if k == 0 else ("last" if k == n - 1 else "middle"),
            "author": {"id": OA + aid, "display_name": name, "orcid": None},
            "institutions": institutions,
            "countries": sorted({i["country_code"] for i in institutions}),
            "is_corresponding": False,
            "raw_author_name": name,
            "raw_affiliation_strings": raw,
        }

    def work(title: str, authorships: list[dict[str, Any]], origin: str | None) -> None:
        wid = synthetic_id("W", f"{venue}{year}:{len(out.works)}:{title}")
        out.truth[wid] = origin
        out.works.append(
            {
                "id": OA + wid,
                "doi": None,
                "title": title,
                "display_name": title,
                "publication_year": year,
                "publication_date": f"{year}-12-01",
                "type": "article",
                "language": "en",
                "primary_location": {
                    "source": {"id": OA + source, "display_name": venue, "type": "conference"}
                },
                "authorships": authorships,
                "keywords": [],
                "updated_date": f"{year + 1}-01-01T00:00:00",
            }
        )

    def affiliation(author: Any) -> str:
        if author.authorship_id in printed:
            return printed[author.authorship_id]
        return (affiliation_of or {}).get(normalise(author.name), "")

    for paper in papers:
        # a paper the list gives no authors for can receive nothing: it gets no work (OpenAlex's would
        # have authors this benchmark cannot invent)
        if rng.random() < 0.06 or not paper.authors:
            continue
        byline = [a for a in paper.authors if not (len(paper.authors) > 2 and rng.random() < 0.02)]
        n = len(byline)
        ships = [
            authorship(k, n, _name(rng, a.name), a.authorship_id, affiliation(a))
            for k, a in enumerate(byline)
        ]
        for _ in range(1 + (rng.random() < 0.02)):
            work(_title(rng, paper.title), ships, paper.paper_id)
    words = [w for p in papers for w in p.title.split()]
    for index in range(round(0.04 * len(papers))):
        donor = rng.choice(papers)
        names = [a.name for a in donor.authors] or ["A. Nonymous"]
        ships = [authorship(k, len(names), nm, None, "") for k, nm in enumerate(names)]
        title = rng.choice(papers).title if index % 3 == 2 else " ".join(rng.sample(words, 8)).capitalize()
        work(title, ships, None)
    rng.shuffle(out.works)
    return out


def mock_openalex(works: list[dict[str, Any]], per_page_cap: int = 100) -> httpx.MockTransport:
    """The two requests a works fetch makes (count, cursor pages) over `works`, in the real shape."""

    def handle(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        per_page = min(int(params.get("per-page", "25")), per_page_cap)
        if "cursor" not in params:
            meta = {"count": len(works), "per_page": per_page, "next_cursor": None}
            return httpx.Response(200, json={"meta": meta, "results": works[:per_page]})
        page = 0 if params["cursor"] == "*" else int(params["cursor"])
        results = works[page * per_page : (page + 1) * per_page]
        meta = {"count": len(works), "per_page": per_page, "next_cursor": str(page + 1) if results else None}
        return httpx.Response(200, json={"meta": meta, "results": results})

    return httpx.MockTransport(handle)


def record(mirror: Path, synthetic: Synthetic) -> None:
    """Record the responses `openalex fill VENUE:YEAR` asks for into `mirror` (a response cache: the
    client writes each answer there), through the real client and query."""
    query = WorksQuery("source", source_ids(synthetic.venue), (synthetic.year, synthetic.year))
    saved = os.environ.get("OPENALEX_API_KEY")
    os.environ["OPENALEX_API_KEY"] = "recording"  # only to let the client go to the mock transport
    try:
        client = make_client(mirror, None, 0, transport=mock_openalex(synthetic.works))
        with tempfile.TemporaryDirectory() as scratch:
            fetch_openalex(client, query, Path(scratch) / "out", with_authors=False)
        client.close()
    finally:
        if saved is None:
            os.environ.pop("OPENALEX_API_KEY", None)
        else:
            os.environ["OPENALEX_API_KEY"] = saved
