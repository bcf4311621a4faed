"""A dispute letter filled from the notice, as plain text and as a printable PDF (fpdf2), in the
language of the ``Words`` passed in (gettext messages; dates and amounts by Babel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from notices import catalog
from notices.money import money
from notices.redact import redact
from notices.words import ENGLISH, Words, long_date


@dataclass(frozen=True)
class LetterInput:
    name: str
    notice_code: str
    notice_date: date
    today: date
    tax_years: tuple[int, ...] = ()
    amount: Decimal | None = None
    reasons: tuple[str, ...] = ()
    enclosures: tuple[str, ...] = ()
    address_lines: tuple[str, ...] = ()
    last4: str | None = None  # only when the person gives it; never a full SSN
    phone: str | None = None

    def __post_init__(self) -> None:
        if self.last4 is not None and not (len(self.last4) == 4 and self.last4.isdigit()):
            raise ValueError("last4 must be exactly four digits")
        if not self.name.strip():
            raise ValueError("name is required")


def notice_label(code: str, words: Words = ENGLISH) -> str:
    """How a letter names the notice: "Notice CP14", "Letter 1058"; "Your IRS notice" for one saved
    before its code was known (never "Notice UNKNOWN")."""
    _ = words.gettext
    canon = catalog.canonical_code(code) or code
    if not canon or canon == catalog.UNKNOWN_CODE:
        return _("Your IRS notice")
    if canon.startswith("LTR"):
        return _("Letter {number}").format(number=canon[3:])
    return _("Notice {code}").format(code=canon)


def _lines(inp: LetterInput, words: Words) -> list[str]:
    _, lang = words.gettext, words.language
    code = notice_label(inp.notice_code, words)
    out = [inp.name, *inp.address_lines]
    if inp.phone:
        out.append(inp.phone)
    out += ["", long_date(inp.today, lang), ""]
    out += [_("Internal Revenue Service"), _("(Use the reply address printed on your notice.)"), ""]
    out.append(_("Re: {code} dated {date}").format(code=code, date=long_date(inp.notice_date, lang)))
    if inp.tax_years:
        out.append(_("Tax year(s): {years}").format(years=", ".join(str(y) for y in sorted(inp.tax_years))))
    if inp.amount is not None:
        out.append(_("Amount shown on the notice: {amount}").format(amount=money(inp.amount, lang=lang)))
    if inp.last4:
        out.append(_("Taxpayer identification number: last four digits {last4}").format(last4=inp.last4))
    out += ["", _("Dear Sir or Madam:"), "",
            _("I am writing in response to the notice above. I disagree with it for the following reasons:"), ""]
    # free text typed by the person goes through redaction: a letter never carries a full SSN
    reasons = [redact(r).text for r in inp.reasons] or [_("(Explain here why you disagree.)")]
    out += [f"{i}. {r}" for i, r in enumerate(reasons, 1)]
    if inp.enclosures:
        out += ["", _("I enclose copies of the following documents:"),
                *(f"- {redact(e).text}" for e in inp.enclosures)]
    out += ["", _("Please correct my account accordingly and send me written confirmation of the result. "
                  "Until this dispute is resolved, please do not take collection action on the amount in "
                  "question."),
            "", _("If you need more information, please write to me at the address above."),
            "", _("Sincerely,"), "", "", inp.name, "", _("Enclosures: copy of the notice")]
    return out


def dispute_letter_text(inp: LetterInput, words: Words = ENGLISH) -> str:
    return "\n".join(_lines(inp, words)) + "\n"


# The built-in PDF fonts cover Latin-1 (all Spanish letters); map common typographic characters.
_PDF_SAFE = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"})


def _latin1(text: str) -> str:
    return text.translate(_PDF_SAFE).encode("latin-1", "replace").decode("latin-1")


def latin1_pdf(title: str, lines: list[str]) -> bytes:
    """A plain Letter-size page of ``lines`` (an empty line is a small gap), built-in fonts."""
    from fpdf import FPDF  # ~1 s to import: kept off the reminder worker's path (it names notices)

    pdf = FPDF(format="Letter")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(True, margin=25)
    pdf.set_title(_latin1(title))
    pdf.set_creator("noticebot")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        if line:
            pdf.multi_cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(4)
    return bytes(pdf.output())


def dispute_letter_pdf(inp: LetterInput, words: Words = ENGLISH) -> bytes:
    return latin1_pdf(f"Dispute - {inp.notice_code}", _lines(inp, words))
