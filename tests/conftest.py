"""Shared fixtures. Integration tests read ../shared/data in place and skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from splitscope.config import shared_data_dir
from splitscope.store import connect


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("../shared/data is not present")
    return path


@pytest.fixture()
def store():
    """A fresh in-memory store with the canonical schema."""
    con = connect(":memory:")
    yield con
    con.close()
