"""Resolve one affiliation string (and optionally an e-mail domain) to organisation, country and sector.

The cascade, first decisive step wins (docs/affiliations.md):
1. alias: a registry name, alias or acronym appears in the string (longest match; acronyms only as written
   in capitals); an alias shared by organisations in different countries needs other evidence.
2. location: a country, US state, Chinese province or major city named as a whole segment. A location
   beats the organisation's country (NYU Abu Dhabi, CMU Africa) and decides a multi-site lab; a multi-site
   organisation with no location in the string takes its documented default country.
3. domain: the e-mail domain (registry and university domains, then country-code TLDs and `.edu`).
4. fuzzy: rapidfuzz similarity of a segment to a registry name, above a threshold chosen on data.
Otherwise `unknown`, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from splitscope.orgs.registry import Org
from splitscope.resolve import gazetteer
from splitscope.resolve.domains import DomainIndex

MAX_CHARS = 1_000  # longer strings are pasted text, not an affiliation
MAX_ALIAS_WORDS = 12
FUZZY_THRESHOLD = 93.0
MIN_FUZZY_CHARS = 12
_TAG = re.compile(r"<[^>]{0,200}>")
_SPLIT = re.compile(r"\s*[,;|]\s*|\s+-\s+|\s*\(\s*|\s*\)\s*")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Resolution:
    org_id: str | None
    country: str | None
    sector: str | None
    method: str  # alias | location | domain | fuzzy | unknown
    confidence: float
    evidence: str
    normalised: str = ""

    @property
    def resolved(self) -> bool:
        return self.country is not None


def unknown(reason: str, normalised: str = "") -> Resolution:
    return Resolution(None, None, None, "unknown", 0.0, reason, normalised)


def clean(text: str) -> tuple[str, str]:
    """(cleaned text, reason it is unusable or '')."""
    if not text or not text.strip():
        return "", "empty"
    if len(text) > MAX_CHARS:
        return "", f"too long ({len(text)} characters)"
    printable = sum(ch.isprintable() for ch in text)
    if printable < 0.9 * len(text) or "\ufffd" in text:
        return "", "not text (control or replacement characters)"
    text = _TAG.sub(" ", text).replace("&amp;", "&")
    text = " ".join(text.split())
    return (text, "") if text else ("", "empty after removing markup")


class Matcher:
    def __init__(self, orgs: Iterable[Org], fuzzy_threshold: float = FUZZY_THRESHOLD) -> None:
        self.orgs: dict[str, Org] = {}
        self.aliases: dict[str, set[str]] = {}  # folded alias -> org ids
        self.acronyms: dict[str, set[str]] = {}  # as written (capitals) -> org ids
        self.cjk: dict[str, set[str]] = {}
        self.fuzzy_threshold = fuzzy_threshold
        for org in orgs:
            self._add(org)
        self.domains = DomainIndex(self.orgs.values())
        self._fuzzy_keys = [k for k in self.aliases if len(k) >= MIN_FUZZY_CHARS]

    def _add(self, org: Org) -> None:
        if org.id in self.orgs:
            return
        self.orgs[org.id] = org
        curated = org.source != "world-universities"
        for alias in (org.name, *org.aliases):
            if _CJK.search(alias):
                self.cjk.setdefault(alias, set()).add(org.id)
            elif alias.isupper() and len(alias) <= 8 and " " not in alias:
                self.acronyms.setdefault(alias, set()).add(org.id)
            else:
                key = gazetteer.fold(alias)
                if not key:
                    continue
                holders = self.aliases.setdefault(key, set())
                # a curated entry owns its aliases: the generic list must not make them ambiguous
                if curated and any(self.orgs[h].source == "world-universities" for h in holders):
                    holders.clear()
                if curated or not any(self.orgs[h].source != "world-universities" for h in holders):
                    holders.add(org.id)

    # --- the cascade ---------------------------------------------------------------------------------

    def resolve(self, affiliation: str, email_domain: str = "") -> Resolution:
        text, problem = clean(affiliation) if affiliation else ("", "")
        if problem and not email_domain:
            return unknown(problem)
        folded = gazetteer.fold(text)
        if text:
            from_text = self.resolve_text(text, folded)
            if from_text.resolved:
                return from_text
        else:
            from_text = unknown(problem or "no affiliation")
        if email_domain:
            by_domain = self.domains.resolve(email_domain, self.orgs, self._candidates(from_text))
            if by_domain is not None:
                return Resolution(*by_domain, normalised=folded)
        return from_text

    def _candidates(self, resolution: Resolution) -> set[str]:
        marker = "candidates: "
        if marker not in resolution.evidence:
            return set()
        return set(resolution.evidence.split(marker, 1)[1].split(" | "))

    def resolve_text(self, text: str, folded: str) -> Resolution:
        segments = [s for s in _SPLIT.split(text) if s and s.strip(" .")]
        place, place_note = gazetteer.locate(segments)
        org_ids, matched = self._match_alias(text, folded)
        if not org_ids and place is None:
            org_ids, matched = self._match_fuzzy(segments)
            if org_ids:
                return self._from_org(org_ids, matched, None, "", folded, method="fuzzy")
        if org_ids:
            return self._from_org(org_ids, matched, place, place_note, folded)
        if place is not None:
            confidence = {"country": 0.95, "state": 0.93, "province": 0.95, "city": 0.85}[place.kind]
            return Resolution(None, place.country, None, "location", confidence, place_note, folded)
        return unknown("no known organisation or place", folded)

    def _from_org(
        self, org_ids: set[str], matched: str, place, place_note: str, folded: str, method: str = "alias"
    ) -> Resolution:
        orgs = [self.orgs[i] for i in sorted(org_ids)]
        if place is not None:
            in_place = [o for o in orgs if (o.country or o.default_country) == place.country]
            org = in_place[0] if len(in_place) == 1 else (orgs[0] if len(orgs) == 1 else None)
            org_id = org.id if org else None
            sector = org.sector if org else _common_sector(orgs)
            note = f"{method} '{matched}'; {place_note} decides"
            return Resolution(org_id, place.country, sector, method, 0.95, note, folded)
        countries = {o.country for o in orgs}
        if len(orgs) > 1 and (len(countries) > 1 or None in countries):
            names = " | ".join(o.id for o in orgs)
            return unknown(f"'{matched}' is ambiguous; candidates: {names}", folded)
        org = orgs[0]
        if org.country is None:
            note = f"{method} '{matched}' -> {org.id}; multi-site, no location: default"
            return Resolution(org.id, org.default_country, org.sector, method, 0.75, note, folded)
        confidence = 0.98 if method == "alias" else 0.85
        return Resolution(
            org.id, org.country, org.sector, method, confidence, f"{method} '{matched}' -> {org.id}", folded
        )

    def _match_alias(self, text: str, folded: str) -> tuple[set[str], str]:
        """Longest alias found as a run of whole words; acronyms and Chinese names as written."""
        words = folded.split()
        for size in range(min(MAX_ALIAS_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                key = " ".join(words[start : start + size])
                found = self.aliases.get(key)
                if found:
                    return found, key
        for token in re.findall(r"[A-Za-z][\w*&\-]*", text):
            found = self.acronyms.get(token)
            if found:
                return found, token
        if _CJK.search(text):
            for alias, ids in sorted(self.cjk.items(), key=lambda kv: -len(kv[0])):
                if alias in text:
                    return ids, alias
        return set(), ""

    def _match_fuzzy(self, segments: list[str]) -> tuple[set[str], str]:
        best: tuple[float, str] | None = None
        for segment in segments:
            key = gazetteer.fold(segment)
            if len(key) < MIN_FUZZY_CHARS:
                continue
            hit = process.extractOne(
                key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold
            )
            if hit and (best is None or hit[1] > best[0]):
                best = (hit[1], hit[0])
        if best is None:
            return set(), ""
        return self.aliases[best[1]], f"{best[1]} ({best[0]:.0f})"


def _common_sector(orgs: list[Org]) -> str | None:
    sectors = {o.sector for o in orgs}
    return sectors.pop() if len(sectors) == 1 else None
