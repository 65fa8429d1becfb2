"""ROR v2 dump import on a small dump written by hand in the v2 record shape."""

from __future__ import annotations

import json
import zipfile

import pytest
import yaml
from typer.testing import CliRunner

from splitscope.cli import app
from splitscope.errors import UnusableInputError
from splitscope.orgs.registry import build_registry
from splitscope.orgs.ror import add_ror_registry, import_ror
from splitscope.resolve.affiliations.resolver import AffiliationResolver


def record(ror, name, country, types=("education",), status="active", parent=None, acronym=None):
    names = [{"value": name, "types": ["ror_display", "label"], "lang": "en"}]
    if acronym:
        names.append({"value": acronym, "types": ["acronym"], "lang": None})
    rels = [{"type": "parent", "id": f"https://ror.org/{parent}", "label": "p"}] if parent else []
    return {
        "id": f"https://ror.org/{ror}",
        "names": names,
        "types": list(types),
        "status": status,
        "domains": [],
        "links": [{"type": "website", "value": f"https://www.{ror}.example.org/"}],
        "locations": [{"geonames_id": 1, "geonames_details": {"country_code": country, "name": "X"}}],
        "relationships": rels,
        "established": 1900,
    }


DUMP = [
    record("05x2bcf33", "Carnegie Mellon University", "US", acronym="CMU"),
    record("01abcde00", "Shanghai Artificial Intelligence Laboratory", "CN", ("facility",)),
    record("02child00", "CMU Robotics Institute", "US", parent="05x2bcf33"),
    record("03gone000", "Withdrawn Institute", "FR", status="withdrawn"),
]


def write_zip(path, records):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("v1.50-2025-01-01-ror-data.json", "[]")
        archive.writestr("v1.50-2025-01-01-ror-data_schema_v2.json", json.dumps(records))
    return path


def test_import_keeps_active_records_names_countries_sectors_and_parents(tmp_path):
    target = tmp_path / "ror.yaml"
    summary = import_ror(write_zip(tmp_path / "dump.zip", DUMP), target)
    assert summary == {"orgs": 3, "inactive_skipped": 1, "file": str(target)}
    orgs = {o["id"]: o for o in yaml.safe_load(target.read_text())["orgs"]}
    cmu = orgs["ror:05x2bcf33"]
    assert (cmu["country"], cmu["sector"], cmu["aliases"]) == (
        "US",
        "education",
        ["CMU", "Carnegie Mellon University"],
    )
    assert cmu["domains"] == ["05x2bcf33.example.org"]
    assert orgs["ror:01abcde00"]["sector"] == "facility"
    assert orgs["ror:02child00"]["parent"] == "ror:05x2bcf33"
    # The imported file merges into a registry and resolves strings.
    registry = build_registry([("t", {"orgs": []})])
    assert add_ror_registry(registry, target) == 3
    resolver = AffiliationResolver(registry)
    assert resolver.resolve("Shanghai Artificial Intelligence Laboratory").country == "CN"


def test_a_malformed_dump_is_a_clear_error_and_leaves_the_previous_file(tmp_path):
    target = tmp_path / "ror.yaml"
    import_ror(write_zip(tmp_path / "good.zip", DUMP), target)
    before = target.read_bytes()
    broken = [*DUMP, {"id": "not-a-ror-id"}, record("04nocountr", "No Country", "")]
    with pytest.raises(UnusableInputError, match="2 malformed record"):
        import_ror(write_zip(tmp_path / "bad.zip", broken), target)
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(UnusableInputError, match="not a readable ROR dump"):
        import_ror(tmp_path / "junk.zip", target)
    assert target.read_bytes() == before


def test_cli_import_ror(tmp_path):
    result = CliRunner().invoke(
        app,
        ["orgs", "import-ror", str(write_zip(tmp_path / "d.zip", DUMP)), "--out", str(tmp_path / "r.yaml")],
    )
    assert result.exit_code == 0 and "3 organisations" in result.output
    bad = CliRunner().invoke(app, ["orgs", "import-ror", str(tmp_path / "missing.zip")])
    assert bad.exit_code == 2
