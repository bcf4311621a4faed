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
WINDOW_FROM = ("notice_date", "printed_date", "none")
AUDIENCES = ("individual", "business")


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
    )


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
        return f"CP{int(m.group('cp_num'))}{(m.group('cp_suf') or '').upper()}"
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
