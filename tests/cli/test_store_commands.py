"""CLI wiring for build and status: exit codes and one-line errors."""

import json

from typer.testing import CliRunner

from splitscope.cli import app

runner = CliRunner()


def write_mirror(root, name, content: bytes):
    venue = name.rstrip("0123456789")
    (root / venue).mkdir(parents=True, exist_ok=True)
    (root / venue / f"{name}.json").write_bytes(content)


def test_build_then_status_json(tmp_path):
    mirror = tmp_path / "mirror"
    write_mirror(
        mirror, "x2020", json.dumps([{"id": "1", "title": "T", "author": "A; B", "aff": "MIT; ETH"}]).encode()
    )
    db = str(tmp_path / "s.duckdb")
    result = runner.invoke(
        app, ["build", "--mirror", str(mirror), "--shared", str(tmp_path), "--db", db, "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["papers_stored"] == 1
    result = runner.invoke(app, ["status", "--db", db, "--json"])
    assert result.exit_code == 0
    status = json.loads(result.stdout)
    assert status["totals"]["authorships"] == 2 and status["totals"]["share_with_affiliation"] == 1.0


def test_truncated_file_is_a_one_line_error_with_exit_2_and_keeps_the_rest(tmp_path):
    mirror = tmp_path / "mirror"
    write_mirror(mirror, "nips2030", b'[{"id": "a", "title": "T", ')
    write_mirror(mirror, "x2020", json.dumps([{"id": "1", "title": "T", "author": "A"}]).encode())
    db = str(tmp_path / "s.duckdb")
    result = runner.invoke(
        app, ["build", "--mirror", str(mirror), "--shared", str(tmp_path), "--db", db, "--json"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == "splitscope: nips/nips2030.json: not valid JSON at byte 27 (truncated?)"
    assert json.loads(result.stdout)["papers_stored"] == 1


def test_status_without_store_exits_2(tmp_path):
    result = runner.invoke(app, ["status", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "none.duckdb: no such store" in result.stderr


def test_build_and_status_human_output(tmp_path):
    mirror = tmp_path / "mirror"
    write_mirror(
        mirror, "x2020", json.dumps([{"id": "1", "title": "T", "author": "A"}, {"title": ""}]).encode()
    )
    db = str(tmp_path / "s.duckdb")
    result = runner.invoke(app, ["build", "--mirror", str(mirror), "--shared", str(tmp_path), "--db", db])
    assert result.exit_code == 0
    assert "records read 2 = papers stored 1 + merged 0 + quarantined 1" in result.stdout
    assert "(reconciles)" in result.stdout
    result = runner.invoke(app, ["status", "--db", db])
    assert result.exit_code == 0 and "x" in result.stdout and "total" in result.stdout


def test_bad_years_option_exits_2(tmp_path):
    result = runner.invoke(
        app, ["build", "--years", "twenty", "--mirror", str(tmp_path), "--db", str(tmp_path / "s")]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == "splitscope: --years: 'twenty' is not a year or a range like 2014-2018"
