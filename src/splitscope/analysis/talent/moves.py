"""Moves, returns and retention, from the majority-country years of each career.

The move rule (docs/talent.md, "Moves"):
1. Keep the person-years that have a majority country (> 50% of the year's resolved weight); years
   split evenly between countries say nothing about where the person moved.
2. Group consecutive kept years with the same country into runs.
3. Anchor runs are the first run (where the person was first seen) and every run at least
   `confirm_years` + 1 observed years long: the new country holds the majority in the year it first
   appears AND in the next `confirm_years` observed years ("changed and stayed changed").
4. A move is an anchor run whose country differs from the previous anchor run's country. Its year is the
   first year observed in the new country. Shorter runs elsewhere (A, B, A) are visits, not moves.
Every move carries evidence: the authorships of the last year in the old country, of the first year in
the new one, and of the confirming years.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES, bootstrap_category_shares
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.analysis.talent.careers import fetch_row, last_year_limit
from splitscope.analysis.talent.trust import DROP_REASONS, MOVE_MIN_CONFIDENCE
from splitscope.selection import Selection

FOCUS_PAIRS = (("US", "CN"), ("CN", "US"))


def build_anchor_runs(con: duckdb.DuckDBPyConnection, confirm_years: int = 1) -> None:
    """talent_anchor_runs / talent_moves from trusted attributions (the moves that count), and
    talent_candidate_moves from every attribution (the pre-issue-16 rule), whose difference is what the trust
    rule dropped (talent_dropped_moves, with the reason)."""
    _runs_and_moves(con, "majority_country", "talent_person_year_trusted", "talent", confirm_years)
    _runs_and_moves(
        con, "majority_country_any", "talent_person_year_country", "talent_candidate", confirm_years
    )
    _dropped_moves(con)


def _runs_and_moves(
    con: duckdb.DuckDBPyConnection, majority: str, countries: str, prefix: str, confirm_years: int
) -> None:
    con.execute(f"""
        create or replace temp table {prefix}_anchor_runs as
        with m as (
            select person_id, year, {majority} as country,
                   row_number() over (partition by person_id order by year)
                 - row_number() over (partition by person_id, {majority} order by year) as island
            from talent_person_year where {majority} is not null
        ),
        runs as (
            select person_id, country, min(year) as start_year, max(year) as end_year,
                   list(year order by year) as years
            from m group by person_id, country, island
        ),
        ranked as (
            select *, row_number() over (partition by person_id order by start_year) as run_no from runs
        )
        select person_id, country, start_year, end_year, years, run_no
        from ranked where run_no = 1 or len(years) >= {int(confirm_years) + 1}
    """)
    con.execute(f"""
        create or replace temp table {prefix}_moves as
        with seq as (
            select person_id, country as to_country, start_year as year, years,
                   lag(country) over w as from_country, lag(end_year) over w as from_year
            from {prefix}_anchor_runs
            window w as (partition by person_id order by start_year)
        )
        select s.person_id, s.year, s.from_country, s.to_country, s.from_year,
               src.authorship_ids as from_authorship_ids,
               dst.authorship_ids as to_authorship_ids,
               (select flatten(list(c.authorship_ids order by c.year)) from {countries} c
                where c.person_id = s.person_id and c.country = s.to_country
                  and list_contains(s.years[2:{int(confirm_years) + 1}], c.year)) as confirm_authorship_ids
        from seq s
        join {countries} src
          on src.person_id = s.person_id and src.year = s.from_year and src.country = s.from_country
        join {countries} dst
          on dst.person_id = s.person_id and dst.year = s.year and dst.country = s.to_country
        where s.from_country is not null and s.from_country <> s.to_country
    """)


def _dropped_moves(con: duckdb.DuckDBPyConnection) -> None:
    """Candidate moves (every attribution) that the trusted rule does not produce, each with one reason: the
    first of DROP_REASONS found among the untrusted attributions, in the move's countries, of its own from,
    to and confirming authorships ('other' when none of them is untrusted: a change elsewhere in the career,
    e.g. a year that lost its only trusted evidence, broke the run)."""
    ranks = " ".join(f"when '{reason}' then {rank}" for rank, reason in enumerate(DROP_REASONS))
    con.execute(f"""
        create or replace temp table talent_dropped_moves as
        with dropped as (
            select c.* from talent_candidate_moves c
            anti join talent_moves t
              on t.person_id = c.person_id and t.year = c.year
             and t.from_country = c.from_country and t.to_country = c.to_country
        ),
        sides as (
            select d.person_id, d.year, d.from_country, d.to_country, unnest(list_concat(
                d.from_authorship_ids, d.to_authorship_ids, coalesce(d.confirm_authorship_ids, []))) as id
            from dropped d
        ),
        why as (
            select s.person_id, s.year, s.from_country, s.to_country,
                   arg_min(f.distrust, case f.distrust {ranks} end) as reason
            from sides s join talent_facts f on f.authorship_id = s.id
            where f.distrust is not null and f.country in (s.from_country, s.to_country)
            group by all
        )
        select d.*, coalesce(w.reason, 'other') as reason
        from dropped d left join why w using (person_id, year, from_country, to_country)
    """)


def _year_filter(selection: Selection, column: str) -> str:
    if selection.years is None:
        return "true"
    return f"{column} between {selection.years[0]} and {selection.years[1]}"


def moves_tables(con: duckdb.DuckDBPyConnection, selection: Selection) -> tuple[MetricTable, MetricTable]:
    """Moves per year and ordered country pair (US->CN and CN->US first), and every move with evidence."""
    in_window = _year_filter(selection, "m.year")
    detail = con.execute(f"""
        select m.* from talent_moves m join talent_population using (person_id)
        where {in_window} order by m.year, m.person_id
    """).df()
    for column in ("from_authorship_ids", "to_authorship_ids", "confirm_authorship_ids"):
        detail[column] = [list(ids) if ids is not None else [] for ids in detail[column]]
    counts = con.execute(f"""
        with kept as (
            select m.year, m.from_country, m.to_country, count(*) as moves
            from talent_moves m join talent_population using (person_id)
            where {in_window} group by all
        ),
        candidates as (
            select m.year, m.from_country, m.to_country, count(*) as candidate_moves
            from talent_candidate_moves m join talent_population using (person_id)
            where {in_window} group by all
        ),
        dropped as (
            select m.year, m.from_country, m.to_country, count(*) as dropped,
                   count(*) filter (where reason = 'multi_site_default') as dropped_multi_site_default,
                   count(*) filter (where reason = 'tld_guess') as dropped_tld_guess,
                   count(*) filter (where reason = 'low_confidence') as dropped_low_confidence,
                   count(*) filter (where reason = 'other') as dropped_other
            from talent_dropped_moves m join talent_population using (person_id)
            where {in_window} group by all
        )
        select year, from_country, to_country, coalesce(moves, 0) as moves,
               coalesce(candidate_moves, 0) as candidate_moves, coalesce(dropped, 0) as dropped,
               coalesce(dropped_multi_site_default, 0) as dropped_multi_site_default,
               coalesce(dropped_tld_guess, 0) as dropped_tld_guess,
               coalesce(dropped_low_confidence, 0) as dropped_low_confidence,
               coalesce(dropped_other, 0) as dropped_other
        from kept full join candidates using (year, from_country, to_country)
        full join dropped using (year, from_country, to_country)
        order by all
    """).df()
    focus = {pair: rank for rank, pair in enumerate(FOCUS_PAIRS)}
    pairs = zip(counts.from_country, counts.to_country, strict=True)
    counts["pair_rank"] = [focus.get(pair, len(focus)) for pair in pairs]
    totals = counts.groupby(["from_country", "to_country"])["moves"].transform("sum")
    counts = counts.assign(pair_total=totals).sort_values(
        ["pair_rank", "pair_total", "from_country", "to_country", "year"],
        ascending=[True, False, True, True, True],
    )
    counts = counts.drop(columns=["pair_rank", "pair_total"]).reset_index(drop=True)
    eligible, covered = fetch_row(
        con,
        """
        select count(*), count(*) filter (where n_years >= 2) from (
            select p.person_id, count(py.majority_country) as n_years
            from talent_population p left join talent_person_year py using (person_id) group by all)
        """,
    )
    coverage = Coverage("researchers", int(eligible), int(covered))
    note = "covered = researchers with at least two years that have a majority country (a move is observable)"
    trust_note = (
        f"moves rest only on attributions with confidence >= {MOVE_MIN_CONFIDENCE} (no multi-site default, "
        "e-mail TLD guess or other low-confidence answer starts, ends or confirms one); candidate_moves = "
        "moves under the same rule over every attribution; dropped = candidates the trusted rule does not "
        "produce, by the first untrusted attribution among their own authorships (dropped_other: none of "
        "their own; the career changed elsewhere)"
    )
    return (
        MetricTable(
            "talent.moves",
            "Moves per year and ordered country pair",
            counts,
            coverage,
            notes=f"{note}; {trust_note}",
        ),
        MetricTable("talent.moves_detail", "Every move with its evidence", detail, coverage, notes=note),
    )


def returns_table(
    con: duckdb.DuckDBPyConnection, resamples: int = DEFAULT_RESAMPLES
) -> tuple[MetricTable, pd.DataFrame]:
    """Of the researchers who left their origin country X for Y, the share who later settled in X again.

    'Left for Y' = the first anchor run outside X is in Y; 'returned' = a later anchor run is in X.
    """
    persons = con.execute("""
        with o as (select * from talent_origin join talent_population using (person_id)
                   where origin_country is not null),
        away as (
            select a.person_id, o.origin_country, arg_min(a.country, a.start_year) as via_country,
                   min(a.start_year) as left_year
            from talent_anchor_runs a join o using (person_id)
            where a.country <> o.origin_country group by all
        )
        select w.person_id, w.origin_country, w.via_country, w.left_year,
               (select min(b.start_year) from talent_anchor_runs b
                where b.person_id = w.person_id and b.country = w.origin_country
                  and b.start_year > w.left_year) as return_year
        from away w order by all
    """).df()
    persons["returned"] = persons["return_year"].notna()
    table = _binary_rate(persons, ["origin_country", "via_country"], "returned", "return_share", resamples)
    n_origin = fetch_row(
        con,
        "select count(*) from talent_origin join talent_population using (person_id) "
        "where origin_country is not null",
    )[0]
    coverage = Coverage("researchers", int(n_origin), len(persons))
    metric = MetricTable(
        "talent.returns",
        "Returns: left origin X for Y, later back in X",
        table,
        coverage,
        notes="eligible = researchers with a known origin; covered = those who left it (confirmed move)",
    )
    return metric, persons


def retention_tables(
    con: duckdb.DuckDBPyConnection, selection: Selection, resamples: int = DEFAULT_RESAMPLES
) -> tuple[MetricTable, MetricTable]:
    """Share of researchers first observed in X whose last majority-country observation is still X."""
    persons = con.execute(f"""
        with last_obs as (
            select py.person_id, arg_max(py.majority_country, py.year) as last_country,
                   max(py.year) as last_year
            from talent_person_year py join talent_population using (person_id)
            where py.majority_country is not null and {last_year_limit(selection, "py.year")}
            group by all
        )
        select o.person_id, o.origin_country, o.origin_year as cohort, l.last_country, l.last_year
        from talent_origin o join talent_population using (person_id) join last_obs l using (person_id)
        where o.origin_country is not null and {_year_filter(selection, "o.origin_year")}
        order by all
    """).df()
    # A researcher seen in one year only cannot show whether they stayed: not in the denominator.
    observable = persons[persons["last_year"] > persons["cohort"]].copy()
    observable["retained"] = observable["last_country"] == observable["origin_country"]
    by_cohort = _binary_rate(observable, ["origin_country", "cohort"], "retained", "retention", resamples)
    pooled = _binary_rate(observable, ["origin_country"], "retained", "retention", resamples)
    coverage = Coverage("researchers", len(persons), len(observable))
    note = (
        "eligible = researchers with a known origin whose cohort year is in the selection; covered = those "
        "observed again in a later year (single-year researchers are excluded from the denominator)"
    )
    return (
        MetricTable(
            "talent.retention", "Retention by origin country and cohort", by_cohort, coverage, notes=note
        ),
        MetricTable("talent.retention_pooled", "Retention by origin country", pooled, coverage, notes=note),
    )


def _binary_rate(
    persons: pd.DataFrame, group_cols: list[str], flag: str, prefix: str, resamples: int
) -> pd.DataFrame:
    columns = [*group_cols, "n", flag, prefix, f"{prefix}_ci_low", f"{prefix}_ci_high"]
    if persons.empty:
        return pd.DataFrame(columns=columns)
    long = persons.assign(outcome=persons[flag].map({True: "yes", False: "no"}), one=1.0)
    shares = bootstrap_category_shares(
        long, group_cols, "person_id", "outcome", "one", resamples=resamples, prefix=prefix
    )
    # Groups where nobody has the outcome have no 'yes' row: their rate is 0 with a [0, 0] interval.
    base = long.groupby(group_cols).size().rename("n").reset_index()
    yes = shares[shares["outcome"] == "yes"].drop(columns=["outcome", "n"]).rename(columns={"weight": flag})
    table = base.merge(yes, on=group_cols, how="left")
    table[[flag, prefix, f"{prefix}_ci_low", f"{prefix}_ci_high"]] = table[
        [flag, prefix, f"{prefix}_ci_low", f"{prefix}_ci_high"]
    ].fillna(0.0)
    table[flag] = table[flag].astype(int)
    return table[columns]
