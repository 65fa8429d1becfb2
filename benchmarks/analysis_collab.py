"""Time the collaboration analysis over the full shared corpus after `splitscope build` (target < 30 s).

    PYTHONPATH=src python benchmarks/analysis_collab.py [--db splitscope.duckdb]

`collab_section` has the (connection -> summary) shape of benchmarks/analysis.py's SECTIONS, so the two
scripts can be merged into one. The baseline is the issue's time budget: ratio < 1 means within budget.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

from splitscope.config import load_settings
from splitscope.selection import Selection

BUDGET_SECONDS = 30.0


def collab_section(con: duckdb.DuckDBPyConnection) -> str:
    from splitscope.analysis.collab.tables import collab_tables

    tables = collab_tables(con, Selection())
    rows = sum(len(t.frame) for t in tables.values())
    mix = tables["collab.paper_mix"]
    return (
        f"{len(tables)} tables, {rows} rows; papers with a country {mix.coverage.covered}/"
        f"{mix.coverage.eligible}; ties {tables['collab.tie_transitions'].coverage.eligible}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="built store (default splitscope.duckdb)")
    db_path = load_settings(db=parser.parse_args().db).db_path
    if not db_path.is_file():
        print(f"collab benchmark: {db_path}: no such store; run `splitscope build` first", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db_path), read_only=True)
    counts = con.execute(
        "select (select count(*) from papers), (select count(*) from authorships)"
    ).fetchone()
    assert counts is not None
    print(f"store {db_path}: {counts[0]} papers, {counts[1]} authorships")
    start = time.perf_counter()
    summary = collab_section(con)
    elapsed = time.perf_counter() - start
    print(f"collab (all venues, all years, every table): {summary}")
    ratio = elapsed / BUDGET_SECONDS
    print(f"  baseline (budget) {BUDGET_SECONDS:.1f} s, splitscope {elapsed:.2f} s, ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
