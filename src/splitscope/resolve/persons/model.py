"""The Splink models behind person linkage: settings, training and scoring. Backend-neutral: the same
settings run on DuckDB (default) and on Spark (`db_api` from splink.backends.spark).

Two models, one per stage (persons/linking.py):
- records: one authorship against another (co-authors on the paper, organisation, e-mail domain, topic
  words, year), which links a researcher's papers within a venue-year and across close years;
- fragments: one stage-1 cluster against another with the same name, comparing what each has gathered
  over all its papers (every co-author, organisation, country, domain and topic word, the years it spans),
  which is what links one researcher's records across venues when single papers share too little.

Training is unsupervised (no labels are needed, so `eval persons` can hide the OpenReview ids honestly):
u from random pairs, m by expectation maximisation on blocked pairs.
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
from splink import Linker, SettingsCreator, block_on

# Pairs where both sides carry a hard id are decided by the ids, never by the model.
NOT_BOTH_IDS = "(l.hard_id is null or r.hard_id is null)"
PREDICTION_BLOCKS = (
    f"l.name_key = r.name_key and {NOT_BOTH_IDS}",
    f"l.core_key = r.core_key and {NOT_BOTH_IDS}",
    f"l.initial_key = r.initial_key and l.org_id = r.org_id and {NOT_BOTH_IDS}",
)
FRAGMENT_BLOCKS = (
    f"l.name_key = r.name_key and {NOT_BOTH_IDS}",
    f"l.core_key = r.core_key and {NOT_BOTH_IDS}",
)
NAME_COLUMNS = ["name_norm", "name_key", "core_key", "initial_key", "abbreviated"]
RECORD_COLUMNS = [
    "authorship_id", *NAME_COLUMNS, "domains", "org_id", "orgs", "countries", "hard_id", "coauthors",
    "topic_words", "year",
]  # fmt: skip
FRAGMENT_COLUMNS = [
    "fragment_id", *NAME_COLUMNS, "hard_id", "coauthors", "orgs", "countries", "domains", "topic_words",
    "year_min", "year_max",
]  # fmt: skip


# How often one researcher's two records fall on each name level: measured on the 51k same-profile pairs of
# ICLR 2021-22 + ICML 2023 (exact 97.8%, same first and last name 1.3%, other order 0.05%, anything else
# 0.9%), rounded and fixed. EM cannot learn them: inside name blocks the name is what was blocked on, and
# on organisation-and-year blocks it converged to "colleagues" (m(exact name) = 0.01).
NAME_M = {"exact": 0.97, "order": 0.005, "core": 0.013, "initial": 0.003, "else": 0.009}


def name_comparison() -> cl.CustomComparison:
    """Exact name (term-frequency adjusted: a rare exact name is strong evidence, 'Wei Wang' is not), then
    the same words in another order, then the same first and last name around other middle names, then an
    initial that fits. Two different given names ('Yisen Wang', 'Yifei Wang') fall to the last level,
    however alike they are as strings: spelling similarity between names says nothing about identity."""

    def fixed(level: Any, key: str) -> Any:
        if key in (
            "core",
            "initial",
        ):  # too rare among random pairs for sampling to count: as rare as 'order'
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
                cll.CustomLevel("name_key_l = name_key_r", label_for_charts="same words, other order"),
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


def _evidence_comparisons(coauthor_sizes: list[int], topic_sizes: list[int], years: Any) -> list[Any]:
    """What both stages compare, in one order: the name, then the sets each side gathered. A fragment has
    gathered more than one record, so it is compared at larger overlap sizes."""
    return [
        name_comparison(),
        cl.ArrayIntersectAtSizes("coauthors", coauthor_sizes),
        # sets: an author may name several organisations ('MIT + Google') and e-mail domains
        cl.ArrayIntersectAtSizes("orgs", [1]),
        cl.ArrayIntersectAtSizes("countries", [1]),
        cl.ArrayIntersectAtSizes("domains", [1]),
        cl.ArrayIntersectAtSizes("topic_words", topic_sizes),
        years,
    ]


def record_settings(prior: float) -> SettingsCreator:
    years = gap_comparison("year", "abs(year_l - year_r)", "year", YEAR_M["records"])
    return _settings("authorship_id", prior, PREDICTION_BLOCKS, _evidence_comparisons([2, 1], [3, 1], years))


# Years between two fragments' spans: 0 when they overlap.
SPAN_GAP = "greatest(year_min_l, year_min_r) - least(year_max_l, year_max_r)"


def fragment_settings(prior: float) -> SettingsCreator:
    years = gap_comparison("years", SPAN_GAP, "year_min", YEAR_M["fragments"])
    return _settings(
        "fragment_id", prior, FRAGMENT_BLOCKS, _evidence_comparisons([3, 2, 1], [4, 2, 1], years)
    )


@dataclass(frozen=True)
class Stage:
    """One linkage stage: its settings and the blocks EM trains on."""

    name: str
    settings: Any  # (prior) -> SettingsCreator
    em_blocks: tuple[Any, ...]


RECORDS = Stage("records", record_settings, (block_on("name_key"),))
FRAGMENTS = Stage("fragments", fragment_settings, (block_on("name_key"),))


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
    seed: int = 7,
) -> Linker:
    """Train on samples (u: random pairs; m: EM on sampled blocked pairs): cost stays flat as data grows.

    Splink samples by a hash of the unique id (the same rows every run), but EM sums floating-point
    expectations over agreement patterns, and a multi-threaded DuckDB hands those rows over in a
    different order every run: m-values then differ in the last bits, and so do probabilities. Training
    runs on one thread (it is small: at most `max_pairs` pairs), so the same records give the same model.
    """
    # Splink warns about levels EM cannot train on a sample (e.g. near-miss names inside exact-name
    # blocks); those levels keep their defaults, which is expected here, so only errors are shown.
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = Linker(table, stage.settings(prior), log_level=logging.ERROR)
    if name_tf is not None:
        use_name_frequencies(linker, name_tf)
    with one_thread(linker):
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
        for rule in stage.em_blocks:
            linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=max_pairs)
    return linker


def use_name_frequencies(linker: Linker, name_tf: pd.DataFrame) -> None:
    """The exact-name level's u per name (name_norm, tf_name_norm; persons/name_frequency.py) instead of
    the share of records Splink would count."""
    lookup = linker._db_api.register(name_tf)
    linker.table_management.register_term_frequency_lookup(lookup, "name_norm")


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
