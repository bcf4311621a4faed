"""Form 12153, Request for a Collection Due Process or Equivalent Hearing, filled from the chat's
answers as a PDF laid out like the IRS form (https://www.irs.gov/pub/irs-pdf/f12153.pdf).

The bot never takes identifiers: the name, address, phone, Social Security number and signature
lines stay blank for the person to write by hand. Typed explanations go through redaction.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from fpdf import FPDF

from notices import catalog
from notices.letter import _latin1
from notices.redact import redact
from notices.words import ENGLISH, Words, long_date

# The collection alternatives and other reasons the chat offers, in the form's order (line 8).
ALTERNATIVES = ("installment", "offer", "cannot_pay", "lien_withdrawal", "innocent_spouse")
TAX_TYPES = ("income", "employment", "civil_penalty")
MAX_REASON = 1500
MAX_PERIODS = 8

# Labels as printed on the form (it goes to the IRS in English). In another language each is followed
# by a short gloss: its catalog entry, which says in a few words what the line asks (not always a full
# translation of the label).


@functools.lru_cache(maxsize=8)
def _labels(tr: Words) -> dict[str, str]:
    _ = tr.gettext
    return {
        "title": _("Request for a Collection Due Process or Equivalent Hearing"),
        "intro": _("Complete this form and send it to the address shown on your lien or levy notice. "
                   "Include a copy of your lien or levy notice."),
        "l1": _("1. Taxpayer Name (Taxpayer 1)"),
        "tin": _("Taxpayer Identification Number"),
        "addr": _("Current Address, City, State, Zip Code"),
        "l2": _("2. Telephone Number and Best Time to Call During Normal Business Hours"),
        "l3": _("3. Taxpayer Name (Taxpayer 2), if both spouses want a hearing"),
        "l4": _("4. Telephone Number of Taxpayer 2 and Best Time to Call"),
        "l5": _("5. Tax Information as Shown on the Lien or Levy Notice"),
        "type": _("Type of Tax (Income, Employment, Excise, etc. or Civil Penalty)"),
        "form": _("Tax Form Number (1040, 941, 720, etc)"),
        "periods": _("Tax Period or Periods"),
        "l6": _("6. Basis for Hearing Request (both boxes can be checked if you received both a lien "
                "and levy notice)"),
        "lien": _("Filed Notice of Federal Tax Lien"),
        "levy": _("Proposed Levy or Actual Levy"),
        "l7": _("7. Equivalent Hearing"),
        "equiv": _("I would like an Equivalent Hearing if my request for a CDP hearing does not meet the "
                   "requirements for a timely CDP hearing."),
        "l8": _("8. Check the most appropriate box(es) for the reason you disagree with the filing of "
                "the lien or the levy action"),
        "alt": _("Collection Alternative"),
        "installment": _("Installment Agreement"),
        "offer": _("Offer in Compromise"),
        "cannot_pay": _("I Cannot Pay Balance"),
        "lien_hdr": _("Lien"),
        "subordination": _("Subordination"),
        "discharge": _("Discharge"),
        "lien_withdrawal": _("Withdrawal"),
        "other": _("Other"),
        "innocent_spouse": _("Innocent Spouse Relief (attach Form 8857)"),
        "reason": _("Reason / explanation"),
        "l9": _("9. Signatures"),
        "suspend": _("I understand the CDP hearing and any subsequent judicial review will suspend the "
                     "statutory period of limitations for collection action."),
        "sig1": _("Signature of Taxpayer 1 ______________________________   Date ______________"),
        "sig2": _("Signature of Taxpayer 2 ______________________________   Date ______________"),
        "hand": _("(write by hand)"),
        "postmark": _("Postmark this request no later than {date}."),
        "late": _("The postmark deadline for a CDP hearing ({date}) has passed: line 7 asks for an "
                  "equivalent hearing, which must be requested within one year of the notice date."),
        "footer": _("Prepared from the answers given to noticebot; check every answer. Official form: "
                    "www.irs.gov/pub/irs-pdf/f12153.pdf"),
    }


_TAX_TYPE_NAMES = {"income": "Income", "employment": "Employment", "civil_penalty": "Civil Penalty"}


def label(key: str, tr: Words = ENGLISH, day: date | None = None) -> str:
    """The form's label, then its gloss in ``tr``'s language when that is not English; ``day`` fills
    a ``{date}`` in each, written in its own language."""
    printed, gloss = _labels(ENGLISH)[key], _labels(tr)[key]
    english = printed.format(date=long_date(day, ENGLISH.language)) if day else printed
    if gloss == printed:
        return english
    return f"{english} / {gloss.format(date=long_date(day, tr.language)) if day else gloss}"


@dataclass(frozen=True)
class Form12153:
    notice_code: str
    lien: bool  # line 6: a lien notice (Letter 3172)
    levy: bool  # line 6: a levy notice (LT11, Letter 1058, CP90, CP77, CP297 and post-levy ones)
    tax_type: str | None = None  # TAX_TYPES, None when the person does not know
    form_number: str | None = None  # "1040", "941"...
    periods: tuple[str, ...] = ()  # as printed: "December 31, 2023" or "2023"
    alternatives: frozenset[str] = field(default_factory=frozenset)
    reason: str = ""
    equivalent: bool = True  # line 7: a safety net when the postmark turns out to be late
    postmark_by: date | None = None
    late: bool = False  # the postmark deadline has passed: an equivalent hearing (line 7)

    def __post_init__(self) -> None:
        unknown = set(self.alternatives) - set(ALTERNATIVES)
        if unknown:
            raise ValueError(f"unknown alternatives {sorted(unknown)}")
        if self.tax_type is not None and self.tax_type not in TAX_TYPES:
            raise ValueError(f"unknown tax type {self.tax_type!r}")


def basis_of(code: str) -> tuple[bool, bool]:
    """(lien, levy) for line 6: the lien-filing notice is the lien-stage one (Letter 3172)."""
    info = catalog.get(code)
    lien = bool(info and info.stage_key == "lien")
    return lien, not lien


def from_answers(code: str, *, tax_type: str | None, form_number: str | None, periods: Collection[str],
                 alternatives: Collection[str], reason: str, postmark_by: date | None,
                 today: date | None = None) -> Form12153:
    """The form from the wizard's answers; free text is redacted and trimmed here, once."""
    lien, levy = basis_of(code)
    clean_form = redact(form_number or "").text.strip()[:20] or None
    clean_periods = tuple(redact(p).text.strip()[:40] for p in periods if p.strip())[:MAX_PERIODS]
    return Form12153(
        notice_code=catalog.canonical_code(code) or code, lien=lien, levy=levy, tax_type=tax_type,
        form_number=clean_form, periods=clean_periods, alternatives=frozenset(alternatives),
        reason=redact(reason).text.strip()[:MAX_REASON], postmark_by=postmark_by,
        late=postmark_by is not None and today is not None and postmark_by < today,
    )


def _box(checked: bool) -> str:
    return "[X]" if checked else "[  ]"


class _Page:
    """Form-like drawing helpers over fpdf2: a labelled field in a ruled box, a section heading."""

    def __init__(self, title: str) -> None:
        self.pdf = FPDF(format="Letter")
        self.pdf.set_margins(15, 12, 15)
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.set_title(_latin1(title))
        self.pdf.set_creator("noticebot")
        self.pdf.add_page()

    def text(self, value: str, size: float = 9, style: str = "") -> None:
        self.pdf.set_font("Helvetica", style, size)
        self.pdf.multi_cell(0, size * 0.5, _latin1(value), new_x="LMARGIN", new_y="NEXT")

    def field(self, name: str, value: str) -> None:
        """A ruled box: the label in small type, the answer (or a blank line) under it."""
        pdf = self.pdf
        top = pdf.get_y()
        pdf.set_font("Helvetica", "", 7)
        pdf.multi_cell(0, 3.5, _latin1(name), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "B" if value else "", 10)
        pdf.multi_cell(0, 5.5, _latin1(value or " "), new_x="LMARGIN", new_y="NEXT")
        pdf.rect(pdf.l_margin, top, pdf.w - pdf.l_margin - pdf.r_margin, pdf.get_y() - top + 1)
        pdf.ln(2)

    def heading(self, value: str) -> None:
        self.pdf.ln(1)
        self.text(value, 9, "B")


def pdf(form: Form12153, tr: Words = ENGLISH) -> bytes:
    """The filled form as PDF bytes, its labels glossed in ``tr``'s language."""
    hand = label("hand", tr)
    page = _Page(f"Form 12153 - {form.notice_code}")
    page.text("Form 12153", 14, "B")
    page.text(label("title", tr), 11, "B")
    page.text("Department of the Treasury - Internal Revenue Service", 8)
    page.text(label("intro", tr), 8)
    if form.postmark_by is not None:
        page.text(label("late" if form.late else "postmark", tr, form.postmark_by), 9, "B")
    page.pdf.ln(2)
    page.field(label("l1", tr), "")
    page.field(label("tin", tr) + " " + hand, "")  # never filled: the bot never takes identifiers
    page.field(label("addr", tr), "")
    page.field(label("l2", tr), "")
    page.field(label("l3", tr), "")
    page.field(label("l4", tr), "")
    page.heading(label("l5", tr))
    page.field(label("type", tr), _TAX_TYPE_NAMES.get(form.tax_type or "", ""))
    page.field(label("form", tr), form.form_number or "")
    page.field(label("periods", tr), "; ".join(form.periods))
    page.heading(label("l6", tr))
    page.text(f"{_box(form.lien)} {label('lien', tr)}     {_box(form.levy)} {label('levy', tr)}")
    page.heading(label("l7", tr))
    page.text(f"{_box(form.equivalent)} {label('equiv', tr)}")
    page.heading(label("l8", tr))
    chosen = form.alternatives
    page.text(label("alt", tr) + ": " + "   ".join(
        f"{_box(k in chosen)} {label(k, tr)}" for k in ("installment", "offer", "cannot_pay")))
    page.text(label("lien_hdr", tr) + ": " + "   ".join(
        f"{_box(k in chosen)} {label(k, tr)}" for k in ("subordination", "discharge", "lien_withdrawal")))
    page.text(f"{_box('innocent_spouse' in chosen)} {label('innocent_spouse', tr)}     "
              f"{_box(False)} {label('other', tr)}")
    page.field(label("reason", tr), form.reason)
    page.heading(label("l9", tr))
    page.text(label("suspend", tr), 8)
    page.pdf.ln(3)
    page.text(label("sig1", tr))
    page.pdf.ln(3)
    page.text(label("sig2", tr))
    page.pdf.ln(4)
    page.text(label("footer", tr), 7)
    return bytes(page.pdf.output())
