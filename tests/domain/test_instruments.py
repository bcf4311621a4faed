"""The instrument per right (issue 14): which notice gets which, the facts and their sources, the
60-day abatement letter and Form 12153 read back from the PDF."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pypdf
import pytest

from bot.i18n import words as translator
from notices import catalog, form12153, instruments
from notices.instruments import Kind, kind_of

TODAY = date(2026, 11, 21)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.mark.parametrize("code", ["LT11", "LTR1058", "Letter 1058", "CP90", "CP297", "LTR3172", "Letter 3172"])
def test_cdp_notices_get_form_12153(code):
    assert kind_of(code) == Kind.HEARING


@pytest.mark.parametrize("code", ["CP3219A", "CP3219N", "Letter 3219", "LTR3219"])
def test_notices_of_deficiency_get_a_tax_court_petition_never_a_dispute_letter(code):
    assert kind_of(code) == Kind.COURT


@pytest.mark.parametrize("code", ["CP11", "CP12", "CP23", "CP11A"])
def test_math_error_notices_get_the_60_day_abatement_request(code):
    assert kind_of(code) == Kind.ABATEMENT


@pytest.mark.parametrize("code", ["CP14", "CP501", "CP504", "CP2000", "CP22A", "CP9999", None])
def test_other_notices_keep_the_dispute_letter(code):
    assert kind_of(code) == Kind.DISPUTE


def test_every_catalog_notice_with_a_cdp_flag_or_a_deficiency_stage_gets_its_instrument():
    for info in catalog.all_notices():
        if info.cdp:
            assert kind_of(info.code) == Kind.HEARING, info.code
        elif info.stage_key == "deficiency":
            assert kind_of(info.code) == Kind.COURT, info.code


def test_every_fact_has_both_languages_the_same_placeholders_and_an_official_source():
    for key, fact in instruments.facts().items():
        en, es = fact.texts["en"], fact.texts["es"]
        assert set(re.findall(r"\{\w+\}", en)) == set(re.findall(r"\{\w+\}", es)), key
        # amounts, day counts, form numbers and phone numbers agree in each pair
        assert sorted(re.findall(r"\d[\d,]*", en)) == sorted(re.findall(r"\d[\d,]*", es)), key
        assert fact.sources and all(instruments.is_official(u) for u in fact.sources), key


def test_tax_court_guide_pins_its_facts_to_sources():
    g = instruments.guide(Kind.COURT, "CP3219A", date(2027, 1, 5), translator("en"))
    text = " ".join(g.paragraphs)
    assert "January 5, 2027" in text and "printed on the notice" in text
    assert "$50,000" in text and "$60" in text and "DAWSON" in text
    assert "Low Income Taxpayer Clinics" in text and "1-877-777-4778" in text
    assert "does not extend" in text  # a letter or call does not stop the clock
    assert any("section7451" in s for s in g.sources)  # the $60 fee cap, IRC 7451
    assert any("section7463" in s for s in g.sources)  # small case, IRC 7463
    assert any("section6213" in s for s in g.sources)
    es = instruments.guide(Kind.COURT, "CP3219A", date(2027, 1, 5), translator("es"))
    assert "5 de enero de 2027" in " ".join(es.paragraphs) and "$50,000" in " ".join(es.paragraphs)
    assert "dispute letter" not in text.lower() and "carta de disputa" not in " ".join(es.paragraphs).lower()


def test_hearing_guide_says_postmark_address_certified_mail_and_the_late_route():
    g = instruments.guide(Kind.HEARING, "LT11", date(2026, 12, 16), translator("en"), late=True)
    text = " ".join(g.paragraphs)
    assert "Postmark deadline: December 16, 2026" in text
    assert "address shown on your LT11 notice" in text and "certified mail" in text and "receipt" in text
    assert "equivalent hearing within one year" in text
    assert "Social Security number" in text  # written by hand, never sent in the chat
    assert "https://www.irs.gov/pub/irs-pdf/f12153.pdf" in g.sources
    assert "equivalent" not in " ".join(instruments.guide(Kind.HEARING, "LT11", None, translator("en")).paragraphs)


def test_guide_without_a_date_points_to_the_printed_date():
    g = instruments.guide(Kind.ABATEMENT, "CP11", None, translator("es"))
    assert "la fecha impresa en el aviso" in g.paragraphs[0]


def test_the_dispute_letter_has_no_guide():
    with pytest.raises(ValueError):
        instruments.guide(Kind.DISPUTE, "CP14", None, translator("en"))


@pytest.mark.parametrize("lang,expect", [("en", "6213(b)(2)(A)"), ("es", "6213(b)(2)(A)")])
def test_abatement_letter_cites_the_statute_and_redacts_typed_identifiers(lang, expect):
    inp = instruments.AbatementInput("CP11", date(2026, 11, 2), TODAY, (2025,), Decimal("1234.5"),
                                     ("The credit was right; SSN 123-45-6789",))
    text = instruments.abatement_text(inp, translator(lang))
    assert expect in text and "2025" in text and "1,234.50" in text
    assert "123-45-6789" not in text
    read = pdf_text(instruments.abatement_pdf(inp, translator(lang)))
    assert expect in read and "123-45-6789" not in read
    assert ("60 days" if lang == "en" else "60 días") in " ".join(read.split())


def _form(**kw):
    args = dict(tax_type="income", form_number="1040", periods=["December 31, 2023", "2022"],
                alternatives=["installment", "lien_withdrawal"], reason="I can pay $200 a month.",
                postmark_by=date(2026, 12, 16))
    args.update(kw)
    return form12153.from_answers(kw.pop("code", "LT11"), **{k: v for k, v in args.items() if k != "code"})


def _line(text: str, label: str) -> str:
    """The answer printed under ``label`` (the next non-empty line)."""
    lines = [x.strip() for x in text.splitlines()]
    i = next(i for i, x in enumerate(lines) if x.startswith(label))
    return next(x for x in lines[i + 1:] if x)


def test_form_12153_pdf_reads_back_with_its_fields():
    text = pdf_text(form12153.pdf(_form()))
    assert "Form 12153" in text and "Request for a Collection Due Process or Equivalent Hearing" in text
    assert _line(text, "Type of Tax") == "Income"
    assert _line(text, "Tax Form Number") == "1040"
    assert _line(text, "Tax Period or Periods") == "December 31, 2023; 2022"
    assert "[  ] Filed Notice of Federal Tax Lien" in text and "[X] Proposed Levy or Actual Levy" in text
    assert "[X] I would like an Equivalent Hearing" in text
    assert "[X] Installment Agreement" in text and "[  ] Offer in Compromise" in text
    assert "[  ] I Cannot Pay Balance" in text and "[X] Withdrawal" in text
    assert "[  ] Innocent Spouse Relief" in text
    assert _line(text, "Reason / explanation") == "I can pay $200 a month."
    assert "Postmark this request no later than December 16, 2026." in text


def test_form_12153_leaves_the_identifier_and_signature_lines_blank():
    text = pdf_text(form12153.pdf(_form(reason="my SSN is 123-45-6789 and ITIN 912-70-1234")))
    assert "123-45-6789" not in text and "912-70-1234" not in text
    after_tin = _line(text, "Taxpayer Identification Number")
    assert after_tin.startswith("Current Address")  # nothing printed in the box
    assert _line(text, "1. Taxpayer Name").startswith("Taxpayer Identification Number")
    assert "Signature of Taxpayer 1 ______" in text


def test_form_12153_for_a_lien_notice_checks_the_lien_box():
    text = pdf_text(form12153.pdf(_form(code="LTR3172")))
    assert "[X] Filed Notice of Federal Tax Lien" in text and "[  ] Proposed Levy or Actual Levy" in text


def test_form_12153_skipped_answers_stay_blank_not_invented():
    text = pdf_text(form12153.pdf(_form(tax_type=None, form_number=None, periods=[], alternatives=[], reason="",
                                        postmark_by=None)))
    assert _line(text, "Type of Tax").startswith("Tax Form Number")
    assert "Postmark this request" not in text
    assert "[X] Installment" not in text


def test_form_12153_after_the_postmark_deadline_says_it_asks_for_an_equivalent_hearing():
    late = form12153.from_answers("LT11", tax_type=None, form_number=None, periods=(), alternatives=(), reason="",
                                  postmark_by=date(2026, 11, 1), today=TODAY)
    text = " ".join(pdf_text(form12153.pdf(late)).split())
    assert late.late and "November 1, 2026) has passed" in text and "equivalent hearing" in text
    assert "Postmark this request no later" not in text
    on_time = _form(today=date(2026, 12, 16))  # the deadline day itself is still on time
    assert not on_time.late


def test_form_12153_prints_every_box_of_line_8():
    text = pdf_text(form12153.pdf(_form()))
    for box in ("Subordination", "Discharge", "Withdrawal", "Other", "4. Telephone Number of Taxpayer 2"):
        assert box in text


def test_form_12153_in_spanish_keeps_the_english_labels_with_a_gloss():
    text = pdf_text(form12153.pdf(_form(), translator("es")))
    assert "Installment Agreement / Plan de pagos a plazos" in text
    assert "16 de diciembre de 2026" in text and "December 16, 2026" in text


def test_form_12153_refuses_unknown_choices():
    with pytest.raises(ValueError):
        form12153.Form12153("LT11", False, True, alternatives=frozenset({"bribe"}))
    with pytest.raises(ValueError):
        form12153.Form12153("LT11", False, True, tax_type="sales")


@pytest.mark.parametrize("code", ["CP77", "CP92", "CP297A", "CP90C", "CP297C"])
def test_post_levy_and_new_cdp_notices_get_form_12153(code):
    """Section 14: CP77 (intent to levy, issued again since 2024) and the post-levy CDP notices."""
    assert kind_of(code) == Kind.HEARING


@pytest.mark.parametrize("url,label", [
    ("https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title26-section6213&num=0&edition=prelim",
     "IRC § 6213"),
    ("https://www.irs.gov/pub/irs-pdf/f12153.pdf", "irs.gov/f12153.pdf"),
    ("https://dawson.ustaxcourt.gov/", "dawson.ustaxcourt.gov"),
])
def test_source_labels_are_short_and_say_where_they_lead(url, label):
    assert instruments.source_label(url) == label


@pytest.mark.parametrize("code,status,counting", [
    ("LT11", "open", True), ("LT11", "disputed", True), ("CP3219A", "disputed", True), ("CP11", "disputed", True),
    ("CP14", "disputed", False), ("LT11", "paid", False), ("LT11", "plan", False), ("CP9999", "disputed", False),
])
def test_a_disputed_hard_notice_is_still_counting(code, status, counting):
    assert instruments.still_counting(code, status) is counting
