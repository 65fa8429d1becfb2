"""Full ingestion of the shared paper-list corpus: splitscope build vs a naive pandas baseline.

Baseline: for every paper-list file, pandas.read_json, then split + explode the `author` and `aff`
strings (what a notebook would do: no validation, no quarantine, no store). splitscope: a full
`build` of the same files into a fresh DuckDB store (validation, quarantine, canonical tables).
Both run in this one process, one after the other, on the same machine state.

    PYTHONPATH=src python benchmarks/ingest.py [--shared ../shared/data] [--workers N]
"""

from __future__ import annotations

import argparse
import gzip
import io
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from splitscope.config import shared_data_dir
from splitscope.pipeline.build import build
from splitscope.selection import Selection
from splitscope.sources.paperlists.parse import discover_paperlists
from splitscope.store import connect


def naive_baseline(mirror: Path) -> tuple[int, int, int]:
    papers = authors = affiliations = 0
    for _venue, _year, path in discover_paperlists(mirror):
        with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path) as handle:
            frame = pd.read_json(io.StringIO(handle.read()), orient="records", dtype=False)
        papers += len(frame)
        for column, sep in (("author", r";\s*"), ("aff", r";\s*")):
            if column not in frame:
                continue
            exploded = frame[column].fillna("").astype(str).str.split(sep, regex=True).explode()
            if column == "author":
                authors += int((exploded.str.strip() != "").sum())
            else:
                affiliations += int(exploded.str.split("+", regex=False).explode().str.strip().ne("").sum())
    return papers, authors, affiliations


def splitscope_build(mirror: Path, workers: int | None) -> tuple[int, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        build(con, Selection(), mirror, shared_dir=None, progress=False, workers=workers, post_ingest=False)
        counts = tuple(
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("papers", "authorships", "affiliation_mentions")
        )
        con.close()
    return counts  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=shared_data_dir())
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.shared is None:
        raise SystemExit("benchmarks/ingest.py: no ../shared/data (give --shared)")
    mirror = args.shared / "paperlists"
    files = len(discover_paperlists(mirror))

    # Alternate the two and keep each one's median: on a shared 2-core machine single runs vary by +-30%.
    baseline_times, splitscope_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        base_counts = naive_baseline(mirror)
        baseline_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        ours = splitscope_build(mirror, args.workers)
        splitscope_times.append(time.perf_counter() - start)
    baseline_s, splitscope_s = statistics.median(baseline_times), statistics.median(splitscope_times)
    runs = ", ".join(f"{b:.1f}/{s:.1f}" for b, s in zip(baseline_times, splitscope_times, strict=True))

    print(f"files: {files}; runs (baseline/splitscope s): {runs}; medians below")
    print(
        f"baseline (pandas read_json + explode): {baseline_s:.1f} s  papers={base_counts[0]:,} "
        f"author strings={base_counts[1]:,} aff strings={base_counts[2]:,}"
    )
    print(
        f"splitscope build (paper lists, full store): {splitscope_s:.1f} s  papers={ours[0]:,} "
        f"authorships={ours[1]:,} affiliation mentions={ours[2]:,}"
    )
    print(f"ratio splitscope / baseline: {splitscope_s / baseline_s:.2f}")


if __name__ == "__main__":
    main()
