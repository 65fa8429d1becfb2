"""Synthetic OpenAlex snapshots in the real layout and record shape, for tests and benchmarks.

    PYTHONPATH=src python benchmarks/make_snapshot.py OUT (--works N | --gigabytes X) [--seed 7]

Writes OUT/data/works/updated_date=<date>/part_NNN.gz (gzip JSON Lines, one work object per line),
OUT/data/authors/updated_date=<date>/part_NNN.gz (the authors the works name, with affiliations[].years)
and a `manifest` per entity, as the real snapshot does. Deterministic from the seed (gzip mtime 0).
Streaming: memory does not grow with the size (authors are a function of their index, so only a bitmap
of the used ones is kept), so millions of works are fine.

Known rates, so tests and benchmarks can check the counts: --malformed-rate lines are cut short,
--missing-year-rate works lack publication_year, --duplicate-rate works are written again (newer
updated_date, more citations) in a later partition. Field values are synthetic; institution names and
affiliation strings are real-looking (written for this generator), their ids are synthetic.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from splitscope.sources.openalex.layout import write_manifest

# Names, places and words the records are made of (data, not code): real institution names and the
# affiliation strings papers print for them, written for this generator; ids are synthetic.
_VOCABULARY = json.loads((Path(__file__).with_name("snapshot_vocabulary.json")).read_text(encoding="utf-8"))
INSTITUTIONS: list[tuple[str, str, str, tuple[str, ...]]] = [
    (i["name"], i["country"], i["type"], tuple(i["raw_strings"])) for i in _VOCABULARY["institutions"]
]
SOURCES = [tuple(s) for s in _VOCABULARY["sources"]]
CONCEPTS = [tuple(c) for c in _VOCABULARY["concepts"]]
TOPICS = [tuple(t) for t in _VOCABULARY["topics"]]
WORDS: list[str] = _VOCABULARY["words"]
GIVEN: list[str] = _VOCABULARY["given_names"]
FAMILY: list[str] = _VOCABULARY["family_names"]
DATES = ("2023-06-01", "2024-01-15", "2024-08-20", "2025-03-10")


def institution(index: int) -> dict[str, Any]:
    name, country, kind, _ = INSTITUTIONS[index]
    return {
        "id": f"https://openalex.org/I{9100000 + index * 7919}",  # synthetic id
        "display_name": name,
        "ror": f"https://ror.org/0syn{index:04d}",  # synthetic
        "country_code": country,
        "type": kind,
        "lineage": [f"https://openalex.org/I{9100000 + index * 7919}"],
    }


@lru_cache(maxsize=65536)
def author(index: int, seed: int) -> tuple[str, str | None, tuple[tuple[int, int, int], ...]]:
    """(display name, ORCID or None, career as (institution, first year, last year)), from the index."""
    rng = random.Random(seed * 1_000_003 + index)
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    orcid = (
        f"https://orcid.org/0000-000{rng.randint(1, 9)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    )
    start = rng.randint(2008, 2020)
    career = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        end = min(2025, start + rng.randint(2, 8))
        career.append((rng.randrange(len(INSTITUTIONS)), start, end))
        start = end + 1
        if start > 2025:
            break
    return name, (orcid if rng.random() < 0.6 else None), tuple(career)


def affiliation_at(career: tuple[tuple[int, int, int], ...], year: int) -> int:
    for inst, first, last in career:
        if first <= year <= last:
            return inst
    return career[-1][0] if year > career[-1][2] else career[0][0]


@dataclass
class Rates:
    malformed: float = 0.0005
    missing_year: float = 0.001
    duplicate: float = 0.01


@dataclass
class PartWriter:
    """Rotating gzip part files of one entity, spread round-robin over the updated_date partitions."""

    root: Path
    entity: str
    part_bytes: int
    counts: dict[str, int] = field(default_factory=dict)
    part_no: int = -1
    closed_bytes: int = 0
    date_index: int = 0
    _raw: BinaryIO | None = None
    _gz: gzip.GzipFile | None = None
    _relative: str = ""

    def open_next(self, date_index: int | None = None) -> None:
        self.close()
        self.part_no += 1
        self.date_index = self.part_no % len(DATES) if date_index is None else date_index
        folder = self.root / "data" / self.entity / f"updated_date={DATES[self.date_index]}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"part_{self.part_no:03d}.gz"
        self._relative = f"data/{self.entity}/{folder.name}/{path.name}"
        self._raw = path.open("wb")
        # level 6: what gzip(1) and most exporters use (Python defaults to 9, slower and smaller)
        self._gz = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=6, mtime=0)
        self.counts[self._relative] = 0

    def write(self, line: bytes) -> None:
        assert self._gz is not None
        self._gz.write(line + b"\n")
        self.counts[self._relative] += 1

    @property
    def full(self) -> bool:
        return self._raw is not None and self._raw.tell() >= self.part_bytes

    def close(self) -> None:
        if self._gz is not None and self._raw is not None:
            self._gz.close()
            self.closed_bytes += self._raw.tell()
            self._raw.close()
        self._gz = self._raw = None

    def written_bytes(self) -> int:
        """gzip bytes so far (the open part's as far as zlib has flushed them)."""
        return self.closed_bytes + (self._raw.tell() if self._raw else 0)


class WorkMaker:
    def __init__(self, seed: int, n_authors: int, rates: Rates) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.n_authors = n_authors
        self.rates = rates
        self.used_authors = bytearray(n_authors)
        pool = random.Random(seed + 1)
        # Abstracts are the bulk of a real work record; a pool of pre-serialised ones keeps this fast.
        self.abstracts = [orjson.Fragment(orjson.dumps(_abstract(pool))) for _ in range(512)]

    def work(self, number: int, updated: str) -> dict[str, Any]:
        rng = self.rng
        year = rng.randint(2010, 2025)
        source = rng.choice(SOURCES)
        work_id = f"https://openalex.org/W{4000000000 + number}"
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 11))).capitalize()
        authorships = [
            self._authorship(rng, year, k, n)
            for n in [rng.choice((1, 2, 3, 3, 4, 5, 6, 8))]
            for k in range(n)
        ]
        topics = rng.sample(TOPICS, rng.randint(1, 3))
        record: dict[str, Any] = {
            "id": work_id,
            "doi": f"https://doi.org/10.{rng.randint(1000, 99999)}/{rng.randint(10**6, 10**8)}",
            "title": title,
            "display_name": title,
            "publication_year": year,
            "publication_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "ids": {"openalex": work_id},
            "language": "en",
            "primary_location": {
                "is_oa": rng.random() < 0.5,
                "landing_page_url": f"https://example.org/paper/{number}",
                "source": {
                    "id": f"https://openalex.org/{source[0]}",
                    "display_name": source[1],
                    "type": source[2],
                },
                "version": "publishedVersion",
            },
            "type": rng.choice(("article", "article", "preprint", "book-chapter")),
            "open_access": {"is_oa": rng.random() < 0.5, "oa_status": "green"},
            "authorships": authorships,
            "countries_distinct_count": len({c for a in authorships for c in a["countries"]}),
            "cited_by_count": rng.randint(0, 500),
            "primary_topic": _topic(topics[0], rng),
            "topics": [_topic(t, rng) for t in topics],
            "keywords": [
                {"id": f"https://openalex.org/keywords/{w}", "display_name": w, "score": 0.5}
                for w in rng.sample(WORDS, rng.randint(1, 4))
            ],
            "concepts": [
                {
                    "id": f"https://openalex.org/{c[0]}",
                    "display_name": c[1],
                    "level": c[2],
                    "score": round(rng.random(), 6),
                }
                for c in rng.sample(CONCEPTS, rng.randint(1, 4))
            ],
            "referenced_works": [
                f"https://openalex.org/W{rng.randint(10**9, 5 * 10**9)}" for _ in range(rng.randint(5, 40))
            ],
            "related_works": [f"https://openalex.org/W{rng.randint(10**9, 5 * 10**9)}" for _ in range(10)],
            "abstract_inverted_index": rng.choice(self.abstracts),
            "counts_by_year": [
                {"year": y, "cited_by_count": rng.randint(0, 50)} for y in range(max(year, 2012), 2026)
            ],
            "updated_date": f"{updated}T00:00:00.000000",
            "created_date": f"{year}-01-01",
        }
        if rng.random() < self.rates.missing_year:
            del record["publication_year"]
        return record

    def _authorship(self, rng: random.Random, year: int, k: int, n: int) -> dict[str, Any]:
        index = rng.randrange(self.n_authors)
        self.used_authors[index] = 1
        name, orcid, career = author(index, self.seed)
        inst = institution(affiliation_at(career, year))
        raw = rng.choice(INSTITUTIONS[affiliation_at(career, year)][3])
        return {
            "author_position": "first" if k == 0 else ("last" if k == n - 1 else "middle"),
            "author": {
                "id": f"https://openalex.org/A{5000000000 + index}",
                "display_name": name,
                "orcid": orcid,
            },
            "institutions": [inst],
            "countries": [inst["country_code"]],
            "is_corresponding": k == 0,
            "raw_author_name": name,
            # about one in ten authorships prints no affiliation (OpenAlex then has only institutions)
            "raw_affiliation_strings": [] if rng.random() < 0.1 else [raw],
        }


def _abstract(rng: random.Random) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position in range(rng.randint(80, 220)):
        index.setdefault(rng.choice(WORDS), []).append(position)
    return index


def _topic(topic: tuple[str, str], rng: random.Random) -> dict[str, Any]:
    return {
        "id": f"https://openalex.org/{topic[0]}",
        "display_name": topic[1],
        "score": round(rng.random(), 4),
        "subfield": {"id": "https://openalex.org/subfields/1702", "display_name": "Artificial Intelligence"},
        "field": {"id": "https://openalex.org/fields/17", "display_name": "Computer Science"},
        "domain": {"id": "https://openalex.org/domains/3", "display_name": "Physical Sciences"},
    }


def author_record(index: int, seed: int, updated: str) -> dict[str, Any]:
    name, orcid, career = author(index, seed)
    return {
        "id": f"https://openalex.org/A{5000000000 + index}",
        "orcid": orcid,
        "display_name": name,
        "works_count": 10,
        "affiliations": [
            {"institution": institution(inst), "years": list(range(last, first - 1, -1))}
            for inst, first, last in career
        ],
        "last_known_institutions": [institution(career[-1][0])],
        "updated_date": f"{updated}T00:00:00.000000",
    }


def _line(record: dict[str, Any], rng: random.Random, malformed_rate: float) -> bytes:
    line = orjson.dumps(record)
    if rng.random() < malformed_rate:  # a line cut short, as in a truncated part file
        return line[: max(10, len(line) // 3)]
    return line


def make_snapshot(
    out: Path,
    works: int | None = None,
    gigabytes: float | None = None,
    seed: int = 7,
    rates: Rates | None = None,
    part_bytes: int = 32 << 20,
    progress: bool = False,
) -> dict[str, Any]:
    """Write a snapshot; return its counts (works written, duplicates, malformed lines, bytes)."""
    if (works is None) == (gigabytes is None):
        raise ValueError("give exactly one of works or gigabytes")
    rates = rates or Rates()
    target_bytes = int(gigabytes * 1e9) if gigabytes is not None else None
    # authors: about 0.6 per work (many appear on several papers); by bytes, ~1 kB of gzip per work (measured)
    n_authors = max(50, int(0.6 * (works if works is not None else target_bytes // 1000)))  # type: ignore[operator]
    maker = WorkMaker(seed, n_authors, rates)
    line_rng = random.Random(seed + 2)
    writer = PartWriter(out, "works", part_bytes)
    writer.open_next()
    stats = {"works": 0, "duplicates": 0, "malformed": 0, "missing_year": 0}
    pending: list[dict[str, Any]] = []  # duplicates waiting for a part in a later partition
    started = time.time()
    number = 0
    while (works is not None and number < works) or (
        target_bytes is not None and writer.written_bytes() < target_bytes
    ):
        if writer.full:
            writer.open_next()
            # re-emit in a later updated_date than the earlier version's (the newer version wins)
            for record in [r for r in pending if r["updated_date"][:10] < DATES[writer.date_index]]:
                record["updated_date"] = f"{DATES[writer.date_index]}T00:00:00.000000"
                record["cited_by_count"] += 1
                writer.write(orjson.dumps(record))
                stats["duplicates"] += 1
                pending.remove(record)
        record = maker.work(number, DATES[writer.date_index])
        line = _line(record, line_rng, rates.malformed)
        malformed = not line.endswith(b"}")
        stats["malformed"] += malformed
        stats["missing_year"] += not malformed and "publication_year" not in record
        writer.write(line)
        # only storable works get a newer version, so the expected counts stay exact: quarantined =
        # malformed + missing_year, merged = duplicates
        storable = not malformed and "publication_year" in record
        if storable and writer.date_index < len(DATES) - 1 and line_rng.random() < rates.duplicate:
            pending.append(record)
        number += 1
        if progress and number % 100_000 == 0:
            print(
                f"{number:,} works, {writer.written_bytes() / 1e9:.3f} GB, {time.time() - started:.0f} s",
                file=sys.stderr,
            )
    if pending and writer.date_index < len(DATES) - 1:  # small snapshots: a last part in the newest partition
        writer.open_next(len(DATES) - 1)
        for record in pending:
            record["updated_date"] = f"{DATES[-1]}T00:00:00.000000"
            writer.write(orjson.dumps(record))
            stats["duplicates"] += 1
    writer.close()
    stats["works"] = number
    work_counts = dict(writer.counts)
    write_manifest(out / "data" / "works", work_counts)
    stats["authors"] = _write_authors(out, maker, seed, rates, part_bytes)
    stats["gz_bytes"] = sum(p.stat().st_size for p in out.rglob("*.gz"))
    stats["works_gz_bytes"] = sum(p.stat().st_size for p in (out / "data" / "works").rglob("*.gz"))
    stats["seconds"] = round(time.time() - started, 1)
    return stats


def _write_authors(out: Path, maker: WorkMaker, seed: int, rates: Rates, part_bytes: int) -> int:
    writer = PartWriter(out, "authors", part_bytes)
    writer.open_next(len(DATES) - 1)
    rng = random.Random(seed + 3)
    older: list[int] = []
    written = 0
    for index, used in enumerate(maker.used_authors):
        if not used:
            continue
        if writer.full:
            writer.open_next(len(DATES) - 1)
        writer.write(_line(author_record(index, seed, DATES[-1]), rng, rates.malformed))
        written += 1
        if rng.random() < rates.duplicate:
            older.append(index)
    if older:  # stale versions in an older partition: the newest partition's version must win
        writer.open_next(0)
        for index in older:
            record = author_record(index, seed, DATES[0])
            record["affiliations"] = record["affiliations"][:1]
            writer.write(orjson.dumps(record))
            written += 1
    writer.close()
    write_manifest(out / "data" / "authors", writer.counts)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--works", type=int)
    size.add_argument("--gigabytes", type=float, help="gzip bytes of the works files, in GB (1e9)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--part-mb", type=int, default=32, help="gzip MB per part file")
    parser.add_argument("--malformed-rate", type=float, default=Rates.malformed)
    parser.add_argument("--duplicate-rate", type=float, default=Rates.duplicate)
    parser.add_argument("--missing-year-rate", type=float, default=Rates.missing_year)
    args = parser.parse_args(argv)
    rates = Rates(args.malformed_rate, args.missing_year_rate, args.duplicate_rate)
    stats = make_snapshot(
        args.out, args.works, args.gigabytes, args.seed, rates, args.part_mb << 20, progress=True
    )
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
