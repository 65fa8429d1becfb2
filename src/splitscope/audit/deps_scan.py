"""Dependency detectors: requirements files, pyproject.toml, setup.cfg, Pipfile and lock files (poetry,
uv, pdm), and the npm files (npm_deps.py). Only distributions in audit/data/packages.yaml become findings.

Each name's line comes from one pass over the file (a lock file can list thousands of packages; searching
the text once per catalogued name would be quadratic).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any

from splitscope.audit.catalog import Catalog, normalise_package
from splitscope.audit.model import PACKAGE, Finding, redact
from splitscope.audit.npm_deps import npm_file_type, npm_names

REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
QUOTED_KEY = re.compile(r'"([A-Za-z0-9][A-Za-z0-9._-]*)"\s*:')
LOCK_NAME = re.compile(r'^name = "([^"]+)"')
LINE_START_NAME = re.compile(r"^\s*\"?([A-Za-z0-9][A-Za-z0-9._-]*)\"?\s*=")
QUOTED_REQUIREMENT = re.compile(r"[\"']([A-Za-z0-9][A-Za-z0-9._-]*)")
TOML_LOCKS = ("poetry.lock", "uv.lock", "pdm.lock")


def dependency_file_type(name: str) -> str | None:
    lowered = name.lower()
    npm = npm_file_type(lowered)
    if npm:
        return npm
    if lowered == "setup.cfg":
        return "setup-cfg"
    if lowered in TOML_LOCKS:
        return "lock"
    if lowered == "pipfile.lock":
        return "pipfile-lock"
    if lowered == "pipfile":
        return "pipfile"
    if lowered == "pyproject.toml":
        return "pyproject"
    if lowered.endswith((".txt", ".in")) and "requirements" in lowered:
        return "requirements"
    return None


def _requirement_names(text: str) -> Iterator[tuple[str, int]]:
    for number, line in enumerate(text.splitlines(), 1):
        content = line.split(" #", 1)[0].strip()
        if not content or content.startswith(("#", "-", "http:", "https:", "git+")):
            continue
        match = REQUIREMENT_NAME.match(content)
        if match:
            yield match.group(1), number


def _first_lines(lines: list[str], pattern: re.Pattern[str]) -> dict[str, int]:
    """Line of the first uncommented match of `pattern` (group 1 = a name), for every name: one pass."""
    found: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("#"):
            continue
        for match in pattern.finditer(line):
            found.setdefault(normalise_package(match.group(1)), number)
    return found


def _setup_cfg_requirements(lines: list[str]) -> Iterator[tuple[str, int]]:
    """install_requires / extras_require of setup.cfg, read line by line (configparser keeps no lines)."""
    section, key = "", ""
    for number, line in enumerate(lines, 1):
        stripped = line.split(" #", 1)[0].strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("["):
            section, key = stripped.strip("[]").strip(), ""
            continue
        if not line[0].isspace() and "=" in stripped:
            key, _, stripped = (part.strip() for part in stripped.partition("="))
        wanted = (section == "options" and key in ("install_requires", "setup_requires")) or (
            section == "options.extras_require"
        )
        match = REQUIREMENT_NAME.match(stripped) if wanted and stripped else None
        if match:
            yield match.group(1), number


def _pyproject_requirements(parsed: dict[str, Any]) -> Iterator[str]:
    project = parsed.get("project", {})
    yield from project.get("dependencies", [])
    for group in project.get("optional-dependencies", {}).values():
        yield from group
    for group in parsed.get("dependency-groups", {}).values():
        yield from (item for item in group if isinstance(item, str))
    poetry = parsed.get("tool", {}).get("poetry", {})
    yield from poetry.get("dependencies", {}).keys()
    for group in poetry.get("group", {}).values():
        yield from group.get("dependencies", {}).keys()


def _declared(file_type: str, text: str) -> Iterator[tuple[str, int]]:
    lines = text.splitlines()
    if file_type == "requirements":
        yield from _requirement_names(text)
        return
    if file_type == "setup-cfg":
        yield from _setup_cfg_requirements(lines)
        return
    if file_type == "pipfile-lock":
        parsed = json.loads(text)
        where = _first_lines(lines, QUOTED_KEY)
        for section in ("default", "develop"):
            for name in parsed.get(section, {}):
                yield name, where.get(normalise_package(name), 0)
        return
    if file_type == "lock":
        # poetry/uv/pdm locks: every [[package]] starts with `name = "..."` on its own line. Read by
        # that line alone: parsing a lock of thousands of packages with tomllib (pure Python) took 0.7 s.
        for name, line in _first_lines(lines, LOCK_NAME).items():
            yield name, line
        return
    parsed = tomllib.loads(text)
    if file_type == "pipfile":
        where = _first_lines(lines, LINE_START_NAME)
        for section in ("packages", "dev-packages"):
            for name in parsed.get(section, {}):
                yield name, where.get(normalise_package(name), 0)
    else:
        where = _first_lines(lines, QUOTED_REQUIREMENT)
        for requirement in _pyproject_requirements(parsed):
            match = REQUIREMENT_NAME.match(requirement)
            if match:
                yield match.group(1), where.get(normalise_package(match.group(1)), 0)


def scan_dependencies(catalog: Catalog, relative: str, file_type: str, text: str) -> list[Finding]:
    """Findings for the AI-relevant distributions a dependency file declares (ValueError if malformed)."""
    lines = text.splitlines()
    findings: dict[tuple[str, int], Finding] = {}
    npm = file_type.startswith(("npm", "yarn", "pnpm"))
    declared = npm_names(file_type, text, catalog.npm_packages) if npm else _declared(file_type, text)
    for name, line in declared:
        package = catalog.npm_packages.get(name) if npm else catalog.packages.get(normalise_package(name))
        if package is None:
            continue
        evidence = lines[line - 1] if 0 < line <= len(lines) else name
        findings.setdefault(
            (package.name, line),
            Finding(
                PACKAGE,
                relative,
                line,
                redact(evidence),
                package.name,
                f"deps:{file_type}",
                f"package:{package.name}",
                package.role,
            ),
        )
    return sorted(findings.values(), key=lambda f: (f.line, f.subject))
