"""`splitscope audit PATH`: scan, attribute, suggest, check; the JSON document and the --fail-on gate."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from splitscope.audit.alternatives import dual_source, eval_parity, rationale_stub
from splitscope.audit.attribute import NOT_APPLICABLE, UNKNOWN, Dependency, dependencies
from splitscope.audit.catalog import load_catalog
from splitscope.audit.checklists import evaluate_checklists
from splitscope.audit.model import MODEL, ScanResult
from splitscope.audit.scan import scan_repository
from splitscope.errors import CheckFailedError, UnusableInputError


@dataclass
class Audit:
    scan: ScanResult
    deps: list[Dependency]
    document: dict[str, Any]


def exposure(deps: list[Dependency], home: str | None) -> list[dict[str, Any]]:
    """Dependencies per jurisdiction and kind; cross_border when a home jurisdiction is given and differs."""
    counts = Counter(
        (d.attribution.jurisdiction, d.kind) for d in deps if d.attribution.jurisdiction != NOT_APPLICABLE
    )
    rows = []
    for jurisdiction in sorted({j for j, _ in counts}, key=lambda j: (j == UNKNOWN, j)):
        by_kind = {kind: n for (j, kind), n in counts.items() if j == jurisdiction}
        rows.append(
            {
                "jurisdiction": jurisdiction,
                "dependencies": sum(by_kind.values()),
                "by_kind": by_kind,
                "cross_border": None if home is None or jurisdiction == UNKNOWN else jurisdiction != home,
            }
        )
    return rows


def run_audit(path: Path | str, home: str | None = None, show_progress=None) -> Audit:
    catalog = load_catalog()
    scan = scan_repository(path, catalog, progress=show_progress)
    deps = dependencies(catalog, scan.findings)
    suggestions = dual_source(catalog, deps)
    by_subject = {s["current"]: s for s in suggestions}
    document = {
        "root": str(Path(path).resolve()),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "home_jurisdiction": home,
        "data_versions": catalog.versions,
        "files": {
            "seen": scan.files_seen,
            "read": scan.files_read,
            "skipped": len(scan.skipped),
            "not_analysed": dict(sorted(scan.not_analysed.items())),
        },
        "exposure": exposure(deps, home),
        "dependencies": [d.to_dict() for d in deps],
        "dual_source": suggestions,
        "eval_parity": eval_parity(catalog, scan.findings, suggestions, scan.result_lines),
        "checklists": evaluate_checklists(deps),
        "rationales": [rationale_stub(d, by_subject.get(d.subject)) for d in deps if d.kind == MODEL],
        "findings": [f.to_dict() for f in scan.findings],
        "skipped": [{"path": s.path, "reason": s.reason} for s in scan.skipped],
    }
    return Audit(scan, deps, document)


def parse_fail_on(value: str | None) -> list[str]:
    """'CN', 'CN,unknown' -> ['CN', 'unknown']; anything else is a usage error."""
    if not value:
        return []
    codes = [part.strip() for part in value.split(",") if part.strip()]
    for code in codes:
        if code != UNKNOWN and not (len(code) == 2 and code.isalpha() and code.isupper()):
            raise UnusableInputError(f"--fail-on {code!r}: give ISO country codes (CN, US) or 'unknown'")
    return codes


def check_fail_on(audit: Audit, codes: list[str]) -> None:
    hits = [d for d in audit.deps if d.attribution.jurisdiction in codes]
    if hits:
        shown = ", ".join(f"{d.label} ({d.attribution.jurisdiction})" for d in hits[:5])
        more = f" and {len(hits) - 5} more" if len(hits) > 5 else ""
        raise CheckFailedError(f"{len(hits)} dependencies in {','.join(codes)}: {shown}{more}")
