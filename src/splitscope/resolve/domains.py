"""E-mail / web domain evidence: registry and university domains (longest suffix wins), then the
country-code top-level domain, then `.edu` (US). Webmail and vanity TLDs say nothing about where a
person works and are ignored."""

from __future__ import annotations

from collections.abc import Iterable

import pycountry

from splitscope.orgs.registry import Org

WEBMAIL = {
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "protonmail.com",
    "proton.me",
    "qq.com",
    "163.com",
    "126.com",
    "foxmail.com",
    "sina.com",
    "aol.com",
    "mail.com",
    "gmx.de",
    "gmx.net",
    "yandex.ru",
    "naver.com",
    "hanmail.net",
    "msn.com",
}
# Country-code TLDs sold worldwide as generic names.
VANITY_TLDS = {
    "io",
    "ai",
    "co",
    "me",
    "tv",
    "cc",
    "ws",
    "ly",
    "fm",
    "gg",
    "to",
    "sh",
    "xyz",
    "app",
    "dev",
    "so",
    "is",
    "it",
}  # .it and .is are also English words in hostnames of startups
CCTLD_OVERRIDES = {"uk": "GB", "eu": None}


def tld_country(tld: str) -> str | None:
    if tld in CCTLD_OVERRIDES:
        return CCTLD_OVERRIDES[tld]
    if len(tld) != 2 or tld in VANITY_TLDS:
        return None
    country = pycountry.countries.get(alpha_2=tld.upper())
    return country.alpha_2 if country else None


class DomainIndex:
    def __init__(self, orgs: Iterable[Org]) -> None:
        self.by_domain: dict[str, list[str]] = {}
        for org in orgs:
            for domain in org.domains:
                holders = self.by_domain.setdefault(domain.lower().removeprefix("www."), [])
                # curated entries come first and own a domain they share with the generic list
                if org.source != "world-universities" or not holders:
                    holders.append(org.id)

    def lookup(self, domain: str) -> list[str]:
        labels = domain.lower().strip(". ").split(".")
        for start in range(len(labels) - 1):
            found = self.by_domain.get(".".join(labels[start:]))
            if found:
                return found
        return []

    def resolve(
        self, domain: str, orgs: dict[str, Org], candidates: set[str]
    ) -> tuple[str | None, str | None, str | None, str, float, str] | None:
        """(org_id, country, sector, method, confidence, evidence) or None when the domain says nothing."""
        domain = domain.lower().strip(". ")
        if not domain or domain in WEBMAIL or "." not in domain:
            return None
        hits = self.lookup(domain)
        chosen = [h for h in hits if h in candidates] or hits
        if chosen:
            org = orgs[chosen[0]]
            country = org.country or org.default_country
            note = f"domain {domain} -> {org.id}"
            if candidates and org.id in candidates:
                note += " (settles an ambiguous name)"
            return org.id, country, org.sector, "domain", 0.9 if org.country else 0.7, note
        tld = domain.rsplit(".", 1)[-1]
        country = tld_country(tld)
        if country:
            return None, country, None, "domain", 0.85, f"country-code domain .{tld}"
        if tld == "edu":
            return None, "US", "education", "domain", 0.85, "domain .edu"
        return None
