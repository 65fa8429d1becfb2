"""Move precision on the hand-checked sample (tests/analysis/talent/data/move_sample.tsv), for the moves the
current code produces on the full store built from ../shared/data.

The sample was drawn from the pre-issue-16 store (71 true, 17 false, 12 unsupported; precision 0.71 there).
A sampled move the current code no longer produces counts as removed: precision is over the moves still
produced, recall over the 71 true ones. The full store is built once per run (tests/integration/conftest.py;
SPLITSCOPE_FULL_STORE names an existing one).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from splitscope.analysis.talent.tables import talent_tables
from splitscope.selection import Selection

sys.path.insert(0, str(Path(__file__).parents[1] / "analysis" / "talent"))
from move_sample import read_sample, score  # noqa: E402

pytestmark = pytest.mark.integration

# The sample was drawn from `talent --years 2010-2024` before the coverage gate existed: score it the same
# way (gate 0), so a move is not 'removed' only because its venue-year is gated out of the population.
WINDOW = Selection(years=(2010, 2024), coverage_gate=0.0)


def test_move_precision_on_the_hand_checked_sample(full_store):
    detail = talent_tables(full_store, WINDOW, resamples=20)["talent.moves_detail"].frame
    result = score(full_store, detail, read_sample())
    # measured on a full build of this branch: 0.958 (69 of 72 kept are true); before issue 16: 0.71
    assert result["precision"] >= 0.95, result["kept_not_true"]
    # and the rule does not buy precision by dropping real moves wholesale: 0.972 with the linker the
    # sample was drawn with, 0.859 since the issue-17 linker stopped joining a pre-OpenReview paper to a
    # profile on a common name alone (docs/talent.md lists the lost moves); one more lost move fails here
    assert result["recall_of_true"] >= 0.85, result["true_removed"]


def test_no_us_cn_move_rests_on_a_default_or_a_low_confidence_attribution(full_store):
    detail = talent_tables(full_store, WINDOW, resamples=20)["talent.moves_detail"].frame
    focus = detail[detail.apply(lambda r: {r.from_country, r.to_country} == {"US", "CN"}, axis=1)]
    assert len(focus) > 100
    full_store.execute("create or replace temp table focus_sides (authorship_id varchar, country varchar)")
    sides = [
        (i, row.from_country if column == "from_authorship_ids" else row.to_country)
        for row in focus.itertuples()
        for column in ("from_authorship_ids", "to_authorship_ids", "confirm_authorship_ids")
        for i in getattr(row, column)
    ]
    full_store.executemany("insert into focus_sides values (?, ?)", sides)
    # every authorship a move cites has a trusted attribution in the country it is cited for (it may carry an
    # untrusted one beside it, e.g. a second affiliation printed without a site: that one is not what counts)
    unsupported = full_store.execute("""
        select count(*) from focus_sides s
        where not exists (
            select 1 from authorship_affiliations aa
            where aa.authorship_id = s.authorship_id and aa.country = s.country
              and aa.method <> 'default' and aa.confidence >= 0.85)
    """).fetchone()[0]
    assert unsupported == 0
