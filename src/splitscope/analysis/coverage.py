"""Author-affiliation coverage per venue-year: the share of accepted-paper authorships whose affiliations
resolve to a country. Trends gate venue-years on it (a venue-year below the gate measures what the source
happened to record, not where people work), and `splitscope gaps` lists the venue-years below it.

`TREND_COVERAGE_GATE` is the one threshold both use; docs/talent.md says how it was chosen.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from splitscope.selection import Selection

# Placeholder until the comparable-trends work measures how results move with it (issue 15).
TREND_COVERAGE_GATE = 0.5

_COVERAGE_SQL = """
with accepted as (
    select au.authorship_id, p.venue, p.year
    from authorships au join papers p using (paper_id)
    where p.accepted and {where}
), resolved as (
    select distinct authorship_id from authorship_affiliations where country is not null
)
select a.venue, a.year, count(*) as authorships,
       count(r.authorship_id) as with_country,
       count(r.authorship_id) / count(*) as coverage
from accepted a left join resolved r using (authorship_id)
group by all
order by a.venue, a.year
"""


def venue_year_coverage(con: duckdb.DuckDBPyConnection, selection: Selection | None = None) -> pd.DataFrame:
    """One row per selected venue-year with accepted papers: venue, year, authorships, with_country,
    coverage (0..1), and `gated_in` (coverage at or above TREND_COVERAGE_GATE)."""
    where = (selection or Selection()).sql("p.venue", "p.year")
    frame = con.execute(_COVERAGE_SQL.format(where=where)).df()
    frame["gated_in"] = frame["coverage"] >= TREND_COVERAGE_GATE
    return frame
