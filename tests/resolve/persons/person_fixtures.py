"""Hand-made linkage records: 40 researchers with 6 records each. Every name is held by four researchers
(the 'Wei Zhang' problem) who never share co-authors or topics, so a good linker keeps them apart."""

from __future__ import annotations

import random

import pandas as pd

GIVEN = ["wei", "jun", "alex", "maria", "li", "sam", "yan", "omar", "anna", "ken"]
FAMILY = ["zhang", "wang", "smith", "garcia", "chen", "kim", "liu", "ali", "novak", "sato"]
ORGS = [("tsinghua", "CN"), ("mit", "US"), ("oxford", "GB"), ("kaist", "KR"), ("ethz", "CH"), ("pku", "CN"),
        ("cmu", "US"), ("utokyo", "JP")]  # fmt: skip


def researchers() -> list[dict]:
    rng = random.Random(3)
    people = []
    for i in range(20):  # 20 names, each held by two different researchers
        name = f"{GIVEN[i % 10]} {FAMILY[(i * 3) % 10]}"
        for twin in range(2):
            org, country = ORGS[(i + twin * 3) % len(ORGS)]
            people.append({
                "person": f"r{i}-{twin}", "name": name, "org": org, "country": country,
                "coauthors": [f"coauthor {i}-{twin}-{k}" for k in range(4)],
                "topic": [f"topic{i}{twin}{k}" for k in range(4)], "start": 2012 + rng.randrange(6),
            })  # fmt: skip
    return people


def records() -> pd.DataFrame:
    rng = random.Random(5)
    rows = []
    for person in researchers():
        for k in range(6):
            coauthors = rng.sample(person["coauthors"], 2) + [f"other {person['person']} {k}"]
            rows.append({
                "authorship_id": f"{person['person']}#{k}",
                "name_norm": person["name"],
                "name_key": " ".join(sorted(person["name"].split())),
                "initial_key": person["name"][0] + " " + person["name"].split()[-1],
                "core_key": person["name"],
                "abbreviated": False,
                "paper_id": f"paper {person['person']} {k}",
                "domains": [f"{person['org']}.edu"] if k % 2 else None,
                "org_id": person["org"] if k != 5 else None,  # one record without an organisation
                "orgs": [person["org"]] if k != 5 else None,
                "places": ([f"org:{person['org']}"] if k != 5 else [])
                + ([f"domain:{person['org']}.edu"] if k % 2 else []) or None,
                "name_compact": person["name"].replace(" ", ""),
                "countries": [person["country"]] if k != 5 else None,
                "hard_id": None,
                "coauthors": [" ".join(sorted(c.split())) for c in coauthors],
                "topic_words": rng.sample(person["topic"], 2),
                "year": person["start"] + k,
                "truth": person["person"],
            })  # fmt: skip
    return pd.DataFrame(rows)
