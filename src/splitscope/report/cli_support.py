"""The library call behind `splitscope report`: open the store, validate inputs, render."""

from __future__ import annotations

from pathlib import Path

from splitscope.analysis.claims import load_claims
from splitscope.config import load_settings
from splitscope.report.render import ReportResult, render_report
from splitscope.selection import parse_selection
from splitscope.store import open_store


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
    con = open_store(db_path)
    try:
        return render_report(con, out, selection, claims_file=claims_file)
    finally:
        con.close()
