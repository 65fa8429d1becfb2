"""`splitscope gaps` and `splitscope openalex fill` on a small real store (NeurIPS 2018-2020, ICML
2019-2021, CVPR 2019-2020 from ../shared/data).

The fill replays recorded OpenAlex responses built from the real NeurIPS 2019 paper list by
benchmarks/openalex_responses.py (every accepted paper as a work with OpenAlex-like differences, plus decoys;
raw affiliation strings are the same authors' printed NeurIPS 2018 affiliations, the nearest real
affiliation the bundle holds for a NeurIPS 2019 author): matched papers must gain affiliations under the
OpenAlex basis, the collab and talent figures of NeurIPS 2019 must move, and every decoy must be listed.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from splitscope import api
from splitscope.cli import app
from splitscope.config import load_settings
from splitscope.orgs.normalise import normalise
from splitscope.pipeline.build import build
from splitscope.selection import Selection
from splitscope.store import connect

pytestmark = pytest.mark.integration

VENUE_YEARS = {("nips", y) for y in (2018, 2019, 2020)} | {("icml", y) for y in (2019, 2020, 2021)}
VENUE_YEARS |= {("cvpr", 2019), ("cvpr", 2020)}
BENCHMARK = Path(__file__).parents[2] / "benchmarks" / "openalex_responses.py"


class OnlySome(Selection):
    def includes(self, venue: str, year: int) -> bool:
        return (venue, year) in VENUE_YEARS


def _synthesiser():
    spec = importlib.util.spec_from_file_location("openalex_fill_benchmark", BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(shared_data, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fill") / "store.duckdb"
    con = connect(path)
    build(con, OnlySome(), shared_data / "paperlists", shared_data, progress=False, workers=1)
    con.close()
    return path


def test_gaps_lists_the_known_gaps_with_their_fill_commands(built):
    result = api.gaps(load_settings(db=built), Selection())
    by_venue_year = {(g.venue, g.year): g for g in result.gaps}
    # names only in the paper lists: nothing per author
    for venue, year in (("nips", 2019), ("nips", 2020), ("icml", 2020), ("icml", 2021)):
        gap = by_venue_year[(venue, year)]
        assert gap.coverage == 0 and "names only" in gap.holds
        assert gap.fill_command == f"splitscope openalex fill {venue}:{year}"
    # CVPR 2020 prints a per-paper institution list, not one per author: a gap that says what it holds
    cvpr = by_venue_year[("cvpr", 2020)]
    assert cvpr.coverage < 0.01 and "per-paper affiliation lists for 1,4" in cvpr.holds
    assert not {("nips", 2018), ("icml", 2019), ("cvpr", 2019)} & set(by_venue_year)
    assert "splitscope openalex fill nips:2019-2020" in result.fill_commands
    assert "splitscope openalex fill icml:2020-2021" in result.fill_commands
    shown = CliRunner().invoke(app, ["gaps", "--db", str(built), "--venues", "nips"])
    assert shown.exit_code == 0, shown.output
    assert "nips 2019: coverage 0.0% of 5,567 authorships" in shown.output
    assert "  splitscope openalex fill nips:2019-2020" in shown.output


def _nips_2019_figures(settings):
    selection = Selection(("nips",), (2019, 2019))
    collab = api.collab(settings, selection, api.CollabOptions(resamples=20)).tables
    # the talent trends gate venue-years on author coverage; a fill from the previous year's names
    # may stay below the gate, so the talent figure is read with the gate open
    open_gate = Selection(("nips",), (2019, 2019), coverage_gate=0.0)
    talent = api.talent(settings, open_gate, api.TalentOptions(resamples=20)).tables
    counts = collab["collab.country_counts"].frame
    us = counts[(counts["year"] == 2019) & (counts["country"] == "US") & (counts["scope"] == "all")]
    return {
        "collab_papers": collab["collab.country_counts"].coverage.covered,
        "collab_us_papers": int(us["papers_full"].sum()),
        "talent_researcher_years": talent["talent.work_country_share"].coverage.covered,
    }


def test_fill_attaches_openalex_affiliations_and_moves_the_figures(built, shared_data, tmp_path, monkeypatch):
    store = tmp_path / "store.duckdb"
    shutil.copy(built, store)
    bench = _synthesiser()
    con = connect(store)
    # the authors' printed NeurIPS 2018 affiliations, by normalised name
    previous = dict(
        con.execute(
            """select a.name, any_value(m.affiliation) from affiliation_mentions m
               join authorships a using (authorship_id) join papers p using (paper_id)
               where p.venue = 'nips' and p.year = 2018 group by a.name"""
        ).fetchall()
    )
    synthetic = bench.synthesise(
        con, "nips", 2019, bench.ror_names(shared_data), 21, {normalise(k): v for k, v in previous.items()}
    )
    con.close()
    bench.record(tmp_path / "mirror", synthetic)
    settings = load_settings(db=store)
    before = _nips_2019_figures(settings)
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)  # offline: the mirror answers everything
    args = ["openalex", "fill", "nips:2019", "--mirror", str(tmp_path / "mirror"), "--db", str(store)]
    result = CliRunner().invoke(app, [*args, "--cache", str(tmp_path / "cache"), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    (fill,) = summary["fills"]
    assert fill["reconciles"] and fill["source_id"] == "openalex-fill:nips/2019"
    truth = synthetic.truth
    matched = fill["matched"]
    assert matched > 0.9 * sum(p is not None for p in truth.values()) / 1.02
    # every decoy is listed with its reason, none attached
    unmatched = {u["work"]: u["reason"] for u in fill["unmatched_works"]}
    decoys = {w for w, p in truth.items() if p is None}
    assert decoys <= set(unmatched)
    assert any("authors differ" in unmatched[w] for w in decoys)
    assert any("no paper of the list" in unmatched[w] for w in decoys)
    assert fill["unmatched_papers"] and all(u["reason"] for u in fill["unmatched_papers"])
    con = connect(store, read_only=True)
    kinds = con.execute(
        "select kind, records_read, records_merged, records_quarantined from sources where source_id = ?",
        [fill["source_id"]],
    ).fetchall()
    assert kinds[0][0] == "openalex_fill" and kinds[0][1] == kinds[0][2] + kinds[0][3]
    quarantined = con.execute("select count(*) from quarantine where source_id = ?", [fill["source_id"]])
    assert quarantined.fetchone()[0] == len(unmatched)
    # the resolver now reads OpenAlex's strings for NeurIPS 2019 authors: affiliations under that source
    with_country = con.execute(
        """select count(distinct aa.authorship_id) from authorship_affiliations aa
           where aa.source_id = ? and aa.country is not null""",
        [fill["source_id"]],
    ).fetchone()[0]
    assert with_country > 1000
    # mentions hang off the paper list's own authorships, never new papers or authorships
    assert con.execute(
        """select count(*) from affiliation_mentions m left join authorships a using (authorship_id)
           where m.source_id = ? and (a.source_id is null or a.source_id not like 'paperlists:%')""",
        [fill["source_id"]],
    ).fetchone() == (0,)
    con.close()
    (cov_before,) = summary["coverage_before"]
    (cov_after,) = summary["coverage_after"]
    assert cov_before["coverage"] == 0 and cov_after["with_country"] == with_country
    # under the OpenAlex basis alone, NeurIPS 2019 has all of those authorships and nothing else does
    from splitscope.analysis.coverage import venue_year_coverage

    con = connect(store, read_only=True)
    only_openalex = Selection(("nips",), (2018, 2019), affiliation_bases=("openalex",))
    by_year = venue_year_coverage(con, only_openalex).set_index("year")
    con.close()
    assert by_year.loc[2019, "with_country"] == with_country and by_year.loc[2019, "main_basis"] == "openalex"
    assert by_year.loc[2018, "with_country"] == 0
    after = _nips_2019_figures(settings)
    assert before["collab_papers"] == 0 < after["collab_papers"]
    assert before["collab_us_papers"] == 0 < after["collab_us_papers"]
    assert after["talent_researcher_years"] > before["talent_researcher_years"]
