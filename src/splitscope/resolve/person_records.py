"""The record each authorship brings to person linkage (temp table `link_records`), built in SQL.

Names are used only to tell whether two records are the same person, never for country or ethnicity.
- name_norm: lower case, accents folded, hyphens and dots dropped inside tokens ('Jia-Xin' = 'Jiaxin').
- name_key: the same tokens sorted, so 'Wang Wei' and 'Wei Wang' (given/family order) block together;
  the other comparisons decide whether they are one person.
- initial_key: first initial + last token ('j smith'), for 'J. Smith' vs 'John Smith'.
- coauthors: the name_keys of the other authors on the paper; topic_words: long title words and keywords.
- hard_id: the OpenReview profile (aliases folded together: those the paper lists resolve in `or_profile`,
  kept in openreview_aliases, and those of fetched profiles) or ORCID: hard evidence.
"""

from __future__ import annotations

import duckdb

RECORDS_SQL = """
create or replace temp table link_records as
with profile_of as (
    select u.username, p.profile_id
    from openreview_profiles p, unnest(p.usernames) as u(username)
), alias_of as (
    select alias_id, min(profile_id) as profile_id from openreview_aliases group by alias_id
), names as (
    select a.authorship_id, a.paper_id, a.email_domain, a.orcid,
           coalesce(po.profile_id, coalesce(al.profile_id, a.openreview_id)) as openreview_key,
           list_filter(
               string_split(regexp_replace(regexp_replace(lower(strip_accents(a.name)), '[-.''’]', '', 'g'),
                                           '[^a-z\u3400-\u9fff ]', ' ', 'g'), ' '),
               lambda t: length(t) > 0) as tokens
    from authorships a
    left join alias_of al on al.alias_id = a.openreview_id
    left join profile_of po on po.username = coalesce(al.profile_id, a.openreview_id)
), aff as (
    select authorship_id, arg_max(org_id, weight) as org_id, arg_max(country, weight) as country
    from authorship_affiliations where country is not null group by authorship_id
), keyed as (
    select n.*, array_to_string(n.tokens, ' ') as name_norm,
           array_to_string(list_sort(n.tokens), ' ') as name_key,
           case when len(n.tokens) >= 2 then substr(n.tokens[1], 1, 1) || ' ' || n.tokens[-1] end
               as initial_key
    from names n
)
select k.authorship_id, k.paper_id, p.year, p.venue, k.name_norm, k.name_key, k.initial_key,
       nullif(k.email_domain, '') as email_domain, aff.org_id, aff.country,
       coalesce(k.openreview_key, 'orcid:' || k.orcid) as hard_id,
       list_filter(list(k.name_key) over (partition by k.paper_id), lambda x: x <> k.name_key) as coauthors,
       list_distinct(list_concat(
           list_filter(string_split(regexp_replace(lower(p.title), '[^a-z ]', ' ', 'g'), ' '),
                       lambda w: length(w) >= 6),
           coalesce(list_transform(p.keywords, lambda w: lower(w)), [])))[1:16] as topic_words
from keyed k join papers p using (paper_id)
left join aff using (authorship_id)
where k.name_norm <> ''
"""


def build_link_records(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(RECORDS_SQL).fetchall()
    return int(con.execute("select count(*) from link_records").fetchall()[0][0])
