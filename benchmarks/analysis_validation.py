"""The figures of docs/validation.md, measured on a built store: each external figure's counterpart under
that source's own definitions, the coverage gate's sensitivity, and the 2010->2024 headline under the
default (chain-linked) and the raw mix.

    .venv/bin/python benchmarks/analysis_validation.py /tmp/i15.duckdb

Prints one block per figure; nothing is written. Takes a few minutes on the full corpus (two cores).
"""

from __future__ import annotations

import sys
from dataclasses import replace

import duckdb
import pandas as pd

from splitscope.analysis.collab.tables import collab_tables
from splitscope.analysis.coverage import TREND_COVERAGE_GATE, TrendPanel
from splitscope.analysis.talent.careers import CareerOptions, build_careers
from splitscope.analysis.talent.trends import work_country_tables
from splitscope.selection import Selection

RESAMPLES = 100  # point estimates are what is compared; intervals only need to exist
HEADLINE = Selection(years=(2010, 2024))


def work_shares(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """talent.work_country_share alone (the other talent tables are not needed here)."""
    panel = TrendPanel.of(con, selection)
    build_careers(con, CareerOptions(selection=selection, gated=panel.gated))
    return work_country_tables(con, panel, "all", RESAMPLES)[0].frame


def us_cn(frame: pd.DataFrame, year: int) -> str:
    rows = frame[frame["year"] == year].set_index("country")
    get = lambda c: rows["share"].get(c, float("nan"))  # noqa: E731
    return f"US {get('US'):.3f}  CN {get('CN'):.3f}"


def headline(con: duckdb.DuckDBPyConnection) -> None:
    print("## 2010 -> 2024 work shares, all venues")
    for label, selection in (
        ("default (chain-linked)", HEADLINE),
        ("raw mix", replace(HEADLINE, aggregate="raw")),
        ("raw mix, no gate (the old headline)", replace(HEADLINE, aggregate="raw", coverage_gate=0.0)),
        ("chain-linked, printed affiliations only", replace(HEADLINE, affiliation_bases=("paper",))),
    ):
        frame = work_shares(con, selection)
        print(f"{label:45s} 2010: {us_cn(frame, 2010)}   2024: {us_cn(frame, 2024)}")


def gate_sensitivity(con: duckdb.DuckDBPyConnection) -> None:
    print(f"## gate sensitivity (default gate {TREND_COVERAGE_GATE})")
    for gate in (0.0, 0.1, 0.3, 0.4, 0.5, 0.6, 0.7):
        selection = replace(HEADLINE, coverage_gate=gate)
        panel = TrendPanel.of(con, selection)
        frame = work_shares(con, selection)
        rows = frame[frame["country"].isin(["US", "CN"])].pivot(
            index="year", columns="country", values="share"
        )
        change = rows.loc[2024] - rows.loc[2010]
        print(
            f"gate {gate:.1f}: venue-years in {len(panel.gated):3d}; 2010 {us_cn(frame, 2010)}; "
            f"2024 {us_cn(frame, 2024)}; change US {change['US']:+.3f} CN {change['CN']:+.3f}"
        )


def macropolo(con: duckdb.DuckDBPyConnection) -> None:
    print("## MacroPolo 2.0: NeurIPS 2022 authors' work country (US 42%, CN 28%)")
    for basis in ("site", "hq"):
        for scope in ("mainland", "with-hk-mo"):
            selection = Selection(
                venues=("nips",), years=(2022, 2022), country_basis=basis, china_scope=scope
            )
            frame = work_shares(con, selection)
            print(f"basis {basis:4s} China {scope:10s}: {us_cn(frame, 2022)}")
    print("## MacroPolo 2019: NeurIPS 2019 (US 59%, CN 11%); the bundle has no NeurIPS 2019 affiliations")
    for year in (2018, 2019):
        frame = work_shares(con, Selection(venues=("nips",), years=(year, year), coverage_gate=0.0))
        print(f"NeurIPS {year}: {us_cn(frame, year) if len(frame) else 'no resolved affiliation'}")


def us_cn_papers(con: duckdb.DuckDBPyConnection) -> None:
    print("## neurips-us-vs-china: NeurIPS US-CN co-authored share (12.8% 2021 -> 19.0% 2025)")
    for basis, scope in (("hq", "with-hk-mo-tw"), ("hq", "with-hk-mo"), ("site", "mainland")):
        selection = Selection(venues=("nips",), years=(2021, 2024), country_basis=basis, china_scope=scope)
        mix = collab_tables(con, selection, window=1, resamples=RESAMPLES)["collab.paper_mix"].frame
        rows = mix[(mix["scope"] == "nips") & (mix["cohort"] == "all") & (mix["category"] == "us_cn")]
        shown = ", ".join(f"{r.year}: {r.share:.3f} ({r.papers_with_country})" for r in rows.itertuples())
        print(f"basis {basis}, China {scope}: {shown}")


_COPILOT_SQL = """
with labelled as (
    select m.authorship_id, p.venue, p.year, m.country_label,
           1.0 / count(*) over (partition by m.authorship_id) as weight
    from affiliation_mentions m join authorships a using (authorship_id) join papers p using (paper_id)
    where p.accepted and m.country_label is not null
), ours as (
    select authorship_id,
           sum(weight) filter (where country = 'US') / sum(weight) as us,
           sum(weight) filter (where country in ('CN', 'HK', 'MO', 'TW')) / sum(weight) as cn
    from authorship_affiliations where country is not null group by authorship_id
)
select l.venue, l.year, count(distinct l.authorship_id) as authorships,
       sum(l.weight * (l.country_label = 'United States')::int) / sum(l.weight) as copilot_us,
       sum(l.weight * (l.country_label = 'China')::int) / sum(l.weight) as copilot_cn,
       sum(l.weight * coalesce(o.us, 0)) / sum(l.weight) as ours_us,
       sum(l.weight * coalesce(o.cn, 0)) / sum(l.weight) as ours_cn
from labelled l join ours o using (authorship_id)
group by l.venue, l.year order by l.venue, l.year
"""


def paper_copilot(con: duckdb.DuckDBPyConnection) -> None:
    print("## Paper Copilot's per-author country labels vs ours (HK, MO, TW filed under China)")
    frame = con.execute(_COPILOT_SQL).df()
    frame["diff_us"] = frame["ours_us"] - frame["copilot_us"]
    frame["diff_cn"] = frame["ours_cn"] - frame["copilot_cn"]
    print(f"venue-years compared: {len(frame)}; authorships: {int(frame['authorships'].sum()):,}")
    print(
        f"mean |diff| US {frame['diff_us'].abs().mean():.4f}, CN {frame['diff_cn'].abs().mean():.4f}; "
        f"max |diff| US {frame['diff_us'].abs().max():.4f}, CN {frame['diff_cn'].abs().max():.4f}"
    )
    with pd.option_context("display.width", 200, "display.max_rows", 400):
        print(frame.round(4).to_string(index=False))


def main() -> None:
    con = duckdb.connect(sys.argv[1] if len(sys.argv) > 1 else "splitscope.duckdb", read_only=True)
    con.execute("set enable_progress_bar = false")
    for block in (macropolo, us_cn_papers, paper_copilot, headline, gate_sensitivity):
        block(con)
        print(flush=True)


if __name__ == "__main__":
    main()
