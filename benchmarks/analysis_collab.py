"""Time the collaboration analysis over the full shared corpus after `splitscope build` (target < 30 s).

    PYTHONPATH=src python benchmarks/analysis_collab.py [--db splitscope.duckdb]

`collab_section` has the (connection -> summary) shape of benchmarks/analysis.py's SECTIONS and is timed
by its `run_sections`. The baseline is the issue's time budget: ratio < 1 means within budget.
"""

from __future__ import annotations

import sys

import duckdb

from analysis import run_sections  # benchmarks/analysis.py: run as a script, its folder is on the path
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
    sections = [("collab (all venues, all years, every table)", collab_section, BUDGET_SECONDS)]
    return run_sections(sections, __doc__ or "", "collab benchmark")


if __name__ == "__main__":
    sys.exit(main())
