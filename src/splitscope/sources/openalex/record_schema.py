"""The fields of OpenAlex works and authors records the flatten reads, and that shape as each engine's
JSON parser wants it (DuckDB's `json_transform` structure, Spark's `from_json` DDL). Every scalar is read
as a string and cast in the SQL (flatten_sql.py): the engines' parsers disagree on type mismatches."""

from __future__ import annotations

import json

S = "s"  # a JSON scalar, read as a string

# Only what the flatten's SQL reads: every member in the structure costs parse time (DuckDB builds a
# value for each, measured: doi, publication_date and updated_date together 9% of json_transform on a
# chunk of the generated snapshot, concepts and topics 5%).
WORK_SCHEMA: dict[str, object] = {
    "id": S,
    "title": S,
    "display_name": S,
    "publication_year": S,
    "type": S,
    "primary_location": {"source": {"id": S, "display_name": S}},
    "authorships": [
        {
            "author_position": S,
            "author": {"id": S, "display_name": S, "orcid": S},
            "institutions": [{"id": S, "display_name": S, "ror": S, "country_code": S, "type": S}],
            "countries": [S],
            "is_corresponding": S,
            "raw_author_name": S,
            "raw_affiliation_strings": [S],
        }
    ],
    "concepts": [{"id": S}],
    "topics": [{"id": S}],
    "primary_topic": {"id": S},
    "keywords": [{"display_name": S}],
}


def work_schema(concepts: bool, topics: bool) -> dict[str, object]:
    """WORK_SCHEMA without the members only a filter reads (concepts; topics and primary_topic) when
    the filter does not read them."""
    unused = set() if concepts else {"concepts"}
    unused |= set() if topics else {"topics", "primary_topic"}
    return {key: value for key, value in WORK_SCHEMA.items() if key not in unused}


AUTHOR_SCHEMA: dict[str, object] = {
    "id": S,
    "display_name": S,
    "affiliations": [
        {"institution": {"id": S, "display_name": S, "ror": S, "country_code": S, "type": S}, "years": [S]}
    ],
}


def duckdb_structure(schema: object) -> str:
    """The `json_transform` structure string."""

    def convert(node: object) -> object:
        if node == S:
            return "VARCHAR"
        if isinstance(node, list):
            return [convert(node[0])]
        assert isinstance(node, dict)
        return {key: convert(value) for key, value in node.items()}

    return json.dumps(convert(schema))


def spark_ddl(schema: object) -> str:
    """The `from_json` schema as a Spark DDL string."""

    def convert(node: object) -> str:
        if node == S:
            return "STRING"
        if isinstance(node, list):
            return f"ARRAY<{convert(node[0])}>"
        assert isinstance(node, dict)
        return "STRUCT<" + ", ".join(f"`{k}`: {convert(v)}" for k, v in node.items()) + ">"

    assert isinstance(schema, dict)
    return ", ".join(f"`{k}` {convert(v)}" for k, v in schema.items())
