"""Every collaboration table for a selection: who co-authors across borders, how strongly, and which
co-author ties persist.

Entry point: `collab_tables(con, selection, topic=None, window=3)`, returning every collaboration
MetricTable by stable name. The selection carries how trends are measured (chain-linked panel or raw
mix, coverage gate, site/hq, China scope, affiliation bases). Definitions live in docs/collaboration.md.
"""

from __future__ import annotations

import duckdb

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES
from splitscope.analysis.collab.networks import network_tables
from splitscope.analysis.collab.panel_mix import apply_panel
from splitscope.analysis.collab.paper_counts import paper_frames, paper_tables
from splitscope.analysis.collab.paper_sets import drop_paper_sets, prepare_paper_sets
from splitscope.analysis.collab.strength import pair_strength_table
from splitscope.analysis.collab.ties import tie_tables
from splitscope.analysis.collab.topics import TopicQuery, topic_query
from splitscope.analysis.coverage import TrendPanel, venue_years_table
from splitscope.analysis.metric_table import MetricTable
from splitscope.analysis.panels import venues_by_year
from splitscope.errors import UnusableInputError
from splitscope.selection import Selection


def collab_tables(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    topic: str | TopicQuery | None = None,
    window: int = 3,
    *,
    persons: str = "auto",
    resamples: int = DEFAULT_RESAMPLES,
) -> dict[str, MetricTable]:
    """Every collaboration table for the selection (and topic slice), keyed by table name."""
    query = topic_query(topic)
    if window < 1:
        raise UnusableInputError(f"--window: {window} is not a positive number of years")
    panel = TrendPanel.of(con, selection)
    filters = {**_filters(selection, query, window), **panel.filters(paper_level=True)}
    counts = prepare_paper_sets(con, selection, query, panel.paper_gated)
    try:
        frames = paper_frames(con)
        tables = paper_tables(con, counts, filters, resamples, frames)
        gated = venues_by_year(panel.coverage, "paper_gated_in")
        author_gated = venues_by_year(panel.coverage, "gated_in")
        by_venue = apply_panel(tables, *frames, gated, selection.aggregate, resamples, author_gated)
        for table in tables[:2]:
            table.notes += " " + panel.note(paper_level=True)
        tables.append(by_venue)
        tables.append(venue_years_table(panel, "collab.venue_years"))
        tables.append(pair_strength_table(con, counts, filters, resamples))
        tables.extend(tie_tables(con, selection, window, filters, persons=persons, resamples=resamples))
        tables.extend(network_tables(con, selection, window, counts, filters))
    finally:
        drop_paper_sets(con)
    return {table.name: table for table in tables}


def _filters(selection: Selection, topic: TopicQuery | None, window: int) -> dict:
    return {
        **selection.to_dict(),
        "accepted_only": True,
        "topic": topic.to_dict() if topic else None,
        "window_years": window,
    }
