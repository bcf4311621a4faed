"""What people type for a time zone → an IANA zone, or a short choice when the words are ambiguous.

Understood: a US state or territory (English or Spanish name, or its postal code when asked), a
city ("Houston", "Los Ángeles", or any IANA city such as "Madrid"), an IANA zone, the US
abbreviations and names (EST/EDT/Eastern, CST, MST, PST/Pacific time, AKST, HST, AST, in Spanish
"hora del Pacífico"...), a UTC offset ("GMT-5", "UTC+05:30"), and a shared location (offline, with
timezonefinder). Regions ("Pacific", "America", "US", "Mexico", "Canada") get a choice.
Pure: no aiogram, no I/O; nothing here logs what the person typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

# Each state's (or territory's) most populous zone; a person elsewhere can send a city or zone.
STATES: dict[str, tuple[str, str]] = {
    "AL": ("Alabama", "America/Chicago"), "AK": ("Alaska", "America/Anchorage"),
    "AZ": ("Arizona", "America/Phoenix"), "AR": ("Arkansas", "America/Chicago"),
    "CA": ("California", "America/Los_Angeles"), "CO": ("Colorado", "America/Denver"),
    "CT": ("Connecticut", "America/New_York"), "DE": ("Delaware", "America/New_York"),
    "DC": ("District of Columbia", "America/New_York"), "FL": ("Florida", "America/New_York"),
    "GA": ("Georgia", "America/New_York"), "HI": ("Hawaii", "Pacific/Honolulu"),
    "ID": ("Idaho", "America/Boise"), "IL": ("Illinois", "America/Chicago"),
    "IN": ("Indiana", "America/Indiana/Indianapolis"), "IA": ("Iowa", "America/Chicago"),
    "KS": ("Kansas", "America/Chicago"), "KY": ("Kentucky", "America/Kentucky/Louisville"),
    "LA": ("Louisiana", "America/Chicago"), "ME": ("Maine", "America/New_York"),
    "MD": ("Maryland", "America/New_York"), "MA": ("Massachusetts", "America/New_York"),
    "MI": ("Michigan", "America/Detroit"), "MN": ("Minnesota", "America/Chicago"),
    "MS": ("Mississippi", "America/Chicago"), "MO": ("Missouri", "America/Chicago"),
    "MT": ("Montana", "America/Denver"), "NE": ("Nebraska", "America/Chicago"),
    "NV": ("Nevada", "America/Los_Angeles"), "NH": ("New Hampshire", "America/New_York"),
    "NJ": ("New Jersey", "America/New_York"), "NM": ("New Mexico", "America/Denver"),
    "NY": ("New York", "America/New_York"), "NC": ("North Carolina", "America/New_York"),
    "ND": ("North Dakota", "America/Chicago"), "OH": ("Ohio", "America/New_York"),
    "OK": ("Oklahoma", "America/Chicago"), "OR": ("Oregon", "America/Los_Angeles"),
    "PA": ("Pennsylvania", "America/New_York"), "RI": ("Rhode Island", "America/New_York"),
    "SC": ("South Carolina", "America/New_York"), "SD": ("South Dakota", "America/Chicago"),
    "TN": ("Tennessee", "America/Chicago"), "TX": ("Texas", "America/Chicago"),
    "UT": ("Utah", "America/Denver"), "VT": ("Vermont", "America/New_York"),
    "VA": ("Virginia", "America/New_York"), "WA": ("Washington", "America/Los_Angeles"),
    "WV": ("West Virginia", "America/New_York"), "WI": ("Wisconsin", "America/Chicago"),
    "WY": ("Wyoming", "America/Denver"), "PR": ("Puerto Rico", "America/Puerto_Rico"),
    "GU": ("Guam", "Pacific/Guam"), "VI": ("U.S. Virgin Islands", "America/St_Thomas"),
}
# Spanish names that differ from the English ones (accents are ignored when matching).
_SPANISH = {
    "hawai": "HI", "luisiana": "LA", "misuri": "MO", "misisipi": "MS", "nueva york": "NY",
    "nueva jersey": "NJ", "nuevo mexico": "NM", "nuevo hampshire": "NH",
    "carolina del norte": "NC", "carolina del sur": "SC", "dakota del norte": "ND",
    "dakota del sur": "SD", "pensilvania": "PA", "virginia occidental": "WV", "tejas": "TX",
    "islas virgenes": "VI", "distrito de columbia": "DC",
}

_ET, _CT, _MT, _AZ, _PT = "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles"
_AK, _HI, _PR = "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico"
US_ZONES = (_ET, _CT, _MT, _AZ, _PT, _AK, _HI, _PR)

# US time-zone names and abbreviations, English and Spanish. "MST" alone is also Arizona's
# all-year time, so it is a choice; "Pacific" alone is also an ocean of zones (see _REGIONS).
_NAMED_LIST: dict[str, list[str]] = {
    _ET: ["est", "edt", "et", "eastern", "eastern time", "eastern standard time", "eastern daylight time",
          "us/eastern", "este", "hora del este", "hora este", "tiempo del este"],
    _CT: ["cst", "cdt", "central", "central time", "central standard time", "central daylight time",
          "us/central", "centro", "hora central", "hora del centro", "tiempo central"],
    _MT: ["mdt", "mountain", "mountain time", "mountain daylight time", "us/mountain", "montana",
          "hora de la montana", "hora montana"],
    _PT: ["pst", "pdt", "pt", "pacific time", "pacific standard time", "pacific daylight time", "us/pacific",
          "hora del pacifico", "hora pacifico", "tiempo del pacifico"],
    _AK: ["akst", "akdt", "alaska time", "alaska standard time", "us/alaska", "hora de alaska"],
    _HI: ["hst", "hawaii time", "hawaii standard time", "hawaii-aleutian time", "us/hawaii", "hora de hawai"],
    _PR: ["ast", "adt", "atlantic", "atlantic time", "atlantic standard time", "hora del atlantico"],
}
_NAMED = {phrase: zone for zone, phrases in _NAMED_LIST.items() for phrase in phrases}

# Regions and ambiguous words: a short choice instead of a guess.
_REGIONS: dict[str, tuple[str, ...]] = {
    "pacific": (_PT, _AK, _HI, "Pacific/Guam"),
    "pacifico": (_PT, _AK, _HI, "Pacific/Guam"),
    "mst": (_MT, _AZ),
    "mountain standard time": (_MT, _AZ),
    "america": US_ZONES, "us": US_ZONES, "usa": US_ZONES, "u.s.": US_ZONES, "u.s.a.": US_ZONES,
    "united states": US_ZONES, "estados unidos": US_ZONES, "eeuu": US_ZONES, "ee.uu.": US_ZONES,
    "mexico": ("America/Mexico_City", "America/Tijuana", "America/Cancun", "America/Hermosillo",
               "America/Chihuahua", "America/Mazatlan"),
    "canada": ("America/Toronto", "America/Winnipeg", "America/Edmonton", "America/Vancouver",
               "America/Halifax", "America/St_Johns"),
}

# Big US and Mexican cities whose zone is not named after them ("Chicago", "Madrid" already work).
_CITY_LIST = {
    _CT: ["houston", "dallas", "san antonio", "austin", "fort worth", "memphis", "nashville", "oklahoma city",
          "kansas city", "st. louis", "saint louis", "milwaukee", "minneapolis", "new orleans", "omaha"],
    _ET: ["miami", "atlanta", "boston", "philadelphia", "filadelfia", "washington dc", "washington d.c.",
          "baltimore", "charlotte", "orlando", "tampa", "jacksonville", "columbus", "cleveland", "pittsburgh",
          "newark", "brooklyn", "bronx", "queens", "nyc", "ciudad de nueva york"],
    _MT: ["albuquerque", "salt lake city", "colorado springs", "el paso"],
    _AZ: ["tucson", "mesa", "scottsdale"],
    _PT: ["san diego", "san francisco", "san jose", "sacramento", "seattle", "portland", "las vegas", "fresno",
          "oakland"],
    _HI: ["honolulu"],
    _PR: ["san juan"],
    "America/Mexico_City": ["ciudad de mexico", "cdmx", "guadalajara", "monterrey", "puebla"],
}
_CITIES = {name: zone for zone, names in _CITY_LIST.items() for name in names}

# Zones with a half-hour offset (no Etc/ zone has one), to offer for "GMT+5:30" and the like.
_HALF_HOURS = ("America/St_Johns", "Asia/Tehran", "Asia/Kabul", "Asia/Kolkata", "Asia/Kathmandu",
               "Asia/Yangon", "Australia/Darwin", "Australia/Adelaide", "Pacific/Marquesas", "Australia/Eucla",
               "Pacific/Chatham", "Australia/Lord_Howe")

_OFFSET = re.compile(r"(?:gmt|utc|z)\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?")
_LEADING = re.compile(r"^(?:i live in|i'm in|im in|i am in|my time zone is|timezone|time zone|in|vivo en|estoy en|"
                      r"mi zona horaria es|zona horaria)\s+")


@dataclass(frozen=True)
class Resolution:
    """``zone`` when the words name one; ``choices`` (zones) when they could mean several."""

    zone: str | None = None
    choices: tuple[str, ...] = field(default=())


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces, no trailing punctuation or "time zone" filler."""
    raw = unicodedata.normalize("NFKD", text or "")
    raw = "".join(c for c in raw if not unicodedata.combining(c)).lower()
    raw = re.sub(r"\s+", " ", raw).strip().strip(".!?¡¿,;")
    return _LEADING.sub("", raw).strip()


@lru_cache(maxsize=1)
def _iana() -> tuple[dict[str, str], dict[str, str]]:
    """Every IANA zone by its lower-case name, and by its city ("los angeles" → America/Los_Angeles)
    when that city names one zone only."""
    zones = {z.lower(): z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))}
    cities: dict[str, list[str]] = {}
    for zone in zones.values():
        city = normalise(zone.rsplit("/", 1)[1].replace("_", " "))
        cities.setdefault(city, []).append(zone)
    return zones, {city: found[0] for city, found in cities.items() if len(found) == 1}


_BY_NAME = {normalise(name): code for code, (name, _zone) in STATES.items()} | _SPANISH


def state_zone(text: str, *, codes: bool) -> str | None:
    raw = normalise(text)
    if raw in _BY_NAME:
        return STATES[_BY_NAME[raw]][1]
    if codes and raw.upper() in STATES:
        return STATES[raw.upper()][1]
    return None


def _standard_offset(zone: str, year: int) -> float | None:
    off = datetime(year, 1, 15, 12, tzinfo=UTC).astimezone(ZoneInfo(zone)).utcoffset()
    return None if off is None else off.total_seconds() / 60


def offset_choices(minutes: int, now: datetime) -> tuple[str, ...]:
    """US zones whose standard (January) offset is ``minutes``, then the fixed offset itself (IANA's
    Etc/GMT+5 is UTC-5: the sign is inverted); for a half-hour offset, a few zones that have it."""
    us = tuple(z for z in US_ZONES if _standard_offset(z, now.year) == minutes)
    if minutes % 60 == 0:
        fixed = (f"Etc/GMT{-minutes // 60:+d}",) if -12 * 60 <= minutes <= 14 * 60 else ()
        return us + fixed
    return us + tuple(z for z in _HALF_HOURS if _standard_offset(z, now.year) == minutes)


def resolve(text: str, *, codes: bool = True, now: datetime | None = None) -> Resolution:
    """Whatever a person typed for their time zone; an empty Resolution when nothing fits."""
    raw = normalise(text)
    if not raw or len(raw) > 60:
        return Resolution()
    if zone := state_zone(raw, codes=codes):
        return Resolution(zone)
    if raw in _REGIONS:
        return Resolution(choices=_REGIONS[raw])
    if raw in _NAMED:
        return Resolution(_NAMED[raw])
    if m := _OFFSET.fullmatch(raw):
        sign = -1 if m.group(1) in "-−" else 1
        minutes = sign * (int(m.group(2)) * 60 + int(m.group(3) or 0))
        found = offset_choices(minutes, now or datetime.now(UTC))
        return Resolution(found[0]) if len(found) == 1 else Resolution(choices=found)
    if raw in _CITIES:
        return Resolution(_CITIES[raw])
    zones, cities = _iana()
    if zone := zones.get(raw.replace(" ", "_")):
        return Resolution(zone)
    if zone := cities.get(raw):
        return Resolution(zone)
    return Resolution()


def label(zone: str, now: datetime | None = None) -> str:
    """A button label that needs no translation: the zone's city and its offset today."""
    offset = (now or datetime.now(UTC)).astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    hours, rest = divmod(abs(minutes), 60)
    offset_text = f"GMT{'+' if minutes >= 0 else '-'}{hours}{f':{rest:02d}' if rest else ''}"
    if zone.startswith("Etc/"):
        return offset_text
    return f"{zone.rsplit('/', 1)[1].replace('_', ' ')} ({offset_text})"


def is_zone(name: str) -> bool:
    return name in available_timezones()


def zone_at(latitude: float, longitude: float) -> str | None:
    """The zone of a shared location, offline (timezonefinder's bundled boundaries); None at sea.
    Slow to load the first time (~0.4 s): call it in a thread."""
    from timezonefinder import TimezoneFinder

    zone = _finder(TimezoneFinder).timezone_at(lat=latitude, lng=longitude)
    return None if zone is None or zone.startswith("Etc/") else zone  # Etc/GMT+9: the open sea


@lru_cache(maxsize=1)
def _finder(cls: type[Any]) -> Any:
    return cls(in_memory=False)
