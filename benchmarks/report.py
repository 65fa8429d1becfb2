"""The report's two costs: generation time on a built store, and the page a reader opens.

Generation (the issue asks for < 20 s after `build`):
  baseline   = the analysis calls alone (gather_tables: what any report must compute)
  splitscope = the whole render_report (analyses + charts + HTML + CSV/Parquet exports)
  ratio      = splitscope / baseline, i.e. what rendering adds on top of the analyses.

The page (`--page`, issue 18: <= 3 MB and the first chart visible in < 2 s in headless Chromium):
  weight and time to first chart of the given index.html, against `--baseline-page` (an older report)
  when given; the time is from navigation start to the first animation frame that shows a drawn chart
  (tests/report/chromium_page.py's probe), best of `--runs` fresh browser loads.

Usage: python benchmarks/report.py [--db splitscope.duckdb] [--venues ...] [--years ...]
       python benchmarks/report.py --page report/index.html [--baseline-page old/index.html] [--runs 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from splitscope.config import load_settings
from splitscope.report.gather import gather_tables
from splitscope.report.render import render_report
from splitscope.selection import parse_selection
from splitscope.store import connect

BUDGET_SECONDS = 20.0
PAGE_BYTES = 3_000_000
FIRST_CHART_MS = 2000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--venues", default=None)
    parser.add_argument("--years", default=None)
    parser.add_argument("--page", type=Path, default=None, help="measure this report page instead")
    parser.add_argument("--baseline-page", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.page:
        measure_pages(args.page, args.baseline_page, args.runs)
    else:
        measure_generation(args.db, args.venues, args.years)


def measure_generation(db: str | None, venues: str | None, years: str | None) -> None:
    db_path = load_settings(db=db).db_path
    if not db_path.exists():
        raise SystemExit(f"{db_path}: no such store; run `splitscope build` first")
    selection = parse_selection(venues, years)
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


def first_chart_times(page: Path, runs: int) -> list[float]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "report"))
    from chromium_page import first_chart_ms, launch, open_page

    times = []
    for _ in range(runs):
        browser = launch()
        try:
            open_page(browser, page)
            times.append(first_chart_ms(browser))
        finally:
            browser.close()
    return times


def measure_pages(page: Path, baseline_page: Path | None, runs: int) -> None:
    results = {}
    for label, path in (("baseline", baseline_page), ("splitscope", page)):
        if path is None:
            continue
        times = first_chart_times(path, runs)
        results[label] = (path.stat().st_size, min(times))
        shown = ", ".join(f"{t:.0f}" for t in times)
        print(
            f"{label}: {path} · {path.stat().st_size:,} bytes · first chart {min(times):.0f} ms "
            f"(best of {runs}: {shown} ms)"
        )
    if "baseline" in results:
        (old_bytes, old_ms), (new_bytes, new_ms) = results["baseline"], results["splitscope"]
        print(f"ratio: weight {new_bytes / old_bytes:.2f}, first chart {new_ms / old_ms:.2f}")
    size, first = results["splitscope"]
    if size > PAGE_BYTES or first > FIRST_CHART_MS:
        raise SystemExit(
            f"over budget: {size:,} bytes (<= {PAGE_BYTES:,}), {first:.0f} ms (< {FIRST_CHART_MS:.0f})"
        )


if __name__ == "__main__":
    main()
