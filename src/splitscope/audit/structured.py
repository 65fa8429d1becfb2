"""Every string of a YAML, JSON or TOML file with its key path and line, in linear time.

Locations come from the parser, never from searching the text for each value (which was quadratic, and
never matched values the writer had escaped, such as non-ASCII text): YAML nodes carry their marks;
JSON strings are numbered in document order while walking the parsed object, and the few that become
findings get their line from one forward pass over the string tokens; TOML (small files: configs and
pyproject) is located with a cursor that only moves forward.
"""

from __future__ import annotations

import bisect
import json
import re
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

# libyaml's composer when present (50x faster than the pure-Python one); marks are the same.
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BUDGET_EVERY = 4096  # leaves between two looks at the clock


class ConfigError(ValueError):
    """The file is not valid for its format; the message says where."""


class BudgetExceededError(RuntimeError):
    """A file took longer than its time budget; findings made before the deadline are kept."""

    findings: list[Any] = []  # noqa: RUF012 - set per instance by the scanner that gave up


@dataclass(frozen=True)
class Leaf:
    path: str  # dotted key path of the value ("model.name_or_path"); "" at the top level
    key: str  # the innermost key ("" for a list item whose list has no key)
    value: str
    position: int  # character offset in the text; -1 until located (JSON/TOML: see locate())
    ordinal: int = -1  # JSON: index of this string among all strings of the document, keys included
    pair: bool = False  # a scalar mapping entry given as "key=value" (compose-style environment maps)
    in_list: bool = False  # a list item (flags such as ["--model", "org/name"] are read in order)
    mapping_key: bool = False  # the value is a mapping key, not a value (dataset_mixer: {org/x: 1.0})


class Deadline:
    def __init__(self, seconds: float | None) -> None:
        self.at = None if seconds is None else time.perf_counter() + seconds
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        if self.at is not None and self.count % BUDGET_EVERY == 0 and time.perf_counter() > self.at:
            raise BudgetExceededError


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# ---- YAML ----------------------------------------------------------------------------------------------


def _yaml_node(node: yaml.Node, path: str, key: str, in_list: bool, deadline: Deadline) -> Iterator[Leaf]:
    deadline.tick()
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else key
            child_path = _join(path, child)
            if isinstance(key_node, yaml.ScalarNode):
                position = key_node.start_mark.index
                yield Leaf(path, key, child, position, mapping_key=True)
                if isinstance(value_node, yaml.ScalarNode):
                    yield Leaf(path, child, f"{child}={value_node.value}", position, pair=True)
            yield from _yaml_node(value_node, child_path, child, False, deadline)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _yaml_node(item, path, key, True, deadline)
    elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        yield Leaf(path, key, node.value, node.start_mark.index, in_list=in_list)


def yaml_leaves(text: str, deadline: Deadline) -> Iterator[Leaf]:
    try:
        documents = list(yaml.compose_all(text, Loader=YAML_LOADER))
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML ({str(exc).splitlines()[0]})") from exc
    for document in documents:
        if document is not None:
            yield from _yaml_node(document, "", "", False, deadline)


# ---- JSON and TOML: parsed objects, strings numbered in document order --------------------------------


class _Walker:
    def __init__(self, deadline: Deadline) -> None:
        self.ordinal = 0  # strings met so far (keys and values), as they appear in a JSON document
        self.deadline = deadline

    def walk(self, value: Any, path: str, key: str, in_list: bool) -> Iterator[Leaf]:
        if isinstance(value, dict):
            for child_key, child in value.items():
                child_key = str(child_key)
                yield Leaf(path, key, child_key, -1, self.ordinal, mapping_key=True)
                self.ordinal += 1
                if isinstance(child, str):
                    yield Leaf(path, child_key, f"{child_key}={child}", -1, self.ordinal - 1, pair=True)
                if isinstance(child, dict | list | str):
                    yield from self.walk(child, _join(path, child_key), child_key, False)
        elif isinstance(value, list):
            self.deadline.tick()
            for item in value:
                if isinstance(item, dict | list | str):
                    yield from self.walk(item, path, key, True)
        elif isinstance(value, str):
            self.deadline.tick()
            yield Leaf(path, key, value, -1, self.ordinal, in_list=in_list)
            self.ordinal += 1


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not valid JSON ({exc})") from exc


def object_leaves(parsed: Any, deadline: Deadline) -> Iterator[Leaf]:
    """Leaves of a parsed JSON/TOML object; top-level lists and strings are leaves too."""
    yield from _Walker(deadline).walk(parsed, "", "", False)


def json_positions(text: str, ordinals: set[int]) -> dict[int, int]:
    """Offset of each wanted string (by ordinal): one pass over the string tokens, stopping after the
    last one wanted. Keys and values are numbered alike, so a duplicate key (which json.loads drops)
    shifts the numbering: then the token is checked and, if it differs, searched forward."""
    if not ordinals:
        return {}
    last, found = max(ordinals), {}
    for index, match in enumerate(JSON_STRING.finditer(text)):
        if index in ordinals:
            found[index] = match.start()
        if index >= last:
            break
    return found


def toml_positions(text: str, leaves: list[Leaf]) -> dict[int, int]:
    """Offset of each wanted TOML value, searched forward from the previous one (document order), so the
    text is read about once; a value written in a form we do not search for stays unlocated."""
    found: dict[int, int] = {}
    cursor = 0
    for leaf in leaves:
        needle = leaf.value.split("=", 1)[0] if leaf.pair else leaf.value
        for quoted in (f'"{needle}"', f"'{needle}'", needle):
            position = text.find(quoted, cursor)
            if position >= 0:
                found[leaf.ordinal] = cursor = position
                break
    return found


def structured_leaves(kind: str, text: str, deadline: Deadline) -> Iterator[Leaf]:
    """(path, key, value, line) for every string of a YAML/JSON/TOML file; JSON/TOML lines are 0 until
    `locate` fills them in for the leaves that matter."""
    if kind == "yaml":
        yield from yaml_leaves(text, deadline)
        return
    if kind == "json":
        parsed = parse_json(text)
    else:
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"not valid TOML ({exc})") from exc
    yield from object_leaves(parsed, deadline)


def locate(kind: str, text: str, leaves: list[Leaf]) -> dict[int, int]:
    """ordinal -> character offset for the leaves that became findings (JSON and TOML)."""
    if kind == "json":
        return json_positions(text, {leaf.ordinal for leaf in leaves})
    return toml_positions(text, sorted(leaves, key=lambda leaf: leaf.ordinal))


class LineIndex:
    """Line number and line text of character offsets, for offsets asked in any order: newline offsets
    are collected once (in C, by re.finditer over a compiled pattern) and searched by bisection."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines: list[int] | None = None

    def line(self, position: int) -> int:
        if position < 0:
            return 0
        if self.newlines is None:
            self.newlines = [m.start() for m in _NEWLINE.finditer(self.text)]
        return bisect.bisect_left(self.newlines, position) + 1

    def text_at(self, position: int) -> str:
        if position < 0:
            return ""
        start = self.text.rfind("\n", 0, position) + 1
        end = self.text.find("\n", position)
        return self.text[start : end if end >= 0 else len(self.text)]


_NEWLINE = re.compile("\n")
