"""Hand-built MetricTables shaped like the analyses' real tables (names and columns from talent/collab)."""

from __future__ import annotations

import pandas as pd

from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.report.gather import Gathered, as_metric_tables

YEARS = list(range(2014, 2024))
SMALL_COUNTRIES = ("AM", "BG", "BA", "TH", "RS", "UA", "IQ", "LB", "GR", "MX", "BO", "BY")
VENUE_GROUPS = ("neurips", "icml", "robotics")
FILTERS = {"venues": "all", "years": "2014-2023"}


def _bounded(rows: list[dict], value: str, half_width: float) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame[f"{value}_ci_low"] = frame[value] - half_width
    frame[f"{value}_ci_high"] = frame[value] + half_width
    return frame


def paper_mix_by_venue() -> MetricTable:
    """collab.paper_mix_by_venue: the columns of collab.paper_mix after a leading venue_group."""
    mix = paper_mix().frame
    frame = pd.concat([mix.assign(venue_group=g) for g in VENUE_GROUPS], ignore_index=True)
    frame = frame[["venue_group", *mix.columns]]
    return MetricTable("collab.paper_mix_by_venue", "Mix by venue", frame, Coverage("papers", 10, 9), FILTERS)


def paper_mix(half_width: float = 0.005) -> MetricTable:
    # us_cn falls from 0.10 in 2014 by 0.005 a year to 0.055 in 2023 (narrow intervals: a clear decline).
    rows = []
    for scope, selected in (("all", 1000), ("acml", 100)):
        for i, year in enumerate(YEARS):
            us_cn = 0.10 - 0.005 * i
            shares = {"us_cn": us_cn, "us_only": 0.4, "cn_only": 0.2 + 0.005 * i, "other": 0.3}
            for category, share in shares.items():
                rows.append(
                    {
                        "scope": scope,
                        "cohort": "all",
                        "year": year,
                        "category": category,
                        "share": share,
                        "papers": share * 800,
                        "papers_with_country": int(selected * 0.8) - i,
                        "papers_selected": selected,
                    }
                )
    frame = _bounded(rows, "share", half_width)
    return MetricTable(
        "collab.paper_mix", "Papers by US/CN presence", frame, Coverage("papers", 10000, 8000), FILTERS
    )


def work_country_share(venue_groups: tuple[str, ...] = ()) -> MetricTable:
    """US falling 0.5 -> 0.41, CN rising 0.2 -> 0.29, GB flat, and twenty small countries; with venue
    groups, the same rows once per group (the shape of talent.work_country_by_venue)."""
    rows = [
        {
            "year": y,
            "country": c,
            "researchers": 100.0,
            "n": 500,
            "share": s + 0.01 * i * sign,
            "eligible": 600,
            "covered": 450 + i,
        }
        for i, y in enumerate(YEARS)
        for c, s, sign in (("US", 0.5, -1), ("CN", 0.2, 1), ("GB", 0.05, 0), *SMALL_SHARES)
    ]
    frame = _bounded(rows, "share", 0.02)
    frame["researchers"] = frame["share"] * frame["n"]
    if not venue_groups:
        return MetricTable(
            "talent.work_country_share", "Work country", frame, Coverage("researchers", 6000, 4500), FILTERS
        )
    frame = pd.concat([frame.assign(venue_group=g) for g in venue_groups], ignore_index=True)
    frame = frame[["venue_group", *[c for c in frame.columns if c != "venue_group"]]]
    return MetricTable(
        "talent.work_country_by_venue", "Work country by venue", frame, Coverage("researchers", 6000, 4500)
    )


# Twenty small countries sharing the remaining 0.25 of each year (so every year sums to 1).
SMALL_SHARES = tuple((f"Z{chr(65 + i)}", 0.0125, 0) for i in range(20))


def retention() -> MetricTable:
    rows = [
        {"origin_country": c, "cohort": y, "n": 100, "retained": int(r * 100), "retention": r}
        for y in YEARS
        for c, r in (("CN", 0.7), ("US", 0.8))  # flat: the claim must be inconclusive
    ]
    # What the first report drew instead of the US and China: tiny origins retained at 1.0 (n of 1-3).
    rows += [
        {"origin_country": c, "cohort": y, "n": 1 + i % 3, "retained": 1 + i % 3, "retention": 1.0}
        for i, c in enumerate(SMALL_COUNTRIES)
        for y in YEARS
    ]
    frame = _bounded(rows, "retention", 0.05)
    return MetricTable("talent.retention", "Retention", frame, Coverage("researchers", 3000, 2000), FILTERS)


def flows() -> MetricTable:
    frame = pd.DataFrame(
        {
            "origin_country": ["CN", "CN", "US", "US", "GB"],
            "work_country": ["CN", "US", "US", "CN", "US"],
            "researchers": [900.0, 300.0, 1500.0, 40.0, 60.0],
        }
    )
    return MetricTable(
        "talent.origin_work_flow", "Flows", frame, Coverage("researchers", 3000, 2800), FILTERS
    )


def concentration_top(org_title: str = "Concentration, top tier") -> MetricTable:
    # US top10_share rises 0.30 -> 0.48; CN flat at 0.6.
    rows = [
        {
            "year": y,
            "country": c,
            "n": 300,
            "orgs": 50,
            "researchers": 300.0,
            "top10_share": s + step * i,
            "hhi": 0.05,
        }
        for i, y in enumerate(YEARS)
        for c, s, step in (("US", 0.30, 0.02), ("CN", 0.6, 0.0))
    ]
    frame = _bounded(rows, "top10_share", 0.03)
    return MetricTable(
        "talent.concentration__top", org_title, frame, Coverage("researchers", 3000, 2700), FILTERS
    )


def moves_detail() -> MetricTable:
    frame = pd.DataFrame({"person_id": ["or:~Someone1"], "year": [2019], "from_country": ["US"]})
    return MetricTable("talent.moves_detail", "Moves, one row each", frame, Coverage("moves", 1, 1), FILTERS)


def top_orgs(title: str = "Largest organisations", org: str = "Google") -> MetricTable:
    frame = pd.DataFrame({"org": [org, "Tsinghua University"], "authorships": [500, 420]})
    return MetricTable("collab.org_pairs", title, frame, Coverage("authorships", 1000, 920), FILTERS)


STATUS_RECORD = {  # the shape of splitscope.store.status.StoreStatus.to_dict()
    "venue_years": [
        {
            "venue": v,
            "year": y,
            "papers": 50,
            "accepted_papers": 50,
            "authorships": 150,
            "quarantined": q,
            "share_with_affiliation": a,
            "share_with_openreview_id": 0.0,
        }
        for v, y, q, a in (("acml", 2018, 0, 0.95), ("acml", 2019, 2, 0.9), ("colt", 2019, 0, 0.5))
    ],
    "totals": {"papers": 150, "authorships": 450, "quarantined": 2},
}


def _simple(name: str, rows: list[dict], value: str | None = None, half_width: float = 0.02) -> MetricTable:
    frame = _bounded(rows, value, half_width) if value else pd.DataFrame(rows)
    return MetricTable(name, name, frame, Coverage("researchers", 100, 90), FILTERS)


def remaining_tables() -> list[MetricTable]:
    """One table for every other chart the sections declare, with the columns the analyses document."""
    routes = (("US", "CN", 3), ("CN", "US", 5), ("GB", "US", 2), ("US", "GB", 1))
    pairs = (("US", "CN", 1.4), ("US", "GB", 1.1), ("CN", "SG", 2.0))
    counts = [
        {
            "scope": "all",
            "cohort": "all",
            "year": y,
            "country": c,
            "share_full": f,
            "share_fractional": f * 0.8,
        }
        for y in YEARS
        for c, f in (("US", 0.5), ("CN", 0.3))
    ]
    counts_frame = _bounded(counts, "share_full", 0.02)
    counts_frame = _bounded(counts_frame.to_dict("records"), "share_fractional", 0.02)
    return [
        _simple(
            "talent.origin_share",
            [
                {"year": y, "origin_country": c, "share": v}
                for y in YEARS
                for c, v in (("US", 0.4), ("CN", 0.3))
            ],
            "share",
        ),
        _simple(
            "talent.moves",
            [
                {"year": y, "from_country": f, "to_country": t, "moves": m + y % 3}
                for y in YEARS
                for f, t, m in routes
            ],
        ),
        _simple(
            "talent.returns",
            [
                {"origin_country": o, "via_country": v, "n": 40, "return_share": r}
                for o, v, r in (("CN", "US", 0.3), ("US", "CN", 0.5), ("CN", "GB", 0.2))
            ],
            "return_share",
        ),
        _simple(
            "talent.retention_pooled",
            [{"origin_country": c, "n": 300, "retention": r} for c, r in (("CN", 0.7), ("US", 0.8))],
            "retention",
        ),
        _simple(
            "talent.sector_share",
            [
                {"year": y, "country": c, "sector": sec, "share": v}
                for y in YEARS
                for c in ("US", "CN")
                for sec, v in (("education", 0.6), ("company", 0.4))
            ],
            "share",
        ),
        _simple(
            "talent.concentration",
            [
                {"year": y, "country": c, "top10_share": v}
                for y in YEARS
                for c, v in (("US", 0.3), ("CN", 0.5))
            ],
            "top10_share",
        ),
        MetricTable(
            "talent.origin_work_flow__edu",
            "Undergrad flows",
            flows().frame,
            Coverage("researchers", 3000, 900),
            FILTERS,
        ),
        _simple(
            "talent.origin_work_by_year__edu",
            [
                {"origin_country": "CN", "year": y, "work_country": w, "share": v}
                for y in YEARS
                for w, v in (("US", 0.4), ("CN", 0.5), ("GB", 0.1))
            ],
            "share",
        ),
        MetricTable(
            "collab.country_counts", "Country counts", counts_frame, Coverage("papers", 10, 9), FILTERS
        ),
        _simple(
            "collab.pair_strength",
            [
                {"year": y, "country_i": i, "country_j": j, "affinity": a, "salton_cosine": 0.1}
                for y in YEARS
                for i, j, a in pairs
            ],
            "affinity",
        ),
        _simple(
            "collab.tie_transitions",
            [
                {"pair_class": c, "window_from": w, "window_to": w + 3, "persistence_rate": r}
                for w in (2014, 2017, 2020)
                for c, r in (("US-CN", 0.3), ("US-US", 0.4))
            ],
            "persistence_rate",
        ),
        MetricTable(
            "collab.paper_mix__llm", "LLM mix", paper_mix().frame, Coverage("papers", 10, 9), FILTERS
        ),
        MetricTable(
            "collab.country_counts__llm", "LLM counts", counts_frame, Coverage("papers", 10, 9), FILTERS
        ),
    ]


def synthetic_gathered(complete: bool = False, **overrides: MetricTable) -> Gathered:
    """The partial set (some sections missing, the LLM slice failed) or, with complete, every table."""
    tables = [paper_mix(), work_country_share(), retention(), flows(), concentration_top(), moves_detail()]
    tables += [top_orgs(), *as_metric_tables(STATUS_RECORD, "status")]
    if complete:
        tables += [*remaining_tables(), work_country_share(VENUE_GROUPS), paper_mix_by_venue()]
    gathered = Gathered()
    for table in [*tables, *overrides.values()]:
        gathered.tables[table.name] = table
        gathered.provider_of[table.name] = "store status" if table.name.startswith("status.") else "synthetic"
    if not complete:
        gathered.unavailable["collaboration, LLM topic"] = "collab_tables failed: RuntimeError: no LLM papers"
        gathered.prefixes_of["collaboration, LLM topic"] = ("collab.",)
        gathered.suffix_of["collaboration, LLM topic"] = "__llm"
    return gathered
