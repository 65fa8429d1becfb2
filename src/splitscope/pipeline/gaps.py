"""`splitscope gaps`: the venue-years whose author-affiliation coverage is below the trend gate
(analysis/coverage.py), what the store holds for each (authorships with a country per affiliation basis,
per-paper institution lists), and the command that would fill it from OpenAlex when the venue map
(sources/openalex/venues.yaml) knows the venue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from splitscope.analysis.coverage import coverage_gate, venue_year_coverage
from splitscope.selection import Selection
from splitscope.sources.openalex.venues import mapped_venues
from splitscope.store.batch import AFFILIATION_BASES

# The basis is the one resolution recorded on each row (store/batch.py, AFFILIATION_BASES); a row of a
# store built before it was recorded counts as 'unknown'.
_BASIS_SQL = """
with accepted as (
    select p.venue, p.year, p.paper_id, au.authorship_id
    from papers p left join authorships au using (paper_id)
    where p.accepted and {where}
), resolved as (
    select authorship_id, min(coalesce(basis, 'unknown')) as basis
    from authorship_affiliations where country is not null group by authorship_id
)
select a.venue, a.year, count(distinct a.paper_id) as papers,
       count(distinct a.paper_id) filter (where a.authorship_id is not null) as papers_with_names,
       count(distinct a.paper_id) filter (
           where a.paper_id in (select paper_id from paper_affiliation_mentions)) as papers_with_paper_list,
       {per_basis}
from accepted a left join resolved r using (authorship_id)
group by all
"""
BASES = (*AFFILIATION_BASES, "unknown")


@dataclass
class Gap:
    venue: str
    year: int
    papers: int
    authorships: int
    with_country: int
    coverage: float
    paper_coverage: float  # accepted papers with a country set (per author or per-paper list): collab's gate
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
    per_basis = ", ".join(
        f"count(distinct a.authorship_id) filter (where r.basis = '{b}') as {b}" for b in BASES
    )
    sql = _BASIS_SQL.format(where=selection.sql("p.venue", "p.year"), per_basis=per_basis)
    basis = {(row["venue"], int(row["year"])): row for row in con.execute(sql).df().to_dict("records")}
    mapped = set(mapped_venues())
    result = GapList(coverage_gate(selection), venue_years_checked=len(coverage))
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
                round(float(row["paper_coverage"]), 4),
                _holds(held, by_basis),
                by_basis,
                fill,
                note,
            )
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
