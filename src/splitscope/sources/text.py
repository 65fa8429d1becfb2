"""Cleaning and splitting of the strings conference paper lists carry (names, affiliations, id lists).

Every rule here answers a quirk measured in ../shared/data/README.md.
"""

from __future__ import annotations

import html
import re
import unicodedata

_SPACES = re.compile(r"\s+")
# ECCV 2020 has one author string ending in an e-mail block: `... {namdar;yuwen;urtasun}@uber.com`.
EMAIL_BLOCK = re.compile(r"\{[^}]*\}\s*@\s*\S+")
# Values papercopilot uses for "no country known" in aff_country_unique.
UNKNOWN_LABELS = frozenset({"", "unknown", "none", "n/a", "null"})


def unescape(text: str) -> str:
    """Decode HTML entities until stable: some strings are escaped two or three times (`&amp;amp;#x27;`)."""
    for _ in range(4):
        if "&" not in text:
            break
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def clean(text: object) -> str:
    """Entities decoded, NFC, every run of whitespace (newlines, double spaces) folded to one space."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = unescape(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()


def author_separator(decoded: str) -> str | None:
    """The separator one paper's author string uses: ';' (with or without a space), ', ', or None (one name).

    Must be called on the entity-decoded string: `Shin&#x27;ya` holds a ';' only before decoding.
    """
    if ";" in decoded:
        return ";"
    if ", " in decoded:
        return ", "
    return None


def split_authors(raw: object) -> list[str]:
    """Author names in byline order; empty names dropped (a trailing separator is not an author)."""
    decoded = clean(raw)
    if not decoded:
        return []
    separator = author_separator(decoded)
    if separator is None:
        return [decoded]
    return [name for name in (part.strip() for part in decoded.split(separator)) if name]


def split_slots(raw: object) -> list[str]:
    """A ';'-separated per-author field (aff, authorids, aff_domain, position ...), empty slots kept.

    Entities are decoded first, so a decoded `&#x27;` cannot add a slot. A field made only of
    separators (`;;`) gives empty slots, which callers treat as "nothing known".
    """
    if raw is None:
        return []
    if isinstance(raw, list):
        return [clean(item) for item in raw]
    decoded = unescape(str(raw))
    if not decoded.strip():
        return []
    return [clean(part) for part in decoded.split(";")]


def split_plus(slot: str) -> list[str]:
    """Several affiliations (or indexes) of one author, joined by '+'; empty parts dropped."""
    if "+" not in slot:
        return [slot] if slot else []
    return [part.strip() for part in slot.split("+") if part.strip()]


def has_content(slots: list[str]) -> bool:
    return any(slots)


def is_doubled_byline(names: list[str]) -> bool:
    """ICRA/IROS 2000-2023 list every author twice: the second half repeats the first exactly."""
    count = len(names)
    return count >= 2 and count % 2 == 0 and names[: count // 2] == names[count // 2 :]


def email_domain(value: str) -> str | None:
    """The domain of an address or a bare domain; None for anything else. Never returns the user part."""
    value = value.strip().lower()
    if not value or value.startswith("~"):
        return None
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    value = value.strip(" .>")
    if "." not in value or " " in value or "/" in value:
        return None
    return value


def openreview_id(value: str) -> str | None:
    value = value.strip()
    return value if value.startswith("~") and len(value) > 1 else None


def country_label(value: str) -> str | None:
    return None if value.strip().lower() in UNKNOWN_LABELS else value.strip()


_TITLE_NOISE = re.compile(r"[^0-9a-z]+")


def normalise_title(title: str) -> str:
    """For matching one paper across sources: decoded, casefolded, accents and punctuation dropped."""
    text = unicodedata.normalize("NFKD", clean(title).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _TITLE_NOISE.sub(" ", text).strip()


def normalise_name(name: str) -> str:
    """For matching one author list across sources (never for inferring anything about the person)."""
    text = unicodedata.normalize("NFKD", clean(name).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _TITLE_NOISE.sub(" ", text).strip()


def mask_emails(text: str) -> str:
    """Raw records kept in quarantine must not expose e-mail addresses: keep the domain only."""
    return _EMAIL.sub(lambda m: "***@" + m.group(1), text)


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-{};]+@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
