"""Plain-language corrections of one notice, in English or Spanish: "actually it was dated the 12th",
"sorry the amount is $2,140", "no wait it's a CP501", "tax year 2022 not 2023", "I live in Texas",
"en realidad la fecha es el 12", "perdón, son $2,140", "es un CP501", "el año fiscal es 2022".

``understand`` finds what a short message corrects, reusing the reader's field extractors (no
language model): a correction word ("actually", "sorry", "no wait", "en realidad"...) or a field
phrase ("the amount is", "dated", "tax year", "it's a", "es un"...) must be there, and nothing that
makes it a new notice ("another", "I also got", "otra") or a question. ``changes`` turns it into the
new values of a notice's fields (a day of the month alone keeps the old date's month and year).
Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from notices import facts, reader
from notices.questions import normalise

# The notice's fields a correction can change, in the order they are shown ("place" is where the
# person lives: their time zone, and "not addressed outside the US" for a US state).
FIELDS = ("code", "notice_date", "due_date", "received_date", "amount", "tax_years", "place")
DATE_FIELDS = ("notice_date", "due_date", "received_date")
MAX_WORDS = 20  # longer messages are notices or stories, not a one-field correction

_CUE = re.compile(
    r"\b(?:actually|sorry|oops|wait|i mean|i meant|correction|wrong|mistake|typo|my bad|should (?:be|say|read)"
    r"|instead|rather|not|oh|en realidad|realmente|perdon|perdona|disculpa|disculpe|me equivoque|corrijo"
    r"|correccion|error|quise decir|mejor dicho|en vez|en lugar|no es|equivocad[oa])\b")
# A field named in a statement about it: "the amount is", "dated", "tax year", "it's a", "es un".
_FIELD_PHRASE = re.compile(
    r"\b(?:amount|owe|balance|total|monto|cantidad|debo|saldo|son \$|es de \$"
    r"|dated|date|fecha|fechad[oa]|con fecha"
    r"|tax year|year is|year was|ano fiscal|el ano|ano es|ejercicio"
    r"|received|got it|arrived|llego|recibi"
    r"|respond by|pay by|due|deadline|vence|fecha limite|plazo"
    r"|code|codigo"
    r"|it'?s for|it is for|is for|es del ano|es para"
    r"|it'?s an?|it is an?|its an?|it was an?|is an?|was an?|es una?|era una?|fue una?)\b")
# "another notice", "I also got a CP501", "otra carta": a new notice, never a correction.
_NEW_NOTICE = re.compile(r"\b(?:another|new|second|third|also|other|one more|otr[oa]s?|nuev[oa]|segund[oa]"
                         r"|tercer[oa]?|tambien|ademas)\b")
# A wrong value named to be replaced: "not 2023", "no es CP14", "instead of $2,000", "en vez de 2023".
_WRONG = re.compile(
    r"\b(?:not|no|instead of|rather than|en vez del?|en lugar del?)\s+(?:(?:es|is|was|era|fue|it'?s|the|a|an|el|la"
    r"|un|una|de|del)\s+)*(?P<wrong>(?:cp|lt|ltr|letter|carta)?\s?\$?\d[\d,./-]*)")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A day of the month on its own, without the ordinal the reader needs: "la fecha es el 12", "the 12".
_DAY_ONLY = re.compile(r"\b(?:the|el(?: dia)?|on the|dia)\s+(?P<d>\d{1,2})(?:st|nd|rd|th|o)?\b(?![/.,-]?\d)"
                       r"(?!\s*(?:de|of)\s+[a-z])")
# A month name or a numeric date: the date is whole, not a day of the month alone.
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar"
           "|apr|jun|jul|aug|sept|sep|oct|nov|dec|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre"
           "|setiembre|octubre|noviembre|diciembre|ene|abr|ago|dic")
_WHOLE_DATE = re.compile(rf"\d{{1,4}}[/.-]\d{{1,2}}|\b(?:{_MONTHS})\b|\b(?:today|yesterday|hoy|ayer|ago|hace)\b")
_ROLE_WORDS = (("received_date", re.compile(r"\b(?:received|got it|arrived|came|llego|recibi)")),
               ("due_date", re.compile(r"\b(?:respond by|pay by|due|deadline|vence|limite|plazo|by the)\b")))
_PLACE = re.compile(r"\b(?:i live in|i'?m in|i am in|i moved to|we live in|my address is in|i'?m based in"
                    r"|i live at|vivo en|vivimos en|estoy en|me mude a|resido en|mi direccion es en)\s+"
                    r"(?P<place>[a-z][a-z .'-]{1,40}?)\s*[.!]*$")


@dataclass(frozen=True)
class Correction:
    """What a message corrects: only the fields it names are set."""

    code: str | None = None
    notice_date: date | None = None
    due_date: date | None = None
    received_date: date | None = None
    day_of_month: int | None = None  # "the 12th": a day only, for the field ``day_field``
    day_field: str = "notice_date"
    amount: Decimal | None = None
    tax_years: tuple[int, ...] = ()
    wrong_years: tuple[int, ...] = ()  # "2022 not 2023": 2023 is taken out
    place: str | None = None  # "I live in Texas" -> "texas" (the bot finds the state or zone)

    @property
    def fields(self) -> tuple[str, ...]:
        named = {
            "code": self.code is not None, "amount": self.amount is not None, "tax_years": bool(self.tax_years),
            "place": self.place is not None,
            **{f: getattr(self, f) is not None or (self.day_of_month is not None and self.day_field == f)
               for f in DATE_FIELDS},
        }
        return tuple(f for f in FIELDS if named[f])


def understand(text: str, today: date, lang: str = "en") -> Correction | None:
    """The correction in ``text``, or None when it is not a short correction of a notice's fields."""
    t = normalise(text)
    if not t or "?" in text or len(t.split()) > MAX_WORDS:
        return None
    if place := place_of(t):  # before the new-notice words: "I live in New York"
        return Correction(place=place)
    if _NEW_NOTICE.search(t):
        return None
    cue = bool(_CUE.search(t))
    if not cue and not _FIELD_PHRASE.search(t):
        return None
    wrong = [m.group("wrong") for m in _WRONG.finditer(t)]
    rest = _WRONG.sub(" ", t)
    found = reader.read(rest, today, lang)
    if found.scam_signals or found.not_notice:
        return None
    c = Correction(
        code=found.notice, amount=found.amount, tax_years=tuple(found.tax_years),
        wrong_years=tuple(int(y) for w in wrong for y in _YEAR.findall(w)),
        **_dates(rest, found))
    if not c.fields or (len(c.fields) > 1 and not cue):
        return None  # nothing to correct, or several fields with no correction word: a new notice
    return c


def place_of(text: str) -> str | None:
    """Where "I live in Texas" / "vivo en Texas" says the person lives (normalised words), or None."""
    m = _PLACE.search(normalise(text))
    return m.group("place").strip(" .'-") if m else None


def _dates(t: str, found: reader.Draft) -> dict[str, Any]:
    """The dates named, or a day of the month alone (with the field it belongs to)."""
    dates = {f: getattr(found, f) for f in DATE_FIELDS if getattr(found, f) is not None}
    whole = bool(_WHOLE_DATE.search(t))
    if len(dates) == 1 and not whole:  # "dated the 12th": the reader placed it near today; keep the day only
        (field, day), = dates.items()
        return {"day_of_month": day.day, "day_field": field}
    if dates or whole:
        return dates
    m = _DAY_ONLY.search(t)
    if m is None or not 1 <= int(m.group("d")) <= 31:
        return {}
    field = next((name for name, rx in _ROLE_WORDS if rx.search(t)), "notice_date")
    return {"day_of_month": int(m.group("d")), "day_field": field}


def changes(c: Correction, current: facts.NoticeInput, today: date) -> dict[str, Any]:
    """The new values of the fields ``c`` changes on a notice that is ``current`` now (fields whose
    value stays the same are left out; "place" is always kept, for the bot to resolve)."""
    old: dict[str, Any] = {
        "code": current.code, "notice_date": current.notice_date, "due_date": current.printed_due,
        "received_date": current.received_date, "amount": current.amount, "tax_years": tuple(current.tax_years),
    }
    new: dict[str, Any] = {}
    if c.code is not None:
        new["code"] = c.code
    for field in DATE_FIELDS:
        if (value := getattr(c, field)) is not None:
            new[field] = value
        elif c.day_of_month is not None and c.day_field == field:
            if (day := _day_of_month(c.day_of_month, old[field], today, past=field != "due_date")) is not None:
                new[field] = day
    if c.amount is not None:
        new["amount"] = c.amount
    if c.tax_years:
        kept = set(old["tax_years"]) - set(c.wrong_years) if c.wrong_years else set()
        new["tax_years"] = tuple(sorted(kept | set(c.tax_years)))
    changed = {k: v for k, v in new.items() if v != old[k]}
    if c.place is not None:
        changed["place"] = c.place
    return changed


def _day_of_month(day: int, old: date | None, today: date, *, past: bool) -> date | None:
    """Day ``day`` in the old date's month (or this month): a notice or received date is never in
    the future, so a day still to come this month is last month's."""
    base = old or today
    try:
        found = base.replace(day=day)
    except ValueError:
        return None
    if past and found > today:
        earlier = found.replace(day=1) - timedelta(days=1)
        try:
            return earlier.replace(day=day)
        except ValueError:
            return None
    return found
