"""talent and collab: the two analysis families, over a built store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from splitscope.analysis.bootstrap import DEFAULT_RESAMPLES
from splitscope.analysis.collab.export import collab_document, headline, write_collab_csv
from splitscope.analysis.collab.tables import collab_tables
from splitscope.analysis.metric_table import MetricTable
from splitscope.analysis.talent.tables import REQUIRED_TABLES, talent_headline, talent_json, talent_tables
from splitscope.config import Settings
from splitscope.errors import UnusableInputError
from splitscope.selection import Selection
from splitscope.store import open_store


@dataclass(frozen=True)
class TalentOptions:
    cohort: str = "all"  # all | top
    origin: str = "first-observed"  # first-observed | education
    include_careers: bool = False
    resamples: int = DEFAULT_RESAMPLES


@dataclass
class TalentResult:
    tables: dict[str, MetricTable]

    def to_dict(self) -> dict[str, Any]:
        first = next(iter(self.tables.values()), None)
        return talent_json(self.tables, first.filters if first else {})

    def write(self, folder: Path) -> list[Path]:
        """Every table as <name>.csv and <name>.parquet under folder."""
        return [path for table in self.tables.values() for path in table.write(folder)]

    def headline(self) -> list[dict[str, Any]]:
        """US and CN work shares and US↔CN moves per year, for the terminal."""
        return talent_headline(self.tables)


def talent(
    settings: Settings, selection: Selection, options: TalentOptions = TalentOptions()
) -> TalentResult:
    """`splitscope talent`: careers, balance, flows, moves, returns, retention, sectors, concentration."""
    con = open_store(settings.db_path, require=REQUIRED_TABLES)
    try:
        tables = talent_tables(
            con,
            selection,
            options.cohort,
            options.origin,
            resamples=options.resamples,
            include_careers=options.include_careers,
        )
    finally:
        con.close()
    return TalentResult(tables)


@dataclass(frozen=True)
class CollabOptions:
    topic: str | None = None  # a preset (llm) or comma-separated phrases
    window: int = 3  # years per tie/network window (China scope, basis, panel: the Selection)
    persons: str = "auto"  # auto | linked | openreview
    resamples: int = DEFAULT_RESAMPLES


@dataclass
class CollabResult:
    tables: dict[str, MetricTable]

    def to_dict(self) -> dict[str, Any]:
        return collab_document(self.tables)

    def write(self, folder: Path) -> list[Path]:
        """Every table as CSV and Parquet, plus collab.meta.json (filters, coverage, notes)."""
        return write_collab_csv(self.tables, folder)

    def headline(self) -> list[dict[str, Any]]:
        """US-CN paper share per year over all selected venues, for the terminal."""
        return headline(self.tables)


def collab(
    settings: Settings, selection: Selection, options: CollabOptions = CollabOptions()
) -> CollabResult:
    """`splitscope collab`: US-CN paper shares, pair strength, tie persistence, institution pairs."""
    con = open_store(settings.db_path)
    try:
        if not con.execute("select count(*) from papers").fetchone()[0]:  # type: ignore[index]
            raise UnusableInputError(
                f"{settings.db_path}: the store holds no papers; run `splitscope build` first"
            )
        tables = collab_tables(
            con,
            selection,
            options.topic,
            options.window,
            persons=options.persons,
            resamples=options.resamples,
        )
    finally:
        con.close()
    return CollabResult(tables)
