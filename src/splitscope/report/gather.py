"""Collect the report's metric tables by calling the analysis functions (never by querying raw tables).

Each provider is one analysis entry point, imported directly. A provider that fails is recorded with the
reason, and the sections that needed its tables say "not available: <reason>".
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

import pandas as pd

from splitscope.analysis.collab.tables import collab_tables
from splitscope.analysis.metric_table import Coverage, MetricTable
from splitscope.analysis.talent.tables import talent_tables
from splitscope.errors import UnusableInputError
from splitscope.selection import Selection
from splitscope.store import open_store
from splitscope.store.status import store_status


@dataclass(frozen=True)
class Provider:
    label: str
    function: Callable[..., Any]  # module-level, so a worker process can receive it
    kwargs: dict[str, Any] = field(default_factory=dict)
    suffix: str = ""  # appended to table names that another provider already returned (e.g. '__top')
    takes_selection: bool = True
    table_prefixes: tuple[str, ...] = ()  # the table names it produces, to explain a missing table
    cost: int = 1  # relative running time: the costliest start first when providers run in parallel


# The report's intervals come from 200 bootstrap resamples (the analysis commands default to 1,000): the
# bootstrap's cost grows with the resamples and the report must stay near its time budget on the whole
# corpus; quantile intervals from 200 resamples are coarser (their ends move by about a tenth of the
# interval's width between seeds), which the methods section says. `splitscope talent|collab` give 1,000.
REPORT_RESAMPLES = 200

PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "talent",
        talent_tables,
        {"cohort": "all", "resamples": REPORT_RESAMPLES},
        table_prefixes=("talent.", "concentration."),
        cost=10,
    ),
    Provider(
        "talent, top cohort",
        talent_tables,
        {"cohort": "top", "resamples": REPORT_RESAMPLES},
        "__top",
        table_prefixes=("talent.", "concentration."),
        cost=5,
    ),
    Provider(
        "talent, education origin",
        talent_tables,
        {"cohort": "all", "origin": "education", "resamples": REPORT_RESAMPLES},
        "__edu",
        table_prefixes=("talent.",),
    ),
    Provider(
        "collaboration",
        collab_tables,
        {"resamples": REPORT_RESAMPLES},
        table_prefixes=("collab.",),
        cost=9,
    ),
    Provider(
        "collaboration, LLM topic",
        collab_tables,
        {"topic": "llm", "resamples": REPORT_RESAMPLES},
        "__llm",
        table_prefixes=("collab.",),
    ),
    Provider(
        "store status",
        store_status,
        takes_selection=False,
        table_prefixes=("status.",),
    ),
)


@dataclass
class Gathered:
    tables: dict[str, MetricTable] = field(default_factory=dict)
    provider_of: dict[str, str] = field(default_factory=dict)  # table name -> provider label
    unavailable: dict[str, str] = field(default_factory=dict)  # provider label -> why (the error text)
    # provider label -> 'input' when the store lacks what the analysis needs (UnusableInputError, exit
    # 2: the page explains what to run), 'error' for anything else (a bug: the page says where to look)
    failure_kind: dict[str, str] = field(default_factory=dict)
    prefixes_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # provider label -> table prefixes
    suffix_of: dict[str, str] = field(default_factory=dict)  # provider label -> its name suffix ('' if none)

    def why_missing(self, name: str) -> str:
        """Why table `name` is absent: its provider's failure if known, else that no analysis returned it."""
        reasons = [
            f"{label}: {why}" for label, why in self.unavailable.items() if self._would_make(label, name)
        ]
        if reasons:
            return f"table {name} was not produced ({'; '.join(reasons)})"
        return f"no analysis returned a table named {name}"

    def providers_of(self, name: str) -> list[str]:
        """The failed providers that would have produced table `name`."""
        return [label for label in self.unavailable if self._would_make(label, name)]

    def _would_make(self, label: str, name: str) -> bool:
        suffix = self.suffix_of.get(label, "")
        suffix_ok = name.endswith(suffix) if suffix else "__" not in name
        return suffix_ok and any(name.startswith(prefix) for prefix in self.prefixes_of.get(label, ()))


def gather_tables(
    con, selection: Selection, providers: tuple[Provider, ...] = PROVIDERS, workers: int | None = None
) -> Gathered:
    """Call every provider (in parallel processes on a file store: the analyses are independent and the
    report's time is theirs) and collect their tables in provider order."""
    gathered = Gathered()
    outcomes = _provider_outcomes(con, selection, providers, workers)
    for provider, (value, problem, kind) in zip(providers, outcomes, strict=True):
        gathered.prefixes_of[provider.label] = provider.table_prefixes
        gathered.suffix_of[provider.label] = provider.suffix
        if problem is not None:
            gathered.unavailable[provider.label] = problem
            gathered.failure_kind[provider.label] = kind
            continue
        # A plain record's tables are named after the provider's module ('status.summary').
        for table in as_metric_tables(value, provider.function.__module__.rsplit(".", 1)[-1]):
            if not provider.takes_selection and not table.filters:
                table.filters = {"selection": "whole store (not filtered by --venues/--years)"}
            name = table.name
            if name in gathered.tables:
                name = f"{name}{provider.suffix or '__' + str(len(gathered.tables))}"
                table = dataclasses.replace(table, name=name, title=f"{table.title} ({provider.label})")
            gathered.tables[name] = table
            gathered.provider_of[name] = provider.label
    return gathered


Outcome = tuple[Any, str | None, str]  # value, why not (None when it ran), failure kind ('' when it ran)


def run_provider(con, selection: Selection, provider: Provider) -> Outcome:
    """(value, None, ''), or (None, why not, kind): one failing analysis must not take the report down."""
    try:
        args = (con, selection) if provider.takes_selection else (con,)
        return provider.function(*args, **provider.kwargs), None, ""
    except Exception as exc:
        kind = "input" if isinstance(exc, UnusableInputError) else "error"
        return None, f"{provider.function.__name__} failed: {type(exc).__name__}: {exc}", kind


def _run_provider_on_file(path: str, selection: Selection, provider: Provider) -> Outcome:
    con = open_store(path)
    try:
        return run_provider(con, selection, provider)
    finally:
        con.close()


def _store_file(con) -> str | None:
    try:
        rows = con.execute("select file from pragma_database_list where name = current_database()").fetchall()
    except Exception:  # not a DuckDB connection we can ask: run in this process
        return None
    return rows[0][0] if rows and rows[0][0] else None


def _provider_outcomes(
    con, selection: Selection, providers: tuple[Provider, ...], workers: int | None
) -> list[Outcome]:
    path = _store_file(con)
    workers = min(workers or os.cpu_count() or 1, 2, len(providers))
    if path is None or workers <= 1:
        return [run_provider(con, selection, provider) for provider in providers]
    context = get_context("forkserver")  # a clean process: the parent runs DuckDB threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        order = sorted(range(len(providers)), key=lambda i: -providers[i].cost)
        futures = {i: pool.submit(_run_provider_on_file, path, selection, providers[i]) for i in order}
        return [futures[i].result() for i in range(len(providers))]


def as_metric_tables(value: Any, prefix: str) -> list[MetricTable]:
    """MetricTables from what a provider returned: one, a dict or list of them, or a plain status record."""
    if isinstance(value, MetricTable):
        return [value]
    if isinstance(value, dict) and all(isinstance(v, MetricTable) for v in value.values()):
        return list(value.values())
    if isinstance(value, list | tuple) and all(isinstance(v, MetricTable) for v in value):
        return list(value)
    return _record_tables(value, prefix)


def _record_tables(value: Any, prefix: str) -> list[MetricTable]:
    """A status-like record: list-of-dicts fields become their own tables, scalars one key/value table."""
    if hasattr(value, "to_dict"):  # preferred: it carries derived fields (shares) asdict would drop
        value = value.to_dict()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if not isinstance(value, dict):
        return []
    tables: list[MetricTable] = []
    scalars: list[dict[str, str]] = []
    for key, item in value.items():
        if isinstance(item, MetricTable):
            tables.append(item)
        elif isinstance(item, pd.DataFrame):
            tables.append(_plain_table(f"{prefix}.{key}", item))
        elif isinstance(item, list) and item and all(isinstance(row, dict) for row in item):
            tables.append(_plain_table(f"{prefix}.{key}", pd.DataFrame(item)))
        elif isinstance(item, dict) and item and all(not isinstance(v, dict | list) for v in item.values()):
            scalars.extend({"item": f"{key}.{k}", "value": str(v)} for k, v in item.items())
        else:
            scalars.append({"item": key, "value": str(item)})
    if scalars:
        tables.insert(0, _plain_table(f"{prefix}.summary", pd.DataFrame(scalars)))
    return tables


def _plain_table(name: str, frame: pd.DataFrame) -> MetricTable:
    return MetricTable(name, name, frame, Coverage("rows", len(frame), len(frame)))
