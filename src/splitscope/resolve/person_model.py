"""The Splink model behind person linkage: settings, training and scoring. Backend-neutral: the same
settings run on DuckDB (default) and on Spark (`db_api` from splink.backends.spark).

Training is unsupervised (no labels are needed, so `eval persons` can hide the OpenReview ids honestly):
u from random pairs, m by expectation maximisation in two sessions (blocked on the name, which trains
everything but the name; blocked on organisation and year, which trains the name).
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

# Pairs where both records carry a hard id are decided by the ids, never by the model.
NOT_BOTH_IDS = "(l.hard_id is null or r.hard_id is null)"
PREDICTION_BLOCKS = (
    f"l.name_key = r.name_key and {NOT_BOTH_IDS}",
    f"l.initial_key = r.initial_key and l.org_id = r.org_id and {NOT_BOTH_IDS}",
)
RECORD_COLUMNS = [
    "authorship_id", "name_norm", "name_key", "initial_key", "email_domain", "org_id", "country", "hard_id",
    "coauthors", "topic_words", "year",
]  # fmt: skip


def year_gap_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="year",
        comparison_levels=[
            cll.NullLevel("year"),
            cll.CustomLevel("abs(year_l - year_r) <= 1", label_for_charts="within 1 year"),
            cll.CustomLevel("abs(year_l - year_r) <= 4", label_for_charts="within 4 years"),
            cll.ElseLevel(),
        ],
    )


def settings(probability_two_random_records_match: float) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="authorship_id",
        probability_two_random_records_match=probability_two_random_records_match,
        blocking_rules_to_generate_predictions=list(PREDICTION_BLOCKS),
        comparisons=[
            # Term-frequency adjusted: a rare exact name is strong evidence, "Wei Wang" is not.
            cl.JaroWinklerAtThresholds("name_norm", [0.97, 0.9]).configure(term_frequency_adjustments=True),
            cl.ArrayIntersectAtSizes("coauthors", [2, 1]),
            cl.ExactMatch("org_id"),
            cl.ExactMatch("country"),
            cl.ExactMatch("email_domain"),
            cl.ArrayIntersectAtSizes("topic_words", [3, 1]),
            year_gap_comparison(),
        ],
        retain_intermediate_calculation_columns=True,  # mw_* say why a pair matched
        retain_matching_columns=False,
    )


def prior_from_ids(records: pd.DataFrame) -> float:
    """P(two random records match), from the records whose hard ids say who is who."""
    with_id = records["hard_id"].dropna()
    n = len(with_id)
    if n < 2:
        return 1e-5
    same = float((with_id.value_counts() * (with_id.value_counts() - 1) / 2).sum())
    return max(same / (n * (n - 1) / 2), 1e-7)


def train(records: Any, prior: float, max_pairs: float = 1e6, seed: int = 7) -> Linker:
    """Train on samples (u: random pairs; m: EM on sampled blocked pairs): cost stays flat as data grows."""
    # Splink warns about levels EM cannot train on a sample (e.g. near-miss names inside exact-name
    # blocks); those levels keep their defaults, which is expected here, so only errors are shown.
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = Linker(records, settings(prior), log_level=logging.ERROR)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in (block_on("name_key"), block_on("org_id", "year")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=max_pairs)
    return linker


def predict(linker: Linker, floor: float = 0.5) -> Any:
    return linker.inference.predict(threshold_match_probability=floor)


def scored_pairs(predictions: Any) -> pd.DataFrame:
    """authorship_id_l, authorship_id_r, match_probability and each comparison's match weight (mw_*)."""
    frame = predictions.as_pandas_dataframe()
    keep = ["authorship_id_l", "authorship_id_r", "match_probability"]
    return frame[keep + [c for c in frame if c.startswith("mw_")]]
