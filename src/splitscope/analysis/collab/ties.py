"""Co-author ties across consecutive windows: which persist, break or form, by the pair's countries.

Definitions (docs/collaboration.md, "Ties"):
- Windows: consecutive, non-overlapping blocks of `window` years ending at the last year of the
  selection (or of the data); a leading block shorter than `window` is dropped.
- A tie in window k: two distinct persons who co-authored at least one selected paper in window k
  with at most MAX_AUTHORS_FOR_TIES persons on its byline (a 200-author report is not a personal tie).
- A person's country in window k: the country with the largest total author share over the person's
  author-basis authorships in window k; unknown when no authorship has a country or when two
  countries tie for the largest share.
- From window k to k+1, a tie of window k is *persisting* (co-authored again in k+1), *breaking*
  (not co-authored in k+1 although both persons published in k+1) or *lapsing* (at least one person
  has no selected paper in k+1: left, or left the corpus's coverage). A tie of k+1 absent from k is
  *forming*. Persisting/breaking/lapsing ties are classified by the countries in k, forming ones by
  the countries in k+1.
- Persistence rate = persisting / (persisting + breaking): lapsed ties are left out, because the
  corpus cannot tell a broken collaboration from an author whose next papers are not in it.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES
from splitscope.analysis.collab.resampled_totals import percentile_interval, resampled_profile_sums
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.errors import UnusableInputError
from splitscope.selection import Selection

MAX_AUTHORS_FOR_TIES = 30
PERSON_BASES = ("auto", "linked", "openreview")
TRANSITION_COLUMNS = [
    "window_from",
    "window_to",
    "ties_from",
    "persisting",
    "breaking",
    "lapsing",
    "forming",
    "forming_among_active",
    "persistence_rate",
    "persistence_rate_ci_low",
    "persistence_rate_ci_high",
]


def selection_windows(
    con: duckdb.DuckDBPyConnection, selection: Selection, window: int
) -> list[tuple[int, int]]:
    """The complete windows over the selected years, or over the years of collab_papers when the
    selection names none (no windows when there are no papers)."""
    span = con.execute("select min(year), max(year) from collab_papers").fetchone()
    years = selection.years or (span if span and span[0] is not None else None)
    return windows_for((int(years[0]), int(years[1])), window) if years else []


def windows_for(years: tuple[int, int], window: int) -> list[tuple[int, int]]:
    """Complete windows of `window` years ending at years[1], oldest first."""
    if window < 1:
        raise UnusableInputError(f"--window: {window} is not a positive number of years")
    first, last = years
    spans = []
    end = last
    while end - window + 1 >= first:
        spans.append((end - window + 1, end))
        end -= window
    return spans[::-1]


def pair_label(country_a: str | None, country_b: str | None) -> str:
    """'US-CN', 'US-GB', 'CN-DE', 'DE-FR' ...: US first, then CN, else alphabetical; 'unknown'."""
    if not isinstance(country_a, str) or not isinstance(country_b, str):
        return "unknown"
    for focus in ("US", "CN"):
        if focus in (country_a, country_b):
            other = country_b if country_a == focus else country_a
            return f"{focus}-{other}"
    return "-".join(sorted((country_a, country_b)))


def pair_class(label: str) -> str:
    if label in ("US-CN", "US-US", "CN-CN", "unknown"):
        return label
    if label.startswith("US-"):
        return "US-other"
    if label.startswith("CN-"):
        return "CN-other"
    return "other"


def tie_tables(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    window: int,
    filters: dict,
    *,
    persons: str = "auto",
    min_authorships: int = 1,
    resamples: int = DEFAULT_RESAMPLES,
) -> list[MetricTable]:
    """collab.tie_transitions (per pair class) and collab.tie_transitions_by_pair (US/CN pairs)."""
    basis = prepare_ties(con, selection, window, persons, min_authorships)
    try:
        from_ties, formed, person_cov = _transition_frames(con)
    finally:
        for table in ("collab_ties", "collab_person_country", "collab_person_paper", "collab_windows"):
            con.execute(f"drop table if exists {table}")
    filters = {**filters, "person_basis": basis, "min_resolved_authorships": min_authorships}
    filters["max_authors_for_ties"] = MAX_AUTHORS_FOR_TIES
    known = from_ties["pair_class"] != "unknown"
    tie_cov = Coverage("ties", int(from_ties["ties"].sum()), int(from_ties.loc[known, "ties"].sum()))
    note = (
        f"Persons: {basis}. Persons with a country / persons active, summed over windows: "
        f"{person_cov[1]}/{person_cov[0]}. persistence_rate = persisting / (persisting + breaking); "
        "intervals resample ties (co-author ties are clustered by person, so they are too narrow)."
    )
    by_class = _summarise(from_ties, formed, "pair_class", resamples)
    by_pair = _summarise(from_ties, formed, "pair", resamples)
    by_pair = by_pair[by_pair["pair"].str.startswith(("US-", "CN-"))].reset_index(drop=True)
    return [
        MetricTable(
            "collab.tie_transitions",
            "Co-author ties persisting, breaking, lapsing and forming between windows, by pair class",
            by_class,
            tie_cov,
            filters,
            note,
        ),
        MetricTable(
            "collab.tie_transitions_by_pair",
            "Co-author tie transitions by country pair (pairs with a US or CN member)",
            by_pair,
            tie_cov,
            filters,
            note,
        ),
    ]


def _person_source(con: duckdb.DuckDBPyConnection, persons: str) -> tuple[str, str]:
    """(SQL giving authorship_id, person_id, basis label). 'auto' = linked persons when linkage ran."""
    if persons not in PERSON_BASES:
        raise UnusableInputError(f"--persons: {persons!r} is not one of {', '.join(PERSON_BASES)}")
    linked = "select authorship_id, person_id from authorship_person"
    openreview = (
        "select authorship_id, 'or:' || openreview_id as person_id from authorships "
        "where openreview_id like '~%'"
    )
    if persons == "auto":
        has_links = con.execute(
            "select count(*) from authorship_person ap join authorships a using (authorship_id) "
            "join collab_papers p using (paper_id)"
        ).fetchone()
        persons = "linked" if has_links and has_links[0] > 0 else "openreview"
    if persons == "linked":
        return linked, "linked persons (authorship_person)"
    return openreview, (
        "FALLBACK: OpenReview-id persons only (authorships without an OpenReview profile id are left "
        "out; person linkage was not available)"
    )


def prepare_ties(
    con: duckdb.DuckDBPyConnection, selection: Selection, window: int, persons: str, min_authorships: int
) -> str:
    """Temp tables collab_windows, collab_person_paper, collab_person_country, collab_ties."""
    source_sql, basis = _person_source(con, persons)
    spans = selection_windows(con, selection, window)
    con.execute(
        "create or replace temp table collab_windows (k integer, first_year integer, last_year integer)"
    )
    if spans:
        con.executemany(
            "insert into collab_windows values (?, ?, ?)", [(k, a, b) for k, (a, b) in enumerate(spans)]
        )
    con.execute(
        f"""
        create or replace temp table collab_person_paper as
        select distinct w.k, src.person_id, a.paper_id, a.authorship_id
        from authorships a
        join collab_papers p using (paper_id)
        join ({source_sql}) src using (authorship_id)
        join collab_windows w on p.year between w.first_year and w.last_year
        """
    )
    con.execute(_PERSON_COUNTRY_SQL, [min_authorships])
    con.execute(
        """
        create or replace temp table collab_ties as
        with small_papers as (
            select paper_id from collab_person_paper group by paper_id
            having count(distinct person_id) <= ?
        )
        select distinct x.k, x.person_id as person_a, y.person_id as person_b
        from collab_person_paper x
        join collab_person_paper y on x.paper_id = y.paper_id and x.person_id < y.person_id
        where x.paper_id in (select paper_id from small_papers)
        """,
        [MAX_AUTHORS_FOR_TIES],
    )
    return basis


# Weights are rounded before ranking so that 0.5 + 0.5 and 1.0 count as the same (a genuine tie).
_PERSON_COUNTRY_SQL = """
create or replace temp table collab_person_country as
with weights as (
    select pp.k, pp.person_id, ac.country, round(sum(ac.share), 9) as weight
    from collab_person_paper pp join collab_author_country ac using (authorship_id)
    group by pp.k, pp.person_id, ac.country
), resolved as (
    select pp.k, pp.person_id, count(distinct pp.authorship_id) as resolved_authorships
    from collab_person_paper pp
    where pp.authorship_id in (select authorship_id from collab_author_country)
    group by pp.k, pp.person_id
), top as (
    select k, person_id, country, weight = max(weight) over (partition by k, person_id) as is_top
    from weights
)
select t.k, t.person_id,
       case when count(*) filter (where is_top) = 1 then any_value(country) filter (where is_top) end
           as country
from top t join resolved r using (k, person_id)
where r.resolved_authorships >= ?
group by t.k, t.person_id
"""


def pair_label_sql(a: str, b: str) -> str:
    """SQL twin of pair_label for two country columns."""
    return f"""(case when {a} is null or {b} is null then 'unknown'
        when {a} = 'US' or {b} = 'US' then 'US-' || (case when {a} = 'US' then {b} else {a} end)
        when {a} = 'CN' or {b} = 'CN' then 'CN-' || (case when {a} = 'CN' then {b} else {a} end)
        else least({a}, {b}) || '-' || greatest({a}, {b}) end)"""


_FROM_TIES_SQL = f"""
with active as (select distinct k, person_id from collab_person_paper)
select t.k, {pair_label_sql("ca.country", "cb.country")} as pair,
       case when n.person_a is not null then 'persisting'
            when aa.person_id is not null and ab.person_id is not null then 'breaking'
            else 'lapsing' end as status,
       count(*) as ties
from collab_ties t
left join collab_ties n on n.k = t.k + 1 and n.person_a = t.person_a and n.person_b = t.person_b
left join collab_person_country ca on ca.k = t.k and ca.person_id = t.person_a
left join collab_person_country cb on cb.k = t.k and cb.person_id = t.person_b
left join active aa on aa.k = t.k + 1 and aa.person_id = t.person_a
left join active ab on ab.k = t.k + 1 and ab.person_id = t.person_b
where t.k < (select max(k) from collab_windows)
group by all
order by all
"""

_FORMED_SQL = f"""
with active as (select distinct k, person_id from collab_person_paper)
select n.k - 1 as k, {pair_label_sql("ca.country", "cb.country")} as pair,
       count(*) as forming,
       count(*) filter (where aa.person_id is not null and ab.person_id is not null) as forming_among_active
from collab_ties n
left join collab_ties t on t.k = n.k - 1 and t.person_a = n.person_a and t.person_b = n.person_b
left join collab_person_country ca on ca.k = n.k and ca.person_id = n.person_a
left join collab_person_country cb on cb.k = n.k and cb.person_id = n.person_b
left join active aa on aa.k = n.k - 1 and aa.person_id = n.person_a
left join active ab on ab.k = n.k - 1 and ab.person_id = n.person_b
where n.k > 0 and t.person_a is null
group by all
order by all
"""


def _transition_frames(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame, tuple[int, int]]:
    """Tie counts per (k, pair, status) and forming counts per (k, pair), with window labels."""
    labels = {
        r[0]: f"{r[1]}-{r[2]}"
        for r in con.execute("select k, first_year, last_year from collab_windows").fetchall()
    }
    from_ties, formed = con.execute(_FROM_TIES_SQL).df(), con.execute(_FORMED_SQL).df()
    for frame in (from_ties, formed):
        frame["pair_class"] = frame["pair"].map(pair_class)
        frame["window_from"] = frame["k"].map(labels)
        frame["window_to"] = (frame["k"] + 1).map(labels)
    persons = con.execute(
        "select (select count(*) from (select distinct k, person_id from collab_person_paper)), "
        "(select count(*) from collab_person_country where country is not null)"
    ).fetchone()
    assert persons is not None
    return from_ties, formed, (int(persons[0]), int(persons[1]))


def _summarise(from_ties: pd.DataFrame, formed: pd.DataFrame, key: str, resamples: int) -> pd.DataFrame:
    """One row per (key, window pair): counts by status, forming counts, persistence rate and interval."""
    counts = from_ties.pivot_table(
        index=["k", key], columns="status", values="ties", aggfunc="sum", fill_value=0
    ).reindex(columns=["persisting", "breaking", "lapsing"], fill_value=0)
    new = formed.groupby(["k", key])[["forming", "forming_among_active"]].sum()
    table = counts.join(new, how="outer").fillna(0).astype(int).reset_index()
    table["ties_from"] = table["persisting"] + table["breaking"] + table["lapsing"]
    rates = [_persistence_rates(from_ties[from_ties["k"] == k], key, resamples) for k in table["k"].unique()]
    table = table.merge(pd.concat(rates, ignore_index=True), on=["k", key], how="left") if rates else table
    windows = pd.concat([from_ties, formed])[["k", "window_from", "window_to"]].drop_duplicates()
    table = table.merge(windows, on="k").sort_values(["k", key]).reset_index(drop=True)
    for column in TRANSITION_COLUMNS:
        if column not in table:
            table[column] = np.nan
    return table[[key, *TRANSITION_COLUMNS]]


def _persistence_rates(ties_k: pd.DataFrame, key: str, resamples: int) -> pd.DataFrame:
    """persisting / (persisting + breaking) per key value, resampling the window's ties (pooled by
    (pair, status): every tie of one pair and status contributes the same)."""
    labels = sorted(ties_k[key].unique())
    index = {label: i for i, label in enumerate(labels)}
    # Profile p = row p of ties_k (one pair label and status); category 2i counts persisting ties of
    # label i, 2i+1 the ties that can be rated (persisting or breaking).
    label_code = ties_k[key].map(index).to_numpy(dtype=np.int64)
    rows = np.arange(len(ties_k))
    rated = ties_k["status"].isin(["persisting", "breaking"]).to_numpy()
    persisting_rows = (ties_k["status"] == "persisting").to_numpy()
    profile = np.concatenate([rows[rated], rows[persisting_rows]])
    category = np.concatenate([2 * label_code[rated] + 1, 2 * label_code[persisting_rows]])
    value = np.ones(len(profile))
    sums = resampled_profile_sums(
        ties_k["ties"].to_numpy(),
        profile,
        category,
        value,
        2 * len(labels),
        resamples,
    )
    persisting = ties_k["ties"].where(ties_k["status"] == "persisting", 0).groupby(ties_k[key]).sum()
    rated = ties_k["ties"].where(ties_k["status"] != "lapsing", 0).groupby(ties_k[key]).sum()
    num_est, den_est = persisting.reindex(labels).to_numpy(), rated.reindex(labels).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(den_est > 0, num_est / np.maximum(den_est, 1), np.nan)
        draws = sums[:, 0::2] / sums[:, 1::2]
    low, high = percentile_interval(draws)
    low[den_est == 0], high[den_est == 0] = np.nan, np.nan
    return pd.DataFrame(
        {
            "k": ties_k["k"].iloc[0] if len(ties_k) else 0,
            key: labels,
            "persistence_rate": estimate,
            "persistence_rate_ci_low": low,
            "persistence_rate_ci_high": high,
        }
    )
