"""Penalty relief (issue 16): the first-time abatement check, its request letter (text and PDF) and
phone script, and reasonable-cause relief with its usual evidence. English and Spanish (usted).

Facts (IRM 20.1.1.3.3.2.1 as summarised on irs.gov): first-time abatement (FTA) removes the
failure-to-file, failure-to-pay and failure-to-deposit penalties of one tax period when the person had
no penalties in the three prior tax years (an estimated-tax penalty does not count), has filed all
currently required returns (or extensions), and has paid the tax or arranged to pay it (a payment plan
that is kept current counts). It does not cover accuracy or estimated-tax penalties. Reasonable cause:
ordinary business care and prudence, yet unable to comply (death, serious illness, unavoidable absence,
fire, casualty, natural disaster, records that could not be obtained); lack of money alone is not one.
Ask by phone (the number on the notice), by a signed letter, or with Form 843.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fpdf import FPDF

from notices import catalog, links
from notices.letter import _latin1
from notices.words import long_date

FTA_URL = "https://www.irs.gov/payments/penalty-relief-due-to-first-time-abate-or-other-administrative-waiver"
REASONABLE_CAUSE_URL = "https://www.irs.gov/payments/penalty-relief-for-reasonable-cause"
FORM_843_URL = links.FORM_843
# The three conditions, in the order they are asked; each is met when the answer is ``True``.
QUESTIONS = ("clean_history", "filed", "paid_or_plan")


@dataclass(frozen=True)
class FtaCheck:
    outcome: str  # "likely" (all three met) | "no" (one is not) | "unsure" (one is not known)
    failing: tuple[str, ...]
    unknown: tuple[str, ...]


def check(answers: dict[str, bool | None]) -> FtaCheck:
    """The first-time abatement conditions against the person's answers (None: "I don't know")."""
    failing = tuple(q for q in QUESTIONS if answers.get(q) is False)
    unknown = tuple(q for q in QUESTIONS if answers.get(q) is None)
    outcome = "no" if failing else "unsure" if unknown else "likely"
    return FtaCheck(outcome, failing, unknown)


def eligible_notice(code: str) -> bool:
    """A notice where penalties are already charged: a bill, not a proposal or a deficiency notice."""
    info = catalog.get(code)
    return info is None or info.assessed


_T = {
    "en": {
        "to": "Internal Revenue Service\n(Use the reply address printed on your notice.)",
        "re": "Re: Request for first-time penalty abatement - {code} dated {date}",
        "years": "Tax year(s): {years}",
        "amount": "Amount shown on the notice: ${amount}",
        "tin": "Taxpayer identification number: [last four digits only]",
        "hello": "Dear Sir or Madam:",
        "ask": "I request first-time abatement of the failure-to-file and failure-to-pay penalties charged for "
               "the tax year(s) above, and of the interest charged on those penalties. I meet the conditions:",
        "c1": "1. I had no penalties in the three tax years before this one.",
        "c2": "2. I have filed all tax returns I am currently required to file (or a valid extension).",
        "c3_plan": "3. I have arranged to pay the tax under an installment agreement, and I am current with it.",
        "c3_paid": "3. I have paid the tax due, or arranged to pay it.",
        "confirm": "Please remove these penalties and send me written confirmation of the result.",
        "contact": "If you need more information, please write to me at the address above.",
        "bye": "Sincerely,",
        "encl": "Enclosures: copy of the notice",
        "name": "[Your full name]",
        "address": "[Your address]",
    },
    "es": {
        "to": "Internal Revenue Service\n(Use la dirección de respuesta impresa en su aviso.)",
        "re": "Asunto: Solicitud de alivio de multas por primera vez (first-time abatement) - {code} con fecha {date}",
        "years": "Año(s) tributario(s): {years}",
        "amount": "Cantidad indicada en el aviso: ${amount}",
        "tin": "Número de identificación del contribuyente: [solo los últimos cuatro dígitos]",
        "hello": "Estimados señores:",
        "ask": "Solicito el alivio por primera vez (first-time abatement) de las multas por no presentar y por no "
               "pagar cobradas por el/los año(s) tributario(s) indicado(s), y de los intereses cobrados sobre "
               "esas multas. Cumplo las condiciones:",
        "c1": "1. No tuve multas en los tres años tributarios anteriores a este.",
        "c2": "2. He presentado todas las declaraciones que debo presentar actualmente (o una prórroga válida).",
        "c3_plan": "3. He acordado pagar el impuesto con un plan de pagos y estoy al día con él.",
        "c3_paid": "3. He pagado el impuesto adeudado, o he acordado pagarlo.",
        "confirm": "Les ruego que eliminen estas multas y me envíen confirmación por escrito del resultado.",
        "contact": "Si necesitan más información, escríbanme a la dirección indicada arriba.",
        "bye": "Atentamente,",
        "encl": "Anexos: copia del aviso",
        "name": "[Su nombre completo]",
        "address": "[Su dirección]",
    },
}


@dataclass(frozen=True)
class RequestInput:
    notice_code: str
    notice_date: date
    today: date
    tax_years: tuple[int, ...] = ()
    amount: Decimal | None = None
    in_plan: bool = False


def request_lines(inp: RequestInput, lang: str = "en") -> list[str]:
    t = _T["es" if lang == "es" else "en"]
    code = (("Aviso " if lang == "es" else "Notice ") + inp.notice_code)
    out = [t["name"], t["address"], "", long_date(inp.today, lang), "", *t["to"].split("\n"), ""]
    out.append(t["re"].format(code=code, date=long_date(inp.notice_date, lang)))
    if inp.tax_years:
        out.append(t["years"].format(years=", ".join(str(y) for y in sorted(inp.tax_years))))
    if inp.amount is not None:
        out.append(t["amount"].format(amount=f"{Decimal(inp.amount):,.2f}"))
    out += [t["tin"], "", t["hello"], "", t["ask"], "", t["c1"], t["c2"], t["c3_plan" if inp.in_plan else "c3_paid"],
            "", t["confirm"], "", t["contact"], "", t["bye"], "", "", t["name"], "", t["encl"]]
    return out


def request_text(inp: RequestInput, lang: str = "en") -> str:
    return "\n".join(request_lines(inp, lang)) + "\n"


def request_pdf(inp: RequestInput, lang: str = "en") -> bytes:
    pdf = FPDF(format="Letter")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(True, margin=25)
    pdf.set_title(_latin1(f"First-time abatement - {inp.notice_code}"))
    pdf.set_creator("noticebot")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in request_lines(inp, lang):
        if line:
            pdf.multi_cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(4)
    return bytes(pdf.output())


def phone_script(inp: RequestInput, lang: str = "en") -> str:
    years = ", ".join(str(y) for y in sorted(inp.tax_years)) or ("[año]" if lang == "es" else "[year]")
    if lang == "es":
        paid = "tengo un plan de pagos y estoy al día" if inp.in_plan else "pagué el impuesto (o acordé pagarlo)"
        return (f"Llame al número de su aviso {inp.notice_code} y diga: «Llamo para pedir el alivio de multas por "
                f"primera vez (first-time abatement) para {years}. No tuve multas en los tres años anteriores, "
                f"presenté todas las declaraciones requeridas y {paid}.» Anote el nombre y el número de "
                "identificación del empleado, la fecha y lo que le digan, y pida confirmación por escrito.")
    paid = "I have a payment plan and I am current with it" if inp.in_plan else "I have paid the tax (or arranged to pay it)"
    return (f"Call the number on your {inp.notice_code} and say: \"I'm calling to request first-time penalty "
            f"abatement for {years}. I had no penalties in the three prior years, I have filed all required "
            f"returns, and {paid}.\" Write down the employee's name and badge number, the date and what you are "
            "told, and ask for written confirmation.")


REASONABLE_CAUSE = {
    "en": ("<b>Reasonable cause</b> (when first-time abatement does not apply): the IRS may remove a penalty if you "
           "used ordinary care and still could not file or pay on time because of, for example, a death, a serious "
           "illness or an unavoidable absence; a fire, casualty or natural disaster; or records you could not get. "
           "Lack of money alone is not reasonable cause.\n"
           "Usual evidence: the dates (when it happened, when it ended, when you then complied) and documents such "
           "as hospital or doctor records, a death certificate, insurance or disaster reports, or letters showing "
           "you tried to get your records.\n"
           "Ask by calling the number on the notice, with a signed letter, or with Form 843."),
    "es": ("<b>Causa razonable</b> (cuando no aplica el alivio por primera vez): el IRS puede eliminar una multa si "
           "usted actuó con el cuidado ordinario y aun así no pudo presentar o pagar a tiempo por, por ejemplo, una "
           "muerte, una enfermedad grave o una ausencia inevitable; un incendio, un siniestro o un desastre natural; "
           "o registros que no pudo obtener. La falta de dinero por sí sola no es causa razonable.\n"
           "Pruebas habituales: las fechas (cuándo ocurrió, cuándo terminó, cuándo cumplió después) y documentos "
           "como registros del hospital o del médico, un certificado de defunción, informes del seguro o del "
           "desastre, o cartas que muestren que intentó obtener sus registros.\n"
           "Pídalo llamando al número del aviso, con una carta firmada o con el Formulario 843."),
}
