"""Configuration detectors: YAML, JSON and TOML values that name models, datasets, hubs and API hosts;
environment files (.env, Dockerfile ENV, shell exports) and model-fetching shell commands.

Comments never count: structured files are parsed, and commented lines of line-based files are dropped.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any

import yaml

from splitscope.audit.catalog import Catalog
from splitscope.audit.model import BENCHMARK, DATASET, MODEL, Finding, redact
from splitscope.audit.signals import URL, env_findings, model_name_finding, url_findings

MODEL_KEY = re.compile(r"model|tokenizer|checkpoint|^llm$|repo_id|embedding", re.IGNORECASE)
DATASET_KEY = re.compile(r"dataset", re.IGNORECASE)
ENV_LINE = re.compile(r"^\s*(?:export\s+|ENV\s+|ARG\s+)?([A-Za-z_][A-Za-z0-9_]*)(?:\s*=\s*|\s+)(.*?)\s*$")
SHELL_FETCH = re.compile(
    r"\b(vllm serve|huggingface-cli download|hf download|ollama (?:pull|run)|modelscope download --model)"
    r"\s+['\"]?([^\s'\"]+)"
)


class ConfigError(ValueError):
    """The file is not valid for its format; the message says where."""


def _leaves_from_yaml(node: yaml.Node, key: str) -> Iterator[tuple[str, str, int]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child_key = key_node.value if isinstance(key_node, yaml.ScalarNode) else key
            if isinstance(key_node, yaml.ScalarNode) and isinstance(value_node, yaml.ScalarNode):
                yield "", f"{child_key}={value_node.value}", key_node.start_mark.line + 1
            yield from _leaves_from_yaml(value_node, f"{key}.{child_key}" if key else str(child_key))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _leaves_from_yaml(item, key)
    elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        yield key, node.value, node.start_mark.line + 1


def _yaml_leaves(text: str) -> Iterator[tuple[str, str, int]]:
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML ({str(exc).splitlines()[0]})") from exc
    for document in documents:
        if document is not None:
            yield from _leaves_from_yaml(document, "")


def _walk_object(value: Any, key: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for child_key, child in value.items():
            if isinstance(child, str):
                yield "", f"{child_key}={child}"
            yield from _walk_object(child, f"{key}.{child_key}" if key else str(child_key))
    elif isinstance(value, list):
        for item in value:
            yield from _walk_object(item, key)
    elif isinstance(value, str):
        yield key, value


def _locate(lines: list[str], needle: str, seen: dict[str, int]) -> int:
    """Line of the next unseen occurrence of a quoted value (JSON and TOML parsers keep no positions)."""
    count = seen.get(needle, 0)
    seen[needle] = count + 1
    for number, line in enumerate(lines, 1):
        for quoted in (f'"{needle}"', f"'{needle}'"):
            occurrences = line.count(quoted)
            if count < occurrences:
                return number
            count -= occurrences
    return 0


def _object_leaves(parsed: Any, lines: list[str]) -> Iterator[tuple[str, str, int]]:
    seen: dict[str, int] = {}
    for key, value in _walk_object(parsed, ""):
        if key == "":
            yield "", value, _locate(lines, value.split("=", 1)[0], seen)
            continue
        yield key, value, _locate(lines, json.dumps(value)[1:-1], seen)


def structured_leaves(kind: str, text: str) -> Iterator[tuple[str, str, int]]:
    """(key, value, line) for every string in a YAML/JSON/TOML file, and ("", "KEY=value", line) pairs."""
    if kind == "yaml":
        yield from _yaml_leaves(text)
        return
    try:
        parsed = json.loads(text) if kind == "json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"not valid {kind.upper()} ({exc})") from exc
    yield from _object_leaves(parsed, text.splitlines())


def scan_structured(catalog: Catalog, relative: str, kind: str, text: str) -> list[Finding]:
    lines = text.splitlines()
    findings: list[Finding] = []
    for key, value, line in structured_leaves(kind, text):
        where = (relative, line, lines[line - 1] if 0 < line <= len(lines) else value)
        detector = f"config:{kind}"
        if key == "":
            env_name, env_value = value.split("=", 1)
            findings.extend(env_findings(catalog, env_name, env_value, where, detector))
            continue
        findings.extend(_value_findings(catalog, key, value, where, detector))
    return _unique(findings)


def _value_findings(
    catalog: Catalog, key: str, value: str, where: tuple[str, int, str], detector: str
) -> list[Finding]:
    findings: list[Finding] = []
    assignment = ENV_LINE.match(value)
    if assignment and "=" in value and assignment.group(1) in catalog.environment:
        findings.extend(env_findings(catalog, assignment.group(1), assignment.group(2), where, detector))
    for match in URL.finditer(value):
        findings.extend(url_findings(catalog, match.group(0), where, detector))
    if "://" not in value and len(value) < 200:
        kind = DATASET if DATASET_KEY.search(key) else MODEL if MODEL_KEY.search(key) else None
        found = model_name_finding(catalog, value, where, detector, kind) if kind else None
        if found is not None:
            findings.append(found)
        for benchmark, pattern in catalog.benchmarks if catalog.names_benchmark(value) else []:
            if pattern.search(value):
                findings.append(Finding(BENCHMARK, where[0], where[1], redact(where[2]), benchmark, detector))
    return findings


def scan_env_lines(catalog: Catalog, relative: str, text: str, detector: str) -> list[Finding]:
    """.env files, Dockerfiles and shell scripts: variable settings and model-fetching commands."""
    findings: list[Finding] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = ENV_LINE.match(stripped)
        if match and match.group(1) in catalog.environment:
            value = match.group(2).strip().strip("'\"")
            findings.extend(env_findings(catalog, match.group(1), value, (relative, number, line), detector))
        for fetch in SHELL_FETCH.finditer(stripped):
            found = model_name_finding(
                catalog, fetch.group(2), (relative, number, line), f"shell:{fetch.group(1)}"
            )
            if found is not None:
                findings.append(found)
    return _unique(findings)


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: dict[tuple[str, int, str, str], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.kind, finding.line, finding.subject, finding.file), finding)
    return sorted(seen.values(), key=lambda f: (f.line, f.kind, f.subject))
