"""The one shape every analysis returns, so the CLI, the exports and the report treat them alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Coverage:
    """How much of the eligible population had enough resolved data for this metric."""

    unit: str  # 'researchers', 'papers', 'authorships', 'ties', ...
    eligible: int
    covered: int

    @property
    def share(self) -> float | None:
        return self.covered / self.eligible if self.eligible else None

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "eligible": self.eligible, "covered": self.covered, "share": self.share}


@dataclass
class MetricTable:
    """A named table with the filters that produced it and its coverage.

    Share and rate columns come with `<col>_ci_low` / `<col>_ci_high` bootstrap 95% bounds.
    `name` is stable (e.g. 'talent.work_country_share') and names the export files.
    """

    name: str
    title: str
    frame: pd.DataFrame
    coverage: Coverage
    filters: dict[str, Any] = field(default_factory=dict)
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "filters": self.filters,
            "coverage": self.coverage.to_dict(),
            "notes": self.notes,
            "columns": list(self.frame.columns),
            "rows": self.frame.astype(object).where(self.frame.notna(), None).to_dict(orient="records"),
        }

    def write(self, folder: Path) -> list[Path]:
        """CSV and Parquet copies of the table under folder/<name>.{csv,parquet}."""
        folder.mkdir(parents=True, exist_ok=True)
        csv_path, parquet_path = folder / f"{self.name}.csv", folder / f"{self.name}.parquet"
        self.frame.to_csv(csv_path, index=False)
        self.frame.to_parquet(parquet_path, index=False)
        return [csv_path, parquet_path]
