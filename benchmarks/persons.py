"""Person linkage over the whole shared corpus: splitscope (hard ids + Splink + constrained clustering)
vs the name-only baseline (same normalised name = same person), timed in one run.

The store is built first (ingestion and affiliation resolution, not timed); then each linker runs on it.

    PYTHONPATH=src python benchmarks/persons.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from splitscope.config import shared_data_dir
from splitscope.pipeline.build import build
from splitscope.resolve.affiliations.resolver import default_resolver
from splitscope.resolve.affiliations.step import resolve_affiliations
from splitscope.resolve.persons.step import link_persons
from splitscope.selection import Selection
from splitscope.store import connect


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    if args.shared is None:
        raise SystemExit("benchmarks/persons.py: no ../shared/data (give --shared)")
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        build(con, Selection(), args.shared / "paperlists", args.shared, progress=False, post_ingest=False)
        resolve_affiliations(con, default_resolver(args.shared))

        start = time.perf_counter()
        baseline_persons = con.execute("""
            select count(distinct lower(strip_accents(regexp_replace(name, '[-.]', '', 'g'))))
            from authorships
        """).fetchall()[0][0]
        baseline_s = time.perf_counter() - start

        start = time.perf_counter()
        stats = link_persons(con)
        splitscope_s = time.perf_counter() - start

        con.execute("delete from authorship_person where authorship_id like 'nips2024:%'")
        start = time.perf_counter()
        again = link_persons(con)
        incremental_s = time.perf_counter() - start
        con.close()
    print(f"records: {stats.records:,}")
    print(f"baseline (name-only): {baseline_s:.1f} s, {baseline_persons:,} persons")
    print(
        f"splitscope full link: {splitscope_s:.1f} s, {stats.persons:,} persons, "
        f"{stats.scored_pairs:,} scored pairs"
    )
    print(
        f"incremental relink of NeurIPS 2024 ({again.new_records:,} records, mode {again.mode}): "
        f"{incremental_s:.1f} s"
    )
    print(f"ratio splitscope / baseline: {splitscope_s / baseline_s:.0f}")


if __name__ == "__main__":
    main()
