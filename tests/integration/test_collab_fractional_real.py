"""Fractional counting on the full store: a venue whose papers carry only a per-paper affiliation list
(CVPR 2020: author coverage 0, paper coverage 0.95) has no author shares, so the all-venue fractional
series must not move when it is in the selection; full counting, which can count it, must.

Before the fix CVPR 2020's papers entered the fractional chain as units without shares, and China's
fractional share fell 0.160 -> 0.100 from 2019 to 2020 on the make-run store for that reason alone.
"""

from __future__ import annotations

import pytest

from splitscope.analysis.collab.tables import collab_tables
from splitscope.selection import Selection

pytestmark = pytest.mark.integration

YEARS = (2019, 2020)
PAPER_BASIS_ONLY = {"cvpr", "iccv"}


def _china_changes(con, selection: Selection) -> tuple[float, float]:
    frame = collab_tables(con, selection, resamples=20)["collab.country_counts"].frame
    china = frame[(frame["scope"] == "all") & (frame["cohort"] == "all") & (frame["country"] == "CN")]
    china = china.set_index("year")
    fractional = china.loc[2020, "share_fractional"] - china.loc[2019, "share_fractional"]
    full = china.loc[2020, "share_full"] - china.loc[2019, "share_full"]
    return float(fractional), float(full)


def test_a_venue_without_author_shares_does_not_move_fractional_counting(full_store):
    venues = [
        row[0] for row in full_store.execute("select distinct venue from papers order by venue").fetchall()
    ]
    assert set(venues) >= PAPER_BASIS_ONLY
    with_cvpr = _china_changes(full_store, Selection(years=YEARS))
    without = _china_changes(
        full_store, Selection(venues=tuple(v for v in venues if v not in PAPER_BASIS_ONLY), years=YEARS)
    )
    assert with_cvpr[0] == pytest.approx(without[0], abs=1e-9)
    # CVPR 2019 and 2020 both have country sets, so the full-counting link includes CVPR: it differs.
    assert abs(with_cvpr[1] - without[1]) > 1e-3
    # And the fractional change is not the artefact's fall of several points.
    assert with_cvpr[0] > -0.02
