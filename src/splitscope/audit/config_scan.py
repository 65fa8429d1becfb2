"""Configuration detectors: YAML, JSON and TOML values that name models, datasets, hubs, API hosts,
self-hosted servers and model-server images.

Comments never count: files are parsed. Keys decide what a value is: model-like keys name models,
dataset keys name datasets (by id only: split and config names are not ids), output keys
(`hub_model_id`, `output_dir`) and class keys (`model_type`) name nothing the repository depends on.
"""

from __future__ import annotations

import re

from splitscope.audit.catalog import Catalog
from splitscope.audit.command_line import flag_findings, image_finding
from splitscope.audit.model import BENCHMARK, DATASET, MODEL, Finding, redact
from splitscope.audit.signals import (
    HUB_ID,
    URL,
    env_findings,
    local_endpoint,
    model_name_finding,
    serving_finding,
    url_findings,
)
from splitscope.audit.structured import (
    BudgetExceededError,
    ConfigError,
    Deadline,
    Leaf,
    LineIndex,
    Wanted,
    locate,
    structured_leaves,
)

__all__ = ["ConfigError", "scan_structured", "MODEL_KEY"]

MODEL_KEY = re.compile(r"model|tokenizer|checkpoint|^llm$|repo_id|embedding|name_or_path", re.IGNORECASE)
# The key itself says "this is a model name": a bare prefix ("qwen") counts there.
NAMING_KEY = re.compile(r"^(model|model_?name|model_?id|llm|embedding_?model|base_model)$", re.IGNORECASE)
DATASET_KEY = re.compile(r"dataset", re.IGNORECASE)
ENDPOINT_KEY = re.compile(r"url|base|host|endpoint|api", re.IGNORECASE)
ENV_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


class _Reader:
    def __init__(self, catalog: Catalog, relative: str, detector: str) -> None:
        self.catalog, self.relative, self.detector = catalog, relative, detector
        self.keys = catalog.keys
        self.found: list[tuple[Leaf, Finding]] = []  # line 0 until located
        self.after_flag = False
        self.benchmarks = True
        self.by_path: dict[tuple[str, str], tuple[bool, str | None, bool]] = {}  # see _path_facts

    def add(self, leaf: Leaf, finding: Finding | None) -> None:
        if finding is not None:
            self.found.append((leaf, finding))

    def where(self, leaf: Leaf) -> tuple[str, int, str]:
        return self.relative, 0, leaf.value

    def path_facts(self, leaf: Leaf) -> tuple[bool, str | None, bool]:
        """(skipped, kind, named) of a key path, worked out once per distinct path (a large file
        repeats a few paths many times)."""
        cached = self.by_path.get((leaf.path, leaf.key))
        if cached is None:
            parts = [p.lower() for p in leaf.path.split(".")] + [leaf.key.lower()]
            skipped = any(p in self.keys["outputs"] or p in self.keys["not_ids"] for p in parts)
            path = leaf.path or leaf.key
            kind = DATASET if DATASET_KEY.search(path) else MODEL if MODEL_KEY.search(path) else None
            cached = (skipped, kind, bool(NAMING_KEY.match(leaf.key)))
            self.by_path[(leaf.path, leaf.key)] = cached
        return cached

    def read(self, leaf: Leaf) -> None:
        if leaf.pair:
            name, value = leaf.value.split("=", 1)
            for finding in env_findings(self.catalog, name, value, self.where(leaf), self.detector):
                self.add(leaf, finding)
            return
        if leaf.mapping_key:
            self._mapping_key(leaf)
            return
        skipped, kind, named = self.path_facts(leaf)
        if skipped:
            self.after_flag = False
            return
        self._value(leaf, kind, named)

    def _mapping_key(self, leaf: Leaf) -> None:
        if leaf.key.lower() in self.keys["id_keyed"] and HUB_ID.match(leaf.value):
            self.add(
                leaf, model_name_finding(self.catalog, leaf.value, self.where(leaf), self.detector, DATASET)
            )

    def _value(self, leaf: Leaf, kind: str | None, named: bool) -> None:
        value, where = leaf.value, self.where(leaf)
        if self.after_flag and leaf.in_list:
            self.add(leaf, model_name_finding(self.catalog, value, where, self.detector, MODEL, named=True))
        self.after_flag = (
            leaf.in_list and value.startswith("--") and value.lower() in self.keys["model_flags"]
        )
        assignment = ENV_ASSIGNMENT.match(value) if "=" in value else None
        if assignment and assignment.group(1) in self.catalog.environment:
            for finding in env_findings(self.catalog, *assignment.groups(), where, self.detector):
                self.add(leaf, finding)
        if leaf.key.lower() == "image":
            self.add(leaf, image_finding(self.catalog, value, where, self.detector))
        if not leaf.in_list and "--" in value:
            for finding in flag_findings(self.catalog, value, where, self.detector):
                self.add(leaf, finding)
        if "://" in value:
            for match in URL.finditer(value):
                self._url(leaf, match.group(0))
        elif len(value) < 200:
            self._named(leaf, kind, named)

    def _url(self, leaf: Leaf, url: str) -> None:
        endpoint = local_endpoint(url)
        if endpoint is not None:
            if ENDPOINT_KEY.search(leaf.key):
                self.add(leaf, serving_finding(endpoint, self.where(leaf), self.detector))
            return
        for finding in url_findings(self.catalog, url, self.where(leaf), self.detector):
            self.add(leaf, finding)

    def _named(self, leaf: Leaf, kind: str | None, named: bool) -> None:
        if kind is not None and " " not in leaf.value:
            where = self.where(leaf)
            self.add(leaf, model_name_finding(self.catalog, leaf.value, where, self.detector, kind, named))
        if self.benchmarks and self.catalog.benchmark_any.search(leaf.value):
            for benchmark, pattern in self.catalog.benchmarks:
                if pattern.search(leaf.value):
                    self.add(leaf, Finding(BENCHMARK, self.relative, 0, "", benchmark, self.detector))


def scan_structured(
    catalog: Catalog,
    relative: str,
    kind: str,
    text: str,
    budget_s: float | None = None,
    benchmarks: bool = True,
) -> list[Finding]:
    """Findings of one YAML/JSON/TOML file (ConfigError if it does not parse; BudgetExceededError, with
    the findings so far in its `findings`, if it takes longer than `budget_s`)."""
    reader = _Reader(catalog, relative, f"config:{kind}")
    reader.benchmarks = benchmarks  # False when no token of the file is a benchmark literal
    wanted = Wanted(frozenset(catalog.environment), catalog.keys["id_keyed"], catalog.keys["opaque"])
    deadline = Deadline(budget_s)
    try:
        for leaf in structured_leaves(kind, text, wanted):
            deadline.tick()
            reader.read(leaf)
    except BudgetExceededError as exc:
        exc.findings = _unique(_placed(kind, text, reader.found))
        raise
    return _unique(_placed(kind, text, reader.found))


def _placed(kind: str, text: str, found: list[tuple[Leaf, Finding]]) -> list[Finding]:
    """Findings with their line and evidence, located in one pass (see structured.locate)."""
    unplaced = [leaf for leaf, _ in found if leaf.position < 0]
    positions = locate(kind, text, unplaced) if unplaced else {}
    index = LineIndex(text)
    placed = []
    for leaf, finding in found:
        position = leaf.position if leaf.position >= 0 else positions.get(leaf.ordinal, -1)
        line = index.line(position)
        evidence = redact(index.text_at(position)) if line else finding.evidence
        placed.append(
            Finding(
                finding.kind,
                finding.file,
                line,
                evidence,
                finding.subject,
                finding.detector,
                finding.hint,
                finding.note,
            )
        )
    return placed


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: dict[tuple[str, int, str, str], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.kind, finding.line, finding.subject, finding.file), finding)
    return sorted(seen.values(), key=lambda f: (f.line, f.kind, f.subject))
