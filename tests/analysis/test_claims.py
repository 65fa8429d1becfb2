"""Claim loading, validation and the interval-overlap verdict rule, on hand-built tables."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from splitscope.analysis.claims import (
    Claim,
    WindowValue,
    evaluate_claim,
    judge_windows,
    load_claims,
)
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.errors import UnusableInputError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from synthetic_tables import paper_mix  # noqa: E402


def _table(values: list[float], half_width: float, covered: int = 90) -> MetricTable:
    frame = pd.DataFrame({"year": range(2010, 2010 + len(values)), "rate": values})
    frame["rate_ci_low"] = frame["rate"] - half_width
    frame["rate_ci_high"] = frame["rate"] + half_width
    return MetricTable("t.rate", "Rate", frame, Coverage("researchers", 100, covered), {"venues": "all"})


def _claim(direction: str = "increase", **extra) -> Claim:
    return Claim(id="c", claim="rate goes up", table="t.rate", value="rate", direction=direction, **extra)


def test_packaged_claims_load_and_cover_the_four_questions():
    claims = {c.id: c for c in load_claims()}
    assert set(claims) == {
        "us_cn_collaboration_shrinking",
        "china_retains_more",
        "first_observed_cn_leaving_us",
        "top_talent_concentrating",
        "top_talent_concentrating_cn",
    }
    assert claims["us_cn_collaboration_shrinking"].direction == "decrease"
    # The careful wording: first-observed country, never "Chinese" or "China-trained" as a measured fact.
    assert "first observed" in claims["first_observed_cn_leaving_us"].claim.lower()


def test_rising_rate_with_narrow_intervals_is_supported():
    # Early window 2010-2012 mean 0.2 [0.18, 0.22]; late 2015-2017 mean 0.7 [0.68, 0.72].
    table = _table([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 0.02)
    result = evaluate_claim(_claim(), {"t.rate": table})
    assert result.verdict == "supported"
    assert result.early.estimate == pytest.approx(0.2)
    assert (result.early.low, result.early.high) == (pytest.approx(0.18), pytest.approx(0.22))
    assert result.late.estimate == pytest.approx(0.7)
    assert result.filters == {"venues": "all"}


def test_same_data_contradicts_the_opposite_claim():
    table = _table([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 0.02)
    assert evaluate_claim(_claim("decrease"), {"t.rate": table}).verdict == "contradicted"


def test_overlapping_intervals_are_inconclusive():
    # Means 0.2 vs 0.7 but half-width 0.3: [-0.1, 0.5] overlaps [0.4, 1.0].
    table = _table([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 0.3)
    result = evaluate_claim(_claim(), {"t.rate": table})
    assert (result.verdict, result.reason) == ("inconclusive", "the early and late intervals overlap")


def test_low_coverage_missing_table_and_missing_column_are_inconclusive():
    rising = _table([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 0.02, covered=10)
    low = evaluate_claim(_claim(), {"t.rate": rising})
    assert low.verdict == "inconclusive" and "coverage 10%" in low.reason
    assert "not available" in evaluate_claim(_claim(), {}).reason
    no_bounds = MetricTable("t.rate", "Rate", rising.frame[["year", "rate"]], Coverage("x", 1, 1))
    assert (
        "lacks column(s) rate_ci_low, rate_ci_high" in evaluate_claim(_claim(), {"t.rate": no_bounds}).reason
    )


def test_explicit_windows_and_too_few_years():
    table = _table([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 0.02)
    result = evaluate_claim(_claim(early=(2010, 2010), late=(2017, 2017)), {"t.rate": table})
    assert (result.early.estimate, result.late.estimate) == (pytest.approx(0.1), pytest.approx(0.8))
    short = _table([0.1, 0.9], 0.01)
    assert evaluate_claim(_claim(window=2), {"t.rate": short}).verdict == "inconclusive"


def test_window_mean_on_a_collab_shaped_table():
    table = paper_mix()
    where = {"scope": "all", "cohort": "all", "category": "us_cn"}
    claim = Claim("c", "shrinks", "collab.paper_mix", "share", "decrease", where=where)
    result = evaluate_claim(claim, {table.name: table})
    # us_cn: 0.10, 0.095, 0.090 in 2014-2016 (no n column: equal weights) -> 0.095.
    assert result.early.estimate == pytest.approx(0.095)
    assert result.verdict == "supported"


def test_weights_and_drop_last():
    frame = pd.DataFrame({"year": [1, 2, 3, 4, 5], "n": [1, 3, 1, 1, 100], "rate": [0.1, 0.5, 0.9, 0.9, 0.0]})
    frame["rate_ci_low"], frame["rate_ci_high"] = frame["rate"] - 0.01, frame["rate"] + 0.01
    table = MetricTable("t.rate", "Rate", frame, Coverage("x", 1, 1))
    result = evaluate_claim(_claim(window=2, drop_last=1), {"t.rate": table})
    # drop_last removes year 5; early = years 1-2 weighted 1:3 -> 0.4; late = years 3-4 -> 0.9.
    assert result.early.estimate == pytest.approx(0.4) and result.late.estimate == pytest.approx(0.9)
    assert result.verdict == "supported"


def test_judge_windows_boundaries():
    early = WindowValue(2010, 2012, 0.2, 0.1, 0.3, 3)
    touching = WindowValue(2015, 2017, 0.4, 0.3, 0.5, 3)  # low == early high: overlap, not a change
    assert judge_windows(early, touching, "increase")[0] == "inconclusive"
    assert judge_windows(early, None, "increase")[0] == "inconclusive"


def test_invalid_claims_file_reports_every_problem_at_once(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text(
        "claims:\n"
        "  - id: a\n    claim: x\n    table: t\n    value: v\n    direction: sideways\n"
        "  - id: b\n    claim: y\n    value: v\n    direction: increase\n    colour: red\n"
        "  - id: a\n    claim: z\n    table: t\n    value: v\n    direction: decrease\n"
        "    early: [2020, 2010]\n    late: [2021, 2022]\n    min_coverage: 2\n",
        encoding="utf-8",
    )
    with pytest.raises(UnusableInputError) as caught:
        load_claims(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: 6 problem(s): ")
    for expected in (
        "claims[0] (a): direction must be one of increase, decrease, got 'sideways'",
        "claims[1] (b): missing 'table'",
        "claims[1] (b): unknown key 'colour'",
        "claims[2] (a): 'early' must be an increasing pair like [2014, 2017]",
        "claims[2] (a): 'min_coverage' must be a number between 0 and 1",
        "claims[2]: duplicate id 'a'",
    ):
        assert expected in message


def test_unreadable_claims_files(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("claims: [\n", encoding="utf-8")
    with pytest.raises(UnusableInputError, match=r"broken.yaml: not valid YAML at line 2"):
        load_claims(broken)
    with pytest.raises(UnusableInputError, match="no such claims file"):
        load_claims(tmp_path / "absent.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("other: 1\n", encoding="utf-8")
    with pytest.raises(UnusableInputError, match="expected a mapping with a 'claims:' list"):
        load_claims(empty)
