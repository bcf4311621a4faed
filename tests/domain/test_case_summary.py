"""The case summary for a professional (issue 16), read back from the PDF in English and Spanish: the
notices with dates in words and amounts, deadlines (hard and estimates marked), what was done, the
open questions, free help; never an identifier; the person's notes only when they allow it."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pypdf
import pytest

from bot.i18n import words as translator
from notices import case_summary as doc
from notices import cases as rules
from notices import links

TODAY = date(2026, 11, 21)
SSN, EIN, ITIN = "123-45-6789", "12-3456789", "912-70-1234"


def read(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join((page.extract_text() or "") for page in pages).split())  # lines wrap anywhere


def summary(*, details: bool, answered: tuple[tuple[int, date], ...] = ()) -> doc.CaseSummary:
    notices = [
        rules.CaseNotice(1, "CP14", date(2026, 9, 1), date(2026, 9, 8), date(2026, 9, 22), False, False, False,
                         date(2026, 9, 20), "plan"),
        rules.CaseNotice(2, "LT11", None, date(2026, 11, 12), date(2026, 11, 21), True, True, True, None, "open"),
    ]
    logged = [
        rules.Logged(date(2026, 10, 1), "plan", 1, "CP14", "200.00"),
        rules.Logged(date(2026, 10, 15), "payment", 1, "CP14", "200.00"),
        rules.Logged(date(2026, 10, 5), "letter", 1, "CP14", ""),
        rules.Logged(date(2026, 11, 14), "call", 2, "LT11", f"pay by Dec 1, my SSN {SSN} 😀"),
    ]
    story = rules.timeline(notices, logged, TODAY)
    return doc.CaseSummary(
        form="1040", tax_years=(2024,), today=TODAY, timeline=story, details=details, answered=answered,
        notices=(
            doc.SummaryNotice(1, "CP14", date(2026, 9, 1), date(2026, 9, 8), (2024,), Decimal("3412.18"), "plan",
                              notes=f"EIN {EIN}, ITIN {ITIN}, ask María ✅" if details else "",
                              phone="800-829-0922" if details else None),
            doc.SummaryNotice(2, "LT11", None, date(2026, 11, 12), (), None, "open"),
        ),
        plans=(doc.SummaryPlan("CP14", Decimal("200.00"), 15, date(2026, 10, 15), False, True, None,
                               date(2026, 10, 15), None),),
    )


EXPECT = {
    "en": ["Case summary for a tax professional", "Form 1040 · 2024", "CP14 - Balance due",
           "Dated September 1, 2026", "$3,412.18", "Status: payment plan", "LT11 - Final notice",
           "Date printed on the notice not given", "November 21, 2026 - open - HARD DEADLINE",
           "estimate: the date printed on the notice controls", "CP14: September 22, 2026 - met",
           "Payment plan (CP14): $200.00 a month on day 15", "direct debit",
           "October 5, 2026: letter to the IRS about CP14", "call to the IRS about LT11",
           "Open questions", "LT11: the tax year is missing.", "LT11: the amount shown on the notice was not given.",
           "No answer recorded yet to the letter of October 5, 2026 about CP14 (47 days ago).",
           "The payment plan's balance was not given", "Taxpayer Advocate Service", "1-877-777-4778",
           "Low Income Taxpayer Clinics", "Official sources", "understanding-your-cp14-notice"],
    "es": ["Resumen del caso para un profesional de impuestos", "Formulario 1040 · 2024",
           "Con fecha 1 de septiembre de 2026", "3.412,18 US$", "Estado: plan de pagos",
           "No se indicó la fecha impresa en el aviso", "21 de noviembre de 2026 - abierto - FECHA LÍMITE ESTRICTA",
           "estimación: vale la fecha impresa en el aviso", "CP14: 22 de septiembre de 2026 - cumplida",
           "Plan de pagos (CP14): 200,00 US$ al mes, el día 15",
           "débito directo", "Preguntas pendientes", "LT11: falta el año tributario.",
           "Todavía no consta respuesta a la carta del 5 de octubre de 2026 sobre el CP14 (hace 47 días).",
           "Servicio del Defensor del Contribuyente", "Clínicas para Contribuyentes de Bajos Ingresos",
           "Fuentes oficiales", "/es/individuals/understanding-your-cp14-notice"],
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_pdf_holds_notices_deadlines_actions_open_questions_and_help_in_the_persons_language(lang):
    text = read(doc.pdf(summary(details=False), translator(lang)))
    for expected in EXPECT[lang]:
        assert expected in text, expected
    assert links.LITC in text.replace(" ", "") and links.TAS in text.replace(" ", "")
    sections = [text.index(h) for h in (("Notices", "Deadlines", "Actions taken", "Open questions", "Free help")
                                        if lang == "en" else
                                        ("Avisos", "Fechas límite", "Lo que se ha hecho", "Preguntas pendientes",
                                         "Ayuda gratuita"))]
    assert sections == sorted(sections)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("details", [False, True])
def test_never_an_identifier_and_notes_only_when_the_person_allows(lang, details):
    text = read(doc.pdf(summary(details=details), translator(lang)))
    digits = text.replace("-", "").replace(" ", "")
    for identifier in (SSN, EIN, ITIN):
        assert identifier.replace("-", "") not in digits, identifier
    assert ("María" in text) is details and ("pay by Dec 1" in text) is details  # typed by the person
    assert ("800-829-0922" in text) is details
    assert "?" not in text.replace("¿", "")  # emoji are dropped, not printed as "?"


def test_an_answer_after_the_letter_closes_that_question_and_a_missed_plan_payment_opens_one():
    s = summary(details=False, answered=((1, date(2026, 11, 2)),))
    asked = doc.open_questions(s)
    assert not any("No answer recorded yet" in q for q in asked)
    missed = doc.SummaryPlan("CP14", Decimal(200), 15, date(2026, 12, 15), True, None, Decimal(3000), None,
                             date(2026, 12, 15))
    asked = doc.open_questions(doc.CaseSummary(**{**s.__dict__, "plans": (missed,)}))
    assert "The plan payment due December 15, 2026 could not be made: was the IRS called before that date?" in asked
    assert "The plan's first payment date is assumed (December 15, 2026)." in asked


def test_a_case_with_nothing_logged_or_dated_still_makes_a_document():
    n = rules.CaseNotice(1, "CP71", None, date(2026, 11, 1), None, False, False, True, None, "open")
    s = doc.CaseSummary(None, (), TODAY, (doc.SummaryNotice(1, "CP71", None, date(2026, 11, 1), (), None, "open"),),
                        rules.timeline([n], [], TODAY))
    text = read(doc.pdf(s, translator("es")))
    assert "Todavía no se conoce ninguna fecha de respuesta." in text and "Aún no hay nada anotado." in text
