"""Result wrappers for library values that are plain dicts or lists: one shape, `to_dict()`, everywhere."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


def as_plain(value: Any) -> Any:
    """Dataclasses (nested), objects with to_dict(), and containers of them, as JSON-ready values."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: as_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_plain(v) for v in value]
    return value


@dataclass
class Document:
    """A result that is one JSON document (evaluations, fetch summaries, a person's record)."""

    value: Any

    def to_dict(self) -> Any:
        return as_plain(self.value)

    def __getitem__(self, key: Any) -> Any:
        return self.value[key]
