"""The m-values of persons/model.py (EVIDENCE_M), measured from the OpenReview ids of labelled files.

m(level) = the share of one researcher's pairs (two records, or two stage-1 fragments, with one profile
and a shared name block) that fall on the level. `eval persons --json` prints them as `m_from_ids`, so the
constants in model.py can be re-measured on the tuning files and checked against files never tuned on.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

SAME_BLOCK = "(l.name_key = r.name_key or l.core_key = r.core_key or l.name_compact = r.name_compact)"


def _level(column: str, sizes: list[int]) -> str:
    """The level a pair falls on, as Splink's ArrayIntersectAtSizes decides it (null: no level)."""
    steps = " ".join(f"when len(list_intersect(l.{column}, r.{column})) >= {s} then '>={s}'" for s in sizes)
    return f"case when l.{column} is null or r.{column} is null then null {steps} else 'else' end"


def measure_m(table: pa.Table, truth: list[str | None], unique_id: str, sizes: dict[str, list[int]]) -> Any:
    """{comparison: {level: share}} over pairs of rows with the same truth in one name block."""
    con = duckdb.connect()
    try:
        con.register("source", table.select([c for c in table.column_names if c not in ("papers", "names")]))
        labels = pa.array([t if isinstance(t, str) else None for t in truth], pa.string())
        con.register("truth", pa.table({"row_id": table.column(unique_id), "truth": labels}))
        levels = ", ".join(f"{_level(c, s)} as {c}" for c, s in sizes.items())
        pairs = con.sql(f"""
            with labelled as (
                select s.*, t.truth from source s join truth t on s.{unique_id} = t.row_id
                where t.truth is not null
            )
            select {levels} from labelled l join labelled r
            on l.truth = r.truth and l.{unique_id} < r.{unique_id} and {SAME_BLOCK}
        """).df()
    finally:
        con.close()
    return {"pairs": len(pairs), **{c: _shares(pairs[c]) for c in sizes}}


def _shares(levels: pd.Series) -> dict[str, float]:
    counts = levels.dropna().value_counts()
    return {str(k): round(float(v) / float(counts.sum()), 4) for k, v in counts.sort_index().items()}
