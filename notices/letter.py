"""A dispute letter filled from the notice, as plain text and as a printable PDF (fpdf2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fpdf import FPDF

from notices import catalog
from notices.redact import redact

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
              "octubre", "noviembre", "diciembre")

_T = {
    "en": {
        "to": "Internal Revenue Service\n(Use the reply address printed on your notice.)",
        "re": "Re: {code} dated {date}",
        "years": "Tax year(s): {years}",
        "amount": "Amount shown on the notice: ${amount}",
        "ssn": "Taxpayer identification number: last four digits {last4}",
        "hello": "Dear Sir or Madam:",
        "intro": "I am writing in response to the notice above. I disagree with it for the following reasons:",
        "no_reasons": "(Explain here why you disagree.)",
        "encl_intro": "I enclose copies of the following documents:",
        "confirm": "Please correct my account accordingly and send me written confirmation of the result. "
                   "Until this dispute is resolved, please do not take collection action on the amount in question.",
        "contact": "If you need more information, please write to me at the address above.",
        "bye": "Sincerely,",
        "encl": "Enclosures: copy of the notice",
    },
    "es": {
        "to": "Internal Revenue Service\n(Use la dirección de respuesta impresa en su aviso.)",
        "re": "Asunto: {code} con fecha {date}",
        "years": "Año(s) tributario(s): {years}",
        "amount": "Cantidad indicada en el aviso: ${amount}",
        "ssn": "Número de identificación del contribuyente: últimos cuatro dígitos {last4}",
        "hello": "Estimados señores:",
        "intro": "Les escribo en respuesta al aviso indicado. No estoy de acuerdo con él por los siguientes motivos:",
        "no_reasons": "(Explique aquí por qué no está de acuerdo.)",
        "encl_intro": "Adjunto copias de los siguientes documentos:",
        "confirm": "Les ruego que corrijan mi cuenta y me envíen confirmación por escrito del resultado. "
                   "Mientras se resuelve esta disputa, les pido que no tomen medidas de cobro sobre la cantidad en cuestión.",
        "contact": "Si necesitan más información, escríbanme a la dirección indicada arriba.",
        "bye": "Atentamente,",
        "encl": "Anexos: copia del aviso",
    },
}


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


def _fmt_date(d: date, lang: str) -> str:
    if lang == "es":
        return f"{d.day} de {_MONTHS_ES[d.month - 1]} de {d.year}"
    return f"{_MONTHS_EN[d.month - 1]} {d.day}, {d.year}"


def _lines(inp: LetterInput, lang: str) -> list[str]:
    t = _T["es" if lang == "es" else "en"]
    code = catalog.canonical_code(inp.notice_code) or inp.notice_code
    if code.startswith("LTR"):
        code = ("Carta " if lang == "es" else "Letter ") + code[3:]
    else:
        code = ("Aviso " if lang == "es" else "Notice ") + code
    out = [inp.name, *inp.address_lines]
    if inp.phone:
        out.append(inp.phone)
    out += ["", _fmt_date(inp.today, lang), "", *t["to"].split("\n"), ""]
    out.append(t["re"].format(code=code, date=_fmt_date(inp.notice_date, lang)))
    if inp.tax_years:
        out.append(t["years"].format(years=", ".join(str(y) for y in sorted(inp.tax_years))))
    if inp.amount is not None:
        out.append(t["amount"].format(amount=f"{Decimal(inp.amount):,.2f}"))
    if inp.last4:
        out.append(t["ssn"].format(last4=inp.last4))
    out += ["", t["hello"], "", t["intro"], ""]
    # free text typed by the person goes through redaction: a letter never carries a full SSN
    reasons = [redact(r).text for r in inp.reasons] or [t["no_reasons"]]
    out += [f"{i}. {r}" for i, r in enumerate(reasons, 1)]
    if inp.enclosures:
        out += ["", t["encl_intro"], *(f"- {redact(e).text}" for e in inp.enclosures)]
    out += ["", t["confirm"], "", t["contact"], "", t["bye"], "", "", inp.name, "", t["encl"]]
    return out


def dispute_letter_text(inp: LetterInput, lang: str = "en") -> str:
    return "\n".join(_lines(inp, lang)) + "\n"


# The built-in PDF fonts cover Latin-1 (all Spanish letters); map common typographic characters.
_PDF_SAFE = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"})


def _latin1(text: str) -> str:
    return text.translate(_PDF_SAFE).encode("latin-1", "replace").decode("latin-1")


def latin1_pdf(title: str, lines: list[str]) -> bytes:
    """A plain Letter-size page of ``lines`` (an empty line is a small gap), built-in fonts."""
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


def dispute_letter_pdf(inp: LetterInput, lang: str = "en") -> bytes:
    return latin1_pdf(f"Dispute - {inp.notice_code}", _lines(inp, lang))
