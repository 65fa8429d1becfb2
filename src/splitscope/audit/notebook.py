"""Jupyter notebooks: the code cells, read as one Python module (a constant defined in one cell and used
in a later one resolves), with every finding placed on the notebook file's own line. Markdown cells
and outputs never count. IPython magics (`%...`) are blanked; shell escapes (`!vllm serve X`) are read
as shell lines.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any

from splitscope.audit.catalog import Catalog
from splitscope.audit.command_line import scan_env_lines
from splitscope.audit.model import Finding
from splitscope.audit.python_scan import scan_python
from splitscope.audit.structured import ConfigError, LineIndex, json_positions, parse_json


def _count_strings(value: Any) -> int:
    if isinstance(value, str):
        return 1
    if isinstance(value, dict):
        return sum(1 + _count_strings(child) for child in value.values())
    if isinstance(value, list):
        return sum(_count_strings(item) for item in value)
    return 0


def _code_lines(notebook: Any) -> list[tuple[int, str, int]]:
    """(ordinal of the JSON string, code line, cell number) for every line of every code cell, numbering
    strings in document order as structured.json_positions does."""
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ConfigError("not a Jupyter notebook (no 'cells' list)")
    ordinal, out = 0, []
    for key, value in notebook.items():
        ordinal += 1
        if key != "cells":
            ordinal += _count_strings(value)
            continue
        for number, cell in enumerate(value, 1):
            for cell_key, cell_value in cell.items() if isinstance(cell, dict) else ():
                ordinal += 1
                if cell_key == "source" and cell.get("cell_type") == "code":
                    items = cell_value if isinstance(cell_value, list) else [cell_value]
                    for item in items:
                        for line in str(item).splitlines() or [""]:
                            out.append((ordinal, line, number))
                        ordinal += 1
                else:
                    ordinal += _count_strings(cell_value)
    return out


def scan_notebook(catalog: Catalog, relative: str, text: str) -> list[Finding]:
    code = _code_lines(parse_json(text))
    index = LineIndex(text)
    positions = json_positions(text, {ordinal for ordinal, _, _ in code})
    file_lines = [index.line(positions.get(ordinal, -1)) for ordinal, _, _ in code]
    source_lines, shell_lines = [], []
    for number, (_, line, _) in enumerate(code, 1):
        stripped = line.lstrip()
        if stripped.startswith(("!", "%")):
            source_lines.append("")
            if stripped.startswith("!"):
                shell_lines.append((number, stripped[1:]))
        else:
            source_lines.append(line)
    findings = _python_findings(catalog, relative, source_lines, code)
    for number, command in shell_lines:
        findings += [
            replace(f, line=number) for f in scan_env_lines(catalog, relative, command, "notebook:shell")
        ]
    return [replace(f, line=file_lines[f.line - 1] if 0 < f.line <= len(file_lines) else 0) for f in findings]


def _python_findings(
    catalog: Catalog, relative: str, source_lines: list[str], code: list[tuple[int, str, int]]
) -> list[Finding]:
    """All code cells as one module; if that does not parse, each cell alone (bad cells skipped)."""
    source = "\n".join(source_lines)
    try:
        return scan_python(catalog, relative, source, ast.parse(source))
    except SyntaxError:
        pass
    findings: list[Finding] = []
    cells = sorted({cell for _, _, cell in code})
    for cell in cells:
        # Keep every other cell's lines blank so line numbers stay those of the whole notebook.
        cell_source = "\n".join(line if code[i][2] == cell else "" for i, line in enumerate(source_lines))
        try:
            findings += scan_python(catalog, relative, cell_source, ast.parse(cell_source))
        except SyntaxError:
            continue
    return findings
