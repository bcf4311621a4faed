"""From what a person sends to a draft notice: the draft kept between messages, and what the bot
can work out from it. Files are read to text by the ``documents`` package.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from notices import catalog, facts, reader
from notices.catalog import NoticeInfo
from notices.intent import looks_like_notice  # noqa: F401 - the bot's callers read it here

log = logging.getLogger("noticebot.intake")

UNKNOWN_CODE = catalog.UNKNOWN_CODE

# "I don't know" in the ways people say it (English and Spanish).
_DONT_KNOW = re.compile(
    r"^\s*(?:i\s+)?(?:don'?t|do\s+not|dunno|no)\s*(?:know|idea|sure)?\b|^\s*(?:idk|not\s+sure|unknown|"
    r"no\s+s[eé]|ni\s+idea|no\s+lo\s+s[eé]|no\s+estoy\s+segur[oa]|desconocid[oa]|\?+)\s*[.!]*\s*$",
    re.IGNORECASE,
)


def is_dont_know(text: str) -> bool:
    return bool(_DONT_KNOW.search(text or ""))


# --- the draft kept between messages ----------------------------------------------------------

ASK_ORDER = facts.ASK_ORDER


@dataclass
class DraftData:
    """What we understood so far, as JSON-safe values (it lives in the FSM storage)."""

    code: str | None = None
    tax_years: list[int] = field(default_factory=list)
    amount: str | None = None
    notice_date: str | None = None
    due_date: str | None = None
    received_date: str | None = None
    abroad: bool = False
    unknown: list[str] = field(default_factory=list)  # fields answered "I don't know"
    uncertain: list[str] = field(default_factory=list)  # fields read with low confidence: the card says so
    asking: str | None = None
    saving: bool = False  # Save was pressed and a question came first: saved once it is answered
    token: str = field(default_factory=lambda: secrets.token_hex(4))

    @classmethod
    def from_reader(cls, d: reader.Draft) -> DraftData:
        return cls(
            code=d.notice, tax_years=list(d.tax_years), amount=str(d.amount) if d.amount is not None else None,
            notice_date=_iso(d.notice_date), due_date=_iso(d.due_date), received_date=_iso(d.received_date),
            uncertain=list(d.uncertain),
        )  # never ``abroad`` from words in a message: it is asked, on deficiency notices only

    @classmethod
    def load(cls, raw: dict) -> DraftData:
        return cls(**raw)

    def dump(self) -> dict:
        return asdict(self)

    @property
    def info(self) -> NoticeInfo | None:
        return catalog.get(self.code) if self.code else None

    def day(self, name: str) -> date | None:
        value = getattr(self, name)
        return date.fromisoformat(value) if value else None

    @property
    def amount_decimal(self) -> Decimal | None:
        return Decimal(self.amount) if self.amount is not None else None

    def facts_input(self) -> facts.NoticeInput:
        return facts.NoticeInput(
            self.code, self.day("notice_date"), self.day("due_date"), self.day("received_date"), self.abroad,
            self.amount_decimal, tuple(self.tax_years), unknown=frozenset(self.unknown))

    def needs(self, name: str) -> bool:
        return name in self.missing()

    def missing(self) -> tuple[str, ...]:
        return facts.missing(self.code, self.day("notice_date"), self.day("due_date"), self.amount_decimal,
                             self.tax_years, self.unknown)

    def next_question(self) -> str | None:
        if self.saving and (first := self.before_saving()) is not None:
            return first  # Save was pressed: what it waits for is asked first
        return next(iter(self.missing()), None)

    def before_saving(self) -> str | None:
        """What Save asks first (``notices.facts.before_saving``), or None."""
        return next(iter(facts.before_saving(self.code, self.day("notice_date"), self.tax_years, self.unknown)), None)

    def apply(self, changes: dict[str, Any]) -> None:
        """Set corrected fields (``notices.corrections.changes``: typed values); each is then known."""
        for name, value in changes.items():
            if name == "code":
                self.code = str(value)
            elif name in ("notice_date", "due_date", "received_date"):
                setattr(self, name, value.isoformat())
            elif name == "amount":
                self.amount = str(value)
            elif name == "tax_years":
                self.tax_years = list(value)
            elif name == "abroad":
                self.abroad = bool(value)
            else:
                continue
            for marks in (self.unknown, self.uncertain):
                if name in marks:
                    marks.remove(name)

    def merge(self, d: reader.Draft) -> None:
        """Fill what is still empty from another message about the same notice."""
        if self.code is None and d.notice:
            self.code = d.notice
        if not self.tax_years and d.tax_years:
            self.tax_years = list(d.tax_years)
        if self.amount is None and d.amount is not None:
            self.amount = str(d.amount)
        for name in ("notice_date", "due_date", "received_date"):
            if getattr(self, name) is None and getattr(d, name) is not None:
                setattr(self, name, _iso(getattr(d, name)))

    def answer(self, name: str, text: str, today: date, lang: str = "en") -> bool:
        """Set field ``name`` from a typed answer; False when the answer cannot be read."""
        if is_dont_know(text) and not (name == "abroad" and parse_field(name, text, today) is False):
            if name not in self.unknown:
                self.unknown.append(name)
            return True
        value = parse_field(name, text, today, lang)
        if value is None:
            return False
        if isinstance(value, bool):
            self.abroad = value
        elif isinstance(value, date):
            setattr(self, name, value.isoformat())
        elif isinstance(value, tuple):
            self.tax_years = list(value)
        elif name == "amount":
            self.amount = str(value)
        else:
            self.code = str(value)
        if name in self.unknown:
            self.unknown.remove(name)
        if name in self.uncertain:  # typed by the person: no longer a guess
            self.uncertain.remove(name)
        return True


# Prefixes that make the reader take a bare answer as the field that was asked.
_FIELD_PREFIX = {
    "notice_date": "dated ", "due_date": "respond by ", "received_date": "received ",
    "amount": "amount owed ", "tax_years": "tax year ",
}


_YES = re.compile(r"^\s*(?:y|yes|yeah|s[ií]|correct[oa]?)\b", re.IGNORECASE)
_NO = re.compile(r"^\s*(?:n|no|nope)\b", re.IGNORECASE)


def parse_field(name: str, text: str, today: date,
                lang: str = "en") -> str | Decimal | tuple[int, ...] | date | bool | None:
    """A typed value for one field, or None when it cannot be read (``lang``: "es" reads 03/11 as 3 Nov)."""
    text = (text or "").strip()
    if not text:
        return None
    if name == "abroad":  # a yes/no question, never inferred from other words
        return True if _YES.match(text) else False if _NO.match(text) else None
    if name == "code":
        return catalog.canonical_code(text) or reader.read(text, today, lang).notice
    if name == "amount":
        found = reader.read(_FIELD_PREFIX[name] + text, today, lang).amount
        if found is None:
            try:
                found = Decimal(text.replace(",", "").replace("$", "").strip())
            except InvalidOperation:
                return None
        return found.quantize(Decimal("0.01")) if found > 0 else None
    if name == "tax_years":
        years = reader.read(_FIELD_PREFIX[name] + text, today, lang).tax_years
        return tuple(years) or None
    d = reader.read(_FIELD_PREFIX[name] + text, today, lang)
    return {"notice_date": d.notice_date, "due_date": d.due_date, "received_date": d.received_date}[name] \
        or d.notice_date or d.due_date or d.received_date


# --- what follows from a draft (or a saved notice) --------------------------------------------

# The derived facts live in notices.facts; these are the bot's names for them.
Assessment = facts.Facts


def assess(code: str | None, notice_date: date | None, due_date: date | None, received_date: date | None,
           abroad: bool, amount: Decimal | None, today: date, lang: str, status: str = "open") -> Assessment:
    return facts.derive(facts.NoticeInput(code, notice_date, due_date, received_date, abroad, amount,
                                          status=status), today, lang)


def assess_draft(d: DraftData, today: date, lang: str) -> Assessment:
    return facts.derive(d.facts_input(), today, lang)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
