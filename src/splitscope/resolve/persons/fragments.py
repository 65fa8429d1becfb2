"""Stage-2 records: one row per stage-1 cluster ('fragment'), holding what all its authorships gathered.

A researcher's ICLR 2021 papers and ICML 2023 papers may share no co-author paper by paper, yet the
fragment of each has several co-authors, organisations and topic words, and those overlap. Built in SQL
(DuckDB) from the stage-1 record table and each record's fragment.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

FRAGMENTS_SQL = """
select f.fragment_id,
       mode(r.name_norm) as name_norm, mode(r.name_key) as name_key, mode(r.core_key) as core_key,
       mode(r.initial_key) as initial_key, bool_and(r.abbreviated) as abbreviated,
       max(r.hard_id) as hard_id,
       list_distinct(flatten(list(r.coauthors))) as coauthors,
       nullif(list_sort(list_distinct(flatten(list(r.orgs) filter (where r.orgs is not null)))), []) as orgs,
       nullif(list_sort(list_distinct(flatten(list(r.countries) filter (where r.countries is not null)))), [])
           as countries,
       nullif(list_sort(list_distinct(flatten(list(r.domains) filter (where r.domains is not null)))), [])
           as domains,
       -- sorted, then capped, so the same fragment always keeps the same words
       list_sort(list_distinct(flatten(list(r.topic_words))))[1:64] as topic_words,
       min(r.year) as year_min, max(r.year) as year_max,
       list_sort(list_distinct(list(r.paper_id))) as papers,
       bool_or(f.is_new) as is_new,
       count(*) as records
from fragment_of f join link_table r using (authorship_id)
group by f.fragment_id
order by f.fragment_id
"""


def build_fragments(records: pa.Table, fragment_ids: list[str], new: set[str] | None = None) -> pa.Table:
    """One row per fragment; `fragment_ids[i]` is the fragment of `records` row i (the authorship id of its
    representative record). `is_new`: the fragment holds a record added since the last link."""
    ids = records.column("authorship_id").to_pylist()
    fragment_of = pa.table(
        {
            "authorship_id": ids,
            "fragment_id": fragment_ids,
            "is_new": [a in new for a in ids] if new is not None else [False] * len(ids),
        }
    )
    con = duckdb.connect()
    try:
        con.register("link_table", records)
        con.register("fragment_of", fragment_of)
        return con.sql(FRAGMENTS_SQL).to_arrow_table()
    finally:
        con.close()
