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
from dataclasses import dataclass
from typing import Any

import yaml

# libyaml's composer when present (50x faster than the pure-Python one); marks are the same.
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BUDGET_EVERY = 4096  # leaves between two looks at the clock
CONTAINERS = (dict, list, str)  # a tuple: isinstance with a `X | Y` union is several times slower


class ConfigError(ValueError):
    """The file is not valid for its format; the message says where."""


class BudgetExceededError(RuntimeError):
    """A file took longer than its time budget; findings made before the deadline are kept."""

    findings: list[Any] = []  # noqa: RUF012 - set per instance by the scanner that gave up


@dataclass(slots=True)
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
    """Checked once per leaf while leaves are read (the parse and walk before are linear and in C or
    close to it; reading a leaf runs the detectors, which is where a file's time goes)."""

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


@dataclass(frozen=True)
class Wanted:
    """Which mapping entries are leaves besides every string value: `KEY=value` pairs only for these
    key names (environment variables), mapping keys only under these parents (dataset_mixer). Asking
    for less keeps a 3.5 MB tokenizer vocabulary (a mapping of 150,000 keys) cheap."""

    pair_names: frozenset[str] = frozenset()
    keyed_parents: frozenset[str] = frozenset()
    opaque: frozenset[str] = frozenset()  # keys whose values are data, never read (tokenizer vocab)


def count_strings(value: Any) -> int:
    """Strings (keys and values) in a parsed subtree: what a skipped subtree adds to the ordinals."""
    if isinstance(value, str):
        return 1
    if isinstance(value, dict):
        return len(value) + sum(count_strings(v) for v in value.values() if isinstance(v, CONTAINERS))
    if isinstance(value, list):
        if all(type(item) is str for item in value):
            return len(value)
        return sum(count_strings(item) for item in value if isinstance(item, CONTAINERS))
    return 0


def _yaml_node(
    node: yaml.Node, path: str, key: str, in_list: bool, context: tuple[Wanted, list[Leaf]]
) -> None:
    wanted, out = context
    if isinstance(node, yaml.MappingNode):
        keyed = key.lower() in wanted.keyed_parents
        for key_node, value_node in node.value:
            child = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else key
            if isinstance(key_node, yaml.ScalarNode):
                position = key_node.start_mark.index
                if keyed:
                    out.append(Leaf(path, key, child, position, mapping_key=True))
                if isinstance(value_node, yaml.ScalarNode) and child in wanted.pair_names:
                    out.append(Leaf(path, child, f"{child}={value_node.value}", position, pair=True))
            if child not in wanted.opaque:
                _yaml_node(value_node, _join(path, child), child, False, context)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _yaml_node(item, path, key, True, context)
    elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        out.append(Leaf(path, key, node.value, node.start_mark.index, in_list=in_list))


def yaml_leaves(text: str, wanted: Wanted) -> list[Leaf]:
    try:
        documents = list(yaml.compose_all(text, Loader=YAML_LOADER))
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML ({str(exc).splitlines()[0]})") from exc
    out: list[Leaf] = []
    for document in documents:
        if document is not None:
            _yaml_node(document, "", "", False, (wanted, out))
    return out


# ---- JSON and TOML: parsed objects, strings numbered in document order --------------------------------


class _Walker:
    """Leaves of a parsed object, appended to `out` (plain recursion: generators cost a frame per level
    per leaf). Every string, key or value, advances `ordinal` as it appears in a JSON document."""

    def __init__(self, wanted: Wanted) -> None:
        self.ordinal = 0
        self.wanted = wanted
        self.out: list[Leaf] = []

    def walk(self, value: Any, path: str, key: str, in_list: bool) -> None:
        if isinstance(value, dict):
            keyed = key.lower() in self.wanted.keyed_parents
            pairs, opaque = self.wanted.pair_names, self.wanted.opaque
            for child_key, child in value.items():  # JSON and TOML keys are always strings
                if child_key in opaque:
                    self.ordinal += 1 + count_strings(child)
                    continue
                if keyed:
                    self.out.append(Leaf(path, key, child_key, -1, self.ordinal, mapping_key=True))
                if child_key in pairs and isinstance(child, str):
                    self.out.append(
                        Leaf(path, child_key, f"{child_key}={child}", -1, self.ordinal, pair=True)
                    )
                self.ordinal += 1
                if isinstance(child, CONTAINERS):
                    self.walk(child, _join(path, child_key), child_key, False)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, CONTAINERS):
                    self.walk(item, path, key, True)
        elif isinstance(value, str):
            self.out.append(Leaf(path, key, value, -1, self.ordinal, in_list=in_list))
            self.ordinal += 1


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not valid JSON ({exc})") from exc


def object_leaves(parsed: Any, wanted: Wanted) -> list[Leaf]:
    """Leaves of a parsed JSON/TOML object; top-level lists and strings are leaves too."""
    walker = _Walker(wanted)
    walker.walk(parsed, "", "", False)
    return walker.out


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


def structured_leaves(kind: str, text: str, wanted: Wanted) -> list[Leaf]:
    """Every string value of a YAML/JSON/TOML file (and the wanted pairs and keys) with its key path;
    JSON/TOML positions are -1 until `locate` fills them in for the leaves that matter."""
    if kind == "yaml":
        return yaml_leaves(text, wanted)
    if kind == "json":
        parsed = parse_json(text)
    else:
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"not valid TOML ({exc})") from exc
    return object_leaves(parsed, wanted)


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
        # A window around the position, not the whole line: minified JSON is one line of megabytes, and
        # evidence is cut to 200 characters anyway.
        start = max(self.text.rfind("\n", max(0, position - EVIDENCE_WINDOW), position) + 1, position - 80)
        end = self.text.find("\n", position, position + EVIDENCE_WINDOW)
        return self.text[max(start, 0) : end if end >= 0 else min(len(self.text), position + EVIDENCE_WINDOW)]


_NEWLINE = re.compile("\n")
EVIDENCE_WINDOW = 400
