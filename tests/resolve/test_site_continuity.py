"""Site continuity (resolve/sites.py) on hand-made rows: each rule, the evidence it records, idempotency."""

from __future__ import annotations

import itertools

import pytest

from splitscope.resolve.sites import RULE_CONFIDENCE, SITE_EVIDENCE_MIN_CONFIDENCE, apply_site_continuity

ORGS = [  # org_id, country, default_country, parent
    ("microsoft", None, "US", None), ("msra", "CN", None, "microsoft"),
    ("msr_redmond", "US", None, "microsoft"), ("baidu", None, "CN", None), ("tsinghua", "CN", None, None),
]  # fmt: skip
# person -> [(year, org, country, method, confidence)]; 'default' rows are what the step decides about
CAREERS = {
    "same_year": [(2016, "msra", "CN", "alias", 0.95), (2016, "microsoft", "US", "default", 0.6)],
    "bracketed": [(2014, "msra", "CN", "alias", 0.95), (2015, "microsoft", "US", "default", 0.6),
                  (2017, "microsoft", "CN", "alias", 0.9)],
    "before_only": [(2014, "msr_redmond", "US", "alias", 0.95), (2016, "microsoft", "US", "default", 0.6)],
    "conflict": [(2014, "msra", "CN", "alias", 0.95), (2015, "microsoft", "US", "default", 0.6),
                 (2016, "msr_redmond", "US", "alias", 0.95)],
    "none": [(2015, "tsinghua", "CN", "alias", 0.95), (2016, "microsoft", "US", "default", 0.6)],
    "other_family": [(2015, "baidu", "CN", "default", 0.6), (2016, "msra", "CN", "alias", 0.95)],
    "weak_evidence": [(2014, "microsoft", "CN", "fuzzy", 0.7), (2015, "microsoft", "US", "default", 0.6)],
}  # fmt: skip


@pytest.fixture()
def filled(store):
    counter = itertools.count(1)
    for org_id, country, default, parent in ORGS:
        store.execute(
            "insert into orgs values (?, ?, ?, ?, 'company', ?, 'test')",
            [org_id, org_id, country, default, parent],
        )
    ids: dict[str, list[str]] = {}
    for person, career in CAREERS.items():
        for year, org, country, method, confidence in career:
            number = next(counter)
            paper, authorship = f"p{number}", f"p{number}#1"
            store.execute(
                "insert into papers (paper_id, venue, year, title, accepted, source_id) "
                "values (?, 'nips', ?, 't', true, 'test')",
                [paper, year],
            )
            store.execute(
                "insert into authorships (authorship_id, paper_id, position, name, source_id) "
                "values (?, ?, 1, ?, 'test')",
                [authorship, paper, person],
            )
            store.execute(
                "insert into authorship_person (authorship_id, person_id, method) values (?, ?, 'test')",
                [authorship, person],
            )
            store.execute(
                "insert into authorship_affiliations "
                "values (?, 1, ?, ?, 'company', 1.0, ?, ?, 'paperlists:x', 'paper')",
                [authorship, org, country, method, confidence],
            )
            ids.setdefault(person, []).append(authorship)
    return store, ids


def _row(con, authorship_id):
    return con.execute(
        "select country, method, confidence from authorship_affiliations where authorship_id = ?",
        [authorship_id],
    ).fetchone()


def _decision(con, authorship_id):
    return con.execute(
        "select rule, country, evidence_years, evidence_authorship_ids from site_continuity "
        "where authorship_id = ?",
        [authorship_id],
    ).fetchone()


def test_each_rule_and_its_evidence(filled):
    con, ids = filled
    stats = apply_site_continuity(con)
    assert stats.by_rule == {"same-year": 1, "bracketed": 1, "before-only": 1, "conflict": 1, "none": 3}
    assert _decision(con, ids["same_year"][1]) == ("same-year", "CN", [2016], [ids["same_year"][0]])
    assert _row(con, ids["same_year"][1]) == ("CN", "site_continuity", RULE_CONFIDENCE["same-year"])
    assert _decision(con, ids["bracketed"][1]) == (
        "bracketed", "CN", [2014, 2017], [ids["bracketed"][0], ids["bracketed"][2]]
    )  # fmt: skip
    assert _row(con, ids["before_only"][1]) == ("US", "site_continuity", RULE_CONFIDENCE["before-only"])
    assert RULE_CONFIDENCE["before-only"] < SITE_EVIDENCE_MIN_CONFIDENCE <= RULE_CONFIDENCE["bracketed"]
    # sites in two countries around the year: nothing is taken, the default stays (and stays untrusted)
    assert _decision(con, ids["conflict"][1])[:2] == ("conflict", None)
    assert _row(con, ids["conflict"][1]) == ("US", "default", 0.6)


def test_no_evidence_from_other_organisations_or_weak_answers(filled):
    con, ids = filled
    apply_site_continuity(con)
    assert _decision(con, ids["none"][1])[:2] == ("none", None)  # Tsinghua says nothing about Microsoft
    assert _decision(con, ids["other_family"][0])[:2] == ("none", None)  # MSRA says nothing about Baidu
    assert _decision(con, ids["weak_evidence"][1])[:2] == ("none", None)  # a fuzzy answer is no site
    assert _row(con, ids["none"][1]) == ("US", "default", 0.6)


def test_rerunning_restores_defaults_first(filled):
    con, ids = filled
    apply_site_continuity(con)
    first = con.execute("select * from authorship_affiliations order by all").fetchall()
    # the evidence goes away: a rerun must not keep the continuity answer it gave before
    con.execute("delete from authorship_affiliations where authorship_id = ?", [ids["same_year"][0]])
    apply_site_continuity(con)
    assert _row(con, ids["same_year"][1]) == ("US", "default", 0.6)
    assert _decision(con, ids["same_year"][1])[:2] == ("none", None)
    assert len(con.execute("select * from authorship_affiliations").fetchall()) == len(first) - 1
