"""Plain sentences for what the page cannot show: what is missing, why, and what to run.

The page never shows an exception's class or message: the analyses' own error text goes to
`data/unavailable.json` and `splitscope report --json`, and the page points there.
"""

from __future__ import annotations

from splitscope.report.gather import Gathered

DETAILS = "the analysis's own message is in data/unavailable.json"


def provider_sentence(label: str, gathered: Gathered) -> str:
    """Why one analysis did not run, in plain words."""
    if gathered.failure_kind.get(label) == "input":
        return (
            f"The {label} analysis did not run: this store lacks data it needs ({DETAILS}; "
            "`splitscope status` shows what the store holds)."
        )
    return f"The {label} analysis stopped with an internal error, which is a bug ({DETAILS})."


def chart_missing(table: str, gathered: Gathered) -> str:
    """Why a chart's table is absent: the analysis that did not run, or that none returned it."""
    labels = gathered.providers_of(table)
    if labels:
        return f"the {' and '.join(labels)} analysis did not run on this store (see Data quality)."
    return (
        f"no analysis returned the table {table}; run `splitscope report --json` to see what each returned."
    )


def empty_section(section_when_empty: str, tables: list[str], reasons: list[str], gathered: Gathered) -> str:
    """One paragraph for a section with nothing to draw. A section that knows what feeds it (its
    `when_empty`) says so when its analyses lacked input; otherwise the first reason, plainly."""
    failed = {label for table in tables for label in gathered.providers_of(table)}
    if section_when_empty and all(gathered.failure_kind.get(label) == "input" for label in failed):
        return section_when_empty
    if failed:
        return " ".join(provider_sentence(label, gathered) for label in sorted(failed))
    why = "; ".join(dict.fromkeys(reasons)) or "its tables are empty"
    return (
        f"Nothing to draw here for this selection: {why.rstrip('.')}. `splitscope status` shows which "
        "venues and years the store holds; `splitscope report --venues … --years …` selects others."
    )
