"""E-mail and web domains as evidence: an institution's own domain names the organisation; a country-code
top-level domain names only the country; `.edu`, `.gov` and `.mil` are US by their registration rules.

Country-code TLDs sold as generic names (.ai, .io, .co, .me, .tv ...) say nothing about a country.
"""

from __future__ import annotations

import pycountry

US_TLDS = frozenset({"edu", "gov", "mil"})
GENERIC_CCTLDS = frozenset(
    {"ai", "io", "co", "me", "tv", "ly", "fm", "cc", "ws", "to", "gg", "sh", "ac", "app", "dev", "ml", "tk",
     "nu", "la", "gl", "so", "gs", "vc", "am", "im"}
)  # fmt: skip
CCTLD_OVERRIDES = {"uk": "GB"}  # the one ccTLD that is not its ISO code


def tld_country(domain: str) -> tuple[str | None, str]:
    """Country from the top-level domain, with the rule that decided it ('' when none)."""
    tld = domain.rsplit(".", 1)[-1].lower()
    if tld in US_TLDS:
        return "US", f".{tld} (US registration)"
    if tld in CCTLD_OVERRIDES:
        return CCTLD_OVERRIDES[tld], f"country-code TLD .{tld}"
    if len(tld) == 2 and tld not in GENERIC_CCTLDS and pycountry.countries.get(alpha_2=tld.upper()):
        return tld.upper(), f"country-code TLD .{tld}"
    return None, ""


def domain_suffixes(domain: str) -> list[str]:
    """'cs.mail.tsinghua.edu.cn' → itself, 'mail.tsinghua.edu.cn', 'tsinghua.edu.cn', 'edu.cn' (longest
    first; a bare TLD is never an institution)."""
    parts = domain.lower().strip(".").split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]
