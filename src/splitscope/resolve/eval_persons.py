"""`splitscope eval persons PATH…`: hide the OpenReview ids, link, compare with the true ids.

Ground truth: authorships whose paper list carries an OpenReview id (ICLR, NeurIPS, ICML, COLM ...).
The linker sees no id at all (no hard evidence, no id-based prior). Scores are over the authorships with
an id: B-cubed precision/recall/F1 and pairwise precision/recall, for splitscope and for a name-only
baseline (same normalised name = same person), within each file (pooled over files) and across all files
together (one person's records in several venues/years, which is what careers need). The scored pairs
are clustered at several thresholds, which is how LINK_THRESHOLD was chosen.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from splitscope.errors import UnusableInputError
from splitscope.resolve.affiliation_store import resolve_affiliations
from splitscope.resolve.eval_affiliations import load_labelled
from splitscope.resolve.person_clusters import Clustering
from splitscope.resolve.person_model import RECORD_COLUMNS, predict, scored_pairs, train
from splitscope.resolve.person_records import build_link_records
from splitscope.resolve.persons import LINK_THRESHOLD
from splitscope.resolve.steps import shared_resolver
from splitscope.store.db import quiet

SWEEP = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99)


def b_cubed_and_pairwise(predicted: list[str], truth: list[str]) -> dict[str, float]:
    cells = Counter(zip(predicted, truth, strict=True))
    pred_size, true_size = Counter(predicted), Counter(truth)
    n = len(truth)
    precision = sum(c * c / pred_size[p] for (p, _), c in cells.items()) / n
    recall = sum(c * c / true_size[t] for (_, t), c in cells.items()) / n
    tp = sum(c * (c - 1) / 2 for c in cells.values())
    pred_pairs = sum(c * (c - 1) / 2 for c in pred_size.values())
    true_pairs = sum(c * (c - 1) / 2 for c in true_size.values())
    return {
        "b3_precision": precision,
        "b3_recall": recall,
        "b3_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "pairwise_precision": tp / pred_pairs if pred_pairs else 1.0,
        "pairwise_recall": tp / true_pairs if true_pairs else 1.0,
    }


def _records(con: duckdb.DuckDBPyConnection) -> tuple[Any, pd.DataFrame]:
    build_link_records(con)
    truth = con.sql("select authorship_id, hard_id as truth, name_norm from link_records").df()
    con.execute("update link_records set hard_id = null").fetchall()  # the linker sees no id
    return con.sql(f"select {', '.join(RECORD_COLUMNS)} from link_records").to_arrow_table(), truth


def _run(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    from splink.backends.duckdb import DuckDBAPI

    records, truth = _records(con)
    api = DuckDBAPI(quiet(duckdb.connect()))
    linker = train(api.register(records), prior=PRIOR_WITHOUT_IDS)
    return scored_pairs(predict(linker)), truth


# Without ids, the prior P(match) for two random records is taken from the production model's estimate on
# the full corpus order of magnitude (docs/persons.md); the EM sessions re-estimate the m values anyway.
PRIOR_WITHOUT_IDS = 5e-5


def _score(pairs: pd.DataFrame, truth: pd.DataFrame, threshold: float) -> dict[str, float]:
    ids = list(truth["authorship_id"])
    clustering = Clustering.start(ids, [None] * len(ids))
    clustering.apply_pairs(pairs, threshold)
    predicted = [str(clustering.find(i)) for i in range(len(ids))]
    labelled = truth["truth"].notna().to_numpy()
    return b_cubed_and_pairwise(
        [p for p, keep in zip(predicted, labelled, strict=True) if keep], list(truth["truth"][labelled])
    )


def _baseline(truth: pd.DataFrame) -> dict[str, float]:
    labelled = truth[truth["truth"].notna()]
    return b_cubed_and_pairwise(list(labelled["name_norm"]), list(labelled["truth"]))


def _prepare(paths: list[Path]) -> duckdb.DuckDBPyConnection:
    con = load_labelled(paths, with_authors=True)
    resolve_affiliations(con, shared_resolver())
    if not con.execute("select count(*) from authorships where openreview_id is not null").fetchall()[0][0]:
        raise UnusableInputError("no authorship in these files carries an OpenReview id: nothing to score")
    return con


def evaluate(paths: list[Path], threshold: float = LINK_THRESHOLD) -> dict[str, Any]:
    if not paths:
        raise UnusableInputError("give at least one paper-list file with OpenReview ids")
    across_pairs, across_truth = _run(_prepare(paths))
    result: dict[str, Any] = {
        **_score(across_pairs, across_truth, threshold),
        "baseline": _baseline(across_truth),
        "records": int(across_truth["truth"].notna().sum()),
        "threshold": threshold,
        "files": [str(p) for p in paths],
        "sweep": {str(t): _score(across_pairs, across_truth, t) for t in SWEEP},
    }
    if len(paths) > 1:  # each file linked on its own, scores pooled over all its labelled records
        within: list[tuple[list[str], list[str]]] = []
        base_pred: list[str] = []
        base_true: list[str] = []
        for path in paths:
            pairs, truth = _run(_prepare([path]))
            ids = list(truth["authorship_id"])
            clustering = Clustering.start(ids, [None] * len(ids))
            clustering.apply_pairs(pairs, threshold)
            labelled = truth["truth"].notna().to_numpy()
            within.append((
                [f"{path}:{clustering.find(i)}" for i, keep in enumerate(labelled) if keep],
                [f"{path}:{t}" for t in truth["truth"][labelled]],  # a person counts once per file here
            ))  # fmt: skip
            base_pred += [f"{path}:{n}" for n in truth["name_norm"][labelled]]
            base_true += [f"{path}:{t}" for t in truth["truth"][labelled]]
        pred = [p for predicted, _ in within for p in predicted]
        true = [t for _, truths in within for t in truths]
        result["within_file"] = {
            **b_cubed_and_pairwise(pred, true),
            "baseline": b_cubed_and_pairwise(base_pred, base_true),
        }
    return result
