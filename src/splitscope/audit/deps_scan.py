"""Dependency detectors: requirements files, pyproject.toml, Pipfile and lock files (poetry, uv, pdm).

Only distributions listed in audit/data/packages.yaml become findings.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any

from splitscope.audit.catalog import Catalog, normalise_package
from splitscope.audit.model import PACKAGE, Finding, redact

REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
TOML_LOCKS = ("poetry.lock", "uv.lock", "pdm.lock")


def dependency_file_type(name: str) -> str | None:
    lowered = name.lower()
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


def _line_of(lines: list[str], needle: str) -> int:
    for number, line in enumerate(lines, 1):
        if needle in line and not line.lstrip().startswith("#"):
            return number
    return 0


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
    if file_type == "pipfile-lock":
        parsed = json.loads(text)
        for section in ("default", "develop"):
            for name in parsed.get(section, {}):
                yield name, _line_of(lines, f'"{name}"')
        return
    parsed = tomllib.loads(text)
    if file_type == "lock":
        for package in parsed.get("package", []):
            name = package.get("name", "")
            yield name, _line_of(lines, f'name = "{name}"')
    elif file_type == "pipfile":
        for section in ("packages", "dev-packages"):
            for name in parsed.get(section, {}):
                yield name, _line_of(lines, name)
    else:
        for requirement in _pyproject_requirements(parsed):
            match = REQUIREMENT_NAME.match(requirement)
            if match:
                yield match.group(1), _line_of(lines, requirement)


def scan_dependencies(catalog: Catalog, relative: str, file_type: str, text: str) -> list[Finding]:
    """Findings for the AI-relevant distributions a dependency file declares (ValueError if malformed)."""
    lines = text.splitlines()
    findings: dict[tuple[str, int], Finding] = {}
    for name, line in _declared(file_type, text):
        package = catalog.packages.get(normalise_package(name))
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
