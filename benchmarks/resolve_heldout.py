"""Resolver precision and coverage per held-out half (issue 16; docs/affiliations.md, "Held-out measurement").

    PYTHONPATH=src python benchmarks/resolve_heldout.py   # ~2 min; reads ../shared/data in place

Prints aggregate figures only (precision, coverage, counts) for the tuning half, the untouched half and the
whole labelled bundle: the untouched half's disagreements are never printed, so that it stays held out.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from splitscope.config import shared_data_dir
from splitscope.pipeline.labelled import load_labelled
from splitscope.resolve.affiliations.evaluate import evaluate_store
from splitscope.resolve.affiliations.resolver import default_resolver

SPLIT = Path(__file__).parents[1] / "tests" / "resolve" / "affiliations" / "data" / "heldout_venues.tsv"


def main() -> int:
    shared = shared_data_dir()
    if shared is None:
        print("../shared/data is not present", file=sys.stderr)
        return 2
    lines = [line for line in SPLIT.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    half_of = {row["venue"]: row["half"] for row in csv.DictReader(lines, delimiter="\t")}
    files: dict[str, list[Path]] = {"tuning": [], "untouched": []}
    with (shared / "paperlists" / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if int(row["papers_with_country"] or 0) > 0:
                files[half_of[row["file"].split("/")[0]]].append(shared / "paperlists" / row["file"])
    resolver = default_resolver(shared)
    totals = {"n": 0, "resolved": 0, "correct": 0}
    for half, paths in files.items():
        score = evaluate_store(load_labelled(paths), resolver)
        for key in totals:
            totals[key] += score[key]
        _line(half, len(paths), score["n"], score["precision"], score["coverage"])
    n_files = sum(map(len, files.values()))
    _line(
        "whole",
        n_files,
        totals["n"],
        totals["correct"] / totals["resolved"],
        totals["resolved"] / totals["n"],
    )
    return 0


def _line(name: str, files: int, labelled: int, precision: float, coverage: float) -> None:
    print(
        f"{name:<10} files {files:>4}  labelled {labelled:>7,}  "
        f"precision {precision:.5f}  coverage {coverage:.5f}"
    )


if __name__ == "__main__":
    sys.exit(main())
