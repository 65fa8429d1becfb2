"""`splitscope gaps`: the venue-years whose author-affiliation coverage is below the trend gate
(analysis/coverage.py), what the store holds for each (by affiliation basis), and the command that
would fill it from OpenAlex when the venue map (sources/openalex/venues.yaml) knows the venue.

The basis of an affiliation is derived from the kind of the source that supplied it: paper lists and
the conference CSV print it on the paper (`paper`), openreview-authors files are profile crawls
(`profile_crawl`), dated OpenReview profile entries (`profile_dated`), any OpenAlex kind (`openalex`).
Issue 15 introduces this mapping in the analysis; `basis_of` here follows the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from splitscope.analysis.coverage import TREND_COVERAGE_GATE, venue_year_coverage
from splitscope.selection import Selection
from splitscope.sources.openalex.venues import mapped_venues

PROFILE_DATED_PREFIX = "openreview-profile:"  # resolve/profiles/history.py's source ids

_BASIS_SQL = f"""
with accepted as (
    select p.venue, p.year, p.paper_id, au.authorship_id
    from papers p left join authorships au using (paper_id)
    where p.accepted and {{where}}
), resolved as (
    select distinct aa.authorship_id,
           case when aa.source_id like '{PROFILE_DATED_PREFIX}%' then 'profile_dated'
                when s.kind like 'openalex%' then 'openalex'
                when s.kind in ('paperlists', 'conference_csv') then 'paper'
                when s.kind = 'openreview_authors' then 'profile_crawl'
                when s.kind = 'openreview_api' then 'profile_dated'
                else coalesce(s.kind, 'unknown') end as basis
    from authorship_affiliations aa left join sources s using (source_id)
    where aa.country is not null
)
select a.venue, a.year, count(distinct a.paper_id) as papers,
       count(distinct a.paper_id) filter (where a.authorship_id is not null) as papers_with_names,
       count(distinct a.paper_id) filter (
           where a.paper_id in (select paper_id from paper_affiliation_mentions)) as papers_with_paper_list,
       list(distinct r.basis) filter (where r.basis is not null) as bases,
       count(distinct a.authorship_id) filter (where r.basis = 'paper') as paper,
       count(distinct a.authorship_id) filter (where r.basis = 'profile_crawl') as profile_crawl,
       count(distinct a.authorship_id) filter (where r.basis = 'profile_dated') as profile_dated,
       count(distinct a.authorship_id) filter (where r.basis = 'openalex') as openalex
from accepted a left join resolved r using (authorship_id)
group by all
"""
BASES = ("paper", "profile_crawl", "profile_dated", "openalex")


@dataclass
class Gap:
    venue: str
    year: int
    papers: int
    authorships: int
    with_country: int
    coverage: float
    holds: str  # what exists, in words
    by_basis: dict[str, int]  # authorships with a country, per basis
    fill_command: str | None  # None when the venue map has no OpenAlex source for the venue
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class GapList:
    gate: float
    gaps: list[Gap] = field(default_factory=list)
    venue_years_checked: int = 0

    @property
    def fill_commands(self) -> list[str]:
        """One command per venue naming all its gap years (a target per run of consecutive years)."""
        years: dict[str, list[int]] = {}
        for gap in self.gaps:
            if gap.fill_command:
                years.setdefault(gap.venue, []).append(gap.year)
        return [
            "splitscope openalex fill " + " ".join(f"{venue}:{run}" for run in _ranges(ys))
            for venue, ys in years.items()
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "gate": self.gate,
            "venue_years_checked": self.venue_years_checked,
            "gaps": [gap.to_dict() for gap in self.gaps],
            "fill_commands": self.fill_commands,
        }


def _ranges(years: list[int]) -> list[str]:
    """[2020, 2021, 2022, 2024] → ['2020-2022', '2024']."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return [f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]


def list_gaps(con: duckdb.DuckDBPyConnection, selection: Selection | None = None) -> GapList:
    selection = selection or Selection()
    coverage = venue_year_coverage(con, selection)
    basis = {
        (row["venue"], int(row["year"])): row
        for row in con.execute(_BASIS_SQL.format(where=selection.sql("p.venue", "p.year")))
        .df()
        .to_dict("records")
    }
    mapped = set(mapped_venues())
    result = GapList(TREND_COVERAGE_GATE, venue_years_checked=len(coverage))
    for row in coverage[~coverage["gated_in"]].to_dict("records"):
        venue, year = row["venue"], int(row["year"])
        held = basis.get((venue, year), {})
        by_basis = {b: int(held.get(b, 0) or 0) for b in BASES}
        fill = f"splitscope openalex fill {venue}:{year}" if venue in mapped else None
        note = "" if fill else f"no OpenAlex source for {venue!r} in sources/openalex/venues.yaml"
        result.gaps.append(
            Gap(
                venue,
                year,
                int(held.get("papers", 0) or 0),
                int(row["authorships"]),
                int(row["with_country"]),
                round(float(row["coverage"]), 4),
                _holds(held, by_basis),
                by_basis,
                fill,
                note,
            )  # fmt: skip
        )
    return result


def _holds(held: dict[str, Any], by_basis: dict[str, int]) -> str:
    parts = [f"{basis} {count:,}" for basis, count in by_basis.items() if count]
    words = "author countries: " + ", ".join(parts) if parts else "no author countries"
    if held.get("papers_with_paper_list"):
        words += f"; per-paper affiliation lists for {int(held['papers_with_paper_list']):,} papers"
    if not held.get("papers_with_names"):
        words += "; titles only (no author names)"
    elif not parts and not held.get("papers_with_paper_list"):
        words += "; names only"
    return words
