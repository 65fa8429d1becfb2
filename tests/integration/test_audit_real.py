"""The audit on a real codebase: installed third-party packages' source (no AI dependencies in them).

A false-positive check on real code: splink 5.0 (the record-linkage library this project uses) and
httpx are read in full and must yield no model, API or hub finding. Skipped if they are not installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from splitscope.audit.scan import scan_repository


@pytest.mark.parametrize("package", ["splink", "httpx"])
def test_real_package_source_has_no_false_positives(package):
    module = pytest.importorskip(package)
    root = Path(module.__file__).parent
    result = scan_repository(root)
    assert result.files_seen > 20
    assert result.findings == []
    assert result.skipped == []
