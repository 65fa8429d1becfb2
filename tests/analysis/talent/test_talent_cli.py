"""Wiring and exit codes of `splitscope talent` (the metrics themselves are tested in test_talent_unit)."""

from __future__ import annotations

import json

from talent_store import fill
from typer.testing import CliRunner

from splitscope.cli import app
from splitscope.store import connect


def test_talent_json_and_csv(tmp_path):
    db = tmp_path / "store.duckdb"
    con = connect(db)
    fill(con)
    con.close()
    result = CliRunner().invoke(
        app, ["talent", "--db", str(db), "--years", "2014-2018", "--json", "--csv", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "splitscope.talent/1"
    assert document["filters"]["years"] == [2014, 2018] and document["filters"]["cohort"] == "all"
    moves = document["tables"]["talent.moves"]
    dropped = {"dropped": 0, "dropped_multi_site_default": 0, "dropped_tld_guess": 0,
               "dropped_low_confidence": 0, "dropped_other": 0}  # fmt: skip
    first = {
        "year": 2015,
        "from_country": "US",
        "to_country": "CN",
        "moves": 1,
        "candidate_moves": 1,
        **dropped,
    }
    assert moves["rows"][0] == first
    move = document["tables"]["talent.moves_detail"]["rows"][0]
    assert move["person_id"] == "returner" and move["to_authorship_ids"] == [move["to_authorship_ids"][0]]
    assert isinstance(move["from_authorship_ids"], list)
    assert (tmp_path / "out" / "talent.work_country_share.csv").is_file()


def test_talent_errors_are_one_line_with_exit_2(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(app, ["talent", "--db", str(tmp_path / "none.duckdb")])
    # rich wraps stderr at the terminal width under CliRunner, so compare with whitespace folded
    assert missing.exit_code == 2 and "no such store" in " ".join(missing.output.split())
    db = tmp_path / "store.duckdb"
    connect(db).close()
    bad_cohort = runner.invoke(app, ["talent", "--db", str(db), "--cohort", "best"])
    assert bad_cohort.exit_code == 2 and "cohort 'best'" in " ".join(bad_cohort.output.split())


def test_talent_prints_us_and_china_shares_and_moves_per_year(tmp_path):
    db = tmp_path / "store.duckdb"
    con = connect(db)
    fill(con)
    con.close()
    result = CliRunner().invoke(app, ["talent", "--db", str(db), "--years", "2014-2018"])
    assert result.exit_code == 0, result.output
    document = json.loads(
        CliRunner().invoke(app, ["talent", "--db", str(db), "--years", "2014-2018", "--json"]).stdout
    )
    shares = document["tables"]["talent.work_country_share"]["rows"]
    us_2015 = next(r for r in shares if r["year"] == 2015 and r["country"] == "US")
    rows = {
        cells[0]: cells
        for line in result.stdout.splitlines()
        if (cells := [c.strip() for c in line.strip("│ ").split("│")]) and cells[0].isdigit()
    }
    assert rows["2015"][1] == f"{100 * us_2015['share']:.1f}"
    assert rows["2015"][5:7] == ["1", "-"]  # the one US -> CN move of the fixture, no CN -> US route
    title = " ".join(result.stdout.split())
    assert "coverage gate 0.30; site countries, China = mainland; affiliation bases all" in title
