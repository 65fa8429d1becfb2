"""The one seam every trend reads affiliations through: affiliation basis, site vs headquarters, China
scope; and the options' parser."""

from __future__ import annotations

import pytest

from splitscope.analysis.affiliation_rows import affiliation_rows_sql
from splitscope.analysis.coverage import venue_year_coverage
from splitscope.errors import UnusableInputError
from splitscope.selection import AFFILIATION_BASES, Selection, parse_selection
from splitscope.store.batch import AFFILIATION_BASES as STORED_BASES


@pytest.fixture
def orgs_store(store):
    store.execute("""
        insert into orgs (org_id, name, country, default_country, sector, parent_id, source) values
          ('microsoft', 'Microsoft', null, 'US', 'company', null, 'test'),
          ('msr', 'Microsoft Research', null, 'US', 'company', 'microsoft', 'test'),
          ('msra', 'Microsoft Research Asia', 'CN', null, 'company', 'msr', 'test'),
          ('hkust', 'HKUST', 'HK', null, 'education', null, 'test'),
          ('ntu_tw', 'National Taiwan University', 'TW', null, 'education', null, 'test'),
          ('orphan', 'A lab whose parent is not in the registry', 'DE', null, 'company', 'gone', 'test')
    """)
    store.execute("""
        insert into papers (paper_id, venue, year, title, accepted, source_id) values
          ('v2022:1', 'v', 2022, 'One', true, 's')
    """)
    store.execute("""
        insert into authorships (authorship_id, paper_id, position, name, source_id) values
          ('a1', 'v2022:1', 1, 'A', 's'), ('a2', 'v2022:1', 2, 'B', 's'), ('a3', 'v2022:1', 3, 'C', 's'),
          ('a4', 'v2022:1', 4, 'D', 's'), ('a5', 'v2022:1', 5, 'E', 's')
    """)
    store.execute("""
        insert into authorship_affiliations (authorship_id, mention_order, org_id, country, sector, weight,
                                             method, confidence, source_id, basis) values
          ('a1', 1, 'msra', 'CN', 'company', 1.0, 'alias', 1.0, 's', 'paper'),
          ('a2', 1, 'hkust', 'HK', 'education', 1.0, 'alias', 1.0, 's', 'profile_crawl'),
          ('a3', 1, 'ntu_tw', 'TW', 'education', 1.0, 'alias', 1.0, 's', 'paper'),
          ('a4', 1, 'orphan', 'DE', 'company', 1.0, 'alias', 1.0, 's', 'openalex'),
          ('a5', 1, null, null, null, 1.0, 'unknown', 0.0, 's', 'paper')
    """)
    return store


def _countries(con, selection: Selection) -> dict[str, str | None]:
    rows = con.execute(f"select authorship_id, country from ({affiliation_rows_sql(selection)})").fetchall()
    return dict(rows)


def test_site_hq_and_china_scope(orgs_store):
    site = _countries(orgs_store, Selection())
    assert site == {"a1": "CN", "a2": "HK", "a3": "TW", "a4": "DE", "a5": None}
    hq = _countries(orgs_store, Selection(country_basis="hq"))
    # MSRA -> Microsoft Research -> Microsoft, whose country is its default (US); an organisation whose
    # parent is missing from the registry stays at its own country; unresolved stays unresolved.
    assert hq == {"a1": "US", "a2": "HK", "a3": "TW", "a4": "DE", "a5": None}
    sars = _countries(orgs_store, Selection(china_scope="with-hk-mo"))
    assert (sars["a2"], sars["a3"]) == ("CN", "TW")
    greater = _countries(orgs_store, Selection(china_scope="with-hk-mo-tw", country_basis="hq"))
    assert greater == {"a1": "US", "a2": "CN", "a3": "CN", "a4": "DE", "a5": None}


def test_affiliation_basis_restricts_rows_and_coverage(orgs_store):
    printed = _countries(orgs_store, Selection(affiliation_bases=("paper",)))
    assert set(printed) == {"a1", "a3", "a5"}
    no_crawl = parse_selection(exclude_affiliation_basis="profile_crawl")
    assert set(_countries(orgs_store, no_crawl)) == {"a1", "a3", "a4", "a5"}
    coverage = venue_year_coverage(orgs_store).iloc[0]
    assert (coverage.authorships, coverage.with_country) == (5, 4)
    assert coverage.profile_crawl_share == pytest.approx(0.25)
    printed_coverage = venue_year_coverage(orgs_store, Selection(affiliation_bases=("paper",))).iloc[0]
    assert printed_coverage.with_country == 2 and printed_coverage.coverage == pytest.approx(0.4)


def test_parser_names_the_option_and_keeps_the_old_grouping_names():
    assert parse_selection(china_scope="prc-with-sars").china_scope == "with-hk-mo"
    assert parse_selection(china_scope="greater-china").china_scope == "with-hk-mo-tw"
    assert parse_selection(raw_mix=True).aggregate == "raw"
    assert parse_selection().to_dict()["aggregate"] == "chain-linked panel"
    assert parse_selection(affiliation_basis="paper,openalex").affiliation_bases == ("paper", "openalex")
    for kwargs, option in (
        ({"basis": "campus"}, "--basis"),
        ({"china_scope": "chinese-names"}, "--china-scope"),
        ({"affiliation_basis": "papers"}, "--affiliation-basis"),
        ({"affiliation_basis": "paper", "exclude_affiliation_basis": "paper"}, "no basis left"),
        ({"coverage_gate": 1.5}, "--coverage-gate"),
    ):
        with pytest.raises(UnusableInputError, match=option):
            parse_selection(**kwargs)


def test_basis_names_agree_between_selection_and_store():
    assert AFFILIATION_BASES == STORED_BASES
