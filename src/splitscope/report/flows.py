"""The origin → work Sankey: the largest origins and destinations, the US and China always, the rest as
"other" on each side, so the diagram has at most 2 × MAX_SIDE nodes instead of one per country."""

from __future__ import annotations

from typing import Any

import pandas as pd

from splitscope.report.series import OTHER, lead_rank

MAX_SIDE = 12  # nodes per side, "other" included: the US, China, nine more, other
COLUMNS = {
    "source": ("origin_country", "first_observed_country", "source", "from_country"),
    "target": ("work_country", "latest_country", "target", "to_country"),
    "value": ("researchers", "n", "count", "value"),
}
NODE_COLOURS = {"US": "#2b5fad", "CN": "#d1342f", OTHER: "#9aa0a6"}
LINK_COLOURS = {"US": "rgba(43,95,173,0.35)", "CN": "rgba(209,52,47,0.35)"}
DEFAULT_NODE, DEFAULT_LINK = "#7d8793", "rgba(125,135,147,0.25)"


def sankey_figure(frame: pd.DataFrame) -> tuple[dict[str, Any], list[str]]:
    """Raises ValueError with the reason when the table has no source/target/value columns."""
    names = {
        role: next((c for c in options if c in frame.columns), None) for role, options in COLUMNS.items()
    }
    missing = [role for role, column in names.items() if column is None]
    if missing:
        raise ValueError(
            f"a Sankey needs {', '.join(missing)} columns (the table has {', '.join(frame.columns)})"
        )
    source, target, value = (str(names[r]) for r in ("source", "target", "value"))
    links = frame[[source, target, value]].dropna()
    links = links.assign(**{source: links[source].astype(str), target: links[target].astype(str)})
    notes: list[str] = []
    kept_sources = _largest(links, source, value)
    kept_targets = _largest(links, target, value)
    for side, column, kept in (("origins", source, kept_sources), ("destinations", target, kept_targets)):
        named = [k for k in kept if k != OTHER]
        folded = links[column].nunique() - len(named)
        if folded > 0:
            notes.append(
                f"Drawn: {len(named)} {side}, the US and China always; "
                f"{folded} smaller {side} summed as “other”."
            )
    links = links.assign(
        _from=links[source].where(links[source].isin(kept_sources), OTHER),
        _to=links[target].where(links[target].isin(kept_targets), OTHER),
    )
    flows = links.groupby(["_from", "_to"], as_index=False)[value].sum()
    flows = flows[flows[value] > 0]
    sources = [s for s in _ordered(kept_sources) if s in set(flows["_from"])]
    targets = [t for t in _ordered(kept_targets) if t in set(flows["_to"])]
    labels = [f"{s} (first observed)" for s in sources] + [f"{t} (works)" for t in targets]
    index = {("from", s): i for i, s in enumerate(sources)}
    index.update({("to", t): len(sources) + i for i, t in enumerate(targets)})
    trace = {
        "type": "sankey",
        "arrangement": "snap",
        "node": {
            "label": labels,
            "pad": 10,
            "color": [NODE_COLOURS.get(c, DEFAULT_NODE) for c in [*sources, *targets]],
        },
        "link": {
            "source": [index[("from", s)] for s in flows["_from"]],
            "target": [index[("to", t)] for t in flows["_to"]],
            "value": [round(float(v), 2) for v in flows[value]],
            "color": [LINK_COLOURS.get(s, DEFAULT_LINK) for s in flows["_from"]],
            "hovertemplate": "%{source.label} → %{target.label}<br>"
            + f"{value} %{{value:,.0f}}<extra></extra>",
        },
    }
    return {"data": [trace], "layout": {"height": 560}}, notes


def _largest(links: pd.DataFrame, column: str, value: str) -> list[str]:
    totals = links.groupby(column)[value].sum().sort_values(ascending=False)
    lead = [c for c in ("US", "CN") if c in totals.index]
    # "unknown" is not a place: it joins "other" rather than taking a node of its own.
    others = [c for c in totals.index if c not in lead and c != OTHER and lead_rank(c) < 6]
    if len(lead) + len(others) == len(totals) and len(totals) <= MAX_SIDE:
        return [*lead, *others]
    return [*lead, *others[: MAX_SIDE - 1 - len(lead)], OTHER]


def _ordered(kept: list[str]) -> list[str]:
    # The US and China on top, "other" at the bottom, the rest by size in between (the order given).
    return [k for k in kept if k != OTHER] + ([OTHER] if OTHER in kept else [])
