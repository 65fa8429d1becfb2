"""What a user selects OpenAlex works by: `WorksQuery` (one kind of id over a year range, for the API)
and `WorkFilter` (kinds combined, for the snapshot flatten). Both parse years with the one year parser
(splitscope.selection.parse_years) and ids with the one id-list parser (ids.parse_ids)."""

from __future__ import annotations

from dataclasses import dataclass

from splitscope.errors import UnusableInputError
from splitscope.selection import parse_years
from splitscope.sources.openalex.flatten_sql import quote, short_id_sql
from splitscope.sources.openalex.ids import ID_LETTERS, parse_ids

QUERY_FIELDS = {"source": "primary_location.source.id", "concept": "concepts.id", "topic": "topics.id"}
# Only what the canonical mapping reads (docs/openalex_api.md); `select` takes root fields only.
WORK_FIELDS = (
    "id,doi,title,display_name,publication_year,publication_date,type,language,primary_location,"
    "authorships,keywords,primary_topic,updated_date"
)
YEAR_HINT = "give a year or a range like 2018-2024"


def year_range(text: str, label: str, hint: str = YEAR_HINT) -> tuple[int, int]:
    """An inclusive publication-year range. `label` names the input in errors; a range that would parse
    the other way round is said to run backwards."""
    try:
        years = parse_years(text)
    except UnusableInputError:
        low, dash, high = text.strip().partition("-")
        if dash and _parses(f"{high}-{low}"):
            raise UnusableInputError(f"{label}: the range runs backwards") from None
        raise UnusableInputError(f"{label}: {hint}") from None
    if years is None:  # 'all' or nothing: a query needs its years
        raise UnusableInputError(f"{label}: {hint}")
    return years


def _parses(text: str) -> bool:
    try:
        return parse_years(text) is not None
    except UnusableInputError:
        return False


@dataclass(frozen=True)
class WorksQuery:
    kind: str  # source | concept | topic
    ids: tuple[str, ...]  # short ids, e.g. ('S4306420609',)
    years: tuple[int, int]

    @classmethod
    def parse(cls, kind: str, ids_text: str, years_text: str) -> WorksQuery:
        if kind not in QUERY_FIELDS:
            raise UnusableInputError(f"unknown OpenAlex query kind {kind!r} (source, concept or topic)")
        ids = parse_ids(ids_text, kind, f"--{kind}")
        return cls(kind, tuple(sorted(set(ids))), year_range(years_text, f"--years {years_text!r}"))

    @property
    def slug(self) -> str:
        return f"{self.kind}-{'+'.join(self.ids)}-{self.years[0]}-{self.years[1]}"

    @property
    def source_id(self) -> str:
        return f"openalex:api:{self.slug}"

    @property
    def filter(self) -> str:
        return (
            f"{QUERY_FIELDS[self.kind]}:{'|'.join(self.ids)},publication_year:{self.years[0]}-{self.years[1]}"
        )

    @property
    def select(self) -> str:
        # The field the query filtered on travels with the records, so the output says why each is there.
        extra = {"source": "", "concept": ",concepts", "topic": ",topics"}[self.kind]
        return WORK_FIELDS + extra


def parse_query(source: str | None, concept: str | None, topic: str | None, years: str) -> WorksQuery:
    given = [(kind, ids) for kind, ids in (("source", source), ("concept", concept), ("topic", topic)) if ids]
    if len(given) != 1:
        raise UnusableInputError("give exactly one of --source S…, --concept C… or --topic T…")
    return WorksQuery.parse(given[0][0], given[0][1], years)


_FILTER_HINT = "expected year:YYYY[-YYYY], source:S…, concept:C… or topic:T…"


@dataclass(frozen=True)
class WorkFilter:
    years: tuple[int, int] | None = None  # inclusive publication_year range
    source_ids: frozenset[str] = frozenset()  # 'S4306420609' (short ids, no URL)
    concept_ids: frozenset[str] = frozenset()  # 'C154945302'
    topic_ids: frozenset[str] = frozenset()  # 'T10028'

    @classmethod
    def parse(cls, expressions: list[str]) -> WorkFilter:
        """'year:2018-2024', 'source:S…', 'concept:C…', 'topic:T…' (several ids comma-separated).
        Kinds combine with AND, ids of one kind with OR."""
        years: tuple[int, int] | None = None
        ids: dict[str, set[str]] = {kind: set() for kind in ID_LETTERS}
        for expression in expressions:
            kind, _, value = expression.partition(":")
            kind = kind.strip().lower()
            label = f"filter {expression!r}"
            if kind == "year":
                years = year_range(value, label, _FILTER_HINT)
            elif kind in ids:
                ids[kind].update(parse_ids(value, kind, label))
            else:
                raise UnusableInputError(f"{label}: {_FILTER_HINT}")
        return cls(years, frozenset(ids["source"]), frozenset(ids["concept"]), frozenset(ids["topic"]))

    def sql(self) -> str:
        """The predicate over a parsed work `rec`, in the neutral dialect."""
        terms = []
        if self.years:
            terms.append(
                f"TRY_CAST(rec.publication_year AS INTEGER) BETWEEN {self.years[0]} AND {self.years[1]}"
            )
        if self.source_ids:
            terms.append(f"{short_id_sql('rec.primary_location.source.id')} IN ({_in_list(self.source_ids)})")
        if self.concept_ids:
            terms.append(_any_id("rec.concepts", self.concept_ids))
        if self.topic_ids:
            topic = f"{short_id_sql('rec.primary_topic.id')} IN ({_in_list(self.topic_ids)})"
            terms.append(f"({_any_id('rec.topics', self.topic_ids)} OR coalesce({topic}, false))")
        return " AND ".join(terms) if terms else "true"


def _in_list(ids: frozenset[str]) -> str:
    return ", ".join(quote(i) for i in sorted(ids))


def _any_id(array: str, ids: frozenset[str]) -> str:
    matching = f"list_filter({array}, lambda x: {short_id_sql('x.id')} IN ({_in_list(ids)}))"
    return f"coalesce(array_length({matching}) > 0, false)"
