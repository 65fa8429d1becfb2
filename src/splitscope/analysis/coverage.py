"""Coverage per venue-year, the one trend gate, and the venue groups of the per-venue series.

Author-affiliation coverage is the share of accepted-paper authorships whose affiliations resolve to a
country. Talent trends gate venue-years on it (a venue-year below the gate measures what the source
happened to record, not where people work), and `splitscope gaps` lists the venue-years below it.
Collaboration counts papers, so its trends gate on paper coverage (accepted papers with a country set,
per author or from a per-paper institution list) against the same gate value.

`TREND_COVERAGE_GATE` is the one threshold every trend uses; docs/validation.md ("The coverage gate")
says how it was chosen and how the headline figures move with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb
import pandas as pd
import yaml

from splitscope.analysis.affiliation_rows import affiliation_rows_sql, paper_affiliation_rows_sql
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.selection import Selection

# Chosen from the distribution of coverage over the 274 venue-years of the shared corpus: 44 sit below
# 0.10 (paper lists with names but no affiliations), one between 0.10 and 0.30, and every other one at
# 0.35 or above, where coverage is a steady property of a source (AISTATS and UAI print about half of
# their affiliations year after year). A gate inside that empty band separates "has affiliations" from
# "has none" without cutting through a venue's steady coverage, which a gate at 0.5 would do (AISTATS
# 2019-20 and UAI 2021/2023 out, their neighbours in). docs/validation.md shows the sensitivity.
TREND_COVERAGE_GATE = 0.3

_COVERAGE_SQL = """
with accepted as (
    select au.authorship_id, p.paper_id, p.venue, p.year
    from authorships au join papers p using (paper_id)
    where p.accepted and {where}
), rows as ({rows}),
resolved as (
    select authorship_id, bool_or(basis = 'profile_crawl') as crawl, min(basis) as basis
    from rows where country is not null group by authorship_id
), paper_level as (
    select distinct paper_id from ({paper_rows})
), per_author as (
    select a.venue, a.year, count(*) as authorships, count(r.authorship_id) as with_country,
           count(*) filter (where r.crawl) as with_crawl_profile,
           mode(r.basis) as main_basis
    from accepted a left join resolved r using (authorship_id)
    group by a.venue, a.year
), per_paper as (
    select p.venue, p.year, count(*) as papers,
           count(*) filter (where p.paper_id in (select paper_id from accepted semi join resolved
                                                 using (authorship_id))
                               or p.paper_id in (select paper_id from paper_level)) as papers_with_country
    from papers p where p.accepted and {where}
    group by p.venue, p.year
)
select pp.venue, pp.year, coalesce(pa.authorships, 0) as authorships,
       coalesce(pa.with_country, 0) as with_country,
       coalesce(pa.with_country / nullif(pa.authorships, 0), 0.0) as coverage,
       pp.papers, pp.papers_with_country, pp.papers_with_country / pp.papers as paper_coverage,
       coalesce(pa.with_crawl_profile / nullif(pa.with_country, 0), 0.0) as profile_crawl_share,
       pa.main_basis
from per_paper pp left join per_author pa using (venue, year)
order by pp.venue, pp.year
"""


def coverage_gate(selection: Selection | None = None) -> float:
    """The gate a selection uses: its own (`--coverage-gate`, for sensitivity runs) or the default."""
    if selection is None or selection.coverage_gate is None:
        return TREND_COVERAGE_GATE
    return selection.coverage_gate


def venue_year_coverage(con: duckdb.DuckDBPyConnection, selection: Selection | None = None) -> pd.DataFrame:
    """One row per selected venue-year with accepted papers: venue, year, authorships, with_country,
    coverage (0..1), gated_in (coverage at or above the gate), then papers, papers_with_country,
    paper_coverage, paper_gated_in (the same gate on paper coverage, for collaboration trends),
    profile_crawl_share (of the authorships with a country, those resting on a crawl-time OpenReview
    profile), main_basis and venue_group. The selection's affiliation bases apply."""
    selection = selection or Selection()
    where = selection.sql("p.venue", "p.year")
    sql = _COVERAGE_SQL.format(
        where=where, rows=affiliation_rows_sql(selection), paper_rows=paper_affiliation_rows_sql(selection)
    )
    frame = con.execute(sql).df()
    gate = coverage_gate(selection)
    frame["gated_in"] = frame["coverage"] >= gate
    frame["paper_gated_in"] = frame["paper_coverage"] >= gate
    frame["venue_group"] = frame["venue"].map(venue_group_of()).fillna(frame["venue"])
    columns = ["venue", "year", "authorships", "with_country", "coverage", "gated_in", "papers"]
    columns += ["papers_with_country", "paper_coverage", "paper_gated_in", "profile_crawl_share"]
    columns += ["main_basis", "venue_group"]
    return frame[columns]


@cache
def venue_groups() -> dict[str, tuple[str, ...]]:
    """Group name -> venue codes, from venue_groups.yaml (data, not code)."""
    path = resources.files("splitscope.analysis") / "venue_groups.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {name: tuple(venues) for name, venues in data["groups"].items()}


def venue_group_of() -> dict[str, str]:
    return {venue: group for group, venues in venue_groups().items() for venue in venues}


def gated_out_labels(frame: pd.DataFrame, column: str = "gated_in", value: str = "coverage") -> list[str]:
    """'nips2019 (0.00)' for every venue-year the gate keeps out, for filters and notes."""
    out = frame[~frame[column]]
    return [f"{r.venue}{r.year} ({getattr(r, value):.2f})" for r in out.itertuples()]


def crawl_profile_labels(frame: pd.DataFrame, threshold: float = 0.5) -> list[str]:
    """Venue-years (gated in) where most resolved authorships rest on crawl-time OpenReview profiles:
    they measure where the authors were when the profiles were crawled, not in the paper's year."""
    rows = frame[frame["gated_in"] & (frame["profile_crawl_share"] > threshold)]
    return [f"{r.venue}{r.year}" for r in rows.itertuples()]


@dataclass(frozen=True)
class TrendPanel:
    """The selected venue-years with their coverage, and which of them pass the gate. Talent gates on
    author coverage (`gated_in`), collaboration on paper coverage (`paper_gated_in`)."""

    selection: Selection
    coverage: pd.DataFrame  # venue_year_coverage
    gate: float

    @classmethod
    def of(cls, con: duckdb.DuckDBPyConnection, selection: Selection) -> TrendPanel:
        return cls(selection, venue_year_coverage(con, selection), coverage_gate(selection))

    def _gated(self, column: str) -> frozenset[tuple[str, int]]:
        rows = self.coverage[self.coverage[column]]
        return frozenset(zip(rows["venue"], rows["year"].astype(int), strict=True))

    @property
    def gated(self) -> frozenset[tuple[str, int]]:
        return self._gated("gated_in")

    @property
    def paper_gated(self) -> frozenset[tuple[str, int]]:
        return self._gated("paper_gated_in")

    def _out(self, paper_level: bool) -> list[str]:
        if paper_level:
            return gated_out_labels(self.coverage, "paper_gated_in", "paper_coverage")
        return gated_out_labels(self.coverage)

    def filters(self, paper_level: bool = False) -> dict[str, object]:
        return {
            "coverage_gate": self.gate,
            "gate_on": "paper coverage" if paper_level else "author-affiliation coverage",
            "gated_out": self._out(paper_level),
            "profile_crawl_venue_years": crawl_profile_labels(self.coverage),
        }

    def note(self, paper_level: bool = False) -> str:
        method = (
            "chain-linked: each year-to-year change is measured on the venues gated in both years "
            "(link_venues); levels are set so that, averaged over a chain's years, they equal the pooled "
            "shares (pooled_share: each year's own gated venues, the raw mix); chain_segment numbers chains"
            if self.selection.aggregate == "panel"
            else "RAW VENUE MIX: each year pools its own gated venues, so venues entering or leaving move "
            "the series"
        )
        out = self._out(paper_level)
        crawl = crawl_profile_labels(self.coverage)
        text = f"{method}; coverage gate {self.gate:.2f}: {len(out)} selected venue-years below it left out"
        if crawl:
            text += (
                f"; {len(crawl)} venue-years rest mostly on OpenReview profiles as crawled later "
                f"(where authors were at crawl time, not in the paper's year): {', '.join(crawl)}"
            )
        return text


def venue_years_table(panel: TrendPanel, name: str = "talent.venue_years") -> MetricTable:
    """Every selected venue-year with its coverage and whether the trends use it."""
    frame = panel.coverage
    unit_gate = "paper_gated_in" if name.startswith("collab.") else "gated_in"
    return MetricTable(
        name,
        "Venue-years of the selection: affiliation coverage, the gate, and the basis they rest on",
        frame.copy(),
        Coverage("venue-years", len(frame), int(frame[unit_gate].sum())),
        notes=f"coverage = accepted-paper authorships with a resolved country / all (gated_in: coverage >= "
        f"{panel.gate:.2f}); paper_coverage = accepted papers with a country set (paper_gated_in, used by "
        "collaboration trends); profile_crawl_share = of the authorships with a country, those resting on "
        "an OpenReview profile as crawled later; covered = venue-years the trends use",
    )
