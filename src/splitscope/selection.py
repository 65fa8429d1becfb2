"""Parse the venue and year selections commands share (`--venues nips,icml|all`, `--years 2014-2018`)."""

from __future__ import annotations

from dataclasses import dataclass

from splitscope.errors import UnusableInputError

# Named venue sets users can pass instead of listing codes.
VENUE_SETS: dict[str, tuple[str, ...]] = {
    "ml-core": ("nips", "icml", "iclr"),
    "vision": ("cvpr", "iccv", "eccv", "wacv"),
    "nlp": ("acl", "emnlp", "naacl", "coling"),
    "robotics": ("icra", "iros", "rss", "corl"),
}


@dataclass(frozen=True)
class Selection:
    venues: tuple[str, ...] | None = None  # None = all venues
    years: tuple[int, int] | None = None  # inclusive range; None = all years

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
        }


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


def parse_selection(venues: str | None = None, years: str | None = None) -> Selection:
    return Selection(parse_venues(venues), parse_years(years))
