"""Gap filling measured on recorded OpenAlex responses synthesised from the real paper lists.

    PYTHONPATH=src python benchmarks/openalex_fill.py [--db STORE] [--seed 21] [--json]

For venue-years where the paper lists print affiliations (NeurIPS 2014-2018, ICML 2017-2019), every
accepted paper of a store built by `make run` becomes an OpenAlex-format work with realistic
differences (below), recorded as API responses (count + cursor pages, through the real client into a
mirror) and filled with the real pipeline (fetch from the mirror, flatten, match, attach) into a copy of
the store. Known truth: which paper each work came from and which byline author each authorship is.

Differences between a work and its paper (seeded; rates chosen to look like OpenAlex, not measured on it):
- 6% of papers have no work (not indexed); 2% get a second work (a duplicate record);
- titles: 30% case changed, 15% punctuation changed (':' dropped, '-' to ' '), 4% a character typo,
  3% the subtitle after ':' dropped;
- names: 12% given name reduced to an initial, 5% accents dropped, 3% a middle initial added,
  2% an author missing;
- decoys, 4% of the paper count: 2/3 invented titles (words of real titles shuffled) with real names,
  1/3 a real title of the venue-year with another paper's authors (a homonymous paper);
- raw affiliation strings: the printed `aff` string; 25% prefixed with a department, 8% empty (OpenAlex
  then has institutions only);
- institutions: the printed string (whole, else each comma part) looked up by exact normalised name
  in the ROR names of May 2021 (../shared/data/reference): display name and ROR's country code, as
  OpenAlex's institutions are ROR-based; no ROR name, no institution.

Figures: match precision and recall (works), author alignment precision, and country agreement on
authorships holding both a printed-affiliation country (our resolver, paper basis) and (a) an OpenAlex
institution country (ROR's code), (b) our resolver's country for the attached OpenAlex raw string.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from openalex_responses import record, ror_names, synthesise  # noqa: E402

from splitscope.orgs.normalise import normalise  # noqa: E402
from splitscope.sources.openalex.api import fetch_openalex, make_client  # noqa: E402
from splitscope.sources.openalex.fill import list_papers  # noqa: E402
from splitscope.sources.openalex.query import WorksQuery  # noqa: E402
from splitscope.sources.openalex.venues import source_ids  # noqa: E402
from splitscope.sources.text import normalise_title  # noqa: E402

MEASURED = [("nips", y) for y in range(2014, 2019)] + [("icml", y) for y in range(2017, 2020)]


def measure_one(
    con: Any, venue: str, year: int, ror: dict[str, tuple[str, str]], resolver: Any, work_dir: Path, seed: int
) -> dict[str, Any]:
    """Synthesise, record, fill (the pipeline's own fetch-flatten-attach) and score one venue-year."""
    from splitscope.pipeline.openalex_fill import flatten_and_attach

    synthetic = synthesise(con, venue, year, ror, seed)
    mirror = work_dir / "mirror"
    record(mirror, synthetic)
    query = WorksQuery("source", source_ids(venue), (year, year))
    out = work_dir / f"{venue}-{year}"
    fetched = fetch_openalex(make_client(None, mirror, 0), query, out, with_authors=False)
    fill = flatten_and_attach(con, venue, year, out, fetched.works_written)
    # a paper list can hold one paper twice (two ids, same title and byline): a work matched to the
    # other copy is counted apart, as `list_duplicate`, not as correct
    same = {
        p.paper_id: (normalise_title(p.title), tuple(normalise(a.name) for a in p.authors))
        for p in list_papers(con, venue, year)
    }
    correct = sum(synthetic.truth.get(work) == paper for paper, work, _ in fill.matches)
    duplicate = sum(
        synthetic.truth.get(work) not in (None, paper)
        and same[paper] == same.get(synthetic.truth[work] or "")
        for paper, work, _ in fill.matches
    )
    true_papers = {p for p in synthetic.truth.values() if p}
    pairs = con.execute(
        "select authorship_id, openalex_author_id from openalex_authorships where source_id = ?",
        [fill.source_id],
    ).fetchall()
    aligned = sum(synthetic.author_of.get(aid) == list_id for list_id, aid in pairs)
    paper_basis = _paper_countries(con, fill.source_id)
    inst = con.execute(
        "select authorship_id, country_code from openalex_authorship_institutions "
        "where source_id = ? and country_code is not null",
        [fill.source_id],
    ).fetchall()
    raw = con.execute(
        "select authorship_id, affiliation from affiliation_mentions where source_id = ?", [fill.source_id]
    ).fetchall()
    resolved = [(aid, resolver.resolve(text, "").country) for aid, text in raw]
    return {
        "venue": venue,
        "year": year,
        "papers": fill.papers,
        "works": fill.works,
        "decoys": sum(v is None for v in synthetic.truth.values()),
        "matched": fill.matched,
        "correct": correct,
        "list_duplicate": duplicate,
        "true_papers_with_work": len(true_papers),
        "by_method": fill.by_method,
        "unmatched_works": len(fill.unmatched_works),
        "author_pairs": len(pairs),
        "author_pairs_correct": aligned,
        "institution_agreement": _agreement(inst, paper_basis),
        "raw_string_agreement": _agreement(resolved, paper_basis),
        "reconciles": fill.reconciles,
    }


def _paper_countries(con: Any, source_id: str) -> dict[str, set[str]]:
    rows = con.execute(
        """select aa.authorship_id, list(distinct aa.country) from authorship_affiliations aa
           where aa.country is not null and split_part(aa.source_id, ':', 1) = 'paperlists'
             and aa.authorship_id in (select authorship_id from openalex_authorships where source_id = ?)
           group by all""",
        [source_id],
    ).fetchall()
    return {aid: set(countries) for aid, countries in rows}


def _agreement(answers: list[tuple[str, str | None]], truth: dict[str, set[str]]) -> dict[str, int]:
    """Authorships with both answers; those whose every answered country is among the printed ones."""
    by_authorship: dict[str, set[str]] = {}
    for aid, country in answers:
        if country:
            by_authorship.setdefault(aid, set()).add(country)
    both = [aid for aid in by_authorship if aid in truth]
    agree = sum(by_authorship[aid] <= truth[aid] for aid in both)
    return {"authorships": len(both), "agree": agree}


def main(argv: list[str] | None = None) -> int:
    from splitscope.config import shared_data_dir
    from splitscope.resolve.affiliations.resolver import default_resolver
    from splitscope.store import connect

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/work/fresh20/splitscope.duckdb"))
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    shared = shared_data_dir()
    assert shared is not None, "needs ../shared/data (SPLITSCOPE_SHARED)"
    ror, resolver = ror_names(shared), default_resolver(shared, None)
    rows = []
    with tempfile.TemporaryDirectory(prefix="openalex-fill-") as scratch:
        work = Path(scratch)
        shutil.copy(args.db, work / "store.duckdb")  # the fill writes; the given store stays as it is
        con = connect(work / "store.duckdb")
        for venue, year in MEASURED:
            rows.append(measure_one(con, venue, year, ror, resolver, work, args.seed))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        con.close()
    total = {
        k: sum(r[k] for r in rows)
        for k in (
            "matched",
            "correct",
            "list_duplicate",
            "true_papers_with_work",
            "author_pairs",
            "author_pairs_correct",
            "works",
            "decoys",
            "papers",
        )
    }
    for key in ("institution_agreement", "raw_string_agreement"):
        total[key] = {k: sum(r[key][k] for r in rows) for k in ("authorships", "agree")}
    if args.json:
        print(json.dumps({"venue_years": rows, "total": total}, indent=2))
        return 0
    t = total
    print(f"{len(rows)} venue-years, {t['papers']:,} papers, {t['works']:,} works ({t['decoys']:,} decoys)")
    print(
        f"match precision {t['correct'] / t['matched']:.4f} ({t['correct']:,}/{t['matched']:,}; "
        f"the other {t['list_duplicate']} went to a second copy of the same paper in the list); recall "
        f"{t['correct'] / t['true_papers_with_work']:.4f} of papers with a work"
    )
    print(
        f"author alignment precision {t['author_pairs_correct'] / t['author_pairs']:.4f} "
        f"({t['author_pairs_correct']:,}/{t['author_pairs']:,})"
    )
    for key, label in (
        ("institution_agreement", "OpenAlex institution (ROR) country"),
        ("raw_string_agreement", "resolver on OpenAlex raw string"),
    ):
        a = t[key]
        print(
            f"country agreement, {label} vs printed affiliation: {a['agree'] / a['authorships']:.4f} "
            f"({a['agree']:,}/{a['authorships']:,} authorships)"
        )
    for r in rows:
        print(
            f"  {r['venue']} {r['year']}: {r['correct']}/{r['matched']} correct, {r['unmatched_works']} works"
            f" unmatched, by method {r['by_method']}, reconciles {r['reconciles']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
