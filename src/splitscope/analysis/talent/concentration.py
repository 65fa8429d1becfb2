"""Sector mix (academia vs industry) and organisational concentration per country and year.

Both count fractional researchers: a person-year's weight in a country is split over the organisations
(and their sectors) that carry it. Academia = sector 'education', industry = 'company'; the other sectors
(government, nonprofit, facility) and rows without a sector ('unknown') are shown as they are.
Concentration: the share of a country's researcher weight held by its 10 largest organisations, and the
Herfindahl-Hirschman index (sum of squared organisation shares, 0..1); both with person-resampled
bootstrap intervals.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES, iter_category_resamples
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.analysis.talent.careers import researcher_shares

TOP_N = 10


def _person_year_parts(con: duckdb.DuckDBPyConnection, part_col: str, where: str = "true") -> pd.DataFrame:
    return con.execute(f"""
        select f.person_id, f.year, f.country, {part_col} as part,
               round(sum(f.weight) / any_value(py.n_resolved), 12) as weight  -- same in every run
        from talent_facts f
        join talent_population_years py using (person_id, year)
        where f.country is not null and {where}
        group by all order by all
    """).df()


def sector_table(con: duckdb.DuckDBPyConnection, resamples: int = DEFAULT_RESAMPLES) -> MetricTable:
    parts = _person_year_parts(con, "coalesce(f.sector, 'unknown')")
    frame = researcher_shares(parts, ["year", "country"], "part", resamples, {"part": "sector"})
    persons = parts[["person_id", "year"]].drop_duplicates()
    known = parts[parts["part"] != "unknown"][["person_id", "year"]].drop_duplicates()
    return MetricTable(
        "talent.sector_share",
        "Academia (education) vs industry (company) share of researchers, by country and year",
        frame,
        Coverage("researcher-years", len(persons), len(known)),
        notes="share of the country-year's researcher weight; covered = researcher-years with a known sector",
    )


# Each draw needs a full organisation vector per country-year (thousands of organisations for the US), so
# concentration uses fewer resamples than the shares; 200 still gives stable 95% percentile bounds here.
CONCENTRATION_RESAMPLES = 200


def concentration_table(
    con: duckdb.DuckDBPyConnection,
    resamples: int = CONCENTRATION_RESAMPLES,
    min_researchers: int = 10,
    level: float = 0.95,
) -> MetricTable:
    parts = _person_year_parts(con, "f.org_id", "f.org_id is not null")
    rows = []
    # Below a handful of researchers a top-10 share is 1 by construction: not a finding.
    size = parts.groupby(["year", "country"])["person_id"].transform("nunique")
    eligible_parts = parts[size >= min_researchers]
    groups = iter_category_resamples(
        eligible_parts, ["year", "country"], "person_id", "part", "weight", resamples
    )
    for (year, country), draws in groups:
        n_persons = draws.n_units
        top_share, hhi = _concentration(draws.observed[None, :])
        boot_top, boot_hhi = _concentration(draws.resampled)
        alpha = (1 - level) / 2
        rows.append(
            {
                "year": year,
                "country": country,
                "n": n_persons,
                "orgs": int((draws.observed > 0).sum()),
                "researchers": float(draws.observed.sum()),
                "top10_share": float(top_share[0]),
                "top10_share_ci_low": float(np.quantile(boot_top, alpha)),
                "top10_share_ci_high": float(np.quantile(boot_top, 1 - alpha)),
                "hhi": float(hhi[0]),
                "hhi_ci_low": float(np.quantile(boot_hhi, alpha)),
                "hhi_ci_high": float(np.quantile(boot_hhi, 1 - alpha)),
            }
        )
    columns = ["year", "country", "n", "orgs", "researchers", "top10_share", "top10_share_ci_low",
               "top10_share_ci_high", "hhi", "hhi_ci_low", "hhi_ci_high"]  # fmt: skip
    all_parts = _person_year_parts(con, "f.org_id")
    return MetricTable(
        "talent.concentration",
        "Share of the top-10 organisations and Herfindahl index, by country and year",
        pd.DataFrame(rows, columns=columns),
        Coverage(
            "researcher-years",
            len(all_parts[["person_id", "year"]].drop_duplicates()),
            len(parts[["person_id", "year"]].drop_duplicates()),
        ),  # fmt: skip
        notes=f"{resamples} bootstrap resamples; country-years with at least {min_researchers} "
        "researchers; covered = researcher-years with a resolved organisation "
        "(country-only resolutions are left out of concentration)",
    )


def _concentration(totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top-10 share and HHI for each row of an (draws x orgs) matrix of organisation totals."""
    row_totals = totals.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = totals / row_totals[:, None]
    if shares.shape[1] <= TOP_N:
        top = shares.sum(axis=1)
    else:  # partition, not sort: only the 10 largest matter
        top = -np.partition(-shares, TOP_N - 1, axis=1)[:, :TOP_N].sum(axis=1)
    return top, (shares**2).sum(axis=1)
