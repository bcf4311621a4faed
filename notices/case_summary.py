"""A case summary for a professional (issue 16): one PDF per case, to hand to a CPA, an enrolled agent
or a Low Income Taxpayer Clinic, in the person's language.

Pure: the caller (``services.case_summary``) gathers the case into ``CaseSummary`` (plain values, the
case's timeline from ``notices.cases``); here it becomes sections of text (``blocks``) and a PDF.
What it holds: the notices (code, what it is, dates in words, amounts), the deadlines (met, open or
missed; hard ones and estimates marked), what the person did (calls, letters, instruments sent, the
plan and its payments), the open questions (what is still unknown) and where free help is.

Never an identifier: no name, no Telegram id, no SSN/ITIN/EIN. The person's own notes and what they
typed about a call come in only when the caller says so (the person's privacy setting) and are
redacted here once more. Built-in PDF fonts, as the letters: Latin-1 (every Spanish letter);
pictographs (emoji) are dropped, other characters outside Latin-1 become "?".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from notices import catalog, links
from notices.cases import INDIVIDUAL_FORM, CaseTimeline, DeadlineState, Logged, logged_text
from notices.letter import _latin1
from notices.money import money
from notices.redact import redact
from notices.words import ENGLISH, Words, long_date

TAS_PHONE = "1-877-777-4778"  # the Taxpayer Advocate Service's toll-free number (taxpayeradvocate.irs.gov)


@dataclass(frozen=True)
class SummaryNotice:
    notice_id: int
    code: str
    notice_date: date | None
    received: date | None
    tax_years: tuple[int, ...]
    amount: Decimal | None
    status: str  # open | paid | plan | disputed | closed
    notes: str = ""  # only when the person lets notes out of the chat (else empty)
    phone: str | None = None  # the IRS number printed on the notice, with the same setting


@dataclass(frozen=True)
class SummaryPlan:
    """A payment plan on one of the case's notices."""

    code: str
    monthly: Decimal
    payment_day: int
    first_payment: date
    first_payment_assumed: bool
    direct_debit: bool | None
    balance: Decimal | None  # None: not given
    paid_through: date | None
    missed_due: date | None  # "can't pay this month" for this payment


@dataclass(frozen=True)
class CaseSummary:
    form: str | None  # notices.cases.tax_form of the case
    tax_years: tuple[int, ...]
    today: date  # the person's date
    notices: tuple[SummaryNotice, ...]  # oldest first
    timeline: CaseTimeline
    plans: tuple[SummaryPlan, ...] = ()
    answered: tuple[tuple[int, date], ...] = ()  # (notice id, day) the person recorded "the IRS answered"
    details: bool = False  # notes and what was agreed on calls are included


# A block of the document: (style, text). Styles: title, sub, h (a section heading), p, small.
Block = tuple[str, str]
# What the PDF drops rather than print as "?": pictographs and emoji (symbols, "other").
_DROPPED = frozenset({"So", "Cs", "Co", "Cn"})


def form_label(form: str | None, tr: Words = ENGLISH) -> str:
    _ = tr.gettext
    labels = {INDIVIDUAL_FORM: _("Form 1040"), "business": _("Business return"),
              "6672": _("Trust fund recovery penalty"), "4980H": _("Employer shared responsibility payment")}
    return labels.get(form or "", _("Other notice"))


def _status(status: str, tr: Words) -> str:
    _ = tr.gettext
    return {"open": _("open"), "paid": _("paid"), "plan": _("payment plan"), "disputed": _("disputed"),
            "closed": _("closed")}.get(status, status)


def _years(years: Sequence[int]) -> str:
    return ", ".join(str(y) for y in sorted(years)) or "—"


def _typed(text: str) -> str:
    """Something the person typed: one line, redacted (never an identifier), kept short."""
    return " ".join(redact(text).text.split())[:300]


def _title(code: str, lang: str) -> str:
    info = catalog.get(code)
    return f"{code} — {info.title.get(lang)}" if info is not None else code


def _notice_blocks(n: SummaryNotice, tr: Words) -> list[Block]:
    _, lang = tr.gettext, tr.language
    if n.notice_date is not None:
        when = _("Dated {date}").format(date=long_date(n.notice_date, lang))
        if n.received is not None and n.received != n.notice_date:
            when += "; " + _("received {date}").format(date=long_date(n.received, lang))
    else:
        when = _("Date printed on the notice not given")
        if n.received is not None:
            when += "; " + _("received {date}").format(date=long_date(n.received, lang))
    facts = [when, _("Tax year(s): {years}").format(years=_years(n.tax_years)),
             _("Amount shown: {amount}").format(amount=money(n.amount, lang=lang)),
             _("Status: {status}").format(status=_status(n.status, tr))]
    out: list[Block] = [("b", _title(n.code, lang)), ("p", " · ".join(facts))]
    if n.phone:
        out.append(("p", _("IRS phone number on the notice: {phone}").format(phone=_typed(n.phone))))
    if n.notes.strip():
        out.append(("p", _("Notes: {notes}").format(notes=_typed(n.notes))))
    return out


def _deadline(d: DeadlineState, tr: Words) -> str:
    _, lang = tr.gettext, tr.language
    state = {"met": _("met"), "open": _("open"), "missed": _("missed")}[d.state]
    line = f"{d.code}: {long_date(d.day, lang)} — {state}"
    if d.hard:
        line += " — " + _("HARD DEADLINE: a right is lost if it is missed")
    if d.estimated:
        line += " — " + _("estimate: the date printed on the notice controls")
    return line


def _logged(x: Logged, tr: Words, details: bool) -> str:
    text = logged_text(x, tr, _typed(x.detail) if x.detail else "", agreed=details)
    return f"{long_date(x.day, tr.language)}: {text}"


def _plan(p: SummaryPlan, tr: Words) -> str:
    _, lang = tr.gettext, tr.language
    parts = [_("Payment plan ({code}): {amount} a month on day {day}").format(
        code=p.code, amount=money(p.monthly, lang=lang), day=p.payment_day),
        _("first payment {date}").format(date=long_date(p.first_payment, lang))
        + (" (" + _("assumed") + ")" if p.first_payment_assumed else "")]
    if p.direct_debit is not None:
        parts.append(_("direct debit") if p.direct_debit else _("not direct debit"))
    if p.balance is not None:
        parts.append(_("balance {amount} (as the person gave it)").format(amount=money(p.balance, lang=lang)))
    if p.paid_through is not None:
        parts.append(_("paid through {date}").format(date=long_date(p.paid_through, lang)))
    return "; ".join(parts)


def open_questions(s: CaseSummary, tr: Words = ENGLISH) -> list[str]:
    """What is still unknown or waiting, in the order a professional would ask about it."""
    _, lang = tr.gettext, tr.language
    out: list[str] = []
    for n in s.notices:
        info = catalog.get(n.code)
        if info is None:
            out.append(_("The code of one notice is not known ({code}): check the top right corner of it.").format(
                code=n.code))
        if n.notice_date is None:
            out.append(_("{code}: the date printed on the notice was not given; its deadline counts from an "
                         "assumed date.").format(code=n.code))
        if not n.tax_years:
            out.append(_("{code}: the tax year is missing.").format(code=n.code))
        if n.amount is None and not (info is not None and info.stage_key == "refund_hold"):
            out.append(_("{code}: the amount shown on the notice was not given.").format(code=n.code))
    for d in s.timeline.deadlines:
        if d.estimated and d.state == "open":
            out.append(_("{code}: the response date {date} is an estimate; the date printed on the notice "
                         "controls.").format(code=d.code, date=long_date(d.day, lang)))
    answered: dict[int, date] = {}
    for notice_id, day in s.answered:
        answered[notice_id] = max(day, answered.get(notice_id, day))
    for x in s.timeline.logged:
        if x.kind == "letter" and (x.notice_id not in answered or answered[x.notice_id] < x.day):
            out.append(_("No answer recorded yet to the letter of {date} about {code} ({days} days ago).").format(
                date=long_date(x.day, lang), code=x.code, days=(s.today - x.day).days))
    for p in s.plans:
        if p.balance is None:
            out.append(_("The payment plan's balance was not given (the IRS Online Account shows it)."))
        if p.first_payment_assumed:
            out.append(_("The plan's first payment date is assumed ({date}).").format(
                date=long_date(p.first_payment, lang)))
        if p.missed_due is not None:
            out.append(_("The plan payment due {date} could not be made: was the IRS called before that "
                         "date?").format(date=long_date(p.missed_due, lang)))
    return list(dict.fromkeys(out))


def blocks(s: CaseSummary, tr: Words = ENGLISH) -> list[Block]:
    """The document, section by section, in ``tr``'s language."""
    _, lang = tr.gettext, tr.language
    out: list[Block] = [
        ("title", _("Case summary for a tax professional")),
        ("sub", f"{form_label(s.form, tr)} · {_years(s.tax_years)}"),
        ("small", _("Prepared on {date} by noticebot from what the taxpayer entered in the chat. It is not an "
                    "IRS document: check each fact against the notices themselves. Dates marked as estimates "
                    "are not printed on a notice.").format(date=long_date(s.today, lang))),
    ]
    story = s.timeline
    if story.now is not None and story.stage is not None:
        out.append(("p", _("Stage now: {stage} ({code})").format(stage=story.stage.stage_name.get(lang),
                                                                 code=story.now.code)))
    if story.resolved:
        out.append(("p", _("Nothing in this case is counting any more.")))
    out.append(("h", _("Notices")))
    for n in s.notices:
        out += _notice_blocks(n, tr)
    out.append(("h", _("Deadlines")))
    out += [("p", _deadline(d, tr)) for d in story.deadlines] or [("p", _("No response date is known yet."))]
    if story.next_expected:
        out += [("p", _("Next expected if nothing is done: {code} between {start} and {end} (estimate)").format(
            code=nxt.code, start=long_date(nxt.earliest, lang), end=long_date(nxt.latest, lang)))
            for nxt in story.next_expected]
    out.append(("h", _("Actions taken")))
    out += [("p", _plan(p, tr)) for p in s.plans]
    out += [("p", _logged(x, tr, s.details)) for x in story.logged] or [("p", _("Nothing logged yet."))]
    out.append(("h", _("Open questions")))
    out += [("p", q) for q in open_questions(s, tr)] or [("p", _("None recorded."))]
    out.append(("h", _("Free help")))
    out.append(("p", _("Taxpayer Advocate Service (free, independent, inside the IRS): {phone}, {url}").format(
        phone=TAS_PHONE, url=links.TAS)))
    out.append(("p", _("Low Income Taxpayer Clinics (free or low cost; they can represent you before the IRS): "
                       "{url}").format(url=links.LITC)))
    sources = dict.fromkeys(info.source_for(lang) for n in s.notices if (info := catalog.get(n.code)) is not None)
    if sources:
        out.append(("h", _("Official sources")))
        out += [("small", url) for url in sources]
    if not s.details:
        out.append(("small", _("The taxpayer's own notes are left out (privacy setting).")))
    return out


def text(s: CaseSummary, tr: Words = ENGLISH) -> str:
    """The document as plain text (what the PDF says)."""
    return "\n".join(body for _style, body in blocks(s, tr)) + "\n"


def _printable(value: str) -> str:
    kept = "".join(ch for ch in value if unicodedata.category(ch) not in _DROPPED)
    return _latin1(kept)


_STYLE = {"title": ("B", 16, 8.0), "sub": ("B", 12, 6.5), "h": ("B", 12, 7.0), "b": ("B", 10, 5.5),
          "p": ("", 10, 5.0), "small": ("", 8, 4.0)}


def pdf(s: CaseSummary, tr: Words = ENGLISH) -> bytes:
    """The summary as a Letter-size PDF (fpdf2, built-in fonts)."""
    from fpdf import FPDF  # ~1 s to import: kept off the reminder worker's path (as notices.letter)

    doc = FPDF(format="Letter")
    doc.set_margins(20, 18, 20)
    doc.set_auto_page_break(True, margin=18)
    doc.set_title(_printable(f"{tr.gettext('Case summary for a tax professional')} - "
                             f"{form_label(s.form, tr)} {_years(s.tax_years)}"))
    doc.set_creator("noticebot")
    doc.add_page()
    for style, body in blocks(s, tr):
        weight, size, height = _STYLE[style]
        if style == "h":
            doc.ln(3)
        doc.set_font("Helvetica", weight, size)
        doc.multi_cell(0, height, _printable(body), new_x="LMARGIN", new_y="NEXT")
        if style in ("h", "sub", "title"):
            doc.ln(1)
    return bytes(doc.output())
