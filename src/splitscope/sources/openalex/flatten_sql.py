"""The OpenAlex snapshot flatten as an engine-neutral plan (Splink-style): the plan types every engine
runs (engines/ imports them; this package never imports an engine) and the SQL steps themselves.

SQL is written in DuckDB's dialect; the Spark engine translates it with sqlglot. What cannot be said
the same way in both (reading gzip lines, parsing JSON, exploding a list with its position) is an engine
method; everything else is here. Rules that keep the two engines identical:
- every JSON scalar is parsed as a string and cast here with TRY_CAST (the engines' JSON parsers disagree
  on type mismatches: DuckDB reads "yes" as a boolean, Spark as NULL);
- no backslashes in SQL (Spark string literals treat them as escapes, DuckDB's do not);
- regexp_replace always with 'g' (DuckDB replaces the first match by default, Spark every match).

Stage A runs on parsed lines (one chunk at a time on DuckDB, all at once on Spark) and keeps each row's
(file, line_no) so that stage B can drop versions of a work superseded by a newer `updated_date=`
partition without holding every record at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from splitscope.sources.openalex.record_schema import WORK_SCHEMA
from splitscope.store.batch import columns as columns_of

if TYPE_CHECKING:
    from splitscope.sources.openalex.layout import Snapshot


@dataclass(frozen=True)
class Sql:
    """Create relation `name` from a SELECT."""

    name: str
    sql: str


@dataclass(frozen=True)
class Explode:
    """Create relation `name`: one row per element of `array` (an expression over `s`, the rows of
    `source`), with `keep` columns of `s`, the element as `item` (or the name given) and its 1-based position
    as `pos`."""

    name: str
    source: str
    keep: tuple[str, ...]
    array: str
    item: str = "item"


Step = Sql | Explode
Progress = Callable[[int], None]  # called with gzip bytes done since the last call


@dataclass(frozen=True)
class FlattenPlan:
    """The steps of each stage; the first stage-A step of each entity is the one that reads the parsed
    lines (`<entity>_lines`) and keeps one row per line (DuckDB runs it per chunk, the others per batch)."""

    work_steps: list[Step]
    author_steps: list[Step]
    stage_b: list[Step]
    tables: dict[str, str]  # output table → the SELECT that fills it
    counts: str
    with_authors: bool
    work_schema: dict[str, object] = field(default_factory=lambda: dict(WORK_SCHEMA))  # what is parsed


class FlattenEngine(Protocol):
    """What an engine (engines/duckdb.py, engines/spark.py) does with a plan: read the snapshot's lines,
    run the steps, write out_dir's Parquet; returns (counts row, non-empty lines per file)."""

    name: str

    def flatten(
        self, snapshot: Snapshot, plan: FlattenPlan, out_dir: Path, progress: Progress | None
    ) -> tuple[dict[str, int], dict[str, int]]: ...


# The tables a flatten writes (their columns: store/batch.py), in the order they are counted.
OUTPUT_TABLES = (
    "papers",
    "authorships",
    "affiliation_mentions",
    "openalex_authorships",
    "openalex_authorship_institutions",
    "openalex_author_affiliation_years",
    "quarantine",
)

# Relations several later steps read: engines keep these (DuckDB materialises them per chunk, Spark
# persists them on disk); the others stay views. Measured on DuckDB: materialising every step copied the
# parsed structs again and again (2x slower); views everywhere recomputed the explodes (7x slower).
SHARED = frozenset(
    ("work_checked", "work_authorships_named", "work_institution_items", "author_checked")
    + ("work_superseded", "author_superseded", "referenced_authors")
)


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def short_id_sql(expr: str) -> str:
    """'https://openalex.org/W123' → 'W123' (short ids, as in the interface), cut by position (below)."""
    return strip_prefix_sql(expr, "https://openalex.org/", "^https?://openalex[.]org/")


def strip_prefix_sql(expr: str, usual: str, pattern: str) -> str:
    """`expr` without a URL prefix: the usual one cut by position, any other spelling by `pattern`."""
    return (
        f"(CASE WHEN left({expr}, {len(usual)}) = {quote(usual)} THEN substr({expr}, {len(usual) + 1}) "
        f"ELSE regexp_replace({expr}, {quote(pattern)}, '', 'g') END)"
    )


def fold(expr: str) -> str:
    """Spaces folded and trimmed, as the other sources store strings; '' for an all-space string. The
    regular expression runs only on strings that hold a tab, a newline or two spaces in a row: a plain
    trim costs a sixth of it, and it ran on every title, name and affiliation (measured: 8% of stage A)."""
    tabs = " OR ".join(f"strpos({expr}, {needle}) > 0" for needle in ("'  '", "chr(9)", "chr(10)", "chr(13)"))
    regex = f"trim(regexp_replace({expr}, '[ ' || chr(9) || chr(10) || chr(13) || ']+', ' ', 'g'))"
    return f"(CASE WHEN {tabs} THEN {regex} ELSE trim({expr}) END)"


# An e-mail address in a quarantined raw record is masked (README: e-mail addresses are never stored).
_EMAIL = "[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+[.])+[A-Za-z]+"
# Raw records are evidence, not archives: a 2 MB work with thousands of authors is kept as its start.
RAW_RECORD_CHARS = 20_000


def _line_checks() -> str:
    """Why a non-empty line cannot be used before looking at fields (NULL when it can). The checks
    touch only the ends of a line: trimming a 5 kB record costs more than parsing it, and so does
    `right()` (it counts characters from the start): trims only where the plain test fails."""
    return """
        WHEN CASE WHEN text LIKE '{%' THEN false ELSE ltrim(text) NOT LIKE '{%' END THEN 'not a JSON object'
        WHEN CASE WHEN text LIKE '%}' THEN NOT parse_ok
                  ELSE NOT (rtrim(right(text, 8)) LIKE '%}' AND parse_ok) END
            THEN 'not valid JSON (truncated line?)'
        WHEN coalesce(trim(rec.id), '') = '' THEN 'no id'"""


def _quarantine_select(checked: str, source_id: str) -> str:
    return f"""
        SELECT file, line_no, {quote(source_id)} AS source_id,
               file || ':' || CAST(line_no AS VARCHAR) AS locator, reason,
               left(regexp_replace(text, '{_EMAIL}', '***@masked', 'g'), {RAW_RECORD_CHARS}) AS raw_record
        FROM {checked} WHERE reason IS NOT NULL"""


def work_stage_a(filter_sql: str, venue_sql: str, source_id: str) -> list[Step]:
    """Parsed work lines (`work_lines`: file, line_no, part_date, text, parse_ok, rec) → staged rows."""
    sid = quote(source_id)
    title = f"coalesce(nullif({fold('rec.title')}, ''), nullif({fold('rec.display_name')}, ''))"
    paper_id = "'openalex:' || work_id"
    authorship_id = f"{paper_id} || '#' || CAST(pos AS VARCHAR)"
    display, raw_name = fold("item.author.display_name"), fold("item.raw_author_name")
    name = f"coalesce(nullif({display}, ''), nullif({raw_name}, ''))"
    orcid = strip_prefix_sql("item.author.orcid", "https://orcid.org/", "^https?://orcid[.]org/")
    return [
        Sql(
            "work_checked",
            f"""SELECT file, line_no, part_date, CASE WHEN reason IS NULL THEN NULL ELSE text END AS text,
                       rec, reason,
                       CASE WHEN reason IS NULL THEN {short_id_sql("rec.id")} END AS work_id,
                       CASE WHEN reason IS NULL THEN ({filter_sql}) END AS selected
                FROM (SELECT *, CASE {_line_checks()}
                        WHEN {title} IS NULL THEN 'no title'
                        WHEN TRY_CAST(rec.publication_year AS INTEGER) IS NULL THEN 'no publication_year'
                      END AS reason
                      FROM work_lines WHERE text <> '') AS t""",
        ),
        Sql("work_line_counts", "SELECT file, count(*) AS n FROM work_checked GROUP BY file"),
        Sql("work_quarantine", _quarantine_select("work_checked", source_id)),
        Sql(
            "work_versions",
            "SELECT work_id, part_date, file, line_no, selected FROM work_checked WHERE reason IS NULL",
        ),
        Sql(
            "work_papers",
            f"""SELECT file, line_no, {paper_id} AS paper_id, {venue_sql} AS venue,
                       TRY_CAST(rec.publication_year AS INTEGER) AS year, {title} AS title,
                       rec.type AS status, CAST(NULL AS VARCHAR) AS track, true AS accepted,
                       false AS top_tier, list_transform(rec.keywords, lambda k: k.display_name) AS keywords,
                       CAST(NULL AS VARCHAR) AS primary_area, {sid} AS source_id,
                       work_id AS source_paper_id, CAST(NULL AS VARCHAR) AS openreview_forum_id
                FROM (SELECT *, {short_id_sql("rec.primary_location.source.id")} AS venue_source
                      FROM work_checked WHERE reason IS NULL AND selected) AS w""",
        ),
        Sql(
            "work_kept",
            "SELECT file, line_no, work_id, rec FROM work_checked WHERE reason IS NULL AND selected",
        ),
        Explode("work_authorship_items", "work_kept", ("file", "line_no", "work_id"), "rec.authorships"),
        # An authorship with neither a display name nor a raw name cannot be stored (name is NOT NULL);
        # its position stays unused so the others keep OpenAlex's byline order.
        # has_raw: a non-empty printed affiliation (then institution names are no mentions; below)
        Sql(
            "work_authorships_named",
            f"""SELECT file, line_no, work_id, pos, item, {authorship_id} AS authorship_id, {name} AS name,
                       coalesce(array_length(list_filter(item.raw_affiliation_strings,
                                                         lambda x: {fold("x")} <> '')), 0) > 0 AS has_raw
                FROM work_authorship_items WHERE {name} IS NOT NULL""",
        ),
        Sql(
            "work_authorships",
            f"""SELECT file, line_no, authorship_id, {paper_id} AS paper_id, pos AS position, name,
                       CAST(NULL AS VARCHAR) AS openreview_id,
                       {orcid} AS orcid,
                       CAST(NULL AS VARCHAR) AS email_domain, CAST(NULL AS VARCHAR) AS position_title,
                       {sid} AS source_id
                FROM work_authorships_named""",
        ),
        Sql(
            "work_openalex_authorships",
            f"""SELECT file, line_no, authorship_id, {short_id_sql("item.author.id")} AS openalex_author_id,
                       item.author_position AS author_position,
                       CASE lower(item.is_corresponding) WHEN 'true' THEN true WHEN 'false' THEN false
                       END AS is_corresponding,
                       item.countries AS countries, {sid} AS source_id
                FROM work_authorships_named""",
        ),
        Explode(
            "work_raw_affiliations",
            "work_authorships_named",
            ("file", "line_no", "authorship_id"),
            "item.raw_affiliation_strings",
        ),
        Explode(
            "work_institution_items",
            "work_authorships_named",
            ("file", "line_no", "authorship_id", "has_raw"),
            "item.institutions",
        ),
        Sql(
            "work_openalex_institutions",
            f"""SELECT file, line_no, authorship_id, pos AS institution_order,
                       {short_id_sql("item.id")} AS institution_id, item.ror AS ror,
                       item.display_name AS display_name, item.country_code AS country_code,
                       item.type AS institution_type, {sid} AS source_id
                FROM work_institution_items""",
        ),
        # The printed strings are what the resolver reads; OpenAlex's institution names stand in only
        # for an authorship that has no non-empty raw string at all.
        Sql(
            "work_mentions",
            f"""SELECT file, line_no, authorship_id, mention_order, affiliation, {sid} AS source_id,
                       source_field, CAST(NULL AS VARCHAR) AS country_label, 'openalex' AS basis
                FROM (SELECT file, line_no, authorship_id, pos AS mention_order,
                             {fold("item")} AS affiliation, 'raw_affiliation_strings' AS source_field
                      FROM work_raw_affiliations
                      UNION ALL
                      SELECT file, line_no, authorship_id, pos AS mention_order,
                             {fold("item.display_name")} AS affiliation,
                             'institutions.display_name' AS source_field
                      FROM work_institution_items WHERE NOT has_raw) AS m
                WHERE affiliation <> ''""",
        ),
    ]


def author_stage_a(authors_source_id: str) -> list[Step]:
    """Parsed author lines (`author_lines`) → staged author versions and affiliation years."""
    sid = quote(authors_source_id)
    return [
        Sql(
            "author_checked",
            f"""SELECT file, line_no, part_date, CASE WHEN reason IS NULL THEN NULL ELSE text END AS text,
                       rec, reason, CASE WHEN reason IS NULL THEN {short_id_sql("rec.id")} END AS author_id
                FROM (SELECT *, CASE {_line_checks()} END AS reason
                      FROM author_lines WHERE text <> '') AS t""",
        ),
        Sql("author_line_counts", "SELECT file, count(*) AS n FROM author_checked GROUP BY file"),
        Sql("author_quarantine", _quarantine_select("author_checked", authors_source_id)),
        Sql(
            "author_versions",
            "SELECT author_id AS work_id, part_date, file, line_no, true AS selected "
            "FROM author_checked WHERE reason IS NULL",
        ),
        Sql("author_kept", "SELECT file, line_no, author_id, rec FROM author_checked WHERE reason IS NULL"),
        Explode(
            "author_affiliation_items", "author_kept", ("file", "line_no", "author_id"), "rec.affiliations"
        ),
        Explode(
            "author_year_items",
            "author_affiliation_items",
            ("file", "line_no", "author_id", "item"),
            "item.years",
            item="year_text",
        ),
        Sql(
            "author_years",
            f"""SELECT file, line_no, author_id AS openalex_author_id,
                       {short_id_sql("item.institution.id")} AS institution_id,
                       item.institution.display_name AS display_name,
                       item.institution.country_code AS country_code,
                       TRY_CAST(year_text AS INTEGER) AS year, {sid} AS source_id
                FROM author_year_items WHERE TRY_CAST(year_text AS INTEGER) IS NOT NULL""",
        ),
    ]


# Stage A outputs written per chunk (DuckDB) and read back by stage B.
WORK_STAGED = (
    "work_line_counts",
    "work_quarantine",
    "work_versions",
    "work_papers",
    "work_authorships",
    "work_openalex_authorships",
    "work_openalex_institutions",
    "work_mentions",
)
AUTHOR_STAGED = ("author_line_counts", "author_quarantine", "author_versions", "author_years")


def superseded_sql(versions: str) -> str:
    """(file, line_no, work_id, winner_selected) of every version that a newer one replaces: the newest
    `updated_date=` partition wins, then the later file and line. Only ids seen more than once are ranked,
    so the sort touches the duplicates, not the whole snapshot. `winner_selected`: the newest version
    passed the filter (the others count as merged into it; else all count as filtered out)."""
    order = "PARTITION BY work_id ORDER BY part_date DESC, file DESC, line_no DESC"
    return f"""
        SELECT file, line_no, work_id, winner_selected FROM (
            SELECT file, line_no, work_id, row_number() OVER ({order}) AS version_rank,
                   first_value(selected) OVER ({order}) AS winner_selected
            FROM {versions}
            WHERE work_id IN (SELECT work_id FROM {versions} GROUP BY work_id HAVING count(*) > 1)
        ) AS ranked WHERE version_rank > 1"""


_STAGED_OF = {
    "papers": "work_papers",
    "authorships": "work_authorships",
    "affiliation_mentions": "work_mentions",
    "openalex_authorships": "work_openalex_authorships",
    "openalex_authorship_institutions": "work_openalex_institutions",
}


def final_tables_sql(with_authors: bool) -> dict[str, str]:
    """Stage B: each output table from the staged relations, superseded versions dropped. Author
    histories are kept for the authors the stored works name (not the whole authors snapshot)."""
    tables = {}
    for table, staged in _STAGED_OF.items():
        columns = ", ".join(columns_of(table))
        tables[table] = f"SELECT {columns} FROM {staged} ANTI JOIN work_superseded USING (file, line_no)"
    quarantine = ", ".join(columns_of("quarantine"))
    tables["quarantine"] = f"SELECT {quarantine} FROM work_quarantine"
    if with_authors:
        columns = ", ".join(columns_of("openalex_author_affiliation_years"))
        tables["quarantine"] += f" UNION ALL SELECT {quarantine} FROM author_quarantine"
        tables["openalex_author_affiliation_years"] = f"""
            SELECT {columns} FROM author_years ANTI JOIN author_superseded USING (file, line_no)
            WHERE openalex_author_id IN (SELECT openalex_author_id FROM referenced_authors)"""
    return tables


def stage_b_steps(with_authors: bool) -> list[Step]:
    steps: list[Step] = [Sql("work_superseded", superseded_sql("work_versions"))]
    if with_authors:
        steps += [
            Sql("author_superseded", superseded_sql("author_versions")),
            Sql(
                "referenced_authors",
                "SELECT DISTINCT openalex_author_id FROM work_openalex_authorships "
                "ANTI JOIN work_superseded USING (file, line_no) WHERE openalex_author_id IS NOT NULL",
            ),
        ]
    return steps


def counts_sql(with_authors: bool) -> str:
    """One row of counts that must reconcile (see FlattenSummary)."""
    work = """
        (SELECT coalesce(sum(n), 0) FROM work_line_counts) AS work_lines,
        (SELECT count(*) FROM work_quarantine) AS works_quarantined,
        (SELECT count(*) FROM work_versions) AS work_versions,
        (SELECT count(*) FROM work_papers ANTI JOIN work_superseded USING (file, line_no)) AS works_stored,
        (SELECT count(*) FROM work_superseded WHERE winner_selected) AS works_merged"""
    if not with_authors:
        return (
            f"SELECT {work}, 0 AS author_lines, 0 AS authors_quarantined, 0 AS author_versions, "
            "0 AS authors_stored, 0 AS authors_merged"
        )
    return f"""SELECT {work},
        (SELECT coalesce(sum(n), 0) FROM author_line_counts) AS author_lines,
        (SELECT count(*) FROM author_quarantine) AS authors_quarantined,
        (SELECT count(*) FROM author_versions) AS author_versions,
        (SELECT count(*) FROM author_versions ANTI JOIN author_superseded USING (file, line_no)
          WHERE work_id IN (SELECT openalex_author_id FROM referenced_authors)) AS authors_stored,
        (SELECT count(*) FROM author_superseded
          WHERE work_id IN (SELECT openalex_author_id FROM referenced_authors)) AS authors_merged"""


def line_counts_sql(prefix: str) -> str:
    """Non-empty lines per file, to check against the manifest's record counts."""
    return f"SELECT file, CAST(sum(n) AS BIGINT) AS n FROM {prefix}_line_counts GROUP BY file"
