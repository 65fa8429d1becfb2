"""Report generation time on a built store (the issue asks for < 20 s after `build`).

baseline  = the analysis calls alone (gather_tables: what any report must compute)
splitscope = the whole render_report (analyses + charts + HTML + CSV/Parquet exports)
ratio      = splitscope / baseline, i.e. what rendering adds on top of the analyses.

Usage: python benchmarks/report.py [--db splitscope.duckdb] [--venues ...] [--years ...]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from splitscope.config import load_settings
from splitscope.report.gather import gather_tables
from splitscope.report.render import render_report
from splitscope.selection import parse_selection
from splitscope.store import connect

BUDGET_SECONDS = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--venues", default=None)
    parser.add_argument("--years", default=None)
    args = parser.parse_args()
    db_path = load_settings(db=args.db).db_path
    if not db_path.exists():
        raise SystemExit(f"{db_path}: no such store; run `splitscope build` first")
    selection = parse_selection(args.venues, args.years)
    con = connect(db_path, read_only=True)
    try:
        started = time.perf_counter()
        gathered = gather_tables(con, selection)
        baseline = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            render_report(con, Path(out), selection)
            total = time.perf_counter() - started
    finally:
        con.close()
    print(
        f"store: {db_path} · tables: {len(gathered.tables)} · not available: {sorted(gathered.unavailable)}"
    )
    print(f"baseline (analyses only): {baseline:.2f} s")
    print(f"splitscope report (render_report): {total:.2f} s (budget {BUDGET_SECONDS:.0f} s)")
    print(f"ratio: {total / baseline:.2f}" if baseline > 0 else "ratio: n/a")
    if total > BUDGET_SECONDS:
        raise SystemExit(f"report took {total:.1f} s, over the {BUDGET_SECONDS:.0f} s budget")


if __name__ == "__main__":
    main()
