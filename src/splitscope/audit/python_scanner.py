"""Per-module state the Python detectors share: where a node is, and how a value becomes a finding."""

from __future__ import annotations

import ast

from splitscope.audit.catalog import Catalog
from splitscope.audit.model import Finding, redact
from splitscope.audit.python_values import ModuleFacts, Value
from splitscope.audit.signals import model_name_finding


class Scanner:
    def __init__(self, catalog: Catalog, relative: str, lines: list[str], facts: ModuleFacts) -> None:
        self.catalog, self.relative, self.lines, self.facts = catalog, relative, lines, facts
        self.findings: list[Finding] = []

    def where(self, node: ast.AST) -> tuple[str, int, str]:
        line = getattr(node, "lineno", 0)
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return self.relative, line, text

    def add(self, kind: str, node: ast.AST, value: Value | None, detector: str, hint: str = "") -> None:
        file, line, text = self.where(node)
        if value is None:
            note = (
                f"unresolved expression {ast.unparse(node)}" if isinstance(node, ast.expr) else "unresolved"
            )
            self.findings.append(Finding(kind, file, line, redact(text), "", detector, hint, note))
            return
        note = "; ".join(n for n in (value.origin, "partly dynamic" if value.partial else "") if n)
        if hint:
            self.findings.append(Finding(kind, file, line, redact(text), value.text, detector, hint, note))
            return
        found = model_name_finding(self.catalog, value.text, (file, line, text), detector, kind)
        subject_hint = found.hint if found else ""
        base_note = found.note if found else ""
        self.findings.append(
            Finding(
                kind,
                file,
                line,
                redact(text),
                value.text,
                detector,
                subject_hint,
                "; ".join(n for n in (base_note, note) if n),
            )
        )

    def add_named(self, kind: str, node: ast.expr | None, call: ast.Call, detector: str) -> None:
        """A model/dataset named by argument `node`: one finding per possible value, or one unresolved."""
        if node is None:
            return
        values = self.facts.resolve(node)
        if not values:
            self.add(kind, node, None, detector)
        for value in values:
            self.add(kind, node, value, detector)


def arg(call: ast.Call, position: int | None, *keywords: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg in keywords:
            return keyword.value
    if (
        position is not None
        and len(call.args) > position
        and not isinstance(call.args[position], ast.Starred)
    ):
        return call.args[position]
    return None


def keyword_text(scanner: Scanner, call: ast.Call, name: str) -> str | None:
    values = scanner.facts.resolve(arg(call, None, name))
    return values[0].text if values else None


def where_redacted(s: Scanner, node: ast.AST) -> tuple[str, int, str]:
    file, line, text = s.where(node)
    return file, line, redact(text)
