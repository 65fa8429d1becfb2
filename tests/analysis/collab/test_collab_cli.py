from __future__ import annotations

import json

from collab_builders import add_paper, one
from typer.testing import CliRunner

from splitscope.cli import app
from splitscope.store import connect


def _store_file(tmp_path):
    path = tmp_path / "s.duckdb"
    con = connect(path)
    add_paper(con, "P1", 2021, [("u1", one("US")), ("c1", one("CN"))])
    add_paper(con, "P2", 2022, [("u1", one("US")), ("c1", one("CN"))], venue="icml")
    con.close()
    return path


def test_collab_json_schema_and_exit_codes(tmp_path):
    db = _store_file(tmp_path)
    result = CliRunner().invoke(app, ["collab", "--db", str(db), "--json", "--window", "1"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "splitscope.collab/1"
    assert set(document["tables"]) >= {"collab.paper_mix", "collab.tie_transitions", "collab.org_pairs"}
    mix = document["tables"]["collab.paper_mix"]
    row = next(
        r for r in mix["rows"] if r["scope"] == "all" and r["year"] == 2022 and r["category"] == "us_cn"
    )
    assert row["share"] == 1.0 and mix["coverage"] == {
        "unit": "papers",
        "eligible": 2,
        "covered": 2,
        "share": 1.0,
    }

    missing = CliRunner().invoke(app, ["collab", "--db", str(tmp_path / "nope.duckdb")])
    # rich wraps long lines at the runner's terminal width; compare with whitespace folded.
    assert missing.exit_code == 2 and "nope.duckdb: no such store" in " ".join(missing.output.split())
    bad_topic = CliRunner().invoke(app, ["collab", "--db", str(db), "--topic", " "])
    assert bad_topic.exit_code == 2 and "--topic: empty topic" in " ".join(bad_topic.output.split())


def test_collab_csv_writes_every_table(tmp_path):
    db = _store_file(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["collab", "--db", str(db), "--csv", str(out), "--venues", "icml"])
    assert result.exit_code == 0, result.output
    assert (out / "collab.paper_mix.csv").exists() and (out / "collab.pair_strength.parquet").exists()
    meta = json.loads((out / "collab.meta.json").read_text())
    assert meta["filters"]["venues"] == ["icml"] and "rows" not in meta["tables"]["collab.paper_mix"]
    assert "2022" in result.stdout


def test_bad_window_is_exit_2(tmp_path):
    db = _store_file(tmp_path)
    result = CliRunner().invoke(app, ["collab", "--db", str(db), "--window", "0"])
    assert result.exit_code == 2 and "--window: 0" in " ".join(result.output.split())
