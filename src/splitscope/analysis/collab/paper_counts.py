"""Paper counts by country: the US/CN mix, full and fractional counting, and exact country sets.

Tables (per scope = each venue and 'all' venues of the selection, cohort = 'all' | 'top_tier', and year):
- collab.paper_mix: the six exclusive categories of papers by US/CN presence; shares sum to 1 over
  papers with at least one resolved country.
- collab.country_counts: per country, full counting (papers with the country) and fractional counting
  (author shares), each with its share.
- collab.country_combinations: papers per exact country set ('CN+US', 'US', ...).
Definitions live in docs/collaboration.md.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import numpy as np
import pandas as pd

from splitscope.analysis.collab.paper_sets import PaperSetCounts
from splitscope.analysis.collab.resampled_totals import ResampledTotals, category_codes
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.analysis.panels import CHAIN_COLUMNS

MIX_CATEGORIES = ("us_cn", "us_only", "cn_only", "us_intl_no_cn", "cn_intl_no_us", "other")
GROUP_COLS = ["scope", "cohort", "year"]

PAPER_ROWS_SQL = """
select pc.paper_id, p.venue, p.year, p.top_tier, any_value(pc.basis) as basis,
       array_to_string(list_sort(list(pc.country)), '+') as combination,
       case when bool_or(pc.country = 'US') and bool_or(pc.country = 'CN') then 'us_cn'
            when bool_or(pc.country = 'US') and count(*) = 1 then 'us_only'
            when bool_or(pc.country = 'CN') and count(*) = 1 then 'cn_only'
            when bool_or(pc.country = 'US') then 'us_intl_no_cn'
            when bool_or(pc.country = 'CN') then 'cn_intl_no_us'
            else 'other' end as category
from collab_paper_country pc join collab_papers p using (paper_id)
group by pc.paper_id, p.venue, p.year, p.top_tier
"""


def paper_frames(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(papers with their category, paper-country rows, selected papers), in a total order: the
    bootstraps draw by row position, so the order must not vary from run to run."""
    papers = con.execute(PAPER_ROWS_SQL + " order by pc.paper_id").df()
    countries = con.execute(
        """
        select pc.paper_id, pc.country, pc.fractional, p.venue, p.year, p.top_tier
        from collab_paper_country pc join collab_papers p using (paper_id)
        order by pc.paper_id, pc.country
        """
    ).df()
    selected = con.execute("select venue, year, top_tier from collab_papers order by paper_id").df()
    return papers, countries, selected


def paper_tables(
    con: duckdb.DuckDBPyConnection,
    counts: PaperSetCounts,
    filters: dict,
    resamples: int,
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None = None,
) -> list[MetricTable]:
    """paper_mix, country_counts and country_combinations, from one bootstrap per group."""
    papers, countries, selected = frames if frames is not None else paper_frames(con)
    codes = _CategoryCodes(papers, countries)
    mix_rows, country_rows, combo_rows = [], [], []
    for key, group_papers, group_countries, n_selected in _groups(papers, countries, selected):
        base = {**key, "papers_selected": n_selected, "papers_with_country": len(group_papers)}
        if group_papers.empty:
            # A year with papers but no resolved country: kept, so coverage 0 shows rather than a gap.
            mix_rows.extend(_empty_mix_rows(base))
            continue
        sets, fractions = codes.totals(group_papers, group_countries, resamples)
        mix_rows.extend(_mix_rows(sets, base))
        n_author = int((group_papers["basis"] == "author").sum())
        country_rows.extend(_country_rows(sets, fractions, {**base, "papers_author_basis": n_author}))
        combo_rows.extend(_combination_rows(sets, base))
    papers_cov = Coverage("papers", counts.papers, counts.papers_with_country)
    author_cov = Coverage("papers", counts.papers, counts.papers_author_basis)
    basis_note = (
        f"{counts.papers_author_basis} papers with per-author countries (author basis), "
        f"{counts.papers_paper_basis} with a per-paper affiliation list only (paper basis: in full "
        "counting, not in fractional counting)."
    )
    return [
        MetricTable(
            "collab.paper_mix",
            "Papers by US/CN presence: US-CN, US only, CN only, US without CN, CN without US, other",
            pd.DataFrame(mix_rows, columns=MIX_COLUMNS),
            papers_cov,
            filters,
            "Shares over papers with >= 1 resolved country; the six categories sum to 1. " + basis_note,
        ),
        MetricTable(
            "collab.country_counts",
            "Papers per country: full counting and fractional (author-share) counting",
            pd.DataFrame(country_rows, columns=COUNTRY_COLUMNS),
            author_cov,
            filters,
            "share_full: papers with the country / papers with a country (sums over countries >= 1). "
            "share_fractional: author shares / author-basis papers (sums to 1; the all-venue series "
            "chains over venue-years gated on author coverage). Coverage counts "
            "author-basis papers, the base of fractional counting. " + basis_note,
        ),
        MetricTable(
            "collab.country_combinations",
            "Papers per exact set of countries",
            pd.DataFrame(combo_rows, columns=COMBO_COLUMNS),
            papers_cov,
            filters,
            "combination: the paper's distinct countries, sorted, joined by '+'. " + basis_note,
        ),
    ]


MIX_COLUMNS = [*GROUP_COLS, "category", "papers", "share", "share_ci_low", "share_ci_high"]
MIX_COLUMNS += ["papers_with_country", "papers_selected", *CHAIN_COLUMNS]
COUNTRY_COLUMNS = [*GROUP_COLS, "country", "papers_full", "share_full", "share_full_ci_low"]
COUNTRY_COLUMNS += ["share_full_ci_high", "papers_fractional", "share_fractional"]
COUNTRY_COLUMNS += ["share_fractional_ci_low", "share_fractional_ci_high"]
COUNTRY_COLUMNS += ["papers_with_country", "papers_author_basis", "papers_selected"]
COMBO_COLUMNS = [*GROUP_COLS, "combination", "papers", "share", "share_ci_low", "share_ci_high"]
COMBO_COLUMNS += ["papers_with_country", "papers_selected"]


def _groups(
    papers: pd.DataFrame, countries: pd.DataFrame, selected: pd.DataFrame
) -> Iterator[tuple[dict, pd.DataFrame, pd.DataFrame, int]]:
    """(key, papers, country rows, papers selected) per scope (each venue, then 'all'), cohort, year."""
    for scope in [*sorted(selected["venue"].unique()), "all"]:
        for cohort in ("all", "top_tier"):

            def subset(frame: pd.DataFrame, scope=scope, cohort=cohort) -> pd.DataFrame:
                keep = np.ones(len(frame), dtype=bool)
                if scope != "all":
                    keep &= (frame["venue"] == scope).to_numpy()
                if cohort == "top_tier":
                    keep &= frame["top_tier"].astype(bool).to_numpy()
                return frame[keep]

            paper_groups = dict(tuple(subset(papers).groupby("year")))
            country_groups = dict(tuple(subset(countries).groupby("year")))
            for year, n_selected in subset(selected).groupby("year").size().items():
                key = {"scope": scope, "cohort": cohort, "year": int(year)}
                group_papers = paper_groups.get(year, papers.iloc[:0])
                group_countries = country_groups.get(year, countries.iloc[:0])
                yield key, group_papers, group_countries, int(n_selected)


class _CategoryCodes:
    """Integer category codes for the whole selection, built once; per group, the two bootstraps:
    country sets (mix, combination, full counting; profile = the paper's country set) and fractions
    (fractional counting over author-basis papers)."""

    def __init__(self, papers: pd.DataFrame, countries: pd.DataFrame) -> None:
        self.names: list[str] = []
        lookup: dict[str, int] = {}
        papers["paper_index"] = np.arange(len(papers))
        countries["paper_index"] = (
            papers.set_index("paper_id")["paper_index"].loc[countries["paper_id"]].to_numpy()
        )
        papers["mix_code"] = category_codes(papers["category"], "mix:", self.names, lookup)
        papers["combo_code"] = category_codes(papers["combination"], "combo:", self.names, lookup)
        countries["full_code"] = category_codes(countries["country"], "full:", self.names, lookup)
        countries["frac_code"] = category_codes(countries["country"], "frac:", self.names, lookup)
        den = category_codes(pd.Series(["papers", "author"]), "den:", self.names, lookup)
        self.den_papers, self.den_author = int(den[0]), int(den[1])
        self.local = np.full(len(papers), -1, dtype=np.int64)

    def totals(self, group_papers: pd.DataFrame, group_countries: pd.DataFrame, resamples: int):
        n = len(group_papers)
        units = np.arange(n)
        self.local[group_papers["paper_index"].to_numpy()] = units
        country_units = self.local[group_countries["paper_index"].to_numpy()]
        sets = ResampledTotals(
            np.concatenate([units, units, units, country_units]),
            np.concatenate(
                [
                    group_papers["mix_code"].to_numpy(),
                    group_papers["combo_code"].to_numpy(),
                    np.full(n, self.den_papers),
                    group_countries["full_code"].to_numpy(),
                ]
            ),
            np.ones(3 * n + len(country_units)),
            n,
            self.names,
            resamples,
        )
        author_rows = group_countries["fractional"].notna().to_numpy()
        author_units = units[(group_papers["basis"] == "author").to_numpy()]
        fractions = ResampledTotals(
            np.concatenate([author_units, country_units[author_rows]]),
            np.concatenate(
                [
                    np.full(len(author_units), self.den_author),
                    group_countries["frac_code"].to_numpy()[author_rows],
                ]
            ),
            np.concatenate(
                [np.ones(len(author_units)), group_countries["fractional"].to_numpy()[author_rows]]
            ),
            n,
            self.names,
            resamples,
        )
        return sets, fractions


def _mix_rows(totals: ResampledTotals, base: dict) -> list[dict]:
    names = [f"mix:{c}" for c in MIX_CATEGORIES]
    share, low, high = totals.ratios(names, "den:papers")
    return [
        {
            **base,
            "category": category,
            "papers": int(totals.total(name)),
            "share": share[i],
            "share_ci_low": low[i],
            "share_ci_high": high[i],
        }
        for i, (category, name) in enumerate(zip(MIX_CATEGORIES, names, strict=True))
    ]


def _empty_mix_rows(base: dict) -> list[dict]:
    undefined = {"papers": 0, "share": np.nan, "share_ci_low": np.nan, "share_ci_high": np.nan}
    return [{**base, "category": category, **undefined} for category in MIX_CATEGORIES]


def _country_rows(totals: ResampledTotals, fractions: ResampledTotals, base: dict) -> list[dict]:
    countries = totals.categories("full:")
    full, full_low, full_high = totals.ratios([f"full:{c}" for c in countries], "den:papers")
    frac, frac_low, frac_high = fractions.ratios([f"frac:{c}" for c in countries], "den:author")
    return [
        {
            **base,
            "country": country,
            "papers_full": int(totals.total(f"full:{country}")),
            "share_full": full[i],
            "share_full_ci_low": full_low[i],
            "share_full_ci_high": full_high[i],
            "papers_fractional": fractions.total(f"frac:{country}"),
            "share_fractional": frac[i],
            "share_fractional_ci_low": frac_low[i],
            "share_fractional_ci_high": frac_high[i],
        }
        for i, country in enumerate(countries)
    ]


def _combination_rows(totals: ResampledTotals, base: dict) -> list[dict]:
    combinations = totals.categories("combo:")
    share, low, high = totals.ratios([f"combo:{c}" for c in combinations], "den:papers")
    rows = [
        {
            **base,
            "combination": combination,
            "papers": int(totals.total(f"combo:{combination}")),
            "share": share[i],
            "share_ci_low": low[i],
            "share_ci_high": high[i],
        }
        for i, combination in enumerate(combinations)
    ]
    return sorted(rows, key=lambda r: -r["papers"])
