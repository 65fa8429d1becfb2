"""`splitscope status`: what the store holds per venue-year, with coverage shares."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import duckdb

_PER_VENUE_YEAR = """
WITH a AS (
    SELECT p.venue, p.year, au.authorship_id, au.openreview_id IS NOT NULL AS has_or_id,
           EXISTS (SELECT 1 FROM affiliation_mentions m WHERE m.authorship_id = au.authorship_id) AS has_aff
    FROM authorships au JOIN papers p USING (paper_id)
), m AS (
    SELECT p.venue, p.year, count(*) AS n
    FROM affiliation_mentions m JOIN authorships au USING (authorship_id) JOIN papers p USING (paper_id)
    GROUP BY ALL
), pm AS (
    SELECT p.venue, p.year, count(*) AS n
    FROM paper_affiliation_mentions m JOIN papers p USING (paper_id) GROUP BY ALL
), q AS (
    SELECT s.venue, s.year, count(*) AS n
    FROM quarantine q JOIN sources s USING (source_id) WHERE s.venue IS NOT NULL GROUP BY ALL
), p AS (
    SELECT venue, year, count(*) AS papers, count(*) FILTER (WHERE accepted) AS accepted
    FROM papers GROUP BY ALL
), au AS (
    SELECT venue, year, count(*) AS authorships, count(*) FILTER (WHERE has_aff) AS with_aff,
           count(*) FILTER (WHERE has_or_id) AS with_or_id
    FROM a GROUP BY ALL
)
SELECT p.venue, p.year, p.papers, p.accepted, coalesce(au.authorships, 0), coalesce(m.n, 0),
       coalesce(pm.n, 0), coalesce(q.n, 0), coalesce(au.with_aff, 0), coalesce(au.with_or_id, 0)
FROM p LEFT JOIN au USING (venue, year) LEFT JOIN m USING (venue, year)
       LEFT JOIN pm USING (venue, year) LEFT JOIN q USING (venue, year)
ORDER BY p.venue, p.year
"""


@dataclass
class VenueYearStatus:
    venue: str
    year: int
    papers: int
    accepted_papers: int
    authorships: int
    affiliation_mentions: int
    paper_affiliation_mentions: int
    quarantined: int
    authorships_with_affiliation: int
    authorships_with_openreview_id: int

    @property
    def share_with_affiliation(self) -> float | None:
        return self.authorships_with_affiliation / self.authorships if self.authorships else None

    @property
    def share_with_openreview_id(self) -> float | None:
        return self.authorships_with_openreview_id / self.authorships if self.authorships else None

    def to_dict(self) -> dict[str, object]:
        return {
            **asdict(self),
            "share_with_affiliation": _round(self.share_with_affiliation),
            "share_with_openreview_id": _round(self.share_with_openreview_id),
        }


@dataclass
class StoreStatus:
    venue_years: list[VenueYearStatus]
    totals: VenueYearStatus
    quarantined_without_venue: int  # e.g. CSV records: the CSV spans several venue-years

    def to_dict(self) -> dict[str, object]:
        totals = self.totals.to_dict()
        totals.pop("venue")
        totals.pop("year")
        return {
            "venue_years": [v.to_dict() for v in self.venue_years],
            "totals": {**totals, "quarantined": self.totals.quarantined + self.quarantined_without_venue},
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def store_status(con: duckdb.DuckDBPyConnection) -> StoreStatus:
    rows = [VenueYearStatus(*row) for row in con.execute(_PER_VENUE_YEAR).fetchall()]
    counts = [sum(getattr(r, f) for r in rows) for f in list(VenueYearStatus.__dataclass_fields__)[2:]]
    totals = VenueYearStatus("all", 0, *counts)
    (no_venue,) = con.execute(
        "SELECT count(*) FROM quarantine q JOIN sources s USING (source_id) WHERE s.venue IS NULL"
    ).fetchone() or (0,)
    return StoreStatus(rows, totals, int(no_venue))
