"""The cascade on a small hand-written registry (no shared data needed)."""

from __future__ import annotations

import pytest

from splitscope.orgs.registry import Org
from splitscope.resolve.matcher import Matcher

ORGS = [
    Org(
        "tsinghua",
        "Tsinghua University",
        "education",
        "CN",
        aliases=("THU", "清华大学"),
        domains=("tsinghua.edu.cn",),
        source="test",
    ),
    Org(
        "google",
        "Google",
        "company",
        None,
        "US",
        aliases=("Google Research",),
        domains=("google.com",),
        source="test",
    ),
    Org(
        "deepmind",
        "Google DeepMind",
        "company",
        None,
        "GB",
        aliases=("DeepMind",),
        parent="google",
        source="test",
    ),
    Org("nyu", "New York University", "education", "US", aliases=("NYU",), source="test"),
    Org(
        "wu:us:northeastern",
        "Northeastern University",
        "education",
        "US",
        aliases=("Northeastern University",),
        domains=("northeastern.edu", "neu.edu"),
        source="world-universities",
    ),
    Org(
        "wu:cn:northeastern",
        "Northeastern University",
        "education",
        "CN",
        aliases=("Northeastern University",),
        domains=("neu.edu.cn",),
        source="world-universities",
    ),
    Org(
        "wu:us:gatech",
        "Georgia Institute of Technology",
        "education",
        "US",
        aliases=("Georgia Institute of Technology",),
        source="world-universities",
    ),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(ORGS)


@pytest.mark.parametrize(
    ("text", "org", "country", "method"),
    [
        ("Dept. of CS, Tsinghua University, Beijing 100084, China", "tsinghua", "CN", "alias"),
        ("THU", "tsinghua", "CN", "alias"),
        ("清华大学计算机系", "tsinghua", "CN", "alias"),
        ("Google DeepMind", "deepmind", "GB", "alias"),  # multi-site default
        ("Google DeepMind, Mountain View, CA", "deepmind", "US", "alias"),  # location decides
        ("Google", "google", "US", "alias"),
        ("New York University Abu Dhabi, UAE", "nyu", "AE", "alias"),  # location beats the org
        ("Georgia Institute of Technology", "wu:us:gatech", "US", "alias"),
        ("Stanford, CA 94305", None, "US", "location"),
        ("Some Lab, Hsinchu, Taiwan", None, "TW", "location"),
        ("Dept. of Physics, HKSAR", None, "HK", "location"),
    ],
)
def test_cascade(matcher, text, org, country, method):
    got = matcher.resolve(text)
    assert (got.org_id, got.country, got.method) == (org, country, method), got.evidence


def test_northeastern_needs_other_evidence(matcher):
    alone = matcher.resolve("Northeastern University")
    assert alone.country is None and "ambiguous" in alone.evidence
    assert matcher.resolve("Northeastern University", "neu.edu.cn").country == "CN"
    assert matcher.resolve("Northeastern University", "northeastern.edu").country == "US"
    assert matcher.resolve("Northeastern University, Shenyang, China").org_id == "wu:cn:northeastern"
    assert matcher.resolve("Northeastern University, Boston, MA").org_id == "wu:us:northeastern"
    assert matcher.resolve("Northeastern University", "gmail.com").country is None


def test_domain_fallbacks(matcher):
    assert matcher.resolve("", "cs.tsinghua.edu.cn").org_id == "tsinghua"
    assert matcher.resolve("Department of Computer Science", "ox.ac.uk").country == "GB"
    assert matcher.resolve("", "cs.somewhere.edu").country == "US"
    assert matcher.resolve("", "startup.ai").country is None
    assert matcher.resolve("", "qq.com").country is None


@pytest.mark.parametrize(
    "bad", ["", "   ", "x" * 10_000, "\x00\x01\x02\x03garbage\x04\x05", "<b></b>", "\ufffd\ufffd"]
)
def test_bad_input_is_unknown_with_a_reason(matcher, bad):
    got = matcher.resolve(bad)
    assert got.method == "unknown" and got.country is None and got.evidence


def test_html_is_stripped(matcher):
    assert matcher.resolve("<i>Tsinghua University</i>").org_id == "tsinghua"


def test_fuzzy_catches_a_typo_only_above_threshold(matcher):
    assert matcher.resolve("Georgia Institute of Technolgy").method == "fuzzy"
    assert matcher.resolve("Georgia Institute of Art").country is None
