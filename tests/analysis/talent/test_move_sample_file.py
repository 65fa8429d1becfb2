"""The hand-checked move sample is well formed and in the stated draw order (no hand-picking)."""

from __future__ import annotations

import hashlib

from move_sample import VERDICTS, read_sample


def test_sample_is_100_distinct_us_cn_moves_with_verdicts_and_reasons():
    sample = read_sample()
    assert len(sample) == 100 and [m.no for m in sample] == list(range(100))
    assert {(m.from_country, m.to_country) for m in sample} == {("US", "CN"), ("CN", "US")}
    assert len({(m.from_country, m.to_ids) for m in sample}) == 100
    for move in sample:
        assert move.verdict in VERDICTS and move.reason.strip(), move.no
        assert move.from_ids and move.to_ids and move.from_year < move.year
        assert all(i.split(":")[0][-4:] == str(move.year) for i in move.to_ids), move.no


def test_sample_follows_the_documented_hash_order():
    keys = [f"{m.from_country}>{m.to_country}:{','.join(sorted(m.to_ids))}" for m in read_sample()]
    hashes = [hashlib.sha256(("i16-move-sample:" + key).encode()).hexdigest() for key in keys]
    assert hashes == sorted(hashes)
