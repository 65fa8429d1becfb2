"""Claim checks: plain-words claims tied to a metric table, tested against its bootstrap intervals.

A claim names a MetricTable, the rows it is about (`where`), the value column (which must come with
`<value>_ci_low` / `<value>_ci_high`), the axis that orders the rows (`x`, usually `year`), a direction and
two windows (early vs late). The verdict rule is documented in docs/report.md and in `judge_windows`:

- each window's value is the row-count-weighted (column `n` when present, else equal) mean of the
  per-row estimates; its interval is the same weighted mean of the per-row bounds. Averaging bounds is
  conservative: for independent rows it is at least as wide as the interval of the mean.
- supported: the late window's interval lies entirely beyond the early one in the claimed direction;
  contradicted: entirely beyond it in the opposite direction; inconclusive: the intervals overlap, or the
  data (rows, intervals, coverage) are missing or too thin.

Non-overlap of two 95% intervals is stricter than a 95% test of the difference, so "supported" and
"contradicted" are conservative; an overlap is reported as inconclusive, never as "no change".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from splitscope.analysis.metric_table import MetricTable
from splitscope.errors import UnusableInputError

DIRECTIONS = ("increase", "decrease")
DEFAULT_MIN_COVERAGE = 0.3
_REQUIRED = ("id", "claim", "table", "value", "direction")
_KNOWN_KEYS = {*_REQUIRED, "where", "x", "window", "early", "late", "drop_last", "min_coverage", "note"}


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str  # plain words, as a reader would say it
    table: str  # MetricTable.name
    value: str  # column with <value>_ci_low / <value>_ci_high
    direction: str  # 'increase' | 'decrease' from the early to the late window
    where: dict[str, Any] = field(default_factory=dict)  # row selector: column -> value or list of values
    x: str = "year"
    window: int = 3  # when early/late are absent: first `window` vs last `window` x values present
    early: tuple[float, float] | None = None  # inclusive x range
    late: tuple[float, float] | None = None
    drop_last: int = 0  # x values left out at the end (e.g. recent cohorts without follow-up)
    min_coverage: float = DEFAULT_MIN_COVERAGE
    note: str = ""  # careful wording: what the claim is and is not about


@dataclass(frozen=True)
class WindowValue:
    x_from: float
    x_to: float
    estimate: float
    low: float
    high: float
    rows: int


@dataclass
class ClaimResult:
    claim: Claim
    verdict: str
    reason: str
    early: WindowValue | None = None
    late: WindowValue | None = None
    coverage: dict[str, Any] | None = None
    filters: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def window(w: WindowValue | None) -> dict[str, Any] | None:
            return None if w is None else w.__dict__.copy()

        return {
            "id": self.claim.id,
            "claim": self.claim.claim,
            "table": self.claim.table,
            "value": self.claim.value,
            "where": self.claim.where,
            "direction": self.claim.direction,
            "verdict": self.verdict,
            "reason": self.reason,
            "early": window(self.early),
            "late": window(self.late),
            "coverage": self.coverage,
            "filters": self.filters,
            "note": self.claim.note,
        }


# --- loading and validation ------------------------------------------------------------------------


def default_claims_path() -> Path:
    return Path(str(resources.files("splitscope.analysis") / "claims.yaml"))


def load_claims(path: Path | str | None = None) -> list[Claim]:
    """Read and validate a claims file; every problem is reported at once in one UnusableInputError."""
    claims_path = Path(path) if path is not None else default_claims_path()
    try:
        document = yaml.safe_load(claims_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UnusableInputError(f"{claims_path}: no such claims file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise UnusableInputError(f"{claims_path}: not valid YAML{where}") from None
    entries, problems = _claim_entries(document)
    claims: list[Claim] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        claim, entry_problems = _parse_claim(entry, index)
        problems.extend(entry_problems)
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(entry_id, str):
            if entry_id in seen:
                problems.append(f"claims[{index}]: duplicate id {entry_id!r}")
            seen.add(entry_id)
        if claim is not None:
            claims.append(claim)
    if problems:
        raise UnusableInputError(f"{claims_path}: {len(problems)} problem(s): " + "; ".join(problems))
    return claims


def _claim_entries(document: Any) -> tuple[list[Any], list[str]]:
    if not isinstance(document, dict) or not isinstance(document.get("claims"), list):
        return [], ["expected a mapping with a 'claims:' list at the top"]
    if not document["claims"]:
        return [], ["'claims:' is empty"]
    return document["claims"], []


def _parse_claim(entry: Any, index: int) -> tuple[Claim | None, list[str]]:
    where = f"claims[{index}]"
    if not isinstance(entry, dict):
        return None, [f"{where}: expected a mapping, got {type(entry).__name__}"]
    label = f"{where} ({entry['id']})" if isinstance(entry.get("id"), str) else where
    problems = [f"{label}: missing '{key}'" for key in _REQUIRED if key not in entry]
    problems += [f"{label}: unknown key '{key}'" for key in sorted(set(entry) - _KNOWN_KEYS)]
    for key in ("id", "claim", "table", "value", "x", "note"):
        if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
            problems.append(f"{label}: '{key}' must be a non-empty string")
    if "direction" in entry and entry["direction"] not in DIRECTIONS:
        problems.append(
            f"{label}: direction must be one of {', '.join(DIRECTIONS)}, got {entry['direction']!r}"
        )
    if "where" in entry and not isinstance(entry["where"], dict):
        problems.append(f"{label}: 'where' must be a mapping of column: value")
    window, drop_last = entry.get("window", 3), entry.get("drop_last", 0)
    if not _is_int(window) or window < 1:
        problems.append(f"{label}: 'window' must be a positive integer")
    if not _is_int(drop_last) or drop_last < 0:
        problems.append(f"{label}: 'drop_last' must be a non-negative integer")
    range_problems: list[str] = []
    ranges = {
        key: _parse_range(entry.get(key), f"{label}: '{key}'", range_problems) for key in ("early", "late")
    }
    problems += range_problems
    if range_problems:
        pass  # a malformed range already explains itself; pairing checks would only repeat it
    elif (ranges["early"] is None) != (ranges["late"] is None):
        problems.append(f"{label}: give both 'early' and 'late', or neither (then 'window' is used)")
    elif ranges["early"] and ranges["late"] and ranges["early"][1] >= ranges["late"][0]:
        problems.append(f"{label}: 'early' must end before 'late' starts")
    min_coverage = entry.get("min_coverage", DEFAULT_MIN_COVERAGE)
    if (
        not isinstance(min_coverage, int | float)
        or isinstance(min_coverage, bool)
        or not 0 <= min_coverage <= 1
    ):
        problems.append(f"{label}: 'min_coverage' must be a number between 0 and 1")
    if problems:
        return None, problems
    claim = Claim(
        id=entry["id"],
        claim=entry["claim"],
        table=entry["table"],
        value=entry["value"],
        direction=entry["direction"],
        where=dict(entry.get("where") or {}),
        x=entry.get("x", "year"),
        window=window,
        early=ranges["early"],
        late=ranges["late"],
        drop_last=drop_last,
        min_coverage=float(min_coverage),
        note=entry.get("note", ""),
    )
    return claim, []


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_range(raw: Any, label: str, problems: list[str]) -> tuple[float, float] | None:
    if raw is None:
        return None
    numbers = isinstance(raw, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in raw
    )
    if not numbers or len(raw) != 2 or raw[0] > raw[1]:
        problems.append(f"{label} must be an increasing pair like [2014, 2017]")
        return None
    return (float(raw[0]), float(raw[1]))


# --- evaluation -------------------------------------------------------------------------------------


def evaluate_claims(claims: list[Claim], tables: dict[str, MetricTable]) -> list[ClaimResult]:
    return [evaluate_claim(claim, tables) for claim in claims]


def evaluate_claim(claim: Claim, tables: dict[str, MetricTable]) -> ClaimResult:
    table = tables.get(claim.table)
    if table is None:
        return ClaimResult(claim, "inconclusive", f"table {claim.table} is not available")
    coverage = table.coverage.to_dict()
    result = ClaimResult(claim, "inconclusive", "", coverage=coverage, filters=dict(table.filters))
    problem = _table_problem(claim, table)
    if problem:
        result.reason = problem
        return result
    share = table.coverage.share
    if share is None or share < claim.min_coverage:
        shown = "none" if share is None else f"{share:.0%}"
        result.reason = (
            f"coverage {shown} of {table.coverage.unit} is below the claim's minimum {claim.min_coverage:.0%}"
        )
        return result
    rows = select_rows(table.frame, claim.where)
    early_rows, late_rows = window_rows(rows, claim)
    result.early, result.late = window_value(early_rows, claim), window_value(late_rows, claim)
    result.verdict, result.reason = judge_windows(result.early, result.late, claim.direction)
    return result


def _table_problem(claim: Claim, table: MetricTable) -> str:
    needed = [claim.x, claim.value, f"{claim.value}_ci_low", f"{claim.value}_ci_high", *claim.where]
    missing = [col for col in needed if col not in table.frame.columns]
    if missing:
        return f"table {claim.table} lacks column(s) {', '.join(missing)}"
    return ""


def select_rows(frame: pd.DataFrame, where: dict[str, Any]) -> pd.DataFrame:
    """Rows matching every column: value (a list means any of those values)."""
    mask = pd.Series(True, index=frame.index)
    for column, wanted in where.items():
        values = wanted if isinstance(wanted, list) else [wanted]
        mask &= frame[column].isin(values)
    return frame[mask]


def window_rows(rows: pd.DataFrame, claim: Claim) -> tuple[pd.DataFrame, pd.DataFrame]:
    xs = pd.to_numeric(rows[claim.x], errors="coerce")
    rows = rows.assign(_x=xs).dropna(subset=["_x"])
    if claim.drop_last:
        kept = sorted(rows["_x"].unique())[: -claim.drop_last]
        rows = rows[rows["_x"].isin(kept)]
    if claim.early and claim.late:
        early = rows[rows["_x"].between(*claim.early)]
        late = rows[rows["_x"].between(*claim.late)]
        return early, late
    present = sorted(rows["_x"].unique())
    if len(present) < 2 * claim.window:
        return rows.iloc[0:0], rows.iloc[0:0]
    return rows[rows["_x"].isin(present[: claim.window])], rows[rows["_x"].isin(present[-claim.window :])]


def window_value(rows: pd.DataFrame, claim: Claim) -> WindowValue | None:
    cols = [claim.value, f"{claim.value}_ci_low", f"{claim.value}_ci_high"]
    usable = rows.dropna(subset=cols)
    if usable.empty:
        return None
    weights = usable["n"].astype(float) if "n" in usable.columns else pd.Series(1.0, index=usable.index)
    if weights.sum() <= 0:
        weights = pd.Series(1.0, index=usable.index)

    def mean(col: str) -> float:
        return float((usable[col].astype(float) * weights).sum() / weights.sum())

    return WindowValue(
        x_from=float(usable["_x"].min()),
        x_to=float(usable["_x"].max()),
        estimate=mean(claim.value),
        low=mean(cols[1]),
        high=mean(cols[2]),
        rows=len(usable),
    )


def judge_windows(early: WindowValue | None, late: WindowValue | None, direction: str) -> tuple[str, str]:
    """The verdict rule: non-overlapping window intervals decide; anything else is inconclusive."""
    if early is None or late is None:
        return "inconclusive", "not enough rows with intervals in one of the windows"
    went_up = late.low > early.high
    went_down = late.high < early.low
    if not (went_up or went_down):
        return "inconclusive", "the early and late intervals overlap"
    moved = "increase" if went_up else "decrease"
    if moved == direction:
        return "supported", f"the late interval lies entirely {'above' if went_up else 'below'} the early one"
    return "contradicted", f"the late interval lies entirely {'above' if went_up else 'below'} the early one"
