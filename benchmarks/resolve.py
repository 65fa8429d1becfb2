"""Affiliation resolution over the whole shared corpus: the cascade vs a naive baseline, in one run.

Baseline: exact lookup of the normalised string in the world universities list (name → country), what a
notebook would do. splitscope: the full cascade (alias, location, domain, fuzzy) with a fresh resolver
(no warm cache). Also the throughput of the exact/alias path (strings that are a registry name).

    PYTHONPATH=src python benchmarks/resolve.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from splitscope.build import build
from splitscope.config import shared_data_dir
from splitscope.filters import Selection
from splitscope.orgs.universities import WORLD_UNIVERSITIES_FILE, read_world_universities
from splitscope.resolve.affiliations import default_resolver
from splitscope.resolve.normalise import normalise
from splitscope.store import connect


def distinct_pairs(shared: Path) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        build(con, Selection(), shared / "paperlists", shared, progress=False, post_ingest=False)
        pairs = con.execute("""
            select distinct m.affiliation, coalesce(a.email_domain, '')
            from affiliation_mentions m join authorships a using (authorship_id)
        """).fetchall()
        con.close()
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    if args.shared is None:
        raise SystemExit("benchmarks/resolve.py: no ../shared/data (give --shared)")
    pairs = distinct_pairs(args.shared)
    strings = sorted({a for a, _ in pairs})

    start = time.perf_counter()
    table = {
        normalise(u["name"]): u.get("alpha_two_code")
        for u in read_world_universities(args.shared / WORLD_UNIVERSITIES_FILE)
    }
    base = sum(1 for s in strings if table.get(normalise(s)))
    baseline_s = time.perf_counter() - start

    start = time.perf_counter()
    resolver = default_resolver(args.shared)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    answers = [resolver.resolve(a, d) for a, d in pairs]
    cascade_s = time.perf_counter() - start
    known = sum(1 for r in answers if r.country)

    aliases = [s for s in strings if normalise(s) in resolver.alias_orgs][:50_000]
    fresh = default_resolver(args.shared)
    start = time.perf_counter()
    for s in aliases:
        fresh.resolve(s)
    alias_s = time.perf_counter() - start

    print(f"distinct strings: {len(strings):,}; distinct (string, e-mail domain) pairs: {len(pairs):,}")
    print(
        f"baseline (exact world-list lookup): {baseline_s:.2f} s, "
        f"strings with a country {base / len(strings):.3f}"
    )
    print(
        f"splitscope cascade: registry load {load_s:.2f} s + {cascade_s:.2f} s for {len(pairs):,} pairs "
        f"({len(pairs) / cascade_s:,.0f}/s), pairs with a country {known / len(pairs):.3f}"
    )
    print(
        f"exact/alias path: {len(aliases):,} strings in {alias_s:.3f} s = "
        f"{len(aliases) / alias_s:,.0f} strings/s"
    )
    print(f"ratio cascade / baseline time: {(load_s + cascade_s) / baseline_s:.1f}")


if __name__ == "__main__":
    main()
