"""How much an exact name match says: a name-frequency prior that tells a prolific researcher from a
common name.

Splink's term-frequency adjustment takes u(name) = the share of records carrying the name. That share is
high both for a common name held by many people ('Wei Wang') and for a rare name held by one prolific
researcher ('Dacheng Tao', 40 papers in three venue-years), and the second is where the linker split
people: a rare full name within one venue-year is almost always one person. What u should measure is the
chance that a record of *someone else* carries the name, which is zero for a name only one person holds.

So u(name) = share of records with the name × P(someone else holds it too), and that second factor is
estimated from the name's own words, without any id: were first and last words drawn independently, a
name whose words are w1 and w2 would be held by h = n(w1)·n(w2)/D of the D distinct names (n(w): distinct
names having w as first or last word), so the chance of at least one other holder is 1 − exp(−h).
'Dacheng Tao' (a first word of one name, a last word of forty, among 25,000 names): h ≈ 0.003; 'Wei
Wang': h ≫ 1 and u stays the share of records. Names are compared only with names: nothing about a
person is read from a name, only how many names share its words.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

NAME_FREQUENCY_SQL = """
with rows as (
    select name_norm, string_split(name_norm, ' ') as words
    from named where name_norm is not null and name_key is not null
), names as (
    select name_norm, words[1] as first_word, words[-1] as last_word, count(*) as uses
    from rows group by all
), words as (
    select word, count(*) as names
    from (select first_word as word from names union all select last_word from names)
    group by word
), totals as (
    select sum(uses) as records, count(*) as distinct_names from names
)
select n.name_norm,
       n.uses / t.records * (1 - exp(-(f.names * l.names / t.distinct_names))) as tf_name_norm
from names n, totals t, words f, words l
where f.word = n.first_word and l.word = n.last_word
order by n.name_norm
"""


def name_frequencies(table: pa.Table) -> pd.DataFrame:
    """One row per linkable name of `table` (records or fragments: name_norm, name_key): name_norm and
    tf_name_norm, the u-value of an exact match on it (see above)."""
    con = duckdb.connect()
    try:
        con.register("named", table.select(["name_norm", "name_key"]))
        return con.sql(NAME_FREQUENCY_SQL).df()
    finally:
        con.close()
