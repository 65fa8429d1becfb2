"""The canonical DuckDB store."""

from splitscope.store.db import apply_schema, connect, open_store

__all__ = ["apply_schema", "connect", "open_store"]
