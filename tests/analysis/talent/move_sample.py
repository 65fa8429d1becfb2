"""The hand-checked sample of US<->CN moves (data/move_sample.tsv) and how a set of moves scores on it.

A sampled move is found again in the moves of the code under test when the same person (whoever now owns the
sample's to-year authorships: person ids are not stable across builds, authorship ids are) moves in the same
direction, in the same year or with to-year authorships among the sample's to-year and confirming ones (a
move whose first year lost its only trusted paper is dated one observation later, and is the same move).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

SAMPLE = Path(__file__).parent / "data" / "move_sample.tsv"
VERDICTS = ("true", "false", "unsupported")


@dataclass(frozen=True)
class SampledMove:
    no: int
    from_country: str
    to_country: str
    year: int
    from_year: int
    openreview_id: str
    from_ids: tuple[str, ...]
    to_ids: tuple[str, ...]
    confirm_ids: tuple[str, ...]
    verdict: str
    reason: str


def read_sample(path: Path = SAMPLE) -> list[SampledMove]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    moves = []
    for row in csv.DictReader(lines, delimiter="\t"):
        ids = {k: tuple(x for x in row[k].split(",") if x) for k in ("from_authorship_ids",
               "to_authorship_ids", "confirm_authorship_ids")}  # fmt: skip
        moves.append(SampledMove(int(row["no"]), row["from_country"], row["to_country"], int(row["year"]),
                                 int(row["from_year"]), row["openreview_id"], ids["from_authorship_ids"],
                                 ids["to_authorship_ids"], ids["confirm_authorship_ids"], row["verdict"],
                                 row["reason"]))  # fmt: skip
    return moves


def owner(con: duckdb.DuckDBPyConnection, authorship_ids: tuple[str, ...]) -> str | None:
    """The person most of these authorships are linked to now."""
    rows = con.execute(
        "select person_id from authorship_person where authorship_id in (select unnest(?))",
        [list(authorship_ids)],
    ).fetchall()
    counts = Counter(r[0] for r in rows)
    return counts.most_common(1)[0][0] if counts else None


def still_produced(con: duckdb.DuckDBPyConnection, move: SampledMove, detail: pd.DataFrame) -> bool:
    person = owner(con, move.to_ids)
    if person is None:
        return False
    mine = detail[
        (detail.person_id == person)
        & (detail.from_country == move.from_country)
        & (detail.to_country == move.to_country)
    ]
    later = set(move.to_ids) | set(move.confirm_ids)
    return any(row.year == move.year or set(row.to_authorship_ids) <= later for row in mine.itertuples())


def score(con: duckdb.DuckDBPyConnection, detail: pd.DataFrame, sample: list[SampledMove]) -> dict[str, Any]:
    """Precision of the moves still produced; recall of the true sampled moves."""
    kept = [m for m in sample if still_produced(con, m, detail)]
    true_total = sum(m.verdict == "true" for m in sample)
    true_kept = sum(m.verdict == "true" for m in kept)
    return {
        "sampled": len(sample),
        "kept": len(kept),
        "kept_by_verdict": dict(Counter(m.verdict for m in kept)),
        "precision": true_kept / len(kept) if kept else None,
        "recall_of_true": true_kept / true_total if true_total else None,
        "kept_not_true": [(m.no, m.verdict, m.reason) for m in kept if m.verdict != "true"],
        "true_removed": [(m.no, m.reason) for m in sample if m.verdict == "true" and m not in kept],
    }
