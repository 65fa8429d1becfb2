"""Every collaboration table for a selection: who co-authors across borders, how strongly, and which
co-author ties persist.

Entry point: `collab_tables(con, selection, topic=None, window=3, grouping=None)`, returning every
collaboration MetricTable by stable name. Definitions live in docs/collaboration.md.
"""

from __future__ import annotations

import duckdb

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES
from splitscope.analysis.collab.networks import network_tables
from splitscope.analysis.collab.paper_counts import paper_tables
from splitscope.analysis.collab.paper_sets import drop_paper_sets, prepare_paper_sets
from splitscope.analysis.collab.strength import pair_strength_table
from splitscope.analysis.collab.ties import tie_tables
from splitscope.analysis.collab.topics import TopicQuery, topic_query
from splitscope.analysis.metric_table import MetricTable
from splitscope.errors import UnusableInputError
from splitscope.selection import Selection


def collab_tables(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    topic: str | TopicQuery | None = None,
    window: int = 3,
    grouping: str | None = None,
    *,
    persons: str = "auto",
    resamples: int = DEFAULT_RESAMPLES,
) -> dict[str, MetricTable]:
    """Every collaboration table for the selection (and topic slice), keyed by table name."""
    query = topic_query(topic)
    if window < 1:
        raise UnusableInputError(f"--window: {window} is not a positive number of years")
    filters = _filters(selection, query, window, grouping)
    counts = prepare_paper_sets(con, selection, query, grouping)
    try:
        tables = paper_tables(con, counts, filters, resamples)
        tables.append(pair_strength_table(con, counts, filters, resamples))
        tables.extend(tie_tables(con, selection, window, filters, persons=persons, resamples=resamples))
        tables.extend(network_tables(con, selection, window, counts, filters))
    finally:
        drop_paper_sets(con)
    return {table.name: table for table in tables}


def _filters(selection: Selection, topic: TopicQuery | None, window: int, grouping: str | None) -> dict:
    return {
        **selection.to_dict(),
        "accepted_only": True,
        "topic": topic.to_dict() if topic else None,
        "window_years": window,
        "country_grouping": grouping or "none (ISO alpha-2; HK, MO, TW separate)",
    }
