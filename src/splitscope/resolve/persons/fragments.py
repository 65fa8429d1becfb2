"""Stage-2 records: one row per stage-1 cluster ('fragment'), holding what all its authorships gathered.

A researcher's ICLR 2021 papers and ICML 2023 papers may share no co-author paper by paper, yet the
fragment of each has several co-authors, organisations and topic words, and those overlap. Built in SQL
(DuckDB) from the stage-1 record table and each record's fragment.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

# The fragment's name is its most frequent one, ties to the first in sort order (mode() breaks ties by
# the order rows arrive in, which a multi-threaded DuckDB does not fix); its keys are that name's keys.
FRAGMENTS_SQL = """
with named as (
    select f.fragment_id, f.is_new, r.*, count(*) over (partition by f.fragment_id, r.name_norm) as uses
    from fragment_of f join link_table r using (authorship_id)
)
select r.fragment_id,
       first(r.name_norm order by r.uses desc, r.name_norm) as name_norm,
       first(r.name_key order by r.uses desc, r.name_norm) as name_key,
       first(r.name_compact order by r.uses desc, r.name_norm) as name_compact,
       first(r.core_key order by r.uses desc, r.name_norm) as core_key,
       first(r.initial_key order by r.uses desc, r.name_norm) as initial_key,
       bool_and(r.abbreviated) as abbreviated,
       max(r.hard_id) as hard_id,
       list_sort(list_distinct(flatten(list(r.coauthors)))) as coauthors,
       nullif(list_sort(list_distinct(flatten(list(r.orgs) filter (where r.orgs is not null)))), []) as orgs,
       nullif(list_sort(list_distinct(flatten(list(r.countries) filter (where r.countries is not null)))), [])
           as countries,
       nullif(list_sort(list_distinct(flatten(list(r.domains) filter (where r.domains is not null)))), [])
           as domains,
       nullif(list_sort(list_distinct(flatten(list(r.places) filter (where r.places is not null)))), [])
           as places,
       -- sorted, then capped, so the same fragment always keeps the same words
       list_sort(list_distinct(flatten(list(r.topic_words))))[1:64] as topic_words,
       min(r.year) as year_min, max(r.year) as year_max,
       list_sort(list_distinct(list(r.paper_id))) as papers,
       -- every comparable name the fragment holds, for the clustering's name constraint
       list_sort(list_distinct(list(r.name_norm) filter (where r.name_key is not null))) as names,
       bool_or(r.is_new) as is_new,
       count(*) as records
from named r
group by r.fragment_id
order by r.fragment_id
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
