"""Institution network: organisation pairs that co-author papers, per window.

A node is (org_id, country) as resolved for the paper (author basis, else paper basis, as for country
sets): the country is where the affiliation says the work was done, so a company's US and CN labs are
two nodes. An edge joins two nodes on the same paper; its weight is the number of distinct papers.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from splitscope.analysis.collab.paper_sets import PaperSetCounts
from splitscope.analysis.collab.ties import pair_label_sql, selection_windows
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.selection import Selection

TOP_PAIRS_PER_CLASS = 25
CROSS_BORDER_CLASSES = ("US-CN", "US-other", "CN-other")

_EDGES_SQL = """
with windows as (select * from (values {values}) w(window_label, first_year, last_year)),
nodes as (
    select w.window_label, n.paper_id, n.org_id, n.country
    from collab_paper_node n join collab_papers p using (paper_id)
    join windows w on p.year between w.first_year and w.last_year
),
edges as (
    select a.window_label, a.org_id as org_1, a.country as c1, b.org_id as org_2, b.country as c2,
           count(distinct a.paper_id) as papers
    from nodes a join nodes b
      on a.paper_id = b.paper_id and a.window_label = b.window_label
     and (a.org_id, a.country) < (b.org_id, b.country)
    group by all
),
labelled as (select *, {label} as label from edges)
-- Orient each pair as its label reads (US node first, else CN), so org_a is the focus side.
select window_label,
       case when label = c1 || '-' || c2 then org_1 else org_2 end as org_a,
       case when label = c1 || '-' || c2 then c1 else c2 end as country_a,
       case when label = c1 || '-' || c2 then org_2 else org_1 end as org_b,
       case when label = c1 || '-' || c2 then c2 else c1 end as country_b,
       papers,
       case when label in ('US-CN', 'US-US', 'CN-CN') then label
            when label like 'US-%' then 'US-other'
            when label like 'CN-%' then 'CN-other'
            else 'other' end as pair_class
from labelled
order by all
"""

_SUMMARY_SQL = """
with windows as (select * from (values {values}) w(window_label, first_year, last_year)),
papers as (
    select w.window_label, p.paper_id from collab_papers p
    join windows w on p.year between w.first_year and w.last_year
),
node_counts as (
    select paper_id, count(*) as nodes from collab_paper_node group by paper_id
)
select p.window_label, count(*) as papers_selected,
       count(n.paper_id) as papers_with_org,
       count(*) filter (where n.nodes >= 2) as papers_multi_org
from papers p left join node_counts n using (paper_id)
group by p.window_label
order by p.window_label
"""


def network_tables(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    window: int,
    counts: PaperSetCounts,
    filters: dict,
) -> list[MetricTable]:
    spans = selection_windows(con, selection, window)
    values = ", ".join(f"('{a}-{b}', {a}, {b})" for a, b in spans) or "('none', 0, -1)"
    edges = con.execute(_EDGES_SQL.format(values=values, label=pair_label_sql("c1", "c2"))).df()
    summary = con.execute(_SUMMARY_SQL.format(values=values)).df()
    names = dict(con.execute("select org_id, name from orgs").fetchall())
    coverage = Coverage(
        "papers", int(summary["papers_selected"].sum()), int(summary["papers_with_org"].sum())
    )
    return [
        MetricTable(
            "collab.org_network",
            "Institution co-authorship network per window",
            _summary_frame(summary, edges),
            coverage,
            filters,
            "Nodes are (org, country) pairs; edges join two nodes on one paper. Coverage: papers with at "
            "least one resolved organisation, over papers in complete windows.",
        ),
        MetricTable(
            "collab.org_pairs",
            f"Top {TOP_PAIRS_PER_CLASS} cross-border organisation pairs per window and class",
            _top_pairs(edges, names),
            coverage,
            filters,
            "Classes: US-CN (a US node and a CN node), US-other, CN-other. Ranked by co-authored papers; "
            "ties in rank broken by organisation id.",
        ),
    ]


def _summary_frame(summary: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    cross = edges[edges["country_a"] != edges["country_b"]]
    us_cn = edges[edges["pair_class"] == "US-CN"]
    per_window = pd.DataFrame(
        {
            "org_pairs": edges.groupby("window_label").size(),
            "cross_border_org_pairs": cross.groupby("window_label").size(),
            "us_cn_org_pairs": us_cn.groupby("window_label").size(),
        }
    )
    frame = summary.merge(per_window, left_on="window_label", right_index=True, how="left").fillna(0)
    frame = frame.rename(columns={"window_label": "window"}).sort_values("window")
    for column in frame.columns[1:]:
        frame[column] = frame[column].astype(int)
    return frame.reset_index(drop=True)


def _top_pairs(edges: pd.DataFrame, names: dict) -> pd.DataFrame:
    chosen = edges[edges["pair_class"].isin(CROSS_BORDER_CLASSES)]
    chosen = chosen.sort_values(
        ["window_label", "pair_class", "papers", "org_a", "org_b"], ascending=[True, True, False, True, True]
    )
    top = chosen.groupby(["window_label", "pair_class"], sort=False).head(TOP_PAIRS_PER_CLASS)
    top = top.assign(name_a=top["org_a"].map(names), name_b=top["org_b"].map(names))
    top = top.rename(columns={"window_label": "window"})
    columns = [
        "window",
        "pair_class",
        "org_a",
        "name_a",
        "country_a",
        "org_b",
        "name_b",
        "country_b",
        "papers",
    ]
    return top[columns].reset_index(drop=True)
