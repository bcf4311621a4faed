"""Escalation risk, checklists (stable ids in both languages), scam guide, and the dispute letter."""

import io
from datetime import date
from decimal import Decimal

import pypdf
import pytest

from bot.i18n import words as translator
from notices import catalog
from notices.checklists import checklist, scam_guide
from notices.letter import LetterInput, dispute_letter_pdf, dispute_letter_text
from notices.risk import Reason, assess, say

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    "kwargs,level",
    [
        (dict(code="CP14", respond_by=date(2026, 12, 11)), "low"),
        (dict(code="CP14", respond_by=date(2026, 11, 25)), "medium"),
        (dict(code="CP503", respond_by=date(2026, 12, 11)), "medium"),
        (dict(code="CP504", respond_by=date(2026, 12, 11)), "high"),
        (dict(code="LT11", respond_by=date(2026, 12, 20)), "high"),
        (dict(code="LT11", respond_by=date(2026, 11, 25)), "critical"),
        (dict(code="LT11", respond_by=date(2026, 11, 1)), "critical"),
        (dict(code="CP14", respond_by=date(2026, 11, 25), status="disputed"), "low"),
        (dict(code="CP504", respond_by=date(2026, 12, 11), status="plan"), "medium"),
        (dict(code="LT11", respond_by=date(2026, 11, 25), status="paid"), "low"),
        (dict(code="CP14", respond_by=date(2026, 12, 11), amount=Decimal("150000")), "high"),
        (dict(code="CP9999", respond_by=None), "medium"),
    ],
)
def test_risk_levels(kwargs, level):
    assert assess(today=TODAY, **kwargs).level == level


@pytest.mark.parametrize("code", ["LT11", "LTR3172", "CP3219A", "CP11"])
def test_disputed_lowered_the_risk_of_a_hard_notice(code):
    """Issue 14: "Disputed" on a hard notice never lowers the risk; only the instrument keeps the right."""
    for respond_by in (date(2026, 11, 25), date(2026, 12, 20), date(2026, 11, 1)):
        open_ = assess(code, respond_by, TODAY)
        disputed = assess(code, respond_by, TODAY, status="disputed")
        assert disputed.level == open_.level, (code, respond_by)


def test_risk_reasons_in_words_both_languages():
    reasons = assess("CP504", date(2026, 12, 1), TODAY, amount=Decimal("70000")).reasons
    assert len(reasons) >= 4
    en = " ".join(say(r) for r in reasons)
    es = " ".join(say(r, translator("es")) for r in reasons)
    assert "lien" in en and "passport" in en and "$50,000" in en
    assert "gravamen" in es and "pasaporte" in es and "50.000\xa0US$" in es and "$" not in es.replace("US$", "")


def test_risk_reasons_said_day_s_instead_of_plural_forms():
    """Regression: the reasons read "1 day(s) left" / "1 día(s)"; now gettext plural forms."""
    assert say(Reason("days_left", 1)) == "1 day left to respond."
    assert say(Reason("overdue", 3)) == "The response date passed 3 days ago."
    assert say(Reason("days_left", 1), translator("es")) == "Queda 1 día para responder."
    assert say(Reason("overdue", 3), translator("es")) == "La fecha de respuesta pasó hace 3 días."


def test_missed_cdp_window_mentions_equivalent_hearing():
    r = assess("LTR1058", date(2026, 11, 1), TODAY)
    assert any("equivalent hearing" in say(x) for x in r.reasons)


def test_bad_status():
    with pytest.raises(ValueError):
        assess("CP14", None, TODAY, status="forgotten")


@pytest.mark.parametrize("code", [None, "CP9999", *[n.code for n in catalog.all_notices()]])
def test_checklist_ids_match_across_languages(code):
    en, es = checklist(code, "en"), checklist(code, "es")
    assert [i.id for i in en] == [i.id for i in es]
    assert all(i.text.strip() for i in en + es)
    ids = [i.id for i in en]
    assert len(ids) == len(set(ids))
    assert {"read_notice", "scam_check", "keep_records", "get_help"} <= set(ids)


def test_checklist_content_by_stage():
    ids = [i.id for i in checklist("LT11")]
    assert "cdp_hearing" in ids and {"decide", "pay_options", "payment_plans", "dispute", "penalty_relief"} <= set(ids)
    assert "tax_court" in [i.id for i in checklist("CP3219A")]
    assert "math_error" in [i.id for i in checklist("CP11")]
    assert "math_error" not in [i.id for i in checklist("CP22A")]
    texts = " ".join(i.text for i in checklist("CP14"))
    for word in ("badge", "first-time abatement", "reasonable cause", "Low Income Taxpayer Clinic",
                 "Taxpayer Advocate", "$100,000", "$50,000", "Direct Pay"):
        assert word in texts


def test_scam_guide():
    for lang, words in (("en", ["gift card", "phishing@irs.gov", "TIGTA", "CP40"]),
                        ("es", ["tarjetas de regalo", "phishing@irs.gov", "TIGTA"])):
        guide = scam_guide(lang)
        assert all(w in guide for w in words)


def _letter(**kw):
    base = dict(name="José Núñez", notice_code="cp 2000", notice_date=date(2026, 11, 9), today=TODAY,
                tax_years=(2024,), amount=Decimal("3210.50"), reasons=("El 1099-B omite el costo base.",),
                enclosures=("Formulario 1099-B",), address_lines=("123 Calle Mayor", "Miami, FL 33101"))
    base.update(kw)
    return LetterInput(**base)


def test_letter_text_en_and_es():
    en = dispute_letter_text(_letter(), translator("en"))
    assert "Re: Notice CP2000 dated November 9, 2026" in en
    assert "Tax year(s): 2024" in en and "$3,210.50" in en and "written confirmation" in en
    assert "last four" not in en  # no digits given, none printed
    es = dispute_letter_text(_letter(last4="0932"), translator("es"))
    assert "Asunto: Aviso CP2000 con fecha 9 de noviembre de 2026" in es
    assert "confirmación por escrito" in es and "0932" in es
    assert "Letter 1058" in dispute_letter_text(_letter(notice_code="Letter 1058"))


def test_letter_never_carries_a_full_ssn():
    text = dispute_letter_text(_letter(reasons=("Someone used my SSN 078-05-1120",)))
    assert "078-05-1120" not in text
    with pytest.raises(ValueError):
        _letter(last4="078051120")


def test_letter_pdf_keeps_spanish_accents():
    pdf = dispute_letter_pdf(_letter(), translator("es"))
    assert pdf.startswith(b"%PDF")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "José Núñez" in text and "confirmación" in text


def test_regression_a_letter_for_a_notice_without_a_code_said_notice_unknown():
    text = dispute_letter_text(_letter(notice_code="UNKNOWN"))
    assert "UNKNOWN" not in text and "Re: Your IRS notice dated November 9, 2026" in text
