"""The library call behind `splitscope report`: open the store, validate inputs, render."""

from __future__ import annotations

from pathlib import Path

from splitscope.analysis.claims import load_claims
from splitscope.config import load_settings
from splitscope.errors import UnusableInputError
from splitscope.filters import parse_selection
from splitscope.report.render import ReportResult, render_report
from splitscope.store import connect


def report_from_store(
    out: Path | str,
    venues: str | None = None,
    years: str | None = None,
    claims_file: Path | str | None = None,
    db: Path | str | None = None,
) -> ReportResult:
    selection = parse_selection(venues, years)
    load_claims(claims_file)  # a bad claims file is reported before the store is opened
    db_path = load_settings(db=db).db_path
    if not db_path.exists():
        raise UnusableInputError(f"{db_path}: no such store; run `splitscope build` first")
    con = connect(db_path, read_only=True)
    try:
        return render_report(con, out, selection, claims_file=claims_file)
    finally:
        con.close()
