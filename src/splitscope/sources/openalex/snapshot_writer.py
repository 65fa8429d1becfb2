"""Writes fetched OpenAlex records in the snapshot layout, so the snapshot reader loads API fetches too.

    <out>/data/<entity>/updated_date=<YYYY-MM-DD>/part_000.gz   gzip JSON Lines, one record per line
    <out>/data/<entity>/manifest                                 {"entries": [{"url", "meta": {...}}], "meta"}

Records are de-duplicated by id as they are added (cursor paging can repeat a work when the data shift
under it). A record without an id is written as it came, so the reader quarantines it with its reason
rather than it vanishing here. Everything is staged and published by one rename of `data/`, so a stopped
fetch never leaves a half-written snapshot where the reader would take it for a whole one.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path
from typing import IO, Any

from splitscope.sources.openalex.ids import short_id

PART_RECORDS = 100_000  # lines per part file; the real snapshot also splits each partition into parts
MANIFEST_URL_BASE = "s3://openalex/data"  # the real manifests' url form


class SnapshotWriter:
    """One entity (works, authors) of one fetch: part files plus the manifest, under a staging root."""

    def __init__(self, root: Path, entity: str, updated_date: str, part_records: int | None = None) -> None:
        self.entity_dir = root / "data" / entity
        self.partition = f"updated_date={updated_date}"
        self.part_records = part_records or PART_RECORDS
        self.records = 0
        self.duplicates = 0
        self._seen: set[str] = set()
        self._parts: list[tuple[Path, int]] = []  # (path, record count)
        self._handle: IO[str] | None = None
        self._in_part = 0
        shutil.rmtree(self.entity_dir, ignore_errors=True)  # leftovers of a stopped run

    def add(self, record: Any, record_id: Any) -> bool:
        """Write the record unless its id was written already; True when written."""
        if isinstance(record_id, str) and record_id:
            key = short_id(record_id)
            if key in self._seen:
                self.duplicates += 1
                return False
            self._seen.add(key)
        if self._handle is None or self._in_part >= self.part_records:
            self._next_part()
        assert self._handle is not None
        self._handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._in_part += 1
        self.records += 1
        return True

    def _next_part(self) -> None:
        self._close_part()
        path = self.entity_dir / self.partition / f"part_{len(self._parts):03d}.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        # Held open across add() calls and closed by _close_part(): a with-block cannot span them.
        self._handle = gzip.open(path, "wt", encoding="utf-8")  # noqa: SIM115
        self._parts.append((path, 0))
        self._in_part = 0

    def _close_part(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._parts[-1] = (self._parts[-1][0], self._in_part)
            self._handle = None

    def close(self) -> dict[str, Any]:
        """Finish the last part and write the manifest; the manifest's dict."""
        self._close_part()
        entries = []
        for path, count in self._parts:
            relative = path.relative_to(self.entity_dir.parent).as_posix()
            entries.append(
                {
                    "url": f"{MANIFEST_URL_BASE}/{relative}",
                    "meta": {"content_length": path.stat().st_size, "record_count": count},
                }
            )
        manifest = {
            "entries": entries,
            "meta": {
                "content_length": sum(e["meta"]["content_length"] for e in entries),
                "record_count": sum(e["meta"]["record_count"] for e in entries),
            },
        }
        self.entity_dir.mkdir(parents=True, exist_ok=True)
        (self.entity_dir / "manifest").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        return manifest

    def abandon(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        shutil.rmtree(self.entity_dir, ignore_errors=True)


def publish_snapshot(staging: Path, out_dir: Path, provenance: dict[str, Any] | None = None) -> None:
    """Replace `out_dir/data` with the staged one (an earlier fetch of the same query is superseded,
    not kept as a second partition the reader would have to reconcile)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target, old = out_dir / "data", out_dir / ".data.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging / "data", target)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    if provenance is not None:
        (out_dir / "splitscope_fetch.json").write_text(json.dumps(provenance, indent=1), encoding="utf-8")
