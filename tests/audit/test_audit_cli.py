"""Wiring and exit codes of `splitscope audit`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from splitscope.audit.bom import validate_bom
from splitscope.cli import app

runner = CliRunner()
FIXTURE = Path(__file__).parent / "fixtures" / "stack_repo"


def test_audit_json_bom_html(tmp_path: Path):
    bom, html = tmp_path / "bom.json", tmp_path / "audit.html"
    result = runner.invoke(app, ["audit", str(FIXTURE), "--json", "--bom", str(bom), "--html", str(html)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["files"] == {"seen": 12, "read": 12, "skipped": 1}
    validate_bom(json.loads(bom.read_text()))
    page = html.read_text()
    assert "Qwen/Qwen2.5-7B-Instruct" in page and "<script" not in page
    assert "sk-should-never-be-shown" not in page + result.stdout


def test_audit_fail_on_exit_codes():
    failed = runner.invoke(app, ["audit", str(FIXTURE), "--fail-on", "CN"])
    assert failed.exit_code == 1
    assert "dependencies in CN:" in failed.stderr
    assert runner.invoke(app, ["audit", str(FIXTURE), "--fail-on", "RU"]).exit_code == 0
    assert runner.invoke(app, ["audit", str(FIXTURE), "--fail-on", "china"]).exit_code == 2


def test_audit_missing_path_exit_2(tmp_path: Path):
    result = runner.invoke(app, ["audit", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "not a directory" in result.stderr
