"""What the report shows, as data: sections, the metric tables behind each chart, and the headlines.

Table names are those the analysis functions return (MetricTable.name). A chart whose table is missing,
or lacks a column, renders as "not available: <why>" instead of failing the report. Columns left as None
are inferred from the table (x: `year`; y: the first column with `_ci_low`/`_ci_high` bounds; colour: the
remaining text columns), so a renamed value column degrades to a sensible chart rather than a gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from splitscope.report.series import MAX_INTERVAL, MAX_SERIES, MIN_N

CHART_KINDS = ("line", "bar", "sankey", "heatmap", "table")


@dataclass(frozen=True)
class Chart:
    """One chart. Series rules (report/series.py): groups ranked by `weight`, points over fewer than
    `min_n` units of `n` not drawn, at most `max_series` groups, the rest folded per `fold`."""

    table: str
    kind: str = "line"
    x: str | None = None
    y: str | None = None
    color: str | None = None
    where: dict[str, Any] = field(default_factory=dict)
    caption: str = ""
    x_title: str = ""
    y_title: str = ""
    weight: str | None = None
    n: str | None = None
    min_n: int = MIN_N
    max_interval: float | None = MAX_INTERVAL  # None: draw every interval (a claim's evidence)
    max_series: int = MAX_SERIES
    fold: str = "auto"
    # A table with the same columns plus a leading `venue_group`: the page offers a venue selector.
    by_venue: str | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    charts: tuple[Chart, ...]
    # When none of the charts can be drawn: what the section needs, and the command that brings it.
    when_empty: str = ""


@dataclass(frozen=True)
class Headline:
    """One computed sentence: the first and last x values of a value column for the selected rows."""

    label: str
    table: str
    value: str
    where: dict[str, Any] = field(default_factory=dict)
    x: str = "year"
    percent: bool = True


ALL_PAPERS = {"scope": "all", "cohort": "all"}  # collab tables: every venue of the selection, all papers
US_CN = ["US", "CN"]

HEADLINES: tuple[Headline, ...] = (
    Headline(
        "US–China co-authored share of papers",
        "collab.paper_mix",
        "share",
        {**ALL_PAPERS, "category": "us_cn"},
    ),
    Headline(
        "Share of researchers working in the US", "talent.work_country_share", "share", {"country": "US"}
    ),
    Headline(
        "Share of researchers working in China", "talent.work_country_share", "share", {"country": "CN"}
    ),
    Headline(
        "Researchers first observed in China and last observed there",
        "talent.retention",
        "retention",
        {"origin_country": "CN"},
        x="cohort",
    ),
    Headline(
        "Share of top-tier US researchers in the ten largest US organisations",
        "talent.concentration__top",
        "top10_share",
        {"country": "US"},
    ),
)

# Tables exported to data/ but not displayed: person-level rows belong in the CSV, not in a policy report.
EXPORT_ONLY_SUFFIXES = ("_detail", ".careers")

# docs/openreview.md, "Cost of a real fetch": NeurIPS 2024 is about 204 requests at one per 3 s.
EDUCATION_MISSING = (
    "This store has no education records, so no researcher has an education-based origin yet. They come "
    "from OpenReview profiles, which paper lists do not carry. To add them, run "
    "`splitscope openreview fetch NeurIPS.cc/2024/Conference` (about 10 minutes at the default one "
    "request every 3 seconds: about 204 requests for NeurIPS 2024's 19,802 author profiles), then "
    "`splitscope build` and `splitscope report` again."
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "talent-balance",
        "Talent balance over time",
        "Where authors of accepted papers work each year (country of their resolved affiliations, fractional "
        "per researcher-year), and the country where each researcher was first observed.",
        (
            Chart(
                "talent.work_country_share",
                "line",
                y="share",
                color="country",
                caption="Share of researchers by work country",
                y_title="share of researchers",
                by_venue="talent.work_country_by_venue",
            ),
            Chart(
                "talent.origin_share",
                "line",
                y="share",
                color="origin_country",
                caption="Share of researchers by first-observed country (not nationality)",
                y_title="share of researchers",
            ),
        ),
    ),
    Section(
        "flows",
        "Origin → work flows",
        "Researchers counted from the country where they were first observed to the country where they were "
        "last observed working.",
        (Chart("talent.origin_work_flow", "sankey", caption="First-observed country → latest work country"),),
    ),
    Section(
        "education-origin",
        "Education-based origin (MacroPolo-style)",
        "Origin as the country of a researcher's first bachelor-level degree (else first degree), read from "
        "OpenReview profiles; only researchers with education data are counted, so check the coverage. "
        "Work country as above; for papers that print no affiliation, a dated profile position covering the "
        "paper's year.",
        when_empty=EDUCATION_MISSING,
        charts=(
            Chart(
                "talent.origin_work_flow__edu",
                "sankey",
                caption="Undergraduate country → latest work country",
            ),
            Chart(
                "talent.origin_work_by_year__edu",
                "line",
                y="share",
                color="work_country",
                where={"origin_country": "CN", "work_country": US_CN},
                caption="China-undergrad researchers: share working in the US and in China, per year",
            ),
        ),
    ),
    Section(
        "moves",
        "Moves and returns per year",
        "A move is a confirmed change of majority work country between observations of the same person (a "
        "one-year visit is not a move); a return is a later move back to the first-observed country.",
        (
            Chart(
                "talent.moves",
                "bar",
                y="moves",
                where={"from_country": US_CN, "to_country": US_CN},
                caption="US↔CN moves per year",
            ),
            Chart(
                "talent.moves",
                "line",
                y="moves",
                caption="Moves per year: routes between the US and China first, then the largest others",
                max_series=6,
            ),
            Chart(
                "talent.returns",
                "bar",
                y="return_share",
                x="via_country",
                color="origin_country",
                where={"origin_country": US_CN},
                caption="Researchers first observed in the US or China who left: share who came back, by "
                "the country they went to",
                x_title="country they went to",
                y_title="share who came back",
                fold="none",
            ),
        ),
    ),
    Section(
        "retention",
        "Retention by cohort",
        "Of the researchers first observed in a given year and country, the share last observed in the same "
        "country. Later cohorts have had less time to leave, so their retention is biased upwards.",
        (
            Chart(
                "talent.retention",
                "line",
                x="cohort",
                y="retention",
                color="origin_country",
                caption="Retention by cohort: the US, China and the three largest other origins",
                max_series=5,
                y_title="share still in the country",
            ),
            Chart(
                "talent.retention_pooled",
                "bar",
                x="origin_country",
                y="retention",
                caption="Retention, all cohorts pooled",
                x_title="first-observed country",
                y_title="share still in the country",
            ),
        ),
    ),
    Section(
        "collaboration",
        "Collaboration",
        "Papers by US/CN presence (shares of papers with at least one resolved country). Full counting gives "
        "a paper 1 for every country among its authors; fractional counting splits 1 across its authors. "
        "Affinity compares a country pair's co-authored papers to what their sizes would predict.",
        (
            Chart(
                "collab.paper_mix",
                "line",
                y="share",
                color="category",
                where=ALL_PAPERS,
                caption="Papers by US/CN presence (us_cn = at least one US and one CN author)",
                y_title="share of papers",
                by_venue="collab.paper_mix_by_venue",
            ),
            Chart(
                "collab.country_counts",
                "line",
                y="share_full",
                color="country",
                where={**ALL_PAPERS, "country": US_CN},
                caption="US and CN share of papers, full counting",
            ),
            Chart(
                "collab.country_counts",
                "line",
                y="share_fractional",
                color="country",
                where={**ALL_PAPERS, "country": US_CN},
                caption="US and CN share of papers, fractional counting",
            ),
            Chart(
                "collab.pair_strength",
                "line",
                y="affinity",
                where={"country_i": US_CN},
                caption="Affinity index of country pairs with the US or CN",
                n="international_papers_i",
                weight="papers_ij",
                fold="none",
            ),
        ),
    ),
    Section(
        "ties",
        "Tie persistence",
        "Of the co-author pairs active in one window of years, the share still co-authoring in the next.",
        (
            Chart(
                "collab.tie_transitions",
                "line",
                x="window_to",
                y="persistence_rate",
                color="pair_class",
                # Pairs with a person of unknown country are left to the CSV: they are not a class.
                where={"pair_class": ["US-CN", "US-US", "CN-CN", "US-other", "CN-other", "other"]},
                caption="Tie persistence by pair class: share of co-author pairs of one window still "
                "co-authoring in the next",
                x_title="later window (pairs formed in the window before)",
                y_title="share of pairs persisting",
                n="ties_from",
                fold="none",
            ),
        ),
    ),
    Section(
        "concentration",
        "Concentration, academia and industry",
        "Share of a country's researchers in its ten largest organisations (all authors and top-tier "
        "authors), and the academia / industry split.",
        (
            Chart(
                "talent.concentration",
                "line",
                y="top10_share",
                color="country",
                where={"country": US_CN},
                caption="Share of researchers in the ten largest organisations (all authors)",
            ),
            Chart(
                "talent.concentration__top",
                "line",
                y="top10_share",
                color="country",
                where={"country": US_CN},
                caption="Share of top-tier researchers in the ten largest organisations",
            ),
            Chart(
                "talent.sector_share",
                "line",
                y="share",
                where={"country": US_CN, "sector": ["education", "company"]},
                caption="Academia and industry shares of US and CN researchers (other sectors in the CSV)",
                y_title="share of researchers",
            ),
        ),
    ),
    Section(
        "llm",
        "Topic slice: large language models",
        "The collaboration measures restricted to papers whose title or keywords name large language models "
        "(the `llm` topic preset of the collaboration analysis).",
        (
            Chart(
                "collab.paper_mix__llm",
                "line",
                y="share",
                color="category",
                where=ALL_PAPERS,
                caption="LLM papers by US/CN presence",
            ),
            Chart(
                "collab.country_counts__llm",
                "line",
                y="share_full",
                color="country",
                where={**ALL_PAPERS, "country": US_CN},
                caption="US and CN share of LLM papers, full counting",
            ),
        ),
    ),
)
