"""`splitscope report` wiring and exit codes (the library is tested in test_report_render.py)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from splitscope.cli import app
from splitscope.store import connect

runner = CliRunner()


def _one_line(text: str) -> str:
    # rich wraps stderr at the terminal width (80 under CliRunner); the message itself is one line.
    return " ".join(text.split())


def _empty_store(tmp_path):
    db = tmp_path / "store.duckdb"
    connect(db).close()
    return db


def test_report_json_on_an_empty_store(tmp_path):
    db = _empty_store(tmp_path)
    out = tmp_path / "report"
    result = runner.invoke(
        app, ["report", "--out", str(out), "--db", str(db), "--years", "2018-2020", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["index_html"] == str(out / "index.html")
    assert {c["id"] for c in payload["claims"]} >= {"us_cn_collaboration_shrinking"}
    assert (out / "index.html").exists() and (out / "data" / "claims.csv").exists()


def test_report_bad_claims_file_exits_2_with_every_problem(tmp_path):
    db = _empty_store(tmp_path)
    claims = tmp_path / "mine.yaml"
    claims.write_text("claims:\n  - id: x\n    direction: up\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "--db", str(db), "--claims", str(claims), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert f"splitscope: {claims}: 4 problem(s): claims[0] (x): missing 'claim'" in _one_line(result.stderr)
    assert "direction must be one of increase, decrease, got 'up'" in _one_line(result.stderr)


def test_report_missing_store_and_bad_years_exit_2(tmp_path):
    missing = runner.invoke(app, ["report", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path)])
    assert missing.exit_code == 2
    assert "none.duckdb: no such store; run `splitscope build` first" in _one_line(missing.stderr)
    bad_years = runner.invoke(app, ["report", "--years", "20x8", "--out", str(tmp_path)])
    assert bad_years.exit_code == 2 and "--years: '20x8' is not a year" in _one_line(bad_years.stderr)
