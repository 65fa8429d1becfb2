"""`splitscope eval persons PATH…`: hide the OpenReview ids, link, compare with the true ids.

Ground truth: authorships whose paper list carries an OpenReview id (ICLR, NeurIPS, ICML, COLM ...).
The linker sees no id at all (no hard evidence, no id-based prior). Scores are over the authorships with
an id: B-cubed precision/recall/F1 and pairwise precision/recall, for splitscope and for a name-only
baseline (same normalised name = same person), within each file (pooled over files) and across all files
together (one person's records in several venues/years, which is what careers need). The scored pairs
are clustered at several fragment thresholds, and relinked at several record thresholds: how both were
chosen.

The functions here score stores the caller loaded and resolved (pipeline/labelled.py reads the files:
resolve never reads a source).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from splitscope.errors import UnusableInputError
from splitscope.resolve.persons.calibration import measure_m
from splitscope.resolve.persons.diagnosis import SHARED, loss_by_category
from splitscope.resolve.persons.linking import (
    DEFAULT_THRESHOLDS,
    LINK_COLUMNS_EXTRA,
    Linked,
    Thresholds,
    duckdb_api,
    link_two_stage,
)
from splitscope.resolve.persons.model import OVERLAP_SIZES, RECORD_COLUMNS
from splitscope.resolve.persons.records import build_link_records

SWEEP = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99)
RECORD_SWEEP = (0.95, 0.98, 0.99)


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


def _records(con: duckdb.DuckDBPyConnection) -> tuple[pa.Table, pd.DataFrame]:
    if not con.execute("select count(*) from authorships where openreview_id is not null").fetchall()[0][0]:
        raise UnusableInputError("no authorship in these files carries an OpenReview id: nothing to score")
    build_link_records(con)
    truth = con.sql(
        "select authorship_id, hard_id as truth, name_norm, unlinkable, venue || year as venue_year "
        "from link_records order by authorship_id"
    ).df()
    con.execute("update link_records set hard_id = null").fetchall()  # the linker sees no id
    columns = ", ".join(RECORD_COLUMNS + LINK_COLUMNS_EXTRA)
    return con.sql(f"select {columns} from link_records order by authorship_id").to_arrow_table(), truth


def _linked(records: pa.Table, thresholds: Thresholds, sweep: tuple[float, ...] = ()) -> Linked:
    return link_two_stage(records, duckdb_api, thresholds, sweep=sweep)


def _persons(linked: Linked) -> list[str]:
    return [str(linked.clustering.find(i)) for i in range(len(linked.clustering.parent))]


def _score(predicted: list[str], truth: pd.DataFrame) -> dict[str, float]:
    labelled = truth["truth"].notna().to_numpy()
    return b_cubed_and_pairwise(
        [p for p, keep in zip(predicted, labelled, strict=True) if keep], list(truth["truth"][labelled])
    )


def _baseline(truth: pd.DataFrame) -> dict[str, float]:
    labelled = truth[truth["truth"].notna()]
    return b_cubed_and_pairwise(list(labelled["name_norm"]), list(labelled["truth"]))


def fold_truth(truth: pd.DataFrame, same_researcher: dict[str, str]) -> pd.DataFrame:
    """The truth with the profiles of one researcher (pipeline: a shared ORCID, Scholar or DBLP link and
    the same name) as one label."""
    return truth.assign(truth=truth["truth"].map(lambda t: same_researcher.get(t, t), na_action="ignore"))


def _folded_scores(
    predicted: list[str], truth: pd.DataFrame, same_researcher: dict[str, str]
) -> dict[str, Any]:
    folded = fold_truth(truth, same_researcher)
    labels = set(truth["truth"].dropna())
    return {
        **_score(predicted, folded),
        "baseline": _baseline(folded),
        "profiles_folded": sum(1 for profile in same_researcher if profile in labels),
    }


def evaluate_store(
    con: duckdb.DuckDBPyConnection,
    files: list[str],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    same_researcher: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Link the labelled store `con` (loaded from `files`, affiliations resolved) with its ids hidden and
    score it: all files together, a name-only baseline, and the fragment-threshold sweep; with
    `same_researcher`, the scores again against a truth with one researcher's duplicate profiles folded
    (`duplicate_profiles_folded`)."""
    records, truth = _records(con)
    linked = _linked(records, thresholds, SWEEP)
    predicted = _persons(linked)
    folded = {"duplicate_profiles_folded": _folded_scores(predicted, truth, same_researcher)}
    return {
        **(folded if same_researcher else {}),
        **_score(predicted, truth),
        "baseline": _baseline(truth),
        "records": int(truth["truth"].notna().sum()),
        "thresholds": {"records": thresholds.records, "fragments": thresholds.fragments},
        "files": files,
        "notes": linked.notes,
        # the fragment threshold varied, the record threshold kept: how FRAGMENT_THRESHOLD was chosen
        "sweep": {str(t): _score([str(r) for r in roots], truth) for t, roots in linked.sweep.items()},
        # the record threshold varied (a relink each: stage 2 sees other fragments), the fragment one kept
        "sweep_records": {
            str(t): _score(_persons(_linked(records, Thresholds(t, thresholds.fragments))), truth)
            for t in RECORD_SWEEP
            if t != thresholds.records
        },
        "loss_by_category": loss_by_category(_labelled_frame(records, truth, predicted)),
        "m_from_ids": _m_from_ids(records, truth, linked),
    }


def _labelled_frame(records: pa.Table, truth: pd.DataFrame, predicted: list[str]) -> pd.DataFrame:
    """One labelled record a row: truth, predicted person, name, venue-year and what diagnosis.py reads."""
    frame = truth.assign(predicted=predicted)
    for column in SHARED:
        frame[column] = records.column(column).to_pylist()
    return frame[frame["truth"].notna()].reset_index(drop=True)


def _m_from_ids(records: pa.Table, truth: pd.DataFrame, linked: Linked) -> dict[str, Any]:
    """The shares model.EVIDENCE_M fixes, measured on these files' ids (records, and the fragments stage 1
    left apart, each labelled by its first record's id)."""
    measured = {
        "records": measure_m(records, list(truth["truth"]), "authorship_id", OVERLAP_SIZES["records"])
    }
    if linked.fragment_table is not None:
        truth_of = dict(zip(truth["authorship_id"], truth["truth"], strict=True))
        fragments = linked.fragment_table
        labels = [truth_of.get(f) for f in fragments.column("fragment_id").to_pylist()]
        measured["fragments"] = measure_m(fragments, labels, "fragment_id", OVERLAP_SIZES["fragments"])
    return measured


def evaluate_within_files(
    stores: Iterable[tuple[str, duckdb.DuckDBPyConnection]],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    same_researcher: dict[str, str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Each (file, store) linked on its own, scores pooled over all their labelled records (a person
    counts once per file), with the loss by cause; and the linker's notes, each prefixed by its file.
    `stores` may be a generator, so only one file's store is held at a time."""
    frames: list[pd.DataFrame] = []
    notes: list[str] = []
    for path, con in stores:
        file_records, file_truth = _records(con)
        file_linked = _linked(file_records, thresholds)
        notes += [f"{path}: {note}" for note in file_linked.notes]
        frame = _labelled_frame(file_records, file_truth, _persons(file_linked))
        frame["folded"] = fold_truth(frame, same_researcher or {})["truth"]
        # a person counts once per file: labels, persons and the baseline's names are prefixed by it
        columns = ("truth", "folded", "predicted", "name_norm")
        prefixed = {c: f"{path}:" + frame[c].astype(str) for c in columns}
        frames.append(
            frame.assign(
                truth=prefixed["truth"],
                folded=prefixed["folded"],
                predicted=prefixed["predicted"],
                same_name=prefixed["name_norm"],
            )
        )
    pooled = pd.concat(frames, ignore_index=True)
    true = list(pooled["truth"])
    scores = {
        **b_cubed_and_pairwise(list(pooled["predicted"]), true),
        "baseline": b_cubed_and_pairwise(list(pooled["same_name"]), true),
        "loss_by_category": loss_by_category(pooled),
    }
    if same_researcher:
        scores["duplicate_profiles_folded"] = b_cubed_and_pairwise(
            list(pooled["predicted"]), list(pooled["folded"])
        )
    return scores, notes
