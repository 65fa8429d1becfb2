"""The Splink models behind person linkage: settings, training and scoring. Backend-neutral: the same
settings run on DuckDB (default) and on Spark (`db_api` from splink.backends.spark).

Two models, one per stage (persons/linking.py):
- records: one authorship against another (co-authors on the paper, organisation, e-mail domain, topic
  words, year), which links a researcher's papers within a venue-year and across close years;
- fragments: one stage-1 cluster against another with the same name, comparing what each has gathered
  over all its papers (every co-author, organisation, country, domain and topic word, the years it spans),
  which is what links one researcher's records across venues when single papers share too little.

Training needs no labels (so `eval persons` can hide the OpenReview ids honestly): u from random pairs of
the data being linked; every m is a constant measured once on the tuning files' ids (NAME_M, EVIDENCE_M,
YEAR_M), because expectation maximisation inside name blocks could not learn them (see EVIDENCE_M). The
exact-name level's u comes per name from persons/name_frequency.py.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator

# Pairs where both sides carry a hard id are decided by the ids, never by the model.
NOT_BOTH_IDS = "(l.hard_id is null or r.hard_id is null)"
PREDICTION_BLOCKS = (
    f"l.name_key = r.name_key and {NOT_BOTH_IDS}",
    f"l.name_compact = r.name_compact and {NOT_BOTH_IDS}",
    f"l.core_key = r.core_key and {NOT_BOTH_IDS}",
    f"l.initial_key = r.initial_key and l.org_id = r.org_id and {NOT_BOTH_IDS}",
)
FRAGMENT_BLOCKS = (
    f"l.name_key = r.name_key and {NOT_BOTH_IDS}",
    f"l.name_compact = r.name_compact and {NOT_BOTH_IDS}",
    f"l.core_key = r.core_key and {NOT_BOTH_IDS}",
)
NAME_COLUMNS = ["name_norm", "name_key", "name_compact", "core_key", "initial_key", "abbreviated"]
RECORD_COLUMNS = [
    "authorship_id", *NAME_COLUMNS, "domains", "org_id", "orgs", "places", "countries", "hard_id",
    "coauthors", "topic_words", "year",
]  # fmt: skip
FRAGMENT_COLUMNS = [
    "fragment_id", *NAME_COLUMNS, "hard_id", "coauthors", "orgs", "places", "countries", "domains",
    "topic_words", "year_min", "year_max",
]  # fmt: skip


# How often one researcher's two records fall on each name level: measured on the 51k same-profile pairs of
# ICLR 2021-22 + ICML 2023 (exact 97.8%, same first and last name 1.3%, other order 0.05%, anything else
# 0.9%), rounded and fixed. EM cannot learn them: inside name blocks the name is what was blocked on, and
# on organisation-and-year blocks it converged to "colleagues" (m(exact name) = 0.01).
# 'compact' (the same letters apart from spaces and umlaut spelling) measured the same way later: 0.5%.
NAME_M = {"exact": 0.97, "compact": 0.005, "order": 0.005, "core": 0.013, "initial": 0.003, "else": 0.009}


def name_comparison() -> cl.CustomComparison:
    """Exact name (its u per name, persons/name_frequency.py: a rare exact name is strong evidence, 'Wei
    Wang' is not), then the same letters apart from spacing and umlaut spelling, then the same words in
    another order, then the same first and last name around other middle names, then an initial that
    fits. The word-order level's u is per order-free key, from the same name frequency ('Yang Yu' / 'Yu
    Yang' is as common as either name; a swapped rare name is rare). Two different given names ('Yisen
    Wang', 'Yifei Wang') fall to the last level, however alike they are as strings: spelling similarity
    between names says nothing about identity (and the clustering never puts two such names in one
    person, persons/name_forms.py)."""

    def fixed(level: Any, key: str) -> Any:
        if key in ("compact", "core", "initial"):  # too rare among random pairs for sampling to count
            return level.configure(
                m_probability=NAME_M[key], fix_m_probability=True, u_probability=1e-6, fix_u_probability=True
            )
        return level.configure(m_probability=NAME_M[key], fix_m_probability=True)

    return cl.CustomComparison(
        output_column_name="name_norm",
        comparison_levels=[
            cll.NullLevel("name_norm"),
            fixed(cll.ExactMatchLevel("name_norm").configure(tf_adjustment_column="name_norm"), "exact"),
            fixed(
                cll.CustomLevel(
                    "name_compact_l = name_compact_r", label_for_charts="same letters, other spacing"
                ),
                "compact",
            ),
            fixed(
                cll.CustomLevel(
                    "name_key_l = name_key_r", label_for_charts="same words, other order"
                ).configure(tf_adjustment_column="name_key"),
                "order",
            ),
            fixed(
                cll.CustomLevel("core_key_l = core_key_r", label_for_charts="same first and last name"),
                "core",
            ),
            fixed(
                cll.CustomLevel(
                    "initial_key_l = initial_key_r and (abbreviated_l or abbreviated_r)",
                    label_for_charts="initial fits",
                ),
                "initial",
            ),
            fixed(cll.ElseLevel(), "else"),
        ],
    )


def gap_comparison(
    output: str, gap_sql: str, null_column: str, m: tuple[float, float, float]
) -> cl.CustomComparison:
    """Years apart, with fixed m-values (measured, see YEAR_M): EM fits them poorly and, on one venue-year
    where every gap is 0, not at all (Splink refuses the m = 0 it then estimates)."""
    return cl.CustomComparison(
        output_column_name=output,
        comparison_levels=[
            cll.NullLevel(null_column),
            cll.CustomLevel(f"{gap_sql} <= 1", label_for_charts="within 1 year").configure(
                m_probability=m[0], fix_m_probability=True
            ),
            cll.CustomLevel(f"{gap_sql} <= 4", label_for_charts="within 4 years").configure(
                m_probability=m[1], fix_m_probability=True
            ),
            cll.ElseLevel().configure(m_probability=m[2], fix_m_probability=True),
        ],
    )


# One researcher's two records (or two fragments' spans) by years apart, as EM estimated them on ICLR
# 2021-22 + ICML 2023 before they were fixed (records 0.67 / 0.33; fragments 0.55 / 0.45), with a little
# room for gaps over four years, which three-year evaluation sets cannot show.
YEAR_M = {"records": (0.66, 0.32, 0.02), "fragments": (0.54, 0.42, 0.04)}


def _settings(
    unique_id: str, prior: float, blocks: tuple[str, ...], comparisons: list[Any]
) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=unique_id,
        probability_two_random_records_match=prior,
        blocking_rules_to_generate_predictions=list(blocks),
        comparisons=comparisons,
        retain_intermediate_calculation_columns=True,  # mw_* say why a pair matched
        retain_matching_columns=False,
    )


# How often one researcher's two records (or, at stage 2, two fragments left apart by stage 1) fall on
# each level of the evidence comparisons, from the largest overlap to none: measured on the same-profile
# pairs of ICLR 2021-22 + ICML 2023 that share a name block (`splitscope eval persons --json` prints them
# as m_from_ids). EM cannot learn them inside name blocks, where a namesake at the same organisation looks
# like the person: it put m(no common organisation) at 0.04 (measured 0.15: people move, hold two
# affiliations, and positional affiliations of older OpenReview lists shift), m(other country) at 0.003
# (measured 0.07), and at stage 2 it made a shared organisation evidence *against* a match.
EVIDENCE_M: dict[str, dict[str, tuple[float, ...]]] = {
    "records": {
        "coauthors": (0.16, 0.24, 0.60),
        "places": (0.85, 0.15),
        "countries": (0.93, 0.07),
        "topic_words": (0.04, 0.29, 0.67),
    },
    # The fragments one researcher's records still form after stage 1 (443 pairs) seldom share an
    # organisation or domain (0.07: stage 1 joined those) or a co-author (0.11).
    "fragments": {
        "coauthors": (0.029, 0.018, 0.061, 0.892),
        "places": (0.072, 0.928),
        "countries": (0.42, 0.58),
        "topic_words": (0.020, 0.133, 0.260, 0.587),
    },
}


# The overlap sizes each stage's set comparisons distinguish, largest first (then: none). A fragment has
# gathered more than one record, so it is compared at larger sizes. Sets, because an author may name
# several organisations ('MIT + Google') and e-mail domains.
OVERLAP_SIZES: dict[str, dict[str, list[int]]] = {
    "records": {"coauthors": [2, 1], "places": [1], "countries": [1], "topic_words": [3, 1]},
    "fragments": {"coauthors": [3, 2, 1], "places": [1], "countries": [1], "topic_words": [4, 2, 1]},
}  # fmt: skip


def _evidence_comparisons(stage: str, years: Any) -> list[Any]:
    """What both stages compare, in one order: the name, the sets each side gathered, the years."""
    m = EVIDENCE_M[stage]
    sets = [
        cl.ArrayIntersectAtSizes(column, sizes).configure(m_probabilities=list(m[column]))
        for column, sizes in OVERLAP_SIZES[stage].items()
    ]
    return [name_comparison(), *sets, years]


def record_settings(prior: float) -> SettingsCreator:
    years = gap_comparison("year", "abs(year_l - year_r)", "year", YEAR_M["records"])
    return _settings("authorship_id", prior, PREDICTION_BLOCKS, _evidence_comparisons("records", years))


# Years between two fragments' spans: 0 when they overlap.
SPAN_GAP = "greatest(year_min_l, year_min_r) - least(year_max_l, year_max_r)"


def fragment_settings(prior: float) -> SettingsCreator:
    years = gap_comparison("years", SPAN_GAP, "year_min", YEAR_M["fragments"])
    return _settings("fragment_id", prior, FRAGMENT_BLOCKS, _evidence_comparisons("fragments", years))


@dataclass(frozen=True)
class Stage:
    """One linkage stage: its name and its settings."""

    name: str
    settings: Any  # (prior) -> SettingsCreator


RECORDS = Stage("records", record_settings)
FRAGMENTS = Stage("fragments", fragment_settings)


def prior_from_names(names: pd.Series) -> float:
    """P(two random records match), estimated as the share of pairs with the same normalised name.

    Measured without ids, so the build and `eval persons` (which hides the ids) use the same prior, and it
    scales with the data (a pair count over n² pairs). On ICLR 2021-22 + ICML 2023 it is 0.92e-4 against
    1.02e-4 from the OpenReview ids: namesakes and one person's spelling variants about cancel out. On
    stage-2 fragments it overstates (many same-name fragment pairs left are namesakes), which the fragment
    threshold, chosen on data, absorbs.
    """
    n = int(names.notna().sum())
    if n < 2:
        return 1e-5
    counts = names.value_counts()
    same = float((counts * (counts - 1) / 2).sum())
    return min(max(same / (n * (n - 1) / 2), 1e-7), 0.5)


def train(
    table: Any,
    prior: float,
    stage: Stage = RECORDS,
    name_tf: pd.DataFrame | None = None,
    max_pairs: float = 1e6,
) -> Linker:
    """u from random pairs (a sample: cost stays flat as data grows); every m is fixed (NAME_M, EVIDENCE_M,
    YEAR_M), so no expectation maximisation runs.

    Splink samples by a hash of the unique id (the same rows every run), but it sums counts and
    probabilities in the order a multi-threaded DuckDB delivers rows; training runs on one thread (it is
    small: at most `max_pairs` pairs), so the same records give the same model, to the last bit.
    """
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = Linker(table, stage.settings(prior), log_level=logging.ERROR)
    if name_tf is not None:
        use_name_frequencies(linker, name_tf)
    with one_thread(linker):
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=7)
    return linker


def use_name_frequencies(linker: Linker, name_tf: pd.DataFrame) -> None:
    """The exact-name level's u per name (name_norm, tf_name_norm; persons/name_frequency.py) instead of
    the share of records Splink would count."""
    exact = name_tf[["name_norm", "tf_name_norm"]]
    linker.table_management.register_term_frequency_lookup(linker._db_api.register(exact), "name_norm")
    # The same words in another order ('Yang Yu', 'Yu Yang') are as common as the name itself (h is
    # symmetric in the two words): the order level's u per order-free key, not one u for all names.
    keys = (
        name_tf.groupby("name_key", sort=True)["tf_name_norm"].max().reset_index(name="tf_name_key")
        if len(name_tf)
        else pd.DataFrame({"name_key": pd.Series(dtype=str), "tf_name_key": pd.Series(dtype=float)})
    )
    linker.table_management.register_term_frequency_lookup(linker._db_api.register(keys), "name_key")


@contextmanager
def one_thread(linker: Linker) -> Iterator[None]:
    """DuckDB on one thread for the duration (other backends: unchanged)."""
    con = getattr(linker._db_api, "_con", None)
    if linker._db_api.sql_dialect.sql_dialect_str != "duckdb" or con is None:
        yield
        return
    threads = con.execute("select current_setting('threads')").fetchall()[0][0]
    con.execute("set threads = 1")
    try:
        yield
    finally:
        con.execute(f"set threads = {int(threads)}")


def model_json(linker: Linker) -> str:
    """The trained settings as stored. Splink names each linker with a random id (for its cache tables);
    it is dropped so the same model is the same text."""
    settings = linker.misc.save_model_to_json()
    settings.pop("linker_uid", None)
    return json.dumps(settings, sort_keys=True)


def predict(linker: Linker, floor: float = 0.5) -> Any:
    return linker.inference.predict(threshold_match_probability=floor)


def scored_pairs(predictions: Any, unique_id: str = "authorship_id") -> pd.DataFrame:
    """<id>_l, <id>_r, match_probability and each comparison's match weight (mw_*)."""
    frame = predictions.as_pandas_dataframe()
    keep = [f"{unique_id}_l", f"{unique_id}_r", "match_probability"]
    return frame[keep + [c for c in frame if c.startswith("mw_")]]
