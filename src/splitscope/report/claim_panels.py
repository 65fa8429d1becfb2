"""Claims judged like with like.

A claim compares an early and a late window of one table. The chain-linked shares already measure every
change on the venues present in both years; the other year-indexed tables (concentration, origin → work
by year, retention by cohort) pool each year's own gated venues, so their two windows can rest on
different venues — ICRA and IROS in 2013 and ACM MM in 2024 would decide a "concentration" verdict. Such
a claim is judged on a table recomputed over the venues gated in every year of both windows, and says
so; when no venue is, the claim is inconclusive with that reason.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from splitscope.analysis.claims import Claim, ClaimResult, evaluate_claim, select_rows, window_rows
from splitscope.analysis.metric_table import MetricTable
from splitscope.report.gather import PROVIDERS, Gathered, Provider, as_metric_tables, run_provider
from splitscope.report.headlines import venue_sets
from splitscope.selection import Selection


@dataclass(frozen=True)
class _Plan:
    claim: Claim
    common: frozenset[str] | None = None  # None: judge the table as it is
    provider: Provider | None = None
    windows: tuple[tuple[int, ...], tuple[int, ...]] | None = None  # the original early and late x values


def evaluate_like_for_like(
    con, selection: Selection, claims: list[Claim], gathered: Gathered
) -> list[ClaimResult]:
    """Every claim's result; tables recomputed on common venues are added to `gathered` (and so are
    exported and drawn like any other table)."""
    recomputed: dict[tuple[str, frozenset[str]], dict[str, MetricTable] | str] = {}
    results = []
    for claim in claims:
        plan = _plan(claim, gathered)
        if plan.common is None:
            results.append(evaluate_claim(claim, gathered.tables))
            continue
        table = gathered.tables[claim.table]
        if not plan.common or plan.provider is None or con is None:
            results.append(_inconclusive(claim, table, plan.common))
            continue
        key = (plan.provider.label, plan.common)
        if key not in recomputed:
            recomputed[key] = _recompute(con, selection, plan.provider, plan.common)
        tables = recomputed[key]
        base = claim.table.removesuffix(plan.provider.suffix) if plan.provider.suffix else claim.table
        if isinstance(tables, str) or base not in tables:
            results.append(
                _inconclusive(claim, table, plan.common, tables if isinstance(tables, str) else "")
            )
            continue
        name = f"{claim.table}__claim_{claim.id}"
        venues = ", ".join(sorted(plan.common))
        gathered.tables[name] = dataclasses.replace(
            tables[base], name=name, title=f"{table.title}, on the venues of every window year ({venues})"
        )
        gathered.provider_of[name] = f"{plan.provider.label} (claim {claim.id})"
        # The windows stay the original table's years, each of which the recomputed table must have.
        early, late = plan.windows  # type: ignore[misc]
        pinned = dataclasses.replace(
            claim, table=name, early=(early[0], early[-1]), late=(late[0], late[-1]), drop_last=0
        )
        missing = sorted(set(early + late) - _usable_x(gathered.tables[name], claim))
        result = (
            ClaimResult(
                pinned,
                "inconclusive",
                f"on those venues the table has no value for {', '.join(map(str, missing))} (too few units)",
                coverage=gathered.tables[name].coverage.to_dict(),
                filters=dict(gathered.tables[name].filters),
            )
            if missing
            else evaluate_claim(pinned, gathered.tables)
        )
        result.reason += (
            f". Judged on the venues gated in every year of both windows ({venues}): {claim.table} pools "
            "each year's own venues, which differ between the windows."
        )
        results.append(result)
    return results


def _plan(claim: Claim, gathered: Gathered) -> _Plan:
    table = gathered.tables.get(claim.table)
    if table is None or claim.x not in ("year", "cohort") or _is_chained(table.frame):
        return _Plan(claim)
    gated = venue_sets(table, gathered.tables)
    needed = [claim.x, claim.value, *claim.where]
    if gated is None or any(column not in table.frame.columns for column in needed):
        return _Plan(claim)
    early, late = window_rows(select_rows(table.frame, claim.where), claim)
    years = sorted({int(x) for x in pd.concat([early["_x"], late["_x"]])})
    if early.empty or late.empty:
        return _Plan(claim)
    windows = (
        tuple(sorted({int(x) for x in early["_x"]})),
        tuple(sorted({int(x) for x in late["_x"]})),
    )
    sets = [gated.get(year, frozenset()) for year in years]
    if all(s == sets[0] for s in sets):
        return _Plan(claim)
    common = frozenset.intersection(*sets)
    label = gathered.provider_of.get(claim.table)
    provider = next((p for p in PROVIDERS if p.label == label and p.takes_selection), None)
    return _Plan(claim, common, provider, windows)


def _usable_x(table: MetricTable, claim: Claim) -> set[int]:
    rows = select_rows(table.frame, claim.where)
    rows = rows.dropna(subset=[claim.value, f"{claim.value}_ci_low", f"{claim.value}_ci_high"])
    return {int(x) for x in pd.to_numeric(rows[claim.x], errors="coerce").dropna()}


def _is_chained(frame: pd.DataFrame) -> bool:
    return "chain_segment" in frame.columns and bool(frame["chain_segment"].notna().any())


def _recompute(
    con, selection: Selection, provider: Provider, venues: frozenset[str]
) -> dict[str, MetricTable] | str:
    value, problem, _ = run_provider(con, selection.with_venues(tuple(sorted(venues))), provider)
    if problem is not None:
        return problem
    prefix = provider.function.__module__.rsplit(".", 1)[-1]
    return {table.name: table for table in as_metric_tables(value, prefix)}


def _inconclusive(claim: Claim, table: MetricTable, common: frozenset[str], why: str = "") -> ClaimResult:
    if common:
        reason = (
            f"{claim.table} pools each year's own venues, which differ between the windows, and the table "
            f"could not be recomputed on the venues of every window year ({', '.join(sorted(common))})"
            + (f": {why}" if why else "")
        )
    else:
        reason = (
            f"no venue has enough coverage in every year of both windows, and {claim.table} pools each "
            "year's own venues: the two windows would compare different venues"
        )
    return ClaimResult(
        claim, "inconclusive", reason, coverage=table.coverage.to_dict(), filters=dict(table.filters)
    )
