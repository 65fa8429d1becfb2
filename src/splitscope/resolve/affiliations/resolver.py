"""Affiliation string (+ e-mail domain) → organisation, ISO country, sector, method, confidence.

The cascade (docs/affiliations.md has the full text and the measured figures):
1. alias: the longest registry alias (curated labs and universities, world universities list) found on
   whole normalised tokens. An alias several organisations share (Northeastern University: Boston and
   Shenyang) is decided by the location in the string or the e-mail domain, else left without org.
2. location: country names, US states, Chinese and Canadian provinces, major unambiguous cities
   (affiliations/gazetteer.py). A location in the string beats the organisation's own or default country.
3. domain: the e-mail domain's institution (registry domains, longest suffix first), else its
   country-code TLD (`.edu` is US).
4. fuzzy: a rapidfuzz ratio against every alias, accepted at FUZZY_THRESHOLD (chosen on the labelled
   corpus; see docs/affiliations.md).
Otherwise `unknown`, with the reason. Multi-site organisations without a location fall back to their
documented default country at low confidence (method keeps saying so in `evidence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from splitscope.orgs.normalise import has_cjk, normalise
from splitscope.orgs.registry import MAX_ALIAS_TOKENS, Org, Registry, load_registry
from splitscope.orgs.ror import add_ror_registry
from splitscope.orgs.universities import WORLD_UNIVERSITIES_FILE, add_world_universities
from splitscope.resolve.affiliations.domains import domain_suffixes, tld_country
from splitscope.resolve.affiliations.gazetteer import cities_in, located, names_mainland_place

SARS_AND_TAIWAN = frozenset({"HK", "MO", "TW"})
LISTED_SOURCES = frozenset({"world-universities", "ror"})  # long generic lists: segment matches only
# First words that make a listed name generic when it is only the end of a longer name.
_GENERIC_HEADS_TEXT = (
    "the of university universite universitat universidad universita college institute institut instituto "
    "school ecole national state technical technological polytechnic center centre academy department "
    "faculty laboratory lab graduate international higher federal royal free open new central"
)
GENERIC_HEADS = frozenset(_GENERIC_HEADS_TEXT.split())
_SEGMENT_SPLIT = re.compile(r"[,;()\[\]/|]| - | – ")
MAX_INPUT_CHARS = 1_000  # longer strings are pasted blocks, not affiliations
FUZZY_THRESHOLD = 94.0  # measured per score band on the labelled corpus: docs/affiliations.md
FUZZY_MIN_CHARS = 12
_FUZZY_HINT = re.compile(r"univ|institut|college|school|lab|research|academ|tech|polytech|centre|center")
_HTML = re.compile(r"<[^>]{0,200}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")

# Confidence per evidence pattern: a stated rank, not a probability, ordered by the precision each pattern
# measured on the tuning half of the labelled venues (docs/affiliations.md, "Confidence"). Analyses that
# must not rest on a guess (talent moves) keep only answers at or above 0.85: every pattern there measured
# >= 0.99, every pattern below it < 0.97 (or, for the multi-site default, could not be measured: the labels
# make the same guess).
CONFIDENCE = {
    "alias+location agree": 0.98,  # 0.9997
    "alias": 0.95,  # 0.998
    "alias, multi-site+location": 0.9,  # 0.997
    "domain institution": 0.9,  # 0.992 agreement with the same authorship's resolved string
    "location": 0.85,  # 0.999
    "alias overridden by location": 0.8,  # 0.92: mostly two institutions in one string
    "domain tld": 0.75,  # 0.86-0.91
    "fuzzy": 0.7,  # 0.96
    "alias, multi-site default": 0.6,  # a guess; the e-mail domain agrees with the string 18% of the time
}


@dataclass(frozen=True)
class Resolution:
    org_id: str | None
    country: str | None
    sector: str | None
    method: str  # alias | location | domain | fuzzy | default (multi-site, no site named) | unknown
    confidence: float
    evidence: str
    normalised: str = ""
    shared_by: tuple[str, ...] = ()  # an alias several organisations carry, left undecided: their ids

    @property
    def known(self) -> bool:
        return self.country is not None


UNKNOWN_EMPTY = Resolution(None, None, None, "unknown", 0.0, "empty string")


class AffiliationResolver:
    """Holds the alias, domain and fuzzy indexes over a registry; resolve() is pure and cached."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.alias_orgs = registry.alias_index()  # every alias (curated and listed)
        self.curated_aliases: set[str] = set()  # curated: distinctive enough to match inside a string
        self.cjk_aliases: list[tuple[str, str]] = []
        self.domain_org: dict[str, str] = {}
        for org in registry:
            for alias in {org.name, *org.aliases}:
                if has_cjk(alias):
                    self.cjk_aliases.append((alias, org.id))
                if org.source not in LISTED_SOURCES:
                    self.curated_aliases.add(normalise(alias))
            for domain in org.domains:
                self.domain_org.setdefault(domain.lower(), org.id)
        # Only curated aliases: near-misses of the world list's 10,000 names are mostly other universities
        # (Xidian ~ Indian, Freiburg ~ Fribourg, Bern ~ Bergen: measured, docs/affiliations.md).
        self.curated_first: dict[str, int] = {}  # first token -> most tokens of a curated alias
        for alias in self.curated_aliases:
            words = alias.split()
            if words:
                self.curated_first[words[0]] = max(self.curated_first.get(words[0], 0), len(words))
        self.place_blockers = frozenset(a for a in self.curated_aliases if len(a.split()) == 1)
        self.fuzzy_choices = sorted(a for a in self.curated_aliases if len(a) >= FUZZY_MIN_CHARS)
        self._resolve_text = lru_cache(maxsize=300_000)(self._resolve_text_uncached)
        # segments repeat across strings ('Tsinghua University', 'Beijing, China'): cached per raw segment
        self._listed_for_part = lru_cache(maxsize=300_000)(self._listed_for_part_uncached)

    # -- public ---------------------------------------------------------------------------------------
    def resolve(self, text: str | None, email_domain: str | None = None) -> Resolution:
        text_answer = self._resolve_text(text or "")
        domain = (email_domain or "").lower().strip()
        if not domain:
            return text_answer
        return self._with_domain(text_answer, domain, text or "")

    # -- the string alone -----------------------------------------------------------------------------
    def _resolve_text_uncached(self, text: str) -> Resolution:
        problem = _unusable(text)
        if problem:
            return replace(UNKNOWN_EMPTY, evidence=problem)
        cleaned = _HTML.sub(" ", text)
        norm = normalise(cleaned)
        if not norm:
            return Resolution(None, None, None, "unknown", 0.0, "no letters or digits", norm)
        candidates, alias = self._alias_match(norm, cleaned)
        # An organisation's own name is never a place ('Mila' is also a city in Algeria).
        place_country, place_note, place_kind = located(cleaned, inside=alias, ignore=self.place_blockers)
        if candidates:
            return self._from_alias(candidates, alias, place_country, place_note, norm, place_kind, cleaned)
        if place_country:
            return Resolution(None, place_country, None, "location", CONFIDENCE["location"], place_note, norm)
        fuzzy = self._fuzzy(norm)
        if fuzzy is not None:
            return replace(fuzzy, normalised=norm)
        return Resolution(None, None, None, "unknown", 0.0, "no alias, place or close name", norm)

    def _alias_match(self, norm: str, original: str) -> tuple[tuple[str, ...], str]:
        """Org ids of the best alias and the alias. Curated aliases match on whole tokens anywhere;
        aliases only the world universities list knows must fill a comma-separated segment, or end it when
        they start with a proper name ('... Lab, Graz University of Technology'), because the list holds
        generic names ('Institute of Science and Technology', 'Ecole Polytechnique') that are parts of
        other institutions' names. The longest alias wins, the earliest on ties."""
        whole = self.alias_orgs.get(norm)
        if whole:
            return whole, norm
        best = self._longest_curated(norm.split())
        for part in _SEGMENT_SPLIT.split(original):
            listed = self._listed_for_part(part)
            if listed and (best is None or len(listed.split()) > len(best.split())):
                best = listed
        if best is not None:
            return self.alias_orgs[best], best
        for alias, org_id in self.cjk_aliases:  # Chinese names: no word boundaries to rely on
            if alias in original:
                return (org_id,), alias
        return (), ""

    def _longest_curated(self, tokens: list[str]) -> str | None:
        best: tuple[int, int, str] | None = None  # (-length, start, alias)
        for start in range(len(tokens)):
            longest = min(self.curated_first.get(tokens[start], 0), MAX_ALIAS_TOKENS)
            for length in range(min(longest, len(tokens) - start), 0, -1):
                if best is not None and length < -best[0]:
                    break
                phrase = " ".join(tokens[start : start + length])
                if phrase in self.curated_aliases:
                    if best is None or (-length, start) < best[:2]:
                        best = (-length, start, phrase)
                    break
        return best[2] if best else None

    def _listed_for_part_uncached(self, part: str) -> str | None:
        segments = _segments(part)
        return self._listed_in_segment(segments[0]) if segments else None

    def _listed_in_segment(self, segment: str) -> str | None:
        if segment in self.alias_orgs:
            return segment
        tokens = segment.split()
        for start in range(1, len(tokens) - 1):  # suffixes of at least two tokens, longest first
            suffix = " ".join(tokens[start:])
            if suffix in self.alias_orgs and tokens[start] not in GENERIC_HEADS:
                return suffix
        return None

    def _from_alias(
        self,
        candidates: tuple[str, ...],
        alias: str,
        place: str | None,
        place_note: str,
        norm: str,
        place_kind: str = "",
        text: str = "",
    ) -> Resolution:
        orgs = [self.registry.orgs[c] for c in candidates]
        curated = [o for o in orgs if o.source not in LISTED_SOURCES]
        if curated and len(curated) < len(orgs):  # the curated entry was written for this very name
            orgs = curated
        if len(orgs) > 1:
            located = [o for o in orgs if place and (o.country or o.default_country) == place]
            if len(located) == 1:
                orgs = located
            else:
                countries = {o.country for o in orgs}
                shared = next(iter(countries)) if len(countries) == 1 else None
                country = place or shared
                why = f"alias '{alias}' is shared by {', '.join(o.id for o in orgs)}"
                if country is None:
                    ids = tuple(o.id for o in orgs)
                    return Resolution(
                        None, None, None, "unknown", 0.0, why + "; no location decides", norm, ids
                    )
                method = "location" if place else "alias"
                return Resolution(None, country, None, method, CONFIDENCE["location"], why, norm)
        org = orgs[0]
        evidence = f"alias '{alias}' → {org.id}"
        if (
            place == "CN"
            and org.country in SARS_AND_TAIWAN
            and org.source not in LISTED_SOURCES  # curated names only: the world list's Soochow is TW's
            and not names_mainland_place(text)
        ):
            # 'University of Macau, China', 'HKUST, Hong Kong, SAR, China': the trailing 'China' follows a
            # convention that files HK/MO/TW under China; it does not move the institution.
            evidence += f"; {place_note} read as the China-includes-{org.country} convention"
            return Resolution(org.id, org.country, org.sector, "alias", CONFIDENCE["alias"], evidence, norm)
        if place and place_kind == "address code" and org.country and place != org.country:
            # A bare two-letter code ('..., North Terrace, SA') is weaker than a single-site organisation.
            evidence += f"; ignored {place_note}: a bare code against a single-site organisation"
            return Resolution(org.id, org.country, org.sector, "alias", CONFIDENCE["alias"], evidence, norm)
        if not place and org.country is None:
            site = cities_in(text, inside=alias, ignore=self.place_blockers)
            if site:
                place, place_note = site, "city in the name"
        if place:
            if org.country == place:
                key = "alias+location agree"
            elif org.country is None:
                key = "alias, multi-site+location"
            else:
                key = "alias overridden by location"
            return Resolution(
                org.id, place, org.sector, "alias", CONFIDENCE[key], f"{evidence}; {place_note}", norm
            )
        if org.country:
            return Resolution(org.id, org.country, org.sector, "alias", CONFIDENCE["alias"], evidence, norm)
        return Resolution(
            org.id,
            org.default_country,
            org.sector,
            "default",
            CONFIDENCE["alias, multi-site default"],
            f"{evidence}; multi-site, no location: default {org.default_country}",
            norm,
        )

    def _fuzzy(self, norm: str) -> Resolution | None:
        if len(norm) < FUZZY_MIN_CHARS or not _FUZZY_HINT.search(norm) or not self.fuzzy_choices:
            return None
        match = process.extractOne(
            norm, self.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, processor=None
        )
        if match is None:
            return None
        alias, score, _ = match
        org_ids = self.alias_orgs[alias]
        if len(org_ids) != 1:
            return None
        org = self.registry.orgs[org_ids[0]]
        if org.country is None:
            return None  # a multi-site guess on a near-miss name is too weak to report
        evidence = f"fuzzy {score:.0f} to '{alias}' → {org.id}"
        return Resolution(org.id, org.country, org.sector, "fuzzy", CONFIDENCE["fuzzy"], evidence)

    # -- adding the e-mail domain ---------------------------------------------------------------------
    def _with_domain(self, answer: Resolution, domain: str, text: str) -> Resolution:
        weak = answer.country is None or answer.confidence <= CONFIDENCE["alias, multi-site default"]
        if not weak:
            return answer
        org = self._domain_org(domain)
        by_org = self._domain_org_answer(answer, org, domain) if org is not None else None
        if by_org is not None:
            return by_org
        country, rule = tld_country(domain)
        if country is None:
            return answer
        if answer.country is None:
            return Resolution(
                None, country, None, "domain", CONFIDENCE["domain tld"], f"e-mail domain {domain}: {rule}",
                answer.normalised,
            )  # fmt: skip
        # A multi-site organisation named without a location keeps its default: an e-mail TLD says where
        # the person studied or used to work more often than which site of the company they are at.
        return answer

    def _domain_org_answer(self, answer: Resolution, org: Org, domain: str) -> Resolution | None:
        """The e-mail domain's organisation, when it may speak for a string that said nothing or only a
        multi-site default; None when it may not."""
        named = answer.org_id
        if answer.shared_by and org.id not in answer.shared_by:
            return None  # the e-mail may decide which of them the name means, not name a third organisation
        if org.country and named and answer.country and named != org.id:
            if self.registry.family(org.id) != self.registry.family(named):
                return None  # another employer's e-mail never overrides the named organisation
            # 'IBM Research' with cn.ibm.com: the e-mail names the site the string left out
            return Resolution(
                org.id, org.country, org.sector, "domain", CONFIDENCE["domain institution"],
                f"{answer.evidence}; e-mail domain {domain} → site {org.id}", answer.normalised,
            )  # fmt: skip
        if answer.country is not None and (named != org.id or not org.country):
            return None
        if org.country is None:  # microsoft.com says Microsoft, not which of its sites
            if org.default_country is None:
                return None
            return Resolution(
                org.id, org.default_country, org.sector, "default", CONFIDENCE["alias, multi-site default"],
                f"e-mail domain {domain} → {org.id}; multi-site, no location: default {org.default_country}",
                answer.normalised,
            )  # fmt: skip
        return Resolution(
            org.id, org.country, org.sector, "domain", CONFIDENCE["domain institution"],
            f"e-mail domain {domain} → {org.id}", answer.normalised,
        )  # fmt: skip

    def _domain_org(self, domain: str) -> Org | None:
        for suffix in domain_suffixes(domain):
            org_id = self.domain_org.get(suffix)
            if org_id is not None:
                return self.registry.orgs[org_id]
        return None


def _segments(text: str) -> list[str]:
    segments = []
    for part in _SEGMENT_SPLIT.split(text):
        norm = normalise(part)
        if norm.startswith("the "):
            norm = norm[4:]
        if norm:
            segments.append(norm)
    return segments


def _unusable(text: str) -> str:
    """Why a string cannot be an affiliation ('' when it can be)."""
    if not text or not text.strip():
        return "empty string"
    if len(text) > MAX_INPUT_CHARS:
        return f"{len(text)} characters: too long to be one affiliation"
    if len(_CONTROL.findall(text)) > max(2, len(text) // 20):
        return "binary or garbled text"
    return ""


def default_resolver(
    shared_dir: Path | None = None,
    ror_file: Path | None = None,
    extra_registry_files: tuple[Path, ...] = (),
) -> AffiliationResolver:
    """The packaged registry, the world universities list from the shared data bundle (if given and
    present) and an imported ROR registry (`splitscope orgs import-ror`, if given and present), in that
    order of precedence."""
    registry = load_registry(extra_registry_files)
    if shared_dir is not None and (shared_dir / WORLD_UNIVERSITIES_FILE).is_file():
        add_world_universities(registry, shared_dir / WORLD_UNIVERSITIES_FILE)
    if ror_file is not None and ror_file.is_file():
        add_ror_registry(registry, ror_file)
    return AffiliationResolver(registry)
