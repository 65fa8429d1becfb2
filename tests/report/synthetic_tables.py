"""Hand-built MetricTables with the names the report's sections and claims expect."""

from __future__ import annotations

import pandas as pd

from splitscope.analysis.result import Coverage, MetricTable
from splitscope.report.gather import Gathered

YEARS = list(range(2014, 2024))
FILTERS = {"venues": "all", "years": "2014-2023"}


def _bounded(rows: list[dict], value: str, half_width: float) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame[f"{value}_ci_low"] = frame[value] - half_width
    frame[f"{value}_ci_high"] = frame[value] + half_width
    return frame


def us_cn_share(half_width: float = 0.005) -> MetricTable:
    # Full counting falls from 0.10 to 0.055; fractional from 0.06 to 0.033 (shrinking, narrow intervals).
    rows = [
        {"year": y, "counting": counting, "n": 1000, "us_cn_share": start - 0.005 * i * (start / 0.1)}
        for counting, start in (("full", 0.10), ("fractional", 0.06))
        for i, y in enumerate(YEARS)
    ]
    frame = _bounded(rows, "us_cn_share", half_width)
    return MetricTable(
        "collab.us_cn_share", "US–China share", frame, Coverage("papers", 10000, 8000), FILTERS
    )


def work_country_share() -> MetricTable:
    rows = [
        {"year": y, "country": c, "n": 500, "share": s + 0.01 * i * sign}
        for i, y in enumerate(YEARS)
        for c, s, sign in (("US", 0.5, -1), ("CN", 0.2, 1), ("GB", 0.05, 0))
    ]
    frame = _bounded(rows, "share", 0.02)
    return MetricTable(
        "talent.work_country_share", "Work country", frame, Coverage("researchers", 6000, 4500), FILTERS
    )


def retention() -> MetricTable:
    rows = [
        {"cohort": y, "origin_country": c, "n": 100, "retention_rate": r}
        for y in YEARS
        for c, r in (("CN", 0.7), ("US", 0.8))  # flat: the claim must be inconclusive
    ]
    frame = _bounded(rows, "retention_rate", 0.05)
    return MetricTable("talent.retention", "Retention", frame, Coverage("researchers", 3000, 2000), FILTERS)


def flows() -> MetricTable:
    frame = pd.DataFrame(
        {
            "origin_country": ["CN", "CN", "US", "US", "GB"],
            "work_country": ["CN", "US", "US", "CN", "US"],
            "researchers": [900, 300, 1500, 40, 60],
        }
    )
    return MetricTable(
        "talent.origin_work_flows", "Flows", frame, Coverage("researchers", 3000, 2800), FILTERS
    )


def top_orgs(title: str = "Largest organisations", org: str = "Google") -> MetricTable:
    frame = pd.DataFrame({"org": [org, "Tsinghua University"], "authorships": [500, 420]})
    return MetricTable("concentration.top_orgs", title, frame, Coverage("authorships", 1000, 920), FILTERS)


def synthetic_gathered(**overrides: MetricTable) -> Gathered:
    tables = [us_cn_share(), work_country_share(), retention(), flows(), top_orgs()]
    gathered = Gathered()
    for table in [*tables, *overrides.values()]:
        gathered.tables[table.name] = table
        gathered.provider_of[table.name] = "synthetic"
    gathered.unavailable["store status"] = "splitscope.status.store_status is not installed yet"
    return gathered
