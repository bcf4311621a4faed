"""Form 12153, Request for a Collection Due Process or Equivalent Hearing, filled from the chat's
answers as a PDF laid out like the IRS form (https://www.irs.gov/pub/irs-pdf/f12153.pdf).

The bot never takes identifiers: the name, address, phone, Social Security number and signature
lines stay blank for the person to write by hand. Typed explanations go through redaction.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from fpdf import FPDF

from notices import catalog
from notices.instruments import long_date
from notices.letter import _latin1
from notices.redact import redact

# The collection alternatives and other reasons the chat offers, in the form's order (line 8).
ALTERNATIVES = ("installment", "offer", "cannot_pay", "lien_withdrawal", "innocent_spouse")
TAX_TYPES = ("income", "employment", "civil_penalty")
MAX_REASON = 1500
MAX_PERIODS = 8

# Labels as printed on the form; Spanish glosses follow them when the person's language is Spanish
# (the form goes to the IRS in English).
_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Request for a Collection Due Process or Equivalent Hearing",
              "Solicitud de una audiencia del Debido Proceso de Cobro o equivalente"),
    "intro": ("Complete this form and send it to the address shown on your lien or levy notice. Include a copy "
              "of your lien or levy notice.",
              "Envíe este formulario a la dirección de su aviso de gravamen o embargo, con una copia del aviso."),
    "l1": ("1. Taxpayer Name (Taxpayer 1)", "Nombre"),
    "tin": ("Taxpayer Identification Number", "Número de identificación"),
    "addr": ("Current Address, City, State, Zip Code", "Dirección actual"),
    "l2": ("2. Telephone Number and Best Time to Call During Normal Business Hours", "Teléfono y mejor hora"),
    "l3": ("3. Taxpayer Name (Taxpayer 2), if both spouses want a hearing", "Cónyuge, si ambos piden audiencia"),
    "l4": ("4. Telephone Number of Taxpayer 2 and Best Time to Call", "Teléfono del cónyuge"),
    "l5": ("5. Tax Information as Shown on the Lien or Levy Notice", "Información del aviso"),
    "type": ("Type of Tax (Income, Employment, Excise, etc. or Civil Penalty)", "Tipo de impuesto"),
    "form": ("Tax Form Number (1040, 941, 720, etc)", "Número de formulario"),
    "periods": ("Tax Period or Periods", "Período(s) tributario(s)"),
    "l6": ("6. Basis for Hearing Request (both boxes can be checked if you received both a lien and levy notice)",
           "Motivo de la solicitud"),
    "lien": ("Filed Notice of Federal Tax Lien", "Gravamen presentado"),
    "levy": ("Proposed Levy or Actual Levy", "Embargo propuesto o realizado"),
    "l7": ("7. Equivalent Hearing", "Audiencia equivalente"),
    "equiv": ("I would like an Equivalent Hearing if my request for a CDP hearing does not meet the requirements "
              "for a timely CDP hearing.", "Pido una audiencia equivalente si mi solicitud llega tarde."),
    "l8": ("8. Check the most appropriate box(es) for the reason you disagree with the filing of the lien or the "
           "levy action", "Razones de su desacuerdo"),
    "alt": ("Collection Alternative", "Alternativa de cobro"),
    "installment": ("Installment Agreement", "Plan de pagos a plazos"),
    "offer": ("Offer in Compromise", "Oferta de transacción"),
    "cannot_pay": ("I Cannot Pay Balance", "No puedo pagar el saldo"),
    "lien_hdr": ("Lien", "Gravamen"),
    "subordination": ("Subordination", "Subordinación"),
    "discharge": ("Discharge", "Liberación de bienes"),
    "lien_withdrawal": ("Withdrawal", "Retiro del gravamen"),
    "other": ("Other", "Otro"),
    "innocent_spouse": ("Innocent Spouse Relief (attach Form 8857)", "Alivio del cónyuge inocente (Formulario 8857)"),
    "reason": ("Reason / explanation", "Razón / explicación"),
    "l9": ("9. Signatures", "Firmas"),
    "suspend": ("I understand the CDP hearing and any subsequent judicial review will suspend the statutory "
                "period of limitations for collection action.",
                "Entiendo que la audiencia y su revisión judicial suspenden el plazo legal de cobro."),
    "sig1": ("Signature of Taxpayer 1 ______________________________   Date ______________", "Firma y fecha"),
    "sig2": ("Signature of Taxpayer 2 ______________________________   Date ______________", "Firma y fecha"),
    "hand": ("(write by hand)", "(a mano)"),
    "postmark": ("Postmark this request no later than {date}.", "Matasellos a más tardar el {date}."),
    "late": ("The postmark deadline for a CDP hearing ({date}) has passed: line 7 asks for an equivalent hearing, "
             "which must be requested within one year of the notice date.",
             "La fecha límite ({date}) pasó: la línea 7 pide una audiencia equivalente, dentro de un año "
             "desde la fecha del aviso."),
    "footer": ("Prepared from the answers given to noticebot; check every answer. Official form: "
               "www.irs.gov/pub/irs-pdf/f12153.pdf", "Preparado con sus respuestas; revíselas todas."),
}

_TAX_TYPE_NAMES = {"income": "Income", "employment": "Employment", "civil_penalty": "Civil Penalty"}


def label(key: str, lang: str, es_values: Mapping[str, object] | None = None, **values: object) -> str:
    en, es = _LABELS[key]
    if lang != "es":
        return en.format(**values)
    return f"{en.format(**values)} / {es.format(**(es_values or values))}"


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


def pdf(form: Form12153, lang: str = "en") -> bytes:
    """The filled form as PDF bytes."""
    hand = label("hand", lang)
    page = _Page(f"Form 12153 - {form.notice_code}")
    page.text("Form 12153", 14, "B")
    page.text(label("title", lang), 11, "B")
    page.text("Department of the Treasury - Internal Revenue Service", 8)
    page.text(label("intro", lang), 8)
    if form.postmark_by is not None:
        dates = {"date": long_date(form.postmark_by, "es")}
        page.text(label("late" if form.late else "postmark", lang, dates, date=long_date(form.postmark_by, "en")),
                  9, "B")
    page.pdf.ln(2)
    page.field(label("l1", lang), "")
    page.field(label("tin", lang) + " " + hand, "")  # never filled: the bot never takes identifiers
    page.field(label("addr", lang), "")
    page.field(label("l2", lang), "")
    page.field(label("l3", lang), "")
    page.field(label("l4", lang), "")
    page.heading(label("l5", lang))
    page.field(label("type", lang), _TAX_TYPE_NAMES.get(form.tax_type or "", ""))
    page.field(label("form", lang), form.form_number or "")
    page.field(label("periods", lang), "; ".join(form.periods))
    page.heading(label("l6", lang))
    page.text(f"{_box(form.lien)} {label('lien', lang)}     {_box(form.levy)} {label('levy', lang)}")
    page.heading(label("l7", lang))
    page.text(f"{_box(form.equivalent)} {label('equiv', lang)}")
    page.heading(label("l8", lang))
    chosen = form.alternatives
    page.text(label("alt", lang) + ": " + "   ".join(
        f"{_box(k in chosen)} {label(k, lang)}" for k in ("installment", "offer", "cannot_pay")))
    page.text(label("lien_hdr", lang) + ": " + "   ".join(
        f"{_box(k in chosen)} {label(k, lang)}" for k in ("subordination", "discharge", "lien_withdrawal")))
    page.text(f"{_box('innocent_spouse' in chosen)} {label('innocent_spouse', lang)}     "
              f"{_box(False)} {label('other', lang)}")
    page.field(label("reason", lang), form.reason)
    page.heading(label("l9", lang))
    page.text(label("suspend", lang), 8)
    page.pdf.ln(3)
    page.text(label("sig1", lang))
    page.pdf.ln(3)
    page.text(label("sig2", lang))
    page.pdf.ln(4)
    page.text(label("footer", lang), 7)
    return bytes(page.pdf.output())
