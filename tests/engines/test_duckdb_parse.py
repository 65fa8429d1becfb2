"""The DuckDB engine's line parse (engines/duckdb.py `_chunk`) and the line checks of flatten_sql.py
against their plain formulation: json_valid first, then json_transform, and the checks with the trims
on every line. A line that looks like an object (`{`...`}`) is transformed under `try` without
json_valid; malformed lines, type mismatches and lines that do not look like objects must come out the
same, parse flag, record and quarantine reason."""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa
import pytest

from splitscope.engines.duckdb import _chunk
from splitscope.sources.openalex import flatten_sql as q
from splitscope.sources.openalex.flatten import venue_sql
from splitscope.sources.openalex.record_schema import WORK_SCHEMA, duckdb_structure

STRUCTURE = q.quote(duckdb_structure(WORK_SCHEMA))
GOOD = {
    "id": "https://openalex.org/W1",
    "title": "A title",
    "publication_year": 2020,
    "authorships": [
        {
            "author": {"id": "https://openalex.org/A1", "display_name": "Ann Lee", "orcid": None},
            "institutions": [{"id": "https://openalex.org/I1", "display_name": "MIT", "country_code": "US"}],
            "countries": ["US"],
            "is_corresponding": True,
            "raw_affiliation_strings": ["MIT, Cambridge"],
        }
    ],
    "abstract_inverted_index": {"word": [0, 3]},
}
EDGE_LINES = [
    json.dumps(GOOD),
    '{"id": "https://openalex.org/W2", "title": }',  # looks like an object, is not JSON
    '{"id": "https://openalex.org/W3"} }',  # content after the object
    '{"id": "https://openalex.org/W4" "title": "x"}',  # a missing comma
    '{"id": "\\ud800", "title": "lone surrogate"}',  # valid to the eye, not to yyjson
    '{"id": "https://openalex.org/W5", "title": "T", "publication_year"',  # truncated
    '{"id": "https://openalex.org/W6", "title": "T", "publication_year": 2021}   ',  # trailing spaces
    '   {"id": "https://openalex.org/W7", "title": "T", "publication_year": 2021}',  # leading spaces
    '\t{"id": "https://openalex.org/W8", "title": "T", "publication_year": 2021}',
    "[1, 2]",
    '"a string"',
    "null",
    "not json at all",
    "{}",
    "{",
    "}",
    # type mismatches: every scalar is read as a string, a struct from a non-object is all NULL fields,
    # a list from a non-list is NULL
    json.dumps({**GOOD, "id": 12, "publication_year": "2020", "title": 1.5e3, "doi": {"a": [1, True]}}),
    json.dumps({**GOOD, "authorships": "none", "primary_location": ["x"], "keywords": {"k": 1}}),
    json.dumps({**GOOD, "authorships": [1, "x", None, {"author": "A", "institutions": {"id": 1}}]}),
    json.dumps({**GOOD, "authorships": [{"countries": [1, True, None, {"x": 1}], "is_corresponding": 0}]}),
    '{"id": "https://openalex.org/W9", "id": "https://openalex.org/W10", "title": "dup", "title": ""}',
    '{"id": "https://openalex.org/W11", "title": "nan", "publication_year": NaN}',
]


def plain_lines(con: duckdb.DuckDBPyConnection) -> None:
    """The parse as it was: json_valid of every line, then json_transform of the valid ones."""
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW plain_lines AS
            SELECT 'f' AS file, line_no, 'd' AS part_date, text, json_valid(text) AS parse_ok,
                   CASE WHEN json_valid(text) THEN json_transform(text, {STRUCTURE}) END AS rec
            FROM chunk_lines"""
    )


PLAIN_CHECKS = """
        WHEN ltrim(text) NOT LIKE '{%' THEN 'not a JSON object'
        WHEN NOT (text LIKE '%}' OR rtrim(right(text, 8)) LIKE '%}') OR NOT parse_ok
            THEN 'not valid JSON (truncated line?)'
        WHEN coalesce(trim(rec.id), '') = '' THEN 'no id'"""


def compare(lines: list[str]) -> list[tuple]:
    con = duckdb.connect()
    _chunk(con, "work", "f", "d", 1, pa.array(lines, type=pa.large_string()), STRUCTURE)
    plain_lines(con)
    columns = "line_no, parse_ok, rec"
    fast = con.execute(f"SELECT {columns} FROM work_lines ORDER BY line_no").fetchall()
    plain = con.execute(f"SELECT {columns} FROM plain_lines ORDER BY line_no").fetchall()
    assert fast == plain
    checked = q.work_stage_a("true", venue_sql(), "x")[0].sql
    new = con.execute(f"SELECT line_no, reason, work_id, text FROM ({checked}) ORDER BY line_no").fetchall()
    old_sql = checked.replace("FROM work_lines", "FROM plain_lines")
    old_sql = old_sql.replace(q._line_checks(), PLAIN_CHECKS)  # noqa: SLF001 - the old checks, for equality
    assert old_sql != checked.replace("FROM work_lines", "FROM plain_lines")
    old = con.execute(f"SELECT line_no, reason, work_id, text FROM ({old_sql}) ORDER BY line_no").fetchall()
    assert new == old
    con.close()
    return new


def test_edge_lines_parse_and_quarantine_as_before() -> None:
    reasons = {line_no: reason for line_no, reason, _, _ in compare(EDGE_LINES)}
    assert reasons[1] is None  # the good record
    for malformed in (2, 3, 4, 5, 6):
        assert reasons[malformed] == "not valid JSON (truncated line?)", malformed
    assert reasons[7] is None and reasons[8] is None  # spaces around an object are fine
    assert reasons[9] == reasons[10] == reasons[11] == "not a JSON object"
    assert reasons[14] == "no id"


@pytest.mark.parametrize("bad_at", [0, 1500, 2999])
def test_a_malformed_object_among_many_good_ones(bad_at: int) -> None:
    """`try` evaluates a vector with an error row by row: the rows around the bad one are unchanged."""
    lines = [json.dumps({**GOOD, "id": f"https://openalex.org/W{i}"}) for i in range(3000)]
    lines[bad_at] = '{"id": "https://openalex.org/W0", "title": }'
    result = compare(lines)
    assert [line_no for line_no, reason, _, _ in result if reason] == [bad_at + 1]
    assert sum(work_id is not None for _, _, work_id, _ in result) == 2999
