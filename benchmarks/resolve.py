"""Affiliation resolution speed and what the cascade adds (issue 3 targets: >= 20,000 distinct strings/s on
the exact/alias path; the whole shared corpus resolved in under 30 s).

    PYTHONPATH=src python benchmarks/resolve.py [--db splitscope.duckdb]  # a store from `splitscope build`

Without --db the corpus is ingested into a temporary store first (about 15 s, not timed).

Baseline: exact lookup of the normalised string in the world universities list only (the naive approach).
splitscope: the full cascade (alias → location → domain → fuzzy) with a fresh, uncached resolver, on the same
distinct strings. Coverage = share of the labelled affiliation mentions (papercopilot country labels)
that get a country; precision = correct / resolved in the labels' convention (HK/MO/TW counted as CN).
Then the alias path alone, and the whole build step (`resolve_affiliations`) on the store.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from splitscope.config import shared_data_dir
from splitscope.orgs.normalise import normalise
from splitscope.orgs.universities import WORLD_UNIVERSITIES_FILE, read_world_universities
from splitscope.pipeline.build import build
from splitscope.resolve.affiliations import gazetteer
from splitscope.resolve.affiliations.evaluate import LABEL_CONVENTION, label_code
from splitscope.resolve.affiliations.resolver import default_resolver
from splitscope.resolve.affiliations.step import resolve_affiliations
from splitscope.selection import Selection
from splitscope.store import connect


def labelled(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = con.execute(
        """select affiliation, country_label from affiliation_mentions
           where country_label is not null
           union all
           select affiliation, country_label from paper_affiliation_mentions
           where country_label is not null"""
    ).fetchall()
    codes = {label: label_code(label) for label in {r[1] for r in rows}}
    return [(a, codes[lab]) for a, lab in rows if codes[lab]]  # type: ignore[misc]


def score(answers: dict[str, str | None], rows: list[tuple[str, str]]) -> tuple[float, float]:
    resolved = correct = 0
    for affiliation, label in rows:
        ours = answers.get(affiliation)
        if ours is None:
            continue
        resolved += 1
        correct += LABEL_CONVENTION.get(ours, ours) == LABEL_CONVENTION.get(label, label)
    return resolved / len(rows), correct / max(resolved, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    shared = shared_data_dir()
    if shared is None:
        print("benchmarks/resolve.py: needs ../shared/data (or SPLITSCOPE_SHARED)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        con = open_store(args.db, Path(tmp), shared)
        run(con, shared)
        con.close()
    return 0


def open_store(db: Path | None, tmp: Path, shared: Path) -> duckdb.DuckDBPyConnection:
    if db is not None:
        return duckdb.connect(str(db))
    con = connect(tmp / "bench.duckdb")
    build(con, Selection(), shared / "paperlists", shared, progress=False, post_ingest=False)
    return con


def cold_seconds(shared: Path, texts: list[str]) -> float:
    """Seconds a fresh resolver (built outside the timing) takes on `texts`: its caches and the
    gazetteer's are cold, so a path is measured from scratch."""
    fresh = default_resolver(shared)
    gazetteer._segment_places.cache_clear()
    started = time.perf_counter()
    for text in texts:
        fresh.resolve(text)
    return time.perf_counter() - started


def run(con: duckdb.DuckDBPyConnection, shared: Path) -> None:
    strings = [
        r[0]
        for r in con.execute(
            "select affiliation from affiliation_mentions "
            "union select affiliation from paper_affiliation_mentions"
        ).fetchall()
    ]
    rows = labelled(con)
    print(f"{len(strings):,} distinct affiliation strings; {len(rows):,} labelled mentions")

    started = time.perf_counter()
    world = {
        normalise(e["name"]): e.get("alpha_two_code")
        for e in read_world_universities(shared / WORLD_UNIVERSITIES_FILE)
    }
    baseline = {s: world.get(normalise(s)) for s in strings}
    baseline_s = time.perf_counter() - started
    cov, prec = score(baseline, rows)
    print(
        f"baseline  (exact world-universities lookup): {baseline_s:6.2f} s  "
        f"coverage {cov:.4f}  precision {prec:.4f}"
    )

    started = time.perf_counter()
    resolver = default_resolver(shared)
    answers = {s: resolver.resolve(s) for s in strings}
    cascade_s = time.perf_counter() - started
    cov, prec = score({s: a.country for s, a in answers.items()}, rows)
    print(
        f"splitscope (full cascade, registry load incl.): {cascade_s:6.2f} s  "
        f"coverage {cov:.4f}  precision {prec:.4f}"
    )
    print(f"ratio (splitscope / baseline time): {cascade_s / baseline_s:.1f}x")

    exact = [s for s in strings if normalise(s) in resolver.alias_orgs]
    exact_s = cold_seconds(shared, exact)
    print(
        f"exact path (string is a registry name): {len(exact):,} distinct strings in {exact_s:.2f} s = "
        f"{len(exact) / exact_s:,.0f}/s"
    )
    alias_strings = [s for s, a in answers.items() if a.method == "alias"]
    alias_s = cold_seconds(shared, alias_strings)
    print(
        f"alias path: {len(alias_strings):,} distinct strings in {alias_s:.2f} s = "
        f"{len(alias_strings) / alias_s:,.0f}/s (target >= 20,000/s)"
    )

    stats = resolve_affiliations(con, default_resolver(shared))
    print(
        f"build step resolve_affiliations: {stats.seconds:.1f} s for {stats.distinct_pairs:,} distinct "
        f"(affiliation, e-mail domain) pairs (target < 30 s); authorships with a country "
        f"{stats.authorships_with_country:,} / {stats.authorships:,}"
    )


if __name__ == "__main__":
    sys.exit(main())
