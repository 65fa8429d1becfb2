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
    assert document["files"] == {"seen": 12, "read": 12, "skipped": 1, "not_analysed": {}}
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


def test_audit_sarif_is_written_and_levels_follow_fail_on_and_home(tmp_path: Path):
    sarif = tmp_path / "audit.sarif"
    result = runner.invoke(
        app, ["audit", str(FIXTURE), "--sarif", str(sarif), "--home", "US", "--fail-on", "unknown"]
    )
    assert result.exit_code == 1  # unknown dependencies exist; the SARIF is written before the gate
    log = json.loads(sarif.read_text())
    levels = {r["properties"]["jurisdiction"]: r["level"] for r in log["runs"][0]["results"]}
    assert (levels["unknown"], levels["CN"], levels["US"]) == ("error", "warning", "note")


def test_summary_names_languages_seen_but_not_analysed():
    result = runner.invoke(app, ["audit", str(FIXTURE.parent / "ts_chat_app")])
    assert result.exit_code == 0, result.output
    printed = " ".join(result.stdout.split())  # rich wraps at the terminal width, which varies with the path
    assert "9 files seen, 8 read, 0 skipped" in printed
    assert "seen but not analysed (language not supported): Go (1 files)" in printed
