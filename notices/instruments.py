"""The instrument that keeps each right: which one a notice calls for, and what to tell the person
about it (facts in ``instruments.toml``, each with its official sources).

- CDP notices (catalog ``cdp``): Form 12153, postmarked by the last day (``notices.form12153``).
- Notices of deficiency (stage ``deficiency``): a U.S. Tax Court petition; never a dispute letter.
- Math-error notices (stage ``adjustment`` with a hard window: CP11, CP12, CP23): the 60-day
  abatement request under IRC 6213(b)(2), next to the payment date.
- Any other notice: the dispute letter (``notices.letter``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources

from notices import catalog, words
from notices.letter import latin1_pdf, notice_label
from notices.money import money
from notices.redact import redact
from notices.words import ENGLISH, Words, long_date

FOLLOW_UP_DAYS = 30  # after mailing Form 12153: our check-in, not a legal period


class Kind(StrEnum):
    HEARING = "hearing"
    COURT = "court"
    ABATEMENT = "abatement"
    DISPUTE = "dispute"


def kind_of(code: str | None) -> Kind:
    """The instrument a notice calls for (an unknown code gets the dispute letter)."""
    info = catalog.get(code) if code else None
    if info is None:
        return Kind.DISPUTE
    if info.cdp:
        return Kind.HEARING
    if info.stage_key == "deficiency":
        return Kind.COURT
    if info.stage_key == "adjustment" and info.hard:
        return Kind.ABATEMENT
    return Kind.DISPUTE


def still_counting(code: str | None, status: str) -> bool:
    """Open, or disputed on a notice with a hard date: saying "disputed" does not stop a legal clock
    (only the instrument keeps the right), so such a notice stays listed, dated and reminded."""
    if status == "open":
        return True
    info = catalog.get(code) if code else None
    return status == "disputed" and bool(info and info.hard)


# Which facts each guide shows, in order.
GUIDES: dict[Kind, tuple[str, ...]] = {
    Kind.HEARING: ("hearing.why", "hearing.deadline", "hearing.send", "hearing.certified", "hearing.by_hand"),
    Kind.COURT: ("court.last_day", "court.only_petition", "court.meaning", "court.small_case", "court.fee",
                 "court.efile", "court.help"),
    Kind.ABATEMENT: ("abatement.two_dates", "abatement.why", "abatement.send"),
}


@dataclass(frozen=True)
class Fact:
    texts: Mapping[str, str]  # language -> text (a column of instruments.toml)
    sources: tuple[str, ...]  # URLs

    def get(self, lang: str) -> str:
        return words.pick(self.texts, lang)


@cache
def facts() -> dict[str, Fact]:
    """Every fact of instruments.toml by dotted key ("court.fee"); fails loudly on a bad entry."""
    data = tomllib.loads(resources.files("notices").joinpath("instruments.toml").read_text(encoding="utf-8"))
    urls: dict[str, str] = data.pop("sources")
    out: dict[str, Fact] = {}
    for group, entries in data.items():
        for name, entry in entries.items():
            key = f"{group}.{name}"
            if not (all(entry.get(lang, "").strip() for lang in words.LANGUAGES) and entry.get("sources")):
                raise ValueError(f"instruments.toml {key}: needs {', '.join(words.LANGUAGES)} and sources")
            missing = [s for s in entry["sources"] if s not in urls]
            if missing:
                raise ValueError(f"instruments.toml {key}: unknown sources {missing}")
            texts = {lang: entry[lang] for lang in words.LANGUAGES}
            out[key] = Fact(texts, tuple(urls[s] for s in entry["sources"]))
    return out


def say(key: str, lang: str, **values: object) -> str:
    return facts()[key].get(lang).format(**values)


@dataclass(frozen=True)
class Guide:
    title: str
    paragraphs: tuple[str, ...]
    sources: tuple[str, ...]  # deduplicated, in order of first use


def guide(kind: Kind, code: str, last_day: date | None, tr: Words = ENGLISH, *, late: bool = False) -> Guide:
    """What to do and how, for ``code``'s instrument, in ``tr``'s language; ``last_day`` None shows
    the rule, not a date."""
    if kind == Kind.DISPUTE:
        raise ValueError("the dispute letter has no guide")
    lang = tr.language
    when = long_date(last_day, lang) if last_day else tr.gettext("the date printed on the notice")
    keys = list(GUIDES[kind])
    if kind == Kind.HEARING and late:
        keys.insert(2, "hearing.late")
    paragraphs = tuple(say(k, lang, last_day=when, code=code) for k in keys)
    sources = tuple(dict.fromkeys(url for k in [f"{kind}.title", *keys] for url in facts()[k].sources))
    return Guide(say(f"{kind}.title", lang), paragraphs, sources)


def follow_up_day(sent_on: date) -> date:
    return sent_on + timedelta(days=FOLLOW_UP_DAYS)


# --- the 60-day abatement request (math error) ------------------------------------------------

@dataclass(frozen=True)
class AbatementInput:
    notice_code: str
    notice_date: date | None
    today: date
    tax_years: tuple[int, ...] = ()
    amount: Decimal | None = None
    reasons: tuple[str, ...] = ()


def abatement_lines(inp: AbatementInput, tr: Words = ENGLISH) -> list[str]:
    """The 60-day request letter, line by line, in ``tr``'s language."""
    _, lang = tr.gettext, tr.language
    dated = long_date(inp.notice_date, lang) if inp.notice_date else "____________"
    out = [_("Name: [your full name]"), "", long_date(inp.today, lang), "",
           _("Internal Revenue Service (reply address printed on the notice)"), "",
           _("Re: {code} dated {date}: request for abatement under IRC section 6213(b)(2)(A)").format(
               code=notice_label(inp.notice_code, tr), date=dated)]
    if inp.tax_years:
        out.append(_("Tax year(s): {years}").format(years=", ".join(str(y) for y in sorted(inp.tax_years))))
    if inp.amount is not None:
        # written as on the notice, in US form, in any language: the letter goes to the IRS
        out.append(_("Amount shown on the notice: {amount}").format(amount=money(inp.amount)))
    out += [_("Taxpayer identification number: ______________________ (write by hand)"), "",
            _("I received the notice above, which changes my return because of a mathematical or clerical "
              "error. I do not agree with the change. Under Internal Revenue Code section 6213(b)(2)(A), I "
              "request that you abate the assessment made in this notice. This request is made within 60 days "
              "after the notice was sent."), "", _("Why I disagree:")]
    # typed text goes through redaction: a letter never carries a full SSN
    reasons = [redact(r).text for r in inp.reasons if r.strip()] or [_("(Explain here why the change is wrong.)")]
    out += [f"{i}. {r}" for i, r in enumerate(reasons, 1)]
    out += ["", _("Sincerely,"), "", _("Signature: ____________________   Date: ______________"), "",
            _("Enclosures: copy of the notice; copies of documents that support my return")]
    return out


def abatement_text(inp: AbatementInput, tr: Words = ENGLISH) -> str:
    return "\n".join(abatement_lines(inp, tr)) + "\n"


def abatement_pdf(inp: AbatementInput, tr: Words = ENGLISH) -> bytes:
    return latin1_pdf(f"Abatement request - {inp.notice_code}", abatement_lines(inp, tr))


_SECTION = re.compile(r"section(\d+[A-Z]?)")


def source_label(url: str) -> str:
    """A short name for a source link: "IRC § 6213", "irs.gov/f12153.pdf", "ustaxcourt.gov/…"."""
    if (m := _SECTION.search(url)) and "uscode.house.gov" in url:
        return f"IRC § {m.group(1)}"
    host = url.split("/")[2].lower().removeprefix("www.")
    tail = [part for part in url.split("/")[3:] if part]
    return f"{host}/{tail[-1][:40]}" if tail else host


def is_official(url: str) -> bool:
    """Sources a person is sent to: irs.gov (TAS included), the Tax Court, the statute."""
    host = url.split("/")[2].lower()
    return host.endswith(("irs.gov", "ustaxcourt.gov", "uscode.house.gov"))
