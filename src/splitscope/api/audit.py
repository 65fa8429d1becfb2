"""audit: what a codebase depends on, and whose."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from splitscope import __version__
from splitscope.audit.bom import build_bom
from splitscope.audit.html import write_html
from splitscope.audit.report import Audit, check_fail_on, parse_fail_on, run_audit
from splitscope.audit.sarif import build_sarif
from splitscope.errors import CheckFailedError, SplitscopeError


@dataclass(frozen=True)
class AuditOptions:
    home: str | None = None  # the user's jurisdiction: marks cross-border dependencies
    fail_on: str | None = None  # 'CN,unknown': the audit fails when a dependency is in these
    bom: Path | None = None  # write a CycloneDX ML-BOM here
    html: Path | None = None  # write the audit as an HTML page here
    sarif: Path | None = None  # write a SARIF 2.1.0 log here (code-scanning UIs)


@dataclass
class AuditResult:
    audit: Audit
    written: list[Path] = field(default_factory=list)
    problem: SplitscopeError | None = None  # the --fail-on gate, when it failed

    def to_dict(self) -> dict[str, Any]:
        return self.audit.document


def audit(
    path: Path, options: AuditOptions = AuditOptions(), progress: Callable[[int], None] | None = None
) -> AuditResult:
    """`splitscope audit`: scan, attribute to publishers and jurisdictions, write the BOM/HTML/SARIF if asked,
    and check the --fail-on gate (its failure is the result's `problem`, after everything is written)."""
    codes = parse_fail_on(options.fail_on)
    scanned = run_audit(path, home=options.home, show_progress=progress)
    result = AuditResult(scanned)
    if options.bom is not None:
        options.bom.write_text(json.dumps(build_bom(scanned.deps), indent=2), encoding="utf-8")
        result.written.append(options.bom)
    if options.html is not None:
        write_html(scanned.document, options.html)
        result.written.append(options.html)
    if options.sarif is not None:
        log = build_sarif(scanned.deps, __version__, options.home, codes)
        options.sarif.write_text(json.dumps(log, indent=2), encoding="utf-8")
        result.written.append(options.sarif)
    try:
        check_fail_on(scanned, codes)
    except CheckFailedError as failed:
        result.problem = failed
    return result
