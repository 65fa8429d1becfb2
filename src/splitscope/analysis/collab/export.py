"""What `splitscope collab` does, as library functions: open the store, compute, export.

JSON document (schema 'splitscope.collab/1', documented in docs/collaboration.md):
{"schema": "splitscope.collab/1", "filters": {...}, "tables": {"<name>": MetricTable.to_dict(), ...}}
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from splitscope.analysis.metric_table import MetricTable

SCHEMA_ID = "splitscope.collab/1"


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
