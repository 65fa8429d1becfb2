"""Issue 16: organisations whose names contain another's resolve to themselves, multi-site defaults say
so, and the e-mail domain can name a site but never turns a company into its default silently."""

from __future__ import annotations

import pytest

from splitscope.resolve.affiliations.resolver import CONFIDENCE, default_resolver


@pytest.fixture(scope="module")
def resolver():
    return default_resolver()  # the packaged registry alone: these are curated entries


@pytest.mark.parametrize(
    ("text", "org", "country"),
    [
        ("National Tsinghua University", "nthu", "TW"),  # Hsinchu, not Tsinghua University (Beijing)
        ("Dept. of EE, National Tsing Hua University, Hsinchu, Taiwan", "nthu", "TW"),
        ("Tsinghua University", "tsinghua", "CN"),
        ("The Hong Kong University of Science and Technology (Guangzhou)", "hkust_gz", "CN"),
        ("Hong Kong University of Science and Technology", "hkust", "HK"),
        ("The Education University of Hong Kong", "eduhk", "HK"),  # not the University of Hong Kong
        ("BNU-HKBU United International College", "uic_zhuhai", "CN"),  # Zhuhai, not HKBU
        ("NYU Shanghai", "nyu_shanghai", "CN"),
        ("Indian Institute of Science Education and Research, Pune", "iiser", "IN"),  # not IISc
        ("Indian Institute of Science", "iisc", "IN"),
        ("Lawrence Berkeley National Laboratory", "lbnl", "US"),  # not UC Berkeley
        ("Microsoft Research, Redmond", "msr_redmond", "US"),
        ("Baidu USA", "baidu_usa", "US"),
        ("Hikvision Research America", "hikvision_us", "US"),
    ],
)
def test_names_containing_another_name(resolver, text, org, country):
    answer = resolver.resolve(text)
    assert (answer.org_id, answer.country) == (org, country), answer.evidence


@pytest.mark.parametrize("text", ["Northeastern University", "Soochow University"])
def test_a_name_two_universities_share_needs_a_place_or_an_email(resolver, text):
    assert resolver.resolve(text).country is None  # not a fuzzy match to Northwestern, not Taipei by default


def test_shared_names_decided_by_email_or_place(resolver):
    assert resolver.resolve("Northeastern University", "neu.edu.cn").org_id == "northeastern_shenyang"
    assert resolver.resolve("Northeastern University", "northeastern.edu").org_id == "northeastern_boston"
    assert resolver.resolve("Soochow University", "suda.edu.cn").country == "CN"
    assert resolver.resolve("Soochow University, Taipei").country == "TW"


def test_multi_site_default_is_its_own_method(resolver):
    for text, domain in (("Microsoft Research", ""), ("Tencent AI Lab", ""), ("", "microsoft.com"),
                         ("Dept. of Computer Science", "fb.com")):  # fmt: skip
        answer = resolver.resolve(text, domain)
        assert answer.method == "default" and answer.confidence == CONFIDENCE["alias, multi-site default"], (
            text, domain, answer)  # fmt: skip


def test_email_names_the_site_a_string_left_out(resolver):
    answer = resolver.resolve("IBM Research", "cn.ibm.com")
    assert (answer.org_id, answer.country, answer.method) == ("ibm_china", "CN", "domain")
    # another company's e-mail never overrides the organisation the string names
    assert resolver.resolve("IBM Research", "msra.cn").org_id == "ibm"
    # a site named in the string is not overridden by the company-wide e-mail
    assert resolver.resolve("Microsoft Research Asia", "microsoft.com").country == "CN"


def test_confidences_are_ordered_as_measured():
    trusted = [k for k, v in CONFIDENCE.items() if v >= 0.85]
    assert set(trusted) == {"alias+location agree", "alias", "alias, multi-site+location",
                            "domain institution", "location"}  # fmt: skip
