"""npm dependency files: package.json, package-lock.json (v1-v3), yarn.lock (v1 and berry) and
pnpm-lock.yaml (v5-v9). Only package names are read, each with the line it is declared on.

Lockfiles can be megabytes: yarn and pnpm locks are read line by line with one regular expression
(never parsed as YAML); package-lock.json is parsed once and its few catalogued names located by one
forward pass (structured.json_positions), never by searching the text per name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from splitscope.audit.structured import ConfigError, LineIndex, json_positions

NPM_FILES = {"package.json": "npm", "package-lock.json": "npm-lock", "yarn.lock": "yarn-lock"}
PNPM_LOCK = "pnpm-lock.yaml"
DEPENDENCY_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
# yarn.lock entry headers: `"@scope/name@^1.0.0", name@npm:^1:` and `name@^1:` (v1 and berry).
YARN_HEADER = re.compile(r'^"?((?:@[^@/\s"]+/)?[^@\s",]+)@', re.MULTILINE)
# pnpm: `  /name@1.0.0:` (v5/v6), `  name@1.0.0:` / `  '@scope/name@1.0.0':` (v9), and importer entries
# `      '@scope/name':` / `      name:` followed by `specifier:`.
PNPM_PACKAGE = re.compile(r"^ {2,6}'?/?((?:@[^@/\s']+/)?[^@/\s':]+)'?[@:]", re.MULTILINE)


def npm_file_type(name: str) -> str | None:
    lowered = name.lower()
    if lowered == PNPM_LOCK:
        return "pnpm-lock"
    return NPM_FILES.get(lowered)


def _json_object(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not valid JSON ({exc})") from exc


def _ordinals(value: Any, wanted: set[str], counter: list[int], out: dict[str, int]) -> None:
    """Number strings in document order (keys and values alike, as structured.json_positions does) and
    keep the ordinal of each wanted dependency key the first time it appears."""
    if isinstance(value, dict):
        for key, child in value.items():
            name = key.rsplit("node_modules/", 1)[-1]
            if name in wanted and name not in out:
                out[name] = counter[0]
            counter[0] += 1
            if isinstance(child, dict | list | str):
                _ordinals(child, wanted, counter, out)
    elif isinstance(value, list):
        for item in value:
            _ordinals(item, wanted, counter, out)
    elif isinstance(value, str):
        counter[0] += 1


def _json_names(parsed: Any) -> set[str]:
    names: set[str] = set()
    if not isinstance(parsed, dict):
        return names
    for section in DEPENDENCY_SECTIONS:
        if isinstance(parsed.get(section), dict):
            names.update(parsed[section])
    for key in parsed.get("packages") or {}:  # lockfile v2/v3: "node_modules/a/node_modules/b"
        if "node_modules/" in key:
            names.add(key.rsplit("node_modules/", 1)[-1])
    stack = [parsed.get("dependencies") or {}]  # lockfile v1: nested "dependencies"
    while stack:
        level = stack.pop()
        if isinstance(level, dict):
            for name, entry in level.items():
                names.add(name)
                if isinstance(entry, dict) and isinstance(entry.get("dependencies"), dict):
                    stack.append(entry["dependencies"])
    return names


def npm_names(file_type: str, text: str, catalogued: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """(package name, line) of the catalogued packages a file declares."""
    index = LineIndex(text)
    if file_type in ("npm", "npm-lock"):
        parsed = _json_object(text)
        wanted = _json_names(parsed) & catalogued.keys()
        ordinals: dict[str, int] = {}
        _ordinals(parsed, wanted, [0], ordinals)
        positions = json_positions(text, set(ordinals.values()))
        for name in sorted(wanted):
            yield name, index.line(positions.get(ordinals.get(name, -1), -1))
        return
    pattern = YARN_HEADER if file_type == "yarn-lock" else PNPM_PACKAGE
    seen: set[str] = set()
    for match in pattern.finditer(text):
        name = match.group(1)
        if name in catalogued and name not in seen:
            seen.add(name)
            yield name, index.line(match.start())
