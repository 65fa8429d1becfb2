"""Data quality: the tables the report derives from analysis tables (never from raw store tables), and
the charts of the data-quality section."""

from __future__ import annotations

import pandas as pd

from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.report.sections import Chart


def derived_quality_tables(tables: dict[str, MetricTable]) -> list[MetricTable]:
    derived = [_country_coverage(tables.get("collab.paper_mix")), _researcher_coverage(tables)]
    return [table for table in derived if table is not None]


def _country_coverage(mix: MetricTable | None) -> MetricTable | None:
    """Papers with at least one resolved author country, per venue-year (from the collaboration mix)."""
    needed = {"scope", "cohort", "year", "papers_with_country", "papers_selected"}
    if mix is None or not needed <= set(mix.frame.columns):
        return None
    rows = mix.frame[(mix.frame["cohort"] == "all") & (mix.frame["scope"] != "all")]
    frame = (
        rows[["scope", "year", "papers_selected", "papers_with_country"]]
        .drop_duplicates(["scope", "year"])
        .rename(columns={"scope": "venue"})
        .sort_values(["venue", "year"])
        .reset_index(drop=True)
    )
    frame["share_with_country"] = frame["papers_with_country"] / frame["papers_selected"].where(
        frame["papers_selected"] > 0
    )
    return MetricTable(
        "quality.country_coverage",
        "Accepted papers with at least one resolved author country, per venue-year",
        frame,
        mix.coverage,
        dict(mix.filters),
        f"Derived from {mix.name} (papers_with_country / papers_selected, cohort all).",
    )


def _researcher_coverage(tables: dict[str, MetricTable]) -> MetricTable | None:
    """Researcher-years with a resolved work country, per year (from the talent balance table)."""
    work = tables.get("talent.work_country_share")
    if work is None or not {"year", "eligible", "covered"} <= set(work.frame.columns):
        return None
    frame = work.frame[["year", "eligible", "covered"]].drop_duplicates("year").sort_values("year")
    frame = frame.reset_index(drop=True)
    frame["share_covered"] = frame["covered"] / frame["eligible"].where(frame["eligible"] > 0)
    return MetricTable(
        "quality.researcher_country_coverage",
        "Researcher-years with a resolved work country, per year",
        pd.DataFrame(frame),
        Coverage(work.coverage.unit, work.coverage.eligible, work.coverage.covered),
        dict(work.filters),
        f"Derived from {work.name} (covered / eligible researcher-years). {work.notes}".strip(),
    )


# Data quality: charts for the tables store status and the report's derived quality tables provide. Any
# other status.* / eval.* / quality.* table is shown as a table after these.
QUALITY_CHARTS: tuple[Chart, ...] = (
    Chart("status.summary", "table", caption="The store: totals"),
    Chart(
        "status.venue_years",
        "heatmap",
        x="year",
        y="share_with_affiliation",
        color="venue",
        caption="Share of authorships with an affiliation string, per venue-year",
    ),
    Chart(
        "quality.country_coverage",
        "heatmap",
        x="year",
        y="share_with_country",
        color="venue",
        caption="Share of accepted papers with a resolved author country, per venue-year",
    ),
    Chart(
        "status.venue_years",
        "heatmap",
        x="year",
        y="share_with_openreview_id",
        color="venue",
        caption="Share of authorships with an OpenReview id (the hard evidence person links rest on)",
    ),
    Chart(
        "quality.researcher_country_coverage",
        "line",
        y="share_covered",
        caption="Share of researcher-years with a resolved work country",
    ),
    Chart(
        "status.venue_years",
        "table",
        caption="Sources read: papers, authorships and quarantine per venue-year",
    ),
)
