"""The affiliation resolver on hand-made registries: cascade order, location beats default, shared names,
bad input."""

from __future__ import annotations

import gzip
import json

import pytest
import yaml

from splitscope.orgs.registry import build_registry
from splitscope.orgs.universities import add_world_universities
from splitscope.resolve.affiliations.gazetteer import location_country
from splitscope.resolve.affiliations.resolver import AffiliationResolver

CURATED = yaml.safe_load("""
orgs:
  - {id: google, name: Google, aliases: [Google Research, Google Inc.], default_country: US,
     sector: company, domains: [google.com]}
  - {id: google_deepmind, name: Google DeepMind, aliases: [DeepMind], default_country: GB,
     sector: company, parent: google, domains: [deepmind.com]}
  - {id: microsoft, name: Microsoft, aliases: [Microsoft Research], default_country: US,
     sector: company, domains: [microsoft.com]}
  - {id: msra, name: Microsoft Research Asia, aliases: [MSRA, 微软亚洲研究院], country: CN,
     sector: company, parent: microsoft}
  - {id: tsinghua, name: Tsinghua University, aliases: [清华大学, THU], country: CN,
     sector: education, domains: [tsinghua.edu.cn]}
""")
WORLD = [
    {"name": "Northeastern University", "alpha_two_code": "US", "domains": ["northeastern.edu", "neu.edu"]},
    {"name": "Northeastern University", "alpha_two_code": "CN", "domains": ["neu.edu.cn"]},
    {"name": "Institute of Science and Technology", "alpha_two_code": "AT", "domains": ["ist.ac.at"]},
    {"name": "Graz University of Technology", "alpha_two_code": "AT", "domains": ["tugraz.at"]},
    {"name": "Tsinghua University", "alpha_two_code": "CN", "domains": ["tsinghua.edu.cn"]},
]


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    path = tmp_path_factory.mktemp("ref") / "world.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(WORLD, handle)
    registry = build_registry([("test.yaml", CURATED)])
    assert add_world_universities(registry, path) == 4  # Tsinghua is curated already
    return AffiliationResolver(registry)


@pytest.mark.parametrize(
    ("text", "org", "country", "method"),
    [
        ("Dept. of CS, Tsinghua University, Beijing 100084, China", "tsinghua", "CN", "alias"),
        ("MSRA", "msra", "CN", "alias"),
        ("微软亚洲研究院", "msra", "CN", "alias"),
        ("Microsoft Research Asia, Beijing", "msra", "CN", "alias"),  # the sub-lab, not Microsoft
        ("Google Research", "google", "US", "default"),  # multi-site, no location: the documented default
        ("Google DeepMind", "google_deepmind", "GB", "default"),
        ("Google Research, Zurich, Switzerland", "google", "CH", "alias"),  # location beats the default
        ("Google Inc., Mountain View, CA", "google", "US", "alias"),
        ("Computer Graphics and Vision, Graz University of Technology", "wu:tugraz.at", "AT", "alias"),
        ("Stanford, CA 94305", None, "US", "location"),
        ("Robotics Institute, Pittsburgh, PA, USA", None, "US", "location"),
        ("Lab of Somewhere, Hangzhou", None, "CN", "location"),
        ("HKUST (Guangzhou)", None, "CN", "location"),
    ],
)  # fmt: skip
def test_cascade(resolver, text, org, country, method):
    answer = resolver.resolve(text)
    assert (answer.org_id, answer.country, answer.method) == (org, country, method), answer.evidence


def test_a_listed_generic_name_inside_another_name_is_not_a_match(resolver):
    # The world list's 'Institute of Science and Technology' (Austria) is the tail of Skoltech's name.
    answer = resolver.resolve("Skolkovo Institute of Science and Technology")
    assert answer.org_id is None and answer.country is None
    assert resolver.resolve("Institute of Science and Technology").country == "AT"


def test_northeastern_boston_and_shenyang_are_told_apart_or_left_unknown(resolver):
    assert resolver.resolve("Northeastern University").country is None
    assert resolver.resolve("Northeastern University").method == "unknown"
    assert resolver.resolve("Northeastern University", "neu.edu.cn").org_id == "wu:neu.edu.cn"
    assert resolver.resolve("Northeastern University", "ccs.neu.edu").country == "US"
    assert resolver.resolve("Northeastern University, Boston, MA").country == "US"
    assert resolver.resolve("Northeastern University, Shenyang, China").country == "CN"


def test_email_domain_fills_in_only_when_the_string_is_silent(resolver):
    assert resolver.resolve("", "mails.tsinghua.edu.cn").org_id == "tsinghua"
    assert resolver.resolve("Some Lab", "cs.ox.ac.uk").country == "GB"  # ccTLD .uk
    assert resolver.resolve("Some Lab", "cs.cmu.edu").country == "US"  # .edu
    assert resolver.resolve("Some Lab", "startup.ai").country is None  # .ai is sold as a generic name
    # the string's organisation wins over the e-mail of a student interning there
    assert resolver.resolve("Microsoft Research Asia", "cs.cmu.edu").country == "CN"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ("x" * 10_240, "too long"),
        ("\x00\x01\x02garbage\x03\x04\x05\x06", "binary"),
        ("!!! ---", "no letters"),
    ],
)
def test_bad_input_is_unknown_with_a_reason_never_an_exception(resolver, text, reason):
    answer = resolver.resolve(text)
    assert answer.method == "unknown" and answer.country is None and reason in answer.evidence


def test_html_is_stripped_before_resolving(resolver):
    assert resolver.resolve("<b>Tsinghua University</b><script>x</script>").org_id == "tsinghua"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("University of New England", None),  # blocks 'england'
        ("New Mexico State University", "US"),
        ("Lawson Health Research Institute, London, ON, CA", "CA"),  # province code, then country code
        ("Ecole Polytechnique Federale de Lausanne, Lausanne, VD, CH", "CH"),
        ("Newark, DE", "US"),  # Newark is in Delaware
        ("Some Institute, Munchen, Bayern, DE", None),  # Delaware or Germany: no evidence
        ("EE, KAIST", None),  # a department, not Estonia
        ("Cambridge", None),  # a city name held in two countries
        ("Georgia Institute of Technology", "US"),
    ],
)
def test_gazetteer(text, country):
    assert location_country(text)[0] == country


def test_hong_kong_macau_taiwan_are_not_moved_by_a_trailing_china(resolver):
    from splitscope.resolve.affiliations.gazetteer import location_country

    assert location_country("Dept. of ME, Some Lab, Hong Kong, SAR, China")[0] == "HK"
    assert location_country("Some Lab, Taipei, Taiwan, China")[0] == "TW"
    assert location_country("Some Lab, Suzhou, China")[0] == "CN"


def test_a_mainland_city_after_a_hong_kong_name_stays_cn():
    from splitscope.resolve.affiliations.gazetteer import location_country

    assert location_country("Chinese University of HongKong, Shenzhen")[0] == "CN"
    assert location_country("Hong Kong Observatory, Hong Kong, China")[0] == "HK"
