"""The full store: every venue of ../shared/data built once per test run with the same `build` the CLI
runs (several minutes), shared by the tests that measure what `make run` measures (the move sample, the
make-run report). SPLITSCOPE_FULL_STORE may name a store `splitscope build --venues all` made from this
same code, to test it without rebuilding (SPLITSCOPE_MOVE_SAMPLE_STORE, its old name, still works)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from splitscope.pipeline.build import build
from splitscope.selection import Selection
from splitscope.store import connect


@pytest.fixture(scope="session")
def full_store_path(shared_data, tmp_path_factory) -> Path:
    given = os.environ.get("SPLITSCOPE_FULL_STORE") or os.environ.get("SPLITSCOPE_MOVE_SAMPLE_STORE")
    if given:
        return Path(given)
    path = tmp_path_factory.mktemp("full") / "store.duckdb"
    con = connect(path)
    try:
        build(con, Selection(), shared_data / "paperlists", shared_data, progress=False)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def full_store(full_store_path):
    """A read-only connection to the full store (modules open their own; the file is shared)."""
    con = connect(full_store_path, read_only=True)
    yield con
    con.close()
