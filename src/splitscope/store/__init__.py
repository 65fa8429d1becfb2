"""The canonical DuckDB store."""

from splitscope.store.db import apply_schema, connect

__all__ = ["apply_schema", "connect"]
