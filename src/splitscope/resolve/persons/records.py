"""The record each authorship brings to person linkage (temp table `link_records`), built in SQL.

Names are used only to tell whether two records are the same person, never for country or ethnicity.
- name_norm: lower case, accents folded, hyphens and dots dropped inside tokens ('Jia-Xin' = 'Jiaxin').
- name_key: the same tokens sorted, so 'Wang Wei' and 'Wei Wang' (given/family order) block together;
  the other comparisons decide whether they are one person.
- initial_key: first initial + last token ('j smith'), for 'J. Smith' vs 'John Smith' (abbreviated: the
  first token is an initial).
- name_compact: the letters without spaces, 'oe'/'ue' spelt as the umlaut's vowel ('Hernandez Lobato' =
  'Hernandez-Lobato', 'Schoelkopf' = 'Schölkopf'; persons/name_forms.py).
- core_key: first full given token + last token, so middle names and initials drop out ('J. Zico Kolter'
  = 'Zico Kolter', 'Cees G. M. Snoek' = 'Cees Snoek').
- coauthors: the name_keys of the other authors on the paper; topic_words: long title words and keywords.
- unlinkable: why a name is not compared at all (one token, CJK script, over 100 characters): the record
  links only through a hard id, else stays its own person with that reason (unknown beats wrong).
- hard_id: the OpenReview profile (aliases folded together: those the paper lists resolve in `or_profile`,
  kept in openreview_aliases, and those of fetched profiles) or ORCID: hard evidence.
"""

from __future__ import annotations

import duckdb

from splitscope.resolve.persons.name_forms import COMPACT_SQL

RECORDS_SQL_TEMPLATE = """
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
    -- every organisation the authorship names ('MIT + Google'), and the first one for blocking
    select authorship_id, arg_min(org_id, mention_order) as org_id,
           list_sort(list_distinct(list(org_id) filter (where org_id is not null))) as orgs,
           list_sort(list_distinct(list(country))) as countries
    from authorship_affiliations where country is not null group by authorship_id
), keyed as (
    select n.*, array_to_string(n.tokens, ' ') as name_norm,
           nullif(list_sort(list_distinct(list_filter(
               list_transform(string_split(lower(trim(coalesce(n.email_domain, ''))), '+'),
                              lambda d: organisation_domain(d)),
               lambda d: d is not null and not list_contains(webmail_domains(), d)))), []) as domains,
           array_to_string(list_sort(n.tokens), ' ') as name_key,
           {COMPACT} as name_compact,
           case when len(n.tokens) >= 2 then substr(n.tokens[1], 1, 1) || ' ' || n.tokens[-1] end
               as initial_key,
           case when len(list_filter(n.tokens[1:-2], lambda t: length(t) > 1)) >= 1
                then list_filter(n.tokens[1:-2], lambda t: length(t) > 1)[1] || ' ' || n.tokens[-1] end
               as core_key,
           len(n.tokens) >= 2 and length(n.tokens[1]) = 1 as abbreviated,
           case when regexp_matches(array_to_string(n.tokens, ''), '[\u3400-\u9fff]')
                    then 'name in CJK script'
                when len(n.tokens) < 2 then 'single-token name'
                when length(array_to_string(n.tokens, ' ')) > 100 then 'name over 100 characters'
           end as unlinkable
    from names n
)
select k.authorship_id, k.paper_id, p.year, p.venue, k.name_norm,
       -- a name that cannot be compared reliably gets no blocking keys: only a hard id can link it
       case when k.unlinkable is null then k.name_key end as name_key,
       case when k.unlinkable is null then k.initial_key end as initial_key,
       case when k.unlinkable is null then k.core_key end as core_key,
       case when k.unlinkable is null then k.name_compact end as name_compact,
       k.abbreviated, k.unlinkable,
       k.domains, aff.org_id, nullif(aff.orgs, []) as orgs, nullif(aff.countries, []) as countries,
       -- where the record places its author: organisations and e-mail domains in one set, compared once
       -- (an organisation and its domain say the same thing; two comparisons counted it twice)
       nullif(list_sort(list_concat(list_transform(coalesce(aff.orgs, []), lambda o: 'org:' || o),
                                    list_transform(coalesce(k.domains, []), lambda d: 'domain:' || d))), [])
           as places,
       coalesce(k.openreview_key, 'orcid:' || k.orcid) as hard_id,
       list_sort(list_filter(list(k.name_key) over (partition by k.paper_id), lambda x: x <> k.name_key))
           as coauthors,
       -- the first 16 distinct words in title-then-keyword order (list_distinct keeps no order)
       list_filter(p.words, lambda w, i: list_position(p.words, w) = i)[1:16] as topic_words
from keyed k join (
    select paper_id, year, venue, list_concat(
               list_filter(string_split(regexp_replace(lower(title), '[^a-z ]', ' ', 'g'), ' '),
                           lambda w: length(w) >= 6),
               coalesce(list_transform(keywords, lambda w: lower(w)), [])) as words
    from papers
) p using (paper_id)
left join aff using (authorship_id)
where k.name_norm <> ''
"""


RECORDS_SQL = RECORDS_SQL_TEMPLATE.replace("{COMPACT}", COMPACT_SQL.format(tokens="n.tokens"))

# The organisation's domain, not the department's: 'cs.cmu.edu' = 'cmu.edu', 'cs.ox.ac.uk' = 'ox.ac.uk'.
# Webmail says nothing about who someone is, so those domains are dropped.
MACROS_SQL = """
create or replace temp macro organisation_domain(d) as (
    case when len(string_split(d, '.')) >= 3
              and string_split(d, '.')[-2] in ('ac', 'edu', 'co', 'com', 'org', 'gov', 'net')
              and length(string_split(d, '.')[-1]) = 2
         then array_to_string(string_split(d, '.')[-3:], '.')
         when len(string_split(d, '.')) >= 2 and length(string_split(d, '.')[-1]) >= 2
              and length(string_split(d, '.')[-2]) >= 1
         then array_to_string(string_split(d, '.')[-2:], '.')
    end
);
create or replace temp macro webmail_domains() as (
    ['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'yahoo.com', 'icloud.com',
     'qq.com', '163.com', '126.com', 'foxmail.com', 'sina.com', 'protonmail.com', 'proton.me', 'mail.com']
);
"""


def build_link_records(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(MACROS_SQL).fetchall()
    con.execute(RECORDS_SQL).fetchall()
    return int(con.execute("select count(*) from link_records").fetchall()[0][0])
