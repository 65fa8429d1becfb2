"""Parse what a user selects: venues and years (`--venues nips,icml|all`, `--years 2014-2018`), and how the
trends over them are measured: chain-linked panel or raw venue mix, the coverage gate, site or headquarters
countries, the China scope and the affiliation bases (docs/talent.md, "Comparable trends")."""

from __future__ import annotations

from dataclasses import dataclass, replace

from splitscope.errors import UnusableInputError

# Named venue sets users can pass instead of listing codes.
VENUE_SETS: dict[str, tuple[str, ...]] = {
    "ml-core": ("nips", "icml", "iclr"),
    "vision": ("cvpr", "iccv", "eccv", "wacv"),
    "nlp": ("acl", "emnlp", "naacl", "coling"),
    "robotics": ("icra", "iros", "rss", "corl"),
}


# How a yearly aggregate over several venues is formed: 'panel' chain-links year-to-year changes measured
# on the venues gated in both years (the default: a venue entering or leaving moves no trend); 'raw'
# pools whatever venue-years pass the gate, so the venue mix moves the number.
AGGREGATES = ("panel", "raw")
# Country of an affiliation: of the site the string names, or of the top organisation of the registry's
# parent chain (Microsoft Research Asia -> Microsoft -> US under 'hq').
COUNTRY_BASES = ("site", "hq")
# What counts as China. Hong Kong (HK), Macao (MO) and Taiwan (TW) are their own codes as resolved.
CHINA_SCOPES: dict[str, dict[str, str]] = {
    "mainland": {},
    "with-hk-mo": {"HK": "CN", "MO": "CN"},
    "with-hk-mo-tw": {"HK": "CN", "MO": "CN", "TW": "CN"},
}
# The old `collab --grouping` values, kept as aliases of the one China-scope option.
CHINA_SCOPE_ALIASES = {"greater-china": "with-hk-mo-tw", "prc-with-sars": "with-hk-mo"}
# Where an affiliation comes from; the same names as store.batch.AFFILIATION_BASES (a test checks),
# repeated here because selection sits below store in the layers.
AFFILIATION_BASES = ("paper", "profile_crawl", "profile_dated", "openalex")


@dataclass(frozen=True)
class Selection:
    venues: tuple[str, ...] | None = None  # None = all venues
    years: tuple[int, int] | None = None  # inclusive range; None = all years
    aggregate: str = "panel"  # AGGREGATES
    coverage_gate: float | None = None  # None: analysis.coverage.TREND_COVERAGE_GATE
    country_basis: str = "site"  # COUNTRY_BASES
    china_scope: str = "mainland"  # CHINA_SCOPES
    affiliation_bases: tuple[str, ...] | None = None  # None = every basis (and rows without one)

    def __post_init__(self) -> None:
        _check_choice("--aggregate", self.aggregate, AGGREGATES)
        _check_choice("--basis", self.country_basis, COUNTRY_BASES)
        _check_choice("--china-scope", self.china_scope, tuple(CHINA_SCOPES))
        for basis in self.affiliation_bases or ():
            _check_choice("--affiliation-basis", basis, AFFILIATION_BASES)
        if self.affiliation_bases is not None and not self.affiliation_bases:
            raise UnusableInputError("--affiliation-basis: no basis left to use")
        if self.coverage_gate is not None and not 0.0 <= self.coverage_gate <= 1.0:
            raise UnusableInputError(f"--coverage-gate: {self.coverage_gate} is not between 0 and 1")

    def with_venues(self, venues: tuple[str, ...] | None) -> Selection:
        """The same options over other venues (a venue group of the per-venue series)."""
        return replace(self, venues=venues)

    def china_map(self) -> dict[str, str]:
        return CHINA_SCOPES[self.china_scope]

    def options_dict(self) -> dict[str, object]:
        """How trends are measured, for every table's filters."""
        return {
            "aggregate": "chain-linked panel" if self.aggregate == "panel" else "raw venue mix",
            "country_basis": self.country_basis,
            "china_scope": self.china_scope,
            "affiliation_bases": list(self.affiliation_bases) if self.affiliation_bases else "all",
        }

    def includes(self, venue: str, year: int) -> bool:
        venue_ok = self.venues is None or venue in self.venues
        year_ok = self.years is None or self.years[0] <= year <= self.years[1]
        return venue_ok and year_ok

    def sql(self, venue_col: str = "venue", year_col: str = "year") -> str:
        """A SQL predicate for this selection (values are validated, so inlining them is safe)."""
        parts = ["true"]
        if self.venues is not None:
            parts.append(f"{venue_col} in (" + ", ".join(f"'{v}'" for v in self.venues) + ")")
        if self.years is not None:
            parts.append(f"{year_col} between {self.years[0]} and {self.years[1]}")
        return " and ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "venues": list(self.venues) if self.venues else "all",
            "years": list(self.years) if self.years else "all",
            **self.options_dict(),
        }


def _check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise UnusableInputError(f"{option}: {value!r} is not one of {', '.join(choices)}")


def parse_venues(text: str | None) -> tuple[str, ...] | None:
    if text is None or text.strip().lower() in ("", "all"):
        return None
    venues: list[str] = []
    for token in (t.strip().lower() for t in text.split(",")):
        if not token:
            continue
        if not token.replace("_", "").replace("-", "").isalnum():
            raise UnusableInputError(
                f"--venues: {token!r} is not a venue code (letters, digits, - and _ only)"
            )
        venues.extend(VENUE_SETS.get(token, (token,)))
    return tuple(dict.fromkeys(venues)) or None


def parse_years(text: str | None) -> tuple[int, int] | None:
    if text is None or text.strip().lower() in ("", "all"):
        return None
    raw = text.strip()
    try:
        if "-" in raw:
            low, high = (int(p) for p in raw.split("-", 1))
        else:
            low = high = int(raw)
    except ValueError:
        raise UnusableInputError(f"--years: {text!r} is not a year or a range like 2014-2018") from None
    if low > high or not (1900 <= low <= 2100 and 1900 <= high <= 2100):
        raise UnusableInputError(f"--years: {text!r} is not an increasing range of plausible years")
    return (low, high)


def parse_bases(include: str | None, exclude: str | None) -> tuple[str, ...] | None:
    """`--affiliation-basis paper,openalex` keeps those; `--exclude-affiliation-basis profile_crawl` drops
    one from all; None when neither is given (every row counts, including rows of older stores that have
    no basis recorded)."""
    if include is None and exclude is None:
        return None
    chosen = _basis_list(include, "--affiliation-basis") if include else AFFILIATION_BASES
    dropped = set(_basis_list(exclude, "--exclude-affiliation-basis")) if exclude else set()
    return tuple(b for b in chosen if b not in dropped)


def _basis_list(text: str, option: str) -> tuple[str, ...]:
    bases = tuple(t.strip().lower() for t in text.split(",") if t.strip())
    for basis in bases:
        _check_choice(option, basis, AFFILIATION_BASES)
    return bases


def parse_china_scope(text: str | None) -> str:
    if text is None:
        return "mainland"
    value = text.strip().lower()
    return CHINA_SCOPE_ALIASES.get(value, value)


def parse_selection(
    venues: str | None = None,
    years: str | None = None,
    *,
    raw_mix: bool = False,
    coverage_gate: float | None = None,
    basis: str = "site",
    china_scope: str | None = None,
    affiliation_basis: str | None = None,
    exclude_affiliation_basis: str | None = None,
) -> Selection:
    return Selection(
        parse_venues(venues),
        parse_years(years),
        aggregate="raw" if raw_mix else "panel",
        coverage_gate=coverage_gate,
        country_basis=basis.strip().lower(),
        china_scope=parse_china_scope(china_scope),
        affiliation_bases=parse_bases(affiliation_basis, exclude_affiliation_basis),
    )
