"""Labelled paper lists for the evaluations (`splitscope eval affiliations` and `eval persons`).

The files are read here, in the pipeline, exactly as `build` reads them, into a throwaway in-memory store;
resolve/affiliations/evaluate.py and resolve/persons/evaluate.py score what such a store holds (resolve
never reads a source). Everything comes in as an argument: the resolver, the shared data bundle, the
thresholds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from splitscope.errors import UnusableInputError
from splitscope.resolve.affiliations import evaluate as affiliations_evaluation
from splitscope.resolve.affiliations.resolver import AffiliationResolver
from splitscope.resolve.affiliations.step import resolve_affiliations
from splitscope.resolve.persons import evaluate as persons_evaluation
from splitscope.resolve.persons.linking import DEFAULT_THRESHOLDS, Thresholds
from splitscope.sources.openreview import authors as openreview_authors
from splitscope.sources.openreview.profile_links import profile_links, same_researcher
from splitscope.sources.paperlists.parse import FILE_NAME, parse_paperlist
from splitscope.sources.reading import read_input
from splitscope.store import connect
from splitscope.store.write import replace_sources


def load_labelled(paths: list[Path], shared_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The given paper lists in a throwaway in-memory store, parsed exactly as `build` parses them; with
    `shared_dir`, each one's openreview-authors file from that bundle (OpenReview ids) too."""
    con = connect(":memory:")
    for path in paths:
        match = FILE_NAME.match(path.name)
        if not match:
            raise UnusableInputError(f"{path}: not a papercopilot file name (<venue><year>.json[.gz])")
        venue, year = match["venue"], int(match["year"])
        parsed = parse_paperlist(read_input(path, str(path)), venue, year)
        batches = []
        authors = (
            openreview_authors.find_file(shared_dir / "openreview-authors", venue, year)
            if shared_dir
            else None
        )
        if authors is not None:
            extra = openreview_authors.parse_openreview_authors(
                read_input(authors, str(authors)), venue, year, parsed
            )
            batches.append((extra.freeze(), None))  # the authors file reads the paper list's rows: first
        replace_sources(con, [(parsed.batch.freeze(), None), *batches])
    return con


def evaluate_affiliations(paths: list[Path], resolver: AffiliationResolver) -> dict[str, Any]:
    """`splitscope eval affiliations`: `resolver` against the country labels of the given paper lists."""
    return affiliations_evaluation.evaluate_store(load_labelled(paths), resolver)


def duplicate_profiles(paths: list[Path], shared_dir: Path | None) -> dict[str, str]:
    """One researcher's OpenReview profiles that OpenReview never merged, as a shared ORCID, Google
    Scholar or DBLP link and the same name in the openreview-authors files of `paths` show them
    (sources/openreview/profile_links.py): the truth `eval persons` also scores against."""
    links: dict[str, set[str]] = {}
    for path in paths:
        match = FILE_NAME.match(path.name)
        if not (shared_dir and match):
            continue
        found = openreview_authors.find_file(
            shared_dir / "openreview-authors", match["venue"], int(match["year"])
        )
        if found is not None:
            for profile, named in profile_links(read_input(found, str(found))).items():
                links.setdefault(profile, set()).update(named)
    return same_researcher(links)


def evaluate_persons(
    paths: list[Path],
    shared_dir: Path | None,
    resolver: AffiliationResolver,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> dict[str, Any]:
    """`splitscope eval persons`: link the given paper lists with their OpenReview ids (from the
    openreview-authors files of `shared_dir`) hidden, all files together and, for several files, each
    on its own."""
    if not paths:
        raise UnusableInputError("give at least one paper-list file with OpenReview ids")

    def resolved(files: list[Path]) -> duckdb.DuckDBPyConnection:
        con = load_labelled(files, shared_dir)
        resolve_affiliations(con, resolver)
        return con

    def one_by_one() -> Iterator[tuple[str, duckdb.DuckDBPyConnection]]:
        for path in paths:  # loaded as they are scored: one file's store at a time
            yield str(path), resolved([path])

    folds = duplicate_profiles(paths, shared_dir)
    result = persons_evaluation.evaluate_store(resolved(paths), [str(p) for p in paths], thresholds, folds)
    if len(paths) > 1:
        within_file, notes = persons_evaluation.evaluate_within_files(one_by_one(), thresholds, folds)
        result["notes"] += notes
        result["within_file"] = within_file
    return result
