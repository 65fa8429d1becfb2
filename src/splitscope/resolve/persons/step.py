"""`link_persons(con)`: authorships → persons, run by `splitscope build` after affiliation resolution.

Hard evidence first (same OpenReview profile or ORCID = same person; two different ids = two persons),
then two Splink stages for everything else, records then fragments (persons/linking.py), each followed
by a constrained greedy union (persons/clusters.py). docs/persons.md has the method and the measured
figures.

Incremental: both trained models are kept in `person_link_model`. When a build adds authorships (a new
venue-year) and they are at most INCREMENTAL_MAX_SHARE of the store, only pairs touching the new records
(and fragments holding one) are scored, existing persons are kept as they are and the new records join
them or form new persons. Nothing new: nothing is done. Otherwise everything is relinked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from splitscope.resolve.persons.clusters import assignments
from splitscope.resolve.persons.linking import (
    DEFAULT_THRESHOLDS,
    LINK_COLUMNS_EXTRA,
    RECORD_THRESHOLD,
    Models,
    Thresholds,
    duckdb_api,
    hard_ids_only,
    link_two_stage,
)
from splitscope.resolve.persons.model import RECORD_COLUMNS
from splitscope.resolve.persons.records import build_link_records

LINK_THRESHOLD = RECORD_THRESHOLD  # the threshold stored with the model (both stages use their own)
INCREMENTAL_MAX_SHARE = 0.2


@dataclass
class LinkStats:
    mode: str = "full"  # full | incremental | unchanged
    records: int = 0
    new_records: int = 0
    fragments: int = 0
    scored_pairs: int = 0
    accepted_pairs: int = 0
    refused_by_ids: int = 0
    refused_same_paper: int = 0
    refused_names: int = 0
    persons: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def link_persons(con: duckdb.DuckDBPyConnection, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> LinkStats:
    started = time.perf_counter()
    stats = LinkStats(records=build_link_records(con))
    linked = {r[0] for r in con.execute("select authorship_id from authorship_person").fetchall()}
    every = {r[0] for r in con.execute("select authorship_id from authorships").fetchall()}
    current = {r[0] for r in con.execute("select authorship_id from link_records").fetchall()}
    new = current - linked
    models = Models.from_json(_stored_model(con))
    if linked and linked == every:
        stats.mode = "unchanged"
        stats.persons = int(con.execute("select count(*) from persons").fetchall()[0][0])
        stats.seconds = round(time.perf_counter() - started, 2)
        return stats
    columns = ", ".join(RECORD_COLUMNS + LINK_COLUMNS_EXTRA)
    records = con.sql(f"select {columns} from link_records order by authorship_id").to_arrow_table()
    incremental = bool(linked) and models is not None and 0 < len(new) <= INCREMENTAL_MAX_SHARE * len(current)
    existing: list[tuple[str, str]] = []
    if incremental:
        stats.mode, stats.new_records = "incremental", len(new)
        existing = con.execute(
            "select authorship_id, person_id from authorship_person order by authorship_id"
        ).fetchall()
    else:
        stats.new_records, models = len(current), None
    try:
        result = link_two_stage(
            records, duckdb_api, thresholds, models, new if incremental else None, existing
        )
    except Exception as exc:  # Splink on degenerate data: unsure, so link nothing beyond the ids
        stats.mode = f"hard ids only (model failed: {type(exc).__name__}: {str(exc)[:200]})"
        result = hard_ids_only(records)
    if result.models is None and not stats.mode.startswith("hard ids"):
        stats.mode = "hard ids only (too few records to train a model)"
    for name in (
        "fragments",
        "scored_pairs",
        "accepted_pairs",
        "refused_by_ids",
        "refused_same_paper",
        "refused_names",
        "notes",
    ):
        setattr(stats, name, getattr(result, name))
    ids = records.column("authorship_id").to_pylist()
    table = assignments(result.clustering, ids, records.column("hard_id").to_pylist(), result.fragment_links)
    if incremental:
        table = _keep_earlier_evidence(con, table)
    table = _say_why_not_compared(con, table)
    unnamed = sorted(every - current)  # no usable name: its own person, never linked
    if unnamed:
        extra = pd.DataFrame(
            {
                "authorship_id": unnamed,
                "person_id": ["p:unnamed:" + a for a in unnamed],
                "match_probability": None,
                "method": "singleton",
                "evidence": "no usable name",
            }
        )
        table = pd.concat([table, extra], ignore_index=True)
    _write(con, table, result.models or (models if incremental else None), thresholds, len(current))
    stats.persons = int(table["person_id"].nunique())
    stats.seconds = round(time.perf_counter() - started, 2)
    return stats


def _say_why_not_compared(con: duckdb.DuckDBPyConnection, table: pd.DataFrame) -> pd.DataFrame:
    reasons = dict(
        con.execute(
            "select authorship_id, unlinkable from link_records where unlinkable is not null"
        ).fetchall()
    )
    alone = table["method"].eq("singleton") & table["authorship_id"].isin(reasons.keys())
    table.loc[alone, "evidence"] = [
        f"{reasons[a]}: not compared, linked only by an id" for a in table.loc[alone, "authorship_id"]
    ]
    return table


def _keep_earlier_evidence(con: duckdb.DuckDBPyConnection, table: pd.DataFrame) -> pd.DataFrame:
    """Records linked in an earlier build keep why they were linked when this run scored none of their
    pairs (their person was kept whole, not re-decided)."""
    earlier = (
        con.execute("select authorship_id, match_probability, method, evidence from authorship_person")
        .df()
        .set_index("authorship_id")
    )
    kept = table["method"].eq("singleton") & table["authorship_id"].isin(earlier.index)
    for column in ("match_probability", "method", "evidence"):
        table.loc[kept, column] = table.loc[kept, "authorship_id"].map(earlier[column]).to_numpy()
    return table


def _stored_model(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(
        "select settings_json from person_link_model order by trained_at desc limit 1"
    ).fetchall()
    return row[0][0] if row else None


def _write(
    con: duckdb.DuckDBPyConnection,
    result: pd.DataFrame,
    models: Models | None,
    thresholds: Thresholds,
    records: int,
) -> None:
    con.execute("begin transaction")
    try:
        con.execute("delete from authorship_person").fetchall()
        con.from_df(result).insert_into("authorship_person")
        con.execute("delete from persons").fetchall()
        con.execute("""
            insert into persons
            -- the most frequent name as written; ties to the first in sort order (mode() picks by arrival)
            select person_id, first(name order by uses desc, name) as display_name,
                   max(case when person_id like 'or:%' then substr(person_id, 4) end) as openreview_id,
                   max(orcid) as orcid, count(*) as n_authorships
            from (select ap.person_id, a.name, a.orcid,
                         count(*) over (partition by ap.person_id, a.name) as uses
                  from authorship_person ap join authorships a using (authorship_id))
            group by person_id
        """).fetchall()
        if models is not None:
            con.execute("delete from person_link_model").fetchall()
            con.execute(
                "insert into person_link_model values (current_timestamp, ?, ?, ?)",
                [records, thresholds.records, models.to_json()],
            ).fetchall()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
