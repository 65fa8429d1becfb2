"""`splitscope openalex venues --check` against the local fake API: a source record whose name agrees,
one OpenAlex does not know, one whose name disagrees; the years each holds come from group_by."""

from __future__ import annotations

import json

from openalex_fake_api import OA, FakeOpenAlex
from typer.testing import CliRunner

from splitscope.cli import app
from splitscope.sources.openalex.venue_check import names_agree

SOURCES = {
    "S4306420609": {"id": OA + "S4306420609", "display_name": "Neural Information Processing Systems",
                    "type": "conference"},
    "S4393916742": {"id": OA + "S4393916742", "display_name": "Neural Information Processing Systems "
                    "Datasets and Benchmarks", "type": "conference"},
}  # fmt: skip


def test_check_reports_names_years_and_disagreements(tmp_path, monkeypatch):
    from splitscope.pipeline import openalex as openalex_workflow

    monkeypatch.setenv("OPENALEX_API_KEY", "k")
    with FakeOpenAlex(sources=SOURCES) as fake:
        real = openalex_workflow.make_client
        monkeypatch.setattr(
            openalex_workflow,
            "make_client",
            lambda *a, **k: real(*a, base_url=fake.url, backoff_base=0.01, timeout=0.3, **k),
        )
        args = ["openalex", "venues", "--venue", "nips", "--check", "--cache", str(tmp_path / "c")]
        result = CliRunner().invoke(app, [*args, "--json"])
        assert result.exit_code == 1, result.output  # a check disagreed
        by_id = {s["source_id"]: s for s in json.loads(result.stdout)["sources"]}
        good = by_id["S4306420609"]
        assert good["agrees"] and good["found_name"] == "Neural Information Processing Systems"
        # the fake's works: 2019-2023, W3003 served twice but counted once
        assert good["works_by_year"] == {"2019": 1, "2020": 1, "2021": 1, "2022": 1, "2023": 1}
        assert by_id["S4363606243"]["problem"].startswith("no source record")
        # another venue whose name contains the map's is not the same venue
        assert by_id["S4393916742"]["problem"].startswith("OpenAlex calls it 'Neural Information")
        plain = CliRunner().invoke(app, args)
        assert plain.exit_code == 1 and "2 of 3 source ids disagree with the venue map" in plain.output
        assert "DISAGREES: no source record" in plain.output
    listing = CliRunner().invoke(app, ["openalex", "venues"])
    assert listing.exit_code == 0 and "checked live: no" in listing.output
    assert len({line.split()[0] for line in listing.output.splitlines() if line.strip()}) >= 15


def test_names_agree_up_to_edition_words_only():
    assert names_agree("AAAI Conference on Artificial Intelligence",
                       "Proceedings of the AAAI Conference on Artificial Intelligence")  # fmt: skip
    assert names_agree("International Conference on Machine Learning",
                       "Proceedings of the 36th International Conference on Machine Learning")  # fmt: skip
    assert not names_agree("International Conference on Machine Learning",
                           "International Conference on Machine Learning and Applications")  # fmt: skip
    assert not names_agree(
        "Computer Vision and Pattern Recognition", "European Conference on Computer Vision"
    )
