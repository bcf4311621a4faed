"""The notice catalog: loads and validates ``catalog.toml`` and normalises notice codes.

The TOML file is the single source of facts (with their public sources); this module only checks
its shape so a bad edit fails loudly, naming the code and the field, at import time.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from notices import words

LANGS = tuple(words.LANGUAGES)  # every text needs a column for each
UNKNOWN_CODE = "UNKNOWN"  # what a notice is saved as before its code is known
WINDOW_FROM = ("notice_date", "printed_date", "none")
AUDIENCES = ("individual", "business")
# What keeps a notice's right (data for the instrument helpers): a CDP hearing request, a Tax Court
# petition, the 60-day math-error abatement request, a written protest, or a plain dispute letter.
INSTRUMENTS = ("form_12153", "tax_court_petition", "abatement_request", "written_protest", "dispute_letter")
# Where a person may be sent: the IRS, the Taxpayer Advocate Service, the statute. Other domains
# stay in `sources` as provenance only and are never shown.
OFFICIAL_DOMAINS = ("irs.gov", "taxpayeradvocate.irs.gov", "uscode.house.gov", "ustaxcourt.gov")


class CatalogError(ValueError):
    """A catalog entry does not match the schema."""


@dataclass(frozen=True)
class Text:
    """One text in each language (the entry's ``en``, ``es``... keys)."""

    by_lang: Mapping[str, str] = field(hash=False)

    def get(self, lang: str = "en") -> str:
        return words.pick(self.by_lang, lang)


@dataclass(frozen=True)
class TextList:
    by_lang: Mapping[str, tuple[str, ...]] = field(hash=False)

    def get(self, lang: str = "en") -> tuple[str, ...]:
        return words.pick(self.by_lang, lang)


@dataclass(frozen=True)
class NextNotice:
    """A notice that usually follows if nothing is done, min/max days after this notice's date."""

    code: str
    min_days: int
    max_days: int
    estimate: bool


@dataclass(frozen=True)
class Stage:
    key: str
    number: int
    name: Text


@dataclass(frozen=True)
class NoticeInfo:
    code: str
    title: Text
    meaning: Text
    stage: int
    stage_key: str
    stage_name: Text
    audience: str
    window_days: int | None
    window_from: str
    window_confirmed: bool
    hard: bool
    rights: TextList
    if_ignored: Text
    next: tuple[NextNotice, ...]
    actions: TextList
    sources: tuple[str, ...]
    phone: Text | None = None
    window_days_abroad: int | None = None
    cdp: bool = False
    intent_to_levy: bool = False
    aliases: tuple[str, ...] = ()
    prints_last_day: bool = False  # the notice prints its own last day, and that date controls
    pay_days: int | None = None  # math-error notices: payment due ~21 days, apart from the 60-day window
    unfiled_return: bool = False  # about a return not filed: the failure-to-file penalty applies
    instrument: str = "dispute_letter"
    unverified: bool = False  # no irs.gov page confirms this code (shown as such)
    large_balance_business_days: int | None = None  # CP14: $100,000 or more due in 10 business days

    @property
    def assessed(self) -> bool:
        """False for proposals (CP2000, notices of deficiency): nothing is assessed yet, so no
        failure-to-pay penalty runs (IRC 6651(a)(3))."""
        return self.stage_key not in ("proposed", "deficiency", "refund_hold")

    @property
    def shown_source(self) -> str:
        """The official page a person is sent to (irs.gov "Understanding your notice", TAS, form)."""
        return next(s for s in self.sources if is_official(s))

    def source_for(self, lang: str = "en") -> str:
        """``shown_source`` in the person's language where irs.gov has one (/es/), else English."""
        return page_in(self.shown_source, lang)


def page_in(url: str, lang: str = "en") -> str:
    """An official page in the person's language where irs.gov has one (/es/), else English."""
    url = _IRS_LANG.sub(r"\1", url.replace("http://", "https://", 1))
    if lang in IRS_SITE_LANGUAGES and _IRS_HOME.match(url):
        return _IRS_HOME.sub(rf"\1/{lang}", url)
    return url


# irs.gov's translated sections (irs.gov/<language>/...) that our links use: a fact about the site,
# checked for Spanish notice pages; other languages keep the English page until checked.
IRS_SITE_LANGUAGES = frozenset({"es"})


_IRS_LANG = re.compile(r"^(https://(?:www\.)?irs\.gov)/(?:[a-z]{2}(?:-[a-z]+)?)(?=/)", re.IGNORECASE)
_IRS_HOME = re.compile(r"^(https://(?:www\.)?irs\.gov)(?=/)", re.IGNORECASE)


def is_official(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


@dataclass(frozen=True)
class Thresholds:
    lien: int
    online_long_term_plan: int
    short_term_plan: int
    tax_court_small_case: int
    passport: dict[int, int]
    passport_confirmed: dict[int, bool]
    sources: tuple[str, ...]

    def passport_for(self, year: int) -> tuple[int, bool]:
        """Threshold for ``year``; later years reuse the last known figure, flagged unconfirmed."""
        known = max((y for y in self.passport if y <= year), default=min(self.passport))
        return self.passport[known], self.passport_confirmed.get(known, False) and known == year


# --- validation helpers ----------------------------------------------------------------------


def _fail(code: str, field: str, problem: str) -> CatalogError:
    return CatalogError(f"catalog entry {code}: field '{field}' {problem}")


def _text(code: str, entry: dict, field: str) -> Text:
    value = entry.get(field)
    if not isinstance(value, dict) or any(not isinstance(value.get(k), str) or not value[k].strip() for k in LANGS):
        raise _fail(code, field, f"needs non-empty strings for {', '.join(LANGS)}")
    return Text({k: value[k] for k in LANGS})


def _text_list(code: str, entry: dict, field: str) -> TextList:
    value: Any = entry.get(field)
    ok = isinstance(value, dict) and all(
        isinstance(value.get(k), list) and value[k] and all(isinstance(s, str) and s.strip() for s in value[k])
        for k in LANGS
    )
    if not ok:
        raise _fail(code, field, f"needs non-empty lists of strings for {', '.join(LANGS)}")
    if len({len(value[k]) for k in LANGS}) != 1:
        raise _fail(code, field, f"has a different number of items in {', '.join(LANGS)}")
    return TextList({k: tuple(value[k]) for k in LANGS})


def _typed(code: str, entry: dict, field: str, kind: type, required: bool = True) -> Any:
    if field not in entry:
        if required:
            raise _fail(code, field, "is missing")
        return None
    value = entry[field]
    # bool is a subclass of int: reject it where a number is expected
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _fail(code, field, f"must be {kind.__name__}, got {value!r}")
    return value


CODE_RE = re.compile(r"^(?:CP\d{1,4}[A-Z]{0,2}|LT\d{1,3}[A-Z]?|LTR\d{1,4}[A-Z]?)$")


def _build(code: str, entry: dict, stages: dict[str, Stage]) -> NoticeInfo:
    if not CODE_RE.match(code):
        raise _fail(code, "code", "is not canonical (CP/LT + digits + suffix, or LTR + number + suffix)")
    stage_key = _typed(code, entry, "stage", str)
    if stage_key not in stages:
        raise _fail(code, "stage", f"names an unknown stage {stage_key!r}")
    audience = _typed(code, entry, "audience", str)
    if audience not in AUDIENCES:
        raise _fail(code, "audience", f"must be one of {AUDIENCES}")
    window_from = _typed(code, entry, "window_from", str)
    if window_from not in WINDOW_FROM:
        raise _fail(code, "window_from", f"must be one of {WINDOW_FROM}")
    window = _typed(code, entry, "window_days", int, required=False)
    if (window is None) != (window_from != "notice_date"):
        raise _fail(code, "window_days", "is required exactly when window_from = 'notice_date'")
    if window is not None and window <= 0:
        raise _fail(code, "window_days", "must be positive")
    sources = entry.get("sources")
    if not isinstance(sources, list) or not sources or not all(
        isinstance(s, str) and s.startswith(("http://", "https://")) for s in sources
    ):
        raise _fail(code, "sources", "needs at least one http(s) URL")
    nexts = []
    for i, item in enumerate(_typed(code, entry, "next", list)):
        where = f"next[{i}]"
        if not isinstance(item, dict):
            raise _fail(code, where, "must be a table")
        lo, hi = _typed(code, item, "min_days", int), _typed(code, item, "max_days", int)
        if not 0 < lo <= hi:
            raise _fail(code, where, "needs 0 < min_days <= max_days")
        nexts.append(NextNotice(_typed(code, item, "code", str), lo, hi, _typed(code, item, "estimate", bool)))
    if not any(is_official(s) for s in sources):
        raise _fail(code, "sources", f"needs an official page to show a person ({', '.join(OFFICIAL_DOMAINS)})")
    instrument = _typed(code, entry, "instrument", str, required=False) or _default_instrument(entry, stage_key)
    if instrument not in INSTRUMENTS:
        raise _fail(code, "instrument", f"must be one of {INSTRUMENTS}")
    return NoticeInfo(
        code=code,
        title=_text(code, entry, "title"),
        meaning=_text(code, entry, "meaning"),
        stage=stages[stage_key].number,
        stage_key=stage_key,
        stage_name=stages[stage_key].name,
        audience=audience,
        window_days=window,
        window_from=window_from,
        window_confirmed=_typed(code, entry, "window_confirmed", bool),
        hard=_typed(code, entry, "hard", bool),
        rights=_text_list(code, entry, "rights"),
        if_ignored=_text(code, entry, "if_ignored"),
        next=tuple(nexts),
        actions=_text_list(code, entry, "actions"),
        sources=tuple(sources),
        phone=_text(code, entry, "phone") if "phone" in entry else None,
        window_days_abroad=_typed(code, entry, "window_days_abroad", int, required=False),
        cdp=bool(_typed(code, entry, "cdp", bool, required=False)),
        intent_to_levy=bool(_typed(code, entry, "intent_to_levy", bool, required=False)),
        aliases=tuple(_typed(code, entry, "aliases", list, required=False) or ()),
        prints_last_day=bool(_typed(code, entry, "prints_last_day", bool, required=False)),
        pay_days=_typed(code, entry, "pay_days", int, required=False),
        unfiled_return=bool(_typed(code, entry, "unfiled_return", bool, required=False)),
        instrument=instrument,
        unverified=bool(_typed(code, entry, "unverified", bool, required=False)),
        large_balance_business_days=_typed(code, entry, "large_balance_business_days", int, required=False),
    )


def _default_instrument(entry: dict, stage_key: str) -> str:
    if entry.get("cdp"):
        return "form_12153"
    if stage_key == "deficiency":
        return "tax_court_petition"
    if entry.get("pay_days"):
        return "abatement_request"
    return "dispute_letter"


def _resolve_base(code: str, raw: dict[str, dict], seen: tuple[str, ...] = ()) -> dict:
    """Merge an entry over its ``base`` entry (shallow: a field given here replaces the base's)."""
    entry = raw[code]
    base = entry.get("base")
    if base is None:
        return entry
    if base not in raw or base in seen:
        raise _fail(code, "base", f"names a missing or circular entry {base!r}")
    merged = dict(_resolve_base(base, raw, (*seen, code)))
    merged.pop("aliases", None)  # aliases belong to the entry that declares them
    merged.update({k: v for k, v in entry.items() if k != "base"})
    return merged


@dataclass(frozen=True)
class Catalog:
    notices: dict[str, NoticeInfo]
    aliases: dict[str, str]
    stages: dict[str, Stage]
    unknown_plan: TextList
    thresholds: Thresholds


def parse_catalog(data: dict) -> Catalog:
    """Validate parsed TOML and build the catalog; raises CatalogError naming code and field."""
    stages = {}
    for key, st in data.get("stages", {}).items():
        where = f"stage {key}"
        stages[key] = Stage(key, _typed(where, st, "number", int), _text(where, {"name": st}, "name"))
    raw = data.get("notices", {})
    notices = {code: _build(code, _resolve_base(code, raw), stages) for code in raw}
    aliases: dict[str, str] = {}
    for info in notices.values():
        for alias in info.aliases:
            if not CODE_RE.match(alias) or alias in notices or alias in aliases:
                raise _fail(info.code, "aliases", f"has an invalid or duplicate alias {alias!r}")
            aliases[alias] = info.code
    for info in notices.values():
        for nxt in info.next:
            if nxt.code not in notices:
                raise _fail(info.code, "next", f"refers to {nxt.code!r}, which is not in the catalog")
    th = data["thresholds"]
    thresholds = Thresholds(
        lien=th["lien"],
        online_long_term_plan=th["online_long_term_plan"],
        short_term_plan=th["short_term_plan"],
        tax_court_small_case=th["tax_court_small_case"],
        passport={int(y): v for y, v in th["passport"].items()},
        passport_confirmed={int(y): v for y, v in th["passport_confirmed"].items()},
        sources=tuple(th["sources"]),
    )
    unknown = data["unknown"]
    return Catalog(notices, aliases, stages, _text_list("unknown", {"plan": unknown}, "plan"), thresholds)


@cache
def load() -> Catalog:
    text = resources.files("notices").joinpath("catalog.toml").read_text(encoding="utf-8")
    return parse_catalog(tomllib.loads(text))


# --- code normalisation ----------------------------------------------------------------------

# One pattern for a code standing alone or inside text. Letters take "LTR"/"Letter"/"carta";
# a hyphen or space may separate a letter's number from its suffix ("226-J", "5071 C").
_SEP = r"[\s\-\.#:]*"
CODE_PATTERN = (
    r"(?:"
    rf"(?P<cp>cp){_SEP}(?P<cp_num>\d{{1,4}})-?(?P<cp_suf>[a-z]{{1,2}})?"
    rf"|(?P<lt>lt)(?!r){_SEP}(?P<lt_num>\d{{1,3}})-?(?P<lt_suf>[a-z])?"
    rf"|(?:ltr|letter|carta|lettre)(?:\s+(?:no|number|n[uú]m(?:ero)?)\.?)?{_SEP}(?P<ltr_num>\d{{1,4}})"
    r"(?:-?(?P<ltr_suf>[a-z])|\s(?P<ltr_suf_sp>[cj]))?"  # a spaced suffix only for C/J letters ("5071 C")
    rf"|(?P<bare_num>\d{{2,4}})-?(?P<bare_suf>[cj])"
    r"|(?P<rev_num>\d{3,4})(?:-?(?P<rev_suf>[cj]))?\s+(?:letter|carta)"  # "a 1058 letter"
    r")"
)
_CODE_ALONE = re.compile(rf"^\s*(?:(?:irs|notice|aviso|notificaci[oó]n)\s+)?{CODE_PATTERN}\s*$", re.IGNORECASE)


def code_from_match(m: re.Match) -> str:
    """Canonical code from a CODE_PATTERN match (CP/LT + digits + suffix, LTR + number + suffix)."""
    if m.group("cp"):
        # two digits at least, as the IRS prints them: CP05, CP09, CP01A
        return f"CP{int(m.group('cp_num')):02d}{(m.group('cp_suf') or '').upper()}"
    if m.group("lt"):
        return f"LT{int(m.group('lt_num'))}{(m.group('lt_suf') or '').upper()}"
    if m.group("ltr_num"):
        return f"LTR{int(m.group('ltr_num'))}{(m.group('ltr_suf') or m.group('ltr_suf_sp') or '').upper()}"
    if m.group("rev_num"):
        return f"LTR{int(m.group('rev_num'))}{(m.group('rev_suf') or '').upper()}"
    return f"LTR{int(m.group('bare_num'))}{m.group('bare_suf').upper()}"


def canonical_code(raw: str) -> str | None:
    """'cp 504' -> 'CP504', 'Letter 1058' -> 'LTR1058', 'LT 11' -> 'LT11', 'letter 226-J' -> 'LTR226J'.

    Returns None when ``raw`` is not a notice code. The result need not be in the catalog.
    """
    m = _CODE_ALONE.match(raw or "")
    if not m:
        return None
    return code_from_match(m)


@lru_cache(maxsize=4096)
def get(code: str) -> NoticeInfo | None:
    """The catalog entry for a code in any spelling (aliases such as CP2000A map to CP2000)."""
    cat = load()
    canon = code if code in cat.notices else canonical_code(code) or (code or "").strip().upper()
    canon = cat.aliases.get(canon, canon)
    return cat.notices.get(canon)


def is_known(canon: str) -> bool:
    """True when a canonical code (or alias) is in the catalog; cheap, for the reader's hot path."""
    cat = load()
    return canon in cat.notices or canon in cat.aliases


def all_notices() -> list[NoticeInfo]:
    return sorted(load().notices.values(), key=lambda n: (n.stage, n.code))


def thresholds() -> Thresholds:
    return load().thresholds


UNKNOWN_PLAN: TextList = load().unknown_plan
