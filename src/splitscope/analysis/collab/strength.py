"""Collaboration strength between country pairs, normalised for the countries' sizes.

Per year over papers with at least one resolved country (full counting, both bases), for each focus
country i (US, CN) and every other country j it co-authored with:
- N_i: papers with i; C_ij: papers with both i and j; I_i: papers with i and at least one other country.
- Salton's cosine  S_ij = C_ij / sqrt(N_i * N_j)   (symmetric; 1 = the two always appear together).
- Affinity index   A_ij = C_ij / I_i               (share of i's international papers that include j;
  asymmetric; over j it sums to >= 1 because a paper can include several partners).
More US-CN papers with a rising N_US and N_CN can mean a falling cosine: that is the "relatively"
question the raw counts cannot answer.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from splitscope.analysis.collab.paper_sets import PaperSetCounts
from splitscope.analysis.collab.resampled_totals import ResampledTotals, unit_index
from splitscope.analysis.metric_table import Coverage, MetricTable

FOCUS_COUNTRIES = ("US", "CN")
STRENGTH_COLUMNS = [
    "year",
    "country_i",
    "country_j",
    "papers_i",
    "papers_j",
    "papers_ij",
    "international_papers_i",
    "salton_cosine",
    "salton_cosine_ci_low",
    "salton_cosine_ci_high",
    "affinity",
    "affinity_ci_low",
    "affinity_ci_high",
    "papers_with_country",
]


def pair_strength_table(
    con: duckdb.DuckDBPyConnection, counts: PaperSetCounts, filters: dict, resamples: int
) -> MetricTable:
    rows = con.execute(
        """
        select pc.paper_id, p.year, pc.country,
               count(*) over (partition by pc.paper_id) as countries_on_paper
        from collab_paper_country pc join collab_papers p using (paper_id)
        order by p.year, pc.paper_id, pc.country
        """
    ).df()
    out: list[dict] = []
    for year, group in rows.groupby("year"):
        out.extend(_year_rows(int(year), group, resamples))
    frame = pd.DataFrame(out, columns=STRENGTH_COLUMNS)
    return MetricTable(
        "collab.pair_strength",
        "Country-pair collaboration strength: Salton's cosine and affinity index (focus US, CN)",
        frame,
        Coverage("papers", counts.papers, counts.papers_with_country),
        filters,
        "Full counting over papers with >= 1 resolved country (author and paper basis). "
        "salton_cosine = papers_ij / sqrt(papers_i * papers_j); affinity = papers_ij / "
        "international_papers_i. Intervals resample papers within the year.",
    )


def _year_rows(year: int, group: pd.DataFrame, resamples: int) -> list[dict]:
    codes, n_units = unit_index(group, "paper_id")
    group = group.assign(unit=codes)
    totals = ResampledTotals.from_frame(_strength_triples(group), n_units, resamples)
    rows = []
    for i in FOCUS_COUNTRIES:
        partners = totals.categories(f"C:{i}|")
        joint = [f"C:{i}|{j}" for j in partners]
        cosine = totals.cosines(joint, [f"N:{i}"] * len(joint), [f"N:{j}" for j in partners])
        affinity = totals.ratios(joint, f"I:{i}")
        for k, j in enumerate(partners):
            rows.append(
                {
                    "year": year,
                    "country_i": i,
                    "country_j": j,
                    "papers_i": int(totals.total(f"N:{i}")),
                    "papers_j": int(totals.total(f"N:{j}")),
                    "papers_ij": int(totals.total(joint[k])),
                    "international_papers_i": int(totals.total(f"I:{i}")),
                    "salton_cosine": cosine[0][k],
                    "salton_cosine_ci_low": cosine[1][k],
                    "salton_cosine_ci_high": cosine[2][k],
                    "affinity": affinity[0][k],
                    "affinity_ci_low": affinity[1][k],
                    "affinity_ci_high": affinity[2][k],
                    "papers_with_country": n_units,
                }
            )
    return rows


def _strength_triples(group: pd.DataFrame) -> pd.DataFrame:
    """N:<country> per paper-country; I:<focus> and C:<focus>|<partner> for focus countries."""
    parts = [pd.DataFrame({"unit": group["unit"], "category": "N:" + group["country"], "value": 1.0})]
    for focus in FOCUS_COUNTRIES:
        focus_units = group.loc[group["country"] == focus, "unit"]
        international = group[group["unit"].isin(focus_units) & (group["countries_on_paper"] > 1)]
        partners = international[international["country"] != focus]
        intl_units = international["unit"].drop_duplicates()
        parts.append(pd.DataFrame({"unit": intl_units, "category": f"I:{focus}", "value": 1.0}))
        parts.append(
            pd.DataFrame(
                {"unit": partners["unit"], "category": f"C:{focus}|" + partners["country"], "value": 1.0}
            )
        )
    return pd.concat(parts, ignore_index=True)
