"""Time the analyses over the full shared corpus after `splitscope build` (issue target: < 30 s for talent).

    PYTHONPATH=src python benchmarks/analysis.py [--db splitscope.duckdb]

Each section is one function (connection -> short summary string), listed in SECTIONS and timed by
`run_sections`, which benchmarks/analysis_collab.py reuses. The baseline is the issue's time budget, so
ratio < 1 means within budget.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from splitscope.config import load_settings
from splitscope.selection import Selection


def talent_section(con: duckdb.DuckDBPyConnection) -> str:
    from splitscope.analysis.talent.tables import talent_tables

    tables = talent_tables(con, Selection(), cohort="all")
    top = talent_tables(con, Selection(), cohort="top")
    rows = sum(len(t.frame) for t in tables.values()) + sum(len(t.frame) for t in top.values())
    moves = int(tables["talent.moves"].frame["moves"].sum())
    return f"{len(tables) + len(top)} tables, {rows} rows, {moves} moves (cohort all)"


# (name, function, budget in seconds from the issue)
SECTIONS: list[tuple[str, Callable[[duckdb.DuckDBPyConnection], str], float]] = [
    ("talent (all + top cohorts, every table)", talent_section, 30.0),
]


def run_sections(
    sections: list[tuple[str, Callable[[duckdb.DuckDBPyConnection], str], float]], doc: str, label: str
) -> int:
    """Open the store named by --db read-only, then time each section against its budget."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="built store (default splitscope.duckdb)")
    db_path = load_settings(db=parser.parse_args().db).db_path
    if not db_path.is_file():
        print(f"{label}: {db_path}: no such store; run `splitscope build` first", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db_path), read_only=True)
    query = "select (select count(*) from papers), (select count(*) from authorships)"
    counts = con.execute(query).fetchone()
    assert counts is not None
    print(f"store {db_path}: {counts[0]} papers, {counts[1]} authorships")
    for name, section, budget in sections:
        start = time.perf_counter()
        summary = section(con)
        elapsed = time.perf_counter() - start
        print(f"{name}: {summary}")
        print(f"  baseline (budget) {budget:.1f} s, splitscope {elapsed:.2f} s, ratio {elapsed / budget:.2f}")
    return 0


def main() -> int:
    return run_sections(SECTIONS, __doc__ or "", "analysis benchmark")


if __name__ == "__main__":
    sys.exit(main())
