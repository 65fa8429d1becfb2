"""What `splitscope collab` does, as library functions: open the store, compute, export.

JSON document (schema 'splitscope.collab/1', documented in docs/collaboration.md):
{"schema": "splitscope.collab/1", "filters": {...}, "tables": {"<name>": MetricTable.to_dict(), ...}}
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES
from splitscope.analysis.collab.tables import collab_tables
from splitscope.analysis.metric_table import MetricTable
from splitscope.errors import UnusableInputError
from splitscope.selection import parse_selection
from splitscope.store import open_store

SCHEMA_ID = "splitscope.collab/1"


def run_collab(
    db_path: Path,
    venues: str | None = None,
    years: str | None = None,
    topic: str | None = None,
    window: int = 3,
    grouping: str | None = None,
    persons: str = "auto",
    resamples: int = DEFAULT_RESAMPLES,
) -> dict[str, MetricTable]:
    """Parse the selection, open the store read-only and compute every collaboration table."""
    selection = parse_selection(venues, years)
    con = open_store(db_path)
    try:
        papers = _count_papers(con)
        if papers == 0:
            raise UnusableInputError(f"{db_path}: the store holds no papers; run `splitscope build` first")
        return collab_tables(con, selection, topic, window, grouping, persons=persons, resamples=resamples)
    finally:
        con.close()


def _count_papers(con) -> int:
    row = con.execute("select count(*) from papers").fetchone()
    return int(row[0]) if row else 0


def collab_document(tables: dict[str, MetricTable]) -> dict[str, Any]:
    """The stable JSON document: schema id, the shared filters, every table."""
    first = next(iter(tables.values()), None)
    return {
        "schema": SCHEMA_ID,
        "filters": first.filters if first else {},
        "tables": {name: _clean(table.to_dict()) for name, table in tables.items()},
    }


def _clean(value: Any) -> Any:
    """NaN/inf -> null, numpy scalars -> Python numbers, so the JSON is standard and typed."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_collab_csv(tables: dict[str, MetricTable], folder: Path) -> list[Path]:
    """<name>.csv and <name>.parquet per table, plus collab.meta.json (filters, coverage, notes)."""
    written: list[Path] = []
    for table in tables.values():
        written.extend(table.write(folder))
    meta = collab_document(tables)
    for entry in meta["tables"].values():
        entry.pop("rows")
    meta_path = folder / "collab.meta.json"
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return [*written, meta_path]


def headline(tables: dict[str, MetricTable]) -> list[dict[str, Any]]:
    """US-CN paper share per year over all selected venues (cohort 'all'), for the terminal summary."""
    mix = tables["collab.paper_mix"].frame
    rows = mix[(mix["scope"] == "all") & (mix["cohort"] == "all") & (mix["category"] == "us_cn")]
    return rows.to_dict(orient="records")
