"""What the report shows, as data: sections, the metric tables behind each chart, and the headlines.

Table names are those the analysis functions return (MetricTable.name). A chart whose table is missing,
or lacks a column, renders as "not available: <why>" instead of failing the report. Columns left as None
are inferred from the table (x: `year`; y: the first column with `_ci_low`/`_ci_high` bounds; colour: the
remaining text columns), so a renamed value column degrades to a sensible chart rather than a gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CHART_KINDS = ("line", "bar", "sankey", "heatmap", "table")


@dataclass(frozen=True)
class Chart:
    table: str
    kind: str = "line"
    x: str | None = None
    y: str | None = None
    color: str | None = None
    where: dict[str, Any] = field(default_factory=dict)
    caption: str = ""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class Headline:
    """One computed sentence: the first and last x values of a value column for the selected rows."""

    label: str
    table: str
    value: str
    where: dict[str, Any] = field(default_factory=dict)
    x: str = "year"
    percent: bool = True


HEADLINES: tuple[Headline, ...] = (
    Headline(
        "US–China co-authored share of papers", "collab.us_cn_share", "us_cn_share", {"counting": "full"}
    ),
    Headline(
        "Share of researchers working in the US", "talent.work_country_share", "share", {"country": "US"}
    ),
    Headline(
        "Share of researchers working in China", "talent.work_country_share", "share", {"country": "CN"}
    ),
    Headline(
        "Researchers first observed in China still in China later",
        "talent.retention",
        "retention_rate",
        {"origin_country": "CN"},
        x="cohort",
    ),
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "talent-balance",
        "Talent balance over time",
        "Where authors of accepted papers work each year (country of their resolved affiliation), and the "
        "country where each researcher was first observed.",
        (
            Chart("talent.work_country_share", "line", caption="Share of researchers by work country"),
            Chart(
                "talent.first_observed_country_share",
                "line",
                caption="Share of researchers by first-observed country (not nationality)",
            ),
        ),
    ),
    Section(
        "flows",
        "Origin → work flows",
        "Researchers counted from the country where they were first observed to the country where they were "
        "last observed working.",
        (
            Chart(
                "talent.origin_work_flows", "sankey", caption="First-observed country → latest work country"
            ),
        ),
    ),
    Section(
        "moves",
        "Moves and returns per year",
        "A move is a change of observed work country between consecutive observations of the same person; "
        "a return is a move back to the first-observed country. US↔CN first.",
        (
            Chart("talent.moves_per_year", "bar", caption="Moves per year by route"),
            Chart("talent.moves", "line", caption="Move rate out of a country, by first-observed country"),
            Chart("talent.returns_per_year", "bar", caption="Returns to the first-observed country per year"),
        ),
    ),
    Section(
        "retention",
        "Retention by cohort",
        "Of the researchers first observed in a given year and country, the share still observed there "
        "later.",
        (Chart("talent.retention", "line", x="cohort", caption="Retention rate by first-observed cohort"),),
    ),
    Section(
        "collaboration",
        "Collaboration",
        "Papers with both US- and China-affiliated authors. Full counting gives each such paper 1; "
        "fractional counting weights it by the authors' shares. Affinity compares observed co-authorship "
        "to chance.",
        (
            Chart("collab.us_cn_share", "line", caption="US–China co-authored share, full vs fractional"),
            Chart(
                "collab.country_affinity", "heatmap", caption="Country-pair affinity (observed / expected)"
            ),
        ),
    ),
    Section(
        "ties",
        "Tie persistence",
        "Of the co-author pairs active in one window, the share still co-authoring in the next.",
        (Chart("collab.tie_persistence", "line", caption="Tie persistence by country pair"),),
    ),
    Section(
        "concentration",
        "Concentration, academia and industry",
        "How much of the (top) talent sits in a few organisations, and the academic / industry split.",
        (
            Chart(
                "concentration.top_org_share", "line", caption="Share held by the ten largest organisations"
            ),
            Chart("talent.sector_share", "line", caption="Academia vs industry share of authorships"),
            Chart("concentration.top_orgs", "table", caption="Largest organisations"),
        ),
    ),
    Section(
        "llm",
        "Topic slice: large language models",
        "The collaboration measures restricted to papers on large language models (keyword match, see "
        "notes).",
        (Chart("collab.us_cn_share__llm", "line", caption="US–China share, LLM papers"),),
    ),
)
