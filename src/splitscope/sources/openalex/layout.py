"""The OpenAlex snapshot on disk: `data/<entity>/updated_date=<date>/part_*.gz` and `data/<entity>/manifest`.

The manifest (JSON: `entries[].url`, `entries[].meta.record_count`) is what OpenAlex says each file holds;
after reading, the counts are compared and every difference is reported (a partial download, a file
added by hand), without failing the ingest: the records that were read are still good.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from splitscope.errors import UnusableInputError

_PARTITION = re.compile(r"updated_date=([^/]+)$")
_RELATIVE = re.compile(r"(data/[^/]+/updated_date=[^/]+/[^/]+)$")


@dataclass(frozen=True)
class SnapshotFile:
    path: Path
    relative: str  # 'data/works/updated_date=2024-01-01/part_000.gz': the locator's file part
    part_date: str  # '2024-01-01': a newer partition's version of a record wins
    size: int  # gzip bytes


@dataclass(frozen=True)
class EntityFiles:
    entity: str  # works | authors
    files: tuple[SnapshotFile, ...]
    manifest: dict[str, int] | None  # relative path → record_count; None when there is no manifest

    @property
    def gz_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def manifest_problems(self, lines_read: dict[str, int]) -> list[str]:
        """Differences between the manifest and what was read (empty when they agree)."""
        if self.manifest is None:
            return [f"data/{self.entity}/manifest: missing, record counts not checked"]
        problems = []
        on_disk = {f.relative for f in self.files}
        for relative, expected in sorted(self.manifest.items()):
            if relative not in on_disk:
                problems.append(f"{relative}: listed in the manifest ({expected} records) but missing")
            elif lines_read.get(relative, 0) != expected:
                problems.append(
                    f"{relative}: manifest says {expected} records, read {lines_read.get(relative, 0)}"
                )
        problems += [f"{r}: not in the manifest" for r in sorted(on_disk - self.manifest.keys())]
        return problems


@dataclass(frozen=True)
class Snapshot:
    root: Path
    works: EntityFiles
    authors: EntityFiles | None  # None: the snapshot has no data/authors (author histories are skipped)

    @property
    def gz_bytes(self) -> int:
        return self.works.gz_bytes + (self.authors.gz_bytes if self.authors else 0)


def read_snapshot(snapshot_dir: Path) -> Snapshot:
    """The snapshot's files and manifests, or an UnusableInputError naming what is missing or broken."""
    if not snapshot_dir.is_dir():
        raise UnusableInputError(f"{snapshot_dir}: no such snapshot directory")
    works = _entity_files(snapshot_dir, "works")
    if works is None or not works.files:
        raise UnusableInputError(
            f"{snapshot_dir}: not an OpenAlex snapshot (no data/works/updated_date=*/*.gz files)"
        )
    authors = _entity_files(snapshot_dir, "authors")
    return Snapshot(snapshot_dir, works, authors if authors and authors.files else None)


def _entity_files(root: Path, entity: str) -> EntityFiles | None:
    folder = root / "data" / entity
    if not folder.is_dir():
        return None
    files = []
    for partition in sorted(folder.glob("updated_date=*")):
        match = _PARTITION.search(partition.name)
        if not partition.is_dir() or match is None:
            continue
        for path in sorted(partition.glob("*.gz")):
            relative = f"data/{entity}/{partition.name}/{path.name}"
            files.append(SnapshotFile(path, relative, match.group(1), path.stat().st_size))
    return EntityFiles(entity, tuple(files), _read_manifest(folder / "manifest", f"data/{entity}/manifest"))


def _read_manifest(path: Path, label: str) -> dict[str, int] | None:
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        counts = {}
        for entry in manifest["entries"]:
            match = _RELATIVE.search(str(entry["url"]))
            if match is None:
                raise ValueError(f"url {entry['url']!r} is not a data/<entity>/updated_date=…/ file")
            counts[match.group(1)] = int(entry["meta"]["record_count"])
        return counts
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        detail = exc.args[0] if isinstance(exc, ValueError | KeyError) and exc.args else exc
        raise UnusableInputError(f"{label}: not a readable OpenAlex manifest ({detail})") from None


def write_manifest(folder: Path, counts: dict[str, int], url_prefix: str = "s3://openalex/") -> None:
    """The manifest for the files under `folder` (data/<entity>): relative path → record count. Used by
    the generator and the API writer so both produce what the real snapshot has."""
    entries = []
    for relative, records in sorted(counts.items()):
        size = (folder.parent.parent / relative).stat().st_size
        entries.append(
            {"url": url_prefix + relative, "meta": {"content_length": size, "record_count": records}}
        )
    meta = {
        "content_length": sum(e["meta"]["content_length"] for e in entries),
        "record_count": sum(e["meta"]["record_count"] for e in entries),
    }
    (folder / "manifest").write_text(
        json.dumps({"entries": entries, "meta": meta}, indent=1), encoding="utf-8"
    )
