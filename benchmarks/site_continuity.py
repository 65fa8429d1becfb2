"""Site continuity, measured by leaving each known site out (issue 16; docs/affiliations.md).

    PYTHONPATH=src python benchmarks/site_continuity.py --db splitscope.duckdb  # from `splitscope build`

Every trusted site row of a multi-site organisation family (a site entry, a place in the string, a site
e-mail; confidence >= 0.85) is treated as if its paper had printed no site, and predicted from the same
person's other papers by the step's own rules. Prints, per rule, how often the prediction agrees with the
printed site (all rows, and rows where the site or the prediction is US or CN), and, as the baseline, how
often the organisation's default country agrees with it.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

from splitscope.resolve import sites


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a store built by `splitscope build`")
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    sites._stage_inputs(con)
    con.execute(f"""
        create or replace temp table loo_targets as
        select authorship_id, mention_order, person_id, family_id, year, country as truth
        from site_rows
        where method not in ('{sites.DEFAULT_METHOD}', '{sites.CONTINUITY_METHOD}') and country is not null
          and confidence >= {sites.SITE_EVIDENCE_MIN_CONFIDENCE}
    """)
    rows = con.execute(f"""
        select d.rule, count(*) as n, count(*) filter (where d.country = t.truth) as agree,
               count(*) filter (where d.country is not null and (t.truth in ('US', 'CN')
                                                                 or d.country in ('US', 'CN'))) as n_us_cn,
               count(*) filter (where d.country = t.truth and t.truth in ('US', 'CN')) as agree_us_cn
        from ({sites._decide_sql("loo_targets", "site_evidence")}) d
        join loo_targets t using (authorship_id, mention_order)
        group by d.rule order by n desc
    """).fetchall()
    print(f"{'rule':<12} {'rows':>7} {'agree':>7} {'US/CN rows':>11} {'agree':>7}")
    for rule, n, agree, n_us_cn, agree_us_cn in rows:
        if rule in sites.RULE_CONFIDENCE:
            print(
                f"{rule:<12} {n:>7,} {agree / n:>7.3f} {n_us_cn:>11,} {agree_us_cn / max(n_us_cn, 1):>7.3f}"
            )
        else:
            print(f"{rule:<12} {n:>7,} {'(no country taken)':>27}")
    total, agree = con.execute("""
        select count(*), count(*) filter (where o.default_country = t.truth)
        from loo_targets t join orgs o on o.org_id = t.family_id
    """).fetchone()  # type: ignore[misc]
    print(
        f"baseline: the family's default country agrees with the printed site {agree / total:.3f} ({total:,})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
