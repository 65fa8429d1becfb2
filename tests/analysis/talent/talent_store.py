"""A hand-made store for the talent unit tests: a few careers whose expected metrics are worked out by hand.

Careers (one paper per line, affiliations as country:org:sector, '+' = two affiliations of one authorship):
  mover     US 2015, US 2016, CN 2017 (top tier), CN 2018             -> moves US->CN in 2017
  visitor   US 2015, CN 2016, US 2017, US 2018                        -> a visit, no move
  dual      US 2015, US 2016, US+CN 2017, US 2018                     -> 2017 has no majority, no move
  returner  CN 2012, US 2013, US 2014, CN 2015, CN 2016               -> CN->US 2013, US->CN 2015, a return
  single    CN 2016 twice                                             -> one observed year, never moves
  stayer    CN 2014, CN 2018                                          -> retained in CN
  frac      US 2016, and US+CN 2016 (second paper)                    -> 2016 is US 0.75, CN 0.25
  ghost     2016, no resolved affiliation                             -> not covered
"""

from __future__ import annotations

import itertools

import duckdb

_counter = itertools.count(1)

CAREERS: dict[str, list[tuple[int, str, bool]]] = {
    "mover": [(2015, "US:mit:education", False), (2016, "US:mit:education", False),
              (2017, "CN:tsinghua:education", True), (2018, "CN:tsinghua:education", False)],
    "visitor": [(2015, "US:cmu:education", False), (2016, "CN:msra:company", False),
                (2017, "US:cmu:education", False), (2018, "US:cmu:education", False)],
    "dual": [(2015, "US:google:company", False), (2016, "US:google:company", False),
             (2017, "US:google:company+CN:pku:education", False), (2018, "US:google:company", False)],
    "returner": [(2012, "CN:pku:education", False), (2013, "US:stanford:education", False),
                 (2014, "US:stanford:education", False), (2015, "CN:pku:education", True),
                 (2016, "CN:pku:education", False)],
    "single": [(2016, "CN:tsinghua:education", False), (2016, "CN:tsinghua:education", False)],
    "stayer": [(2014, "CN:baidu:company", False), (2018, "CN:baidu:company", False)],
    "frac": [(2016, "US:mit:education", False), (2016, "US:mit:education+CN:tsinghua:education", False)],
    "ghost": [(2016, "", False)],
}  # fmt: skip


def add_authorship(
    con: duckdb.DuckDBPyConnection,
    person: str,
    year: int,
    affiliations: str,
    top_tier: bool = False,
    venue: str = "nips",
    accepted: bool = True,
) -> str:
    number = next(_counter)
    paper_id = f"{venue}{year}:{number}"
    authorship_id = f"{paper_id}#1"
    con.execute(
        "insert into papers (paper_id, venue, year, title, accepted, top_tier, source_id) "
        "values (?, ?, ?, ?, ?, ?, 'test')",
        [paper_id, venue, year, f"paper {number}", accepted, top_tier],
    )
    con.execute(
        "insert into authorships (authorship_id, paper_id, position, name, source_id) "
        "values (?, ?, 1, ?, 'test')",
        [authorship_id, paper_id, person],
    )
    con.execute(
        "insert into authorship_person (authorship_id, person_id, method) values (?, ?, 'test')",
        [authorship_id, person],
    )
    mentions = [m for m in affiliations.split("+") if m]
    for order, mention in enumerate(mentions, start=1):
        country, org, sector = mention.split(":")
        con.execute(
            "insert into authorship_affiliations values (?, ?, ?, ?, ?, ?, 'test', 1.0, 'test', 'paper')",
            [authorship_id, order, org, country, sector, 1 / len(mentions)],
        )
    return authorship_id


def fill(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Insert CAREERS; returns each person's authorship ids in career order."""
    ids: dict[str, list[str]] = {}
    for person, career in CAREERS.items():
        con.execute(
            "insert into persons (person_id, display_name, n_authorships) values (?, ?, ?)",
            [person, person, len(career)],
        )
        ids[person] = [add_authorship(con, person, y, affs, top) for y, affs, top in career]
    return ids
