"""Regression tests for the reader's mistakes listed in issue 13 (each failed before the fix)."""

from datetime import date
from decimal import Decimal

import pytest

from notices.reader import read, read_all

DEC1 = date(2026, 12, 1)
TODAY = date(2026, 11, 21)

# The CP14 layout as pypdf extracts it from the IRS sample (irs.gov/pub/notices/cp14_english.pdf,
# text copy at copiara.org/notice-of-balance-letter-9571), values changed.
CP14_PRINTED = """Department of the Treasury
Internal Revenue Service
P.O. Box 9019
Holtsville, NY 11742-9019
Notice
CP14
Notice date
October 5, 2026
Social security number
nnn-nn-nnnn
Make your check or money order payable to the United States Treasury.
Write your social security number (nnn-nn-nnnn), the tax year (2025), and the form
number (1040) on your payment.
Notice
CP14
Tax year
2025
Notice date
October 5, 2026
To contact us
Phone 1-800-829-0922
Your caller ID
4213
Page 1 of 6
0000 0000000 0000000000 0000000 0000
JOHN AND MARY SMITH
Amount due
by
October 26
, 2026
$2,310.44
Payment
Continued on back...
You have a balance due for 2025
Amount due: $2,310.44
Billing Summary
Tax you owed
$4,120.00
Payments and credits
-2,000.00
Failure-to-pay penalty
103.00
Interest charges
87.44
Amount due by October 26, 2026
$2,310.44
What you need to do
immediately
Pay the amount due of $2,310.44 by October 26, 2026, to avoid penalty and interest charges.
"""


def test_yearless_respond_by_date_already_past_is_not_put_into_next_year():
    d = read("LT11 dated October 21, respond by November 20", DEC1)
    assert d.notice_date == date(2026, 10, 21)
    assert d.due_date == date(2026, 11, 20)  # overdue, not 354 days away


def test_payment_date_is_not_a_due_date_and_payment_is_not_the_amount_owed():
    d = read("CP14 for 2025, I paid $1,000 on Nov 20", DEC1)
    assert d.due_date is None
    assert d.amount is None


@pytest.mark.parametrize("text,lang", [("CP14 fechada el 10/11/2026", "es"), ("CP14 dated 10/11/2026", "es"),
                                       ("CP14 fechada el 10/11/2026", "en")])
def test_day_first_numeric_dates_for_spanish(text, lang):
    d = read(text, TODAY, lang)
    assert d.notice_date == date(2026, 11, 10)
    assert "notice_date" in d.uncertain  # ambiguous: the card shows it in words


def test_day_above_twelve_anywhere_makes_every_numeric_date_day_first():
    d = read("CP14 dated 03/11/2026, pay by 24/11/2026", TODAY)
    assert (d.notice_date, d.due_date) == (date(2026, 11, 3), date(2026, 11, 24))


def test_printed_notice_fields_come_from_where_an_expert_reads_them():
    d = read(CP14_PRINTED, TODAY)
    assert d.notice == "CP14"
    assert d.notice_date == date(2026, 10, 5)
    assert d.due_date == date(2026, 10, 26)
    assert d.amount == Decimal("2310.44")  # not "Tax you owed", not a summary line
    assert d.tax_years == (2025,)  # not a page number, not the form number
    assert d.scam_signals == ()  # "Your caller ID" and "immediately" are a real notice's words


def test_notice_date_reprinted_on_the_stub_is_not_the_respond_by_date():
    text = ("Notice CP501\nNotice date November 2, 2026\nTax year 2024\nPage 1 of 3\nDepartment of the Treasury\n"
            "Amount due immediately: $980.00\n\nPayment stub\nNotice CP501\nNotice date\nNovember 2, 2026\n"
            "November 2, 2026\n")
    d = read(text, TODAY)
    assert d.notice_date == date(2026, 11, 2)
    assert d.due_date is None  # "Amount due immediately" has no date
    assert d.amount == Decimal("980.00")


def test_amount_due_beats_amount_you_owed_refund_and_scan_line():
    text = ("Notice CP14\nNotice date November 2, 2026\nPage 1 of 2\nAmount you owed $9,000.00\n"
            "Refund applied $1,500.00\nAmount due $412.10\n1234 5678901 2345678901 1234567 1234\n")
    assert read(text, TODAY).amount == Decimal("412.10")


def test_date_of_birth_is_not_the_notice_date():
    d = read("CP2000 for 2024\nDate of birth: March 3, 1980\nNotice date: November 9, 2026", TODAY)
    assert d.notice_date == date(2026, 11, 9)


def test_tax_periods_printed_as_two_period_end_dates_keep_both_years():
    d = read("Letter 1058\nTax periods: December 31, 2021 and December 31, 2022\nNotice date Nov 2, 2026", TODAY)
    assert d.tax_years == (2021, 2022)
    assert d.notice_date == date(2026, 11, 2)


@pytest.mark.parametrize("code", ["CP05", "CP09"])
def test_codes_with_a_leading_zero_keep_it(code):
    assert read(f"Notice {code} dated Nov 2, 2026", TODAY).notice == code


def test_page_number_is_not_a_tax_year():
    assert read("Notice CP14\nNotice date November 2, 2026\nPage 2 of 2020\nAmount due: $50.00", TODAY).tax_years == ()


@pytest.mark.parametrize("text,amount", [("CP14, I owe 8 grand", "8000.00"), ("CP14 $2.5k", "2500.00"),
                                         ("CP504 12.5k", "12500.00")])
def test_colloquial_amounts(text, amount):
    assert read(text, TODAY).amount == Decimal(amount)


def test_two_notices_in_one_message_are_two_drafts():
    drafts = read_all("I got a CP14 for 2023 for $500 and a CP501 for 2022 for $700", TODAY)
    assert [(d.notice, d.tax_years, d.amount) for d in drafts] == [
        ("CP14", (2023,), Decimal("500.00")), ("CP501", (2022,), Decimal("700.00"))]


def test_a_later_notice_named_in_a_notice_is_not_a_second_draft():
    assert len(read_all("After ignoring the CP14 I now got a CP501 dated 11/1/2026", TODAY)) == 1


def test_a_scam_text_is_called_a_scam():
    d = read("IRS agent: you owe $2,400 for 2023, pay today with gift cards or police will arrest you", TODAY)
    assert {"gift_card", "arrest"} <= set(d.scam_signals)


def test_spanish_phone_scam_signal_is_caught_like_the_english_one():
    # the removed prefilter dropped this one: no English hint word in it
    assert "immediate_phone_payment" in read("Me llamaron y me dijeron que pague ahora mismo", TODAY).scam_signals
    assert "immediate_phone_payment" in read("They called me and said pay right now", TODAY).scam_signals


@pytest.mark.parametrize("text,kind", [
    ("Form W-2 Wage and Tax Statement 2025\nWages, tips $48,000.00\nFederal income tax withheld $5,100.00", "w2"),
    ("Form 1099-NEC 2025 Nonemployee compensation $12,000.00", "1099"),
    ("Form 1098 Mortgage Interest Statement 2025 $9,100.00", "1098"),
    ("Chase statement period Oct 1 - Oct 31, 2026\nBeginning balance $1,200.00\nMinimum payment due $35.00", "statement"),
    ("Franchise Tax Board\nNotice of tax due $800.00 for 2024, pay by December 1, 2026", "state"),
])
def test_a_document_that_is_not_a_notice_is_recognised(text, kind):
    assert read(text, TODAY).not_notice == kind


@pytest.mark.parametrize("text", ["C\u200bP14 dated Nov 2, 2026", "\u0421\u042014 dated Nov 2, 2026",
                                  "\uff23\uff30\uff11\uff14 dated Nov 2, 2026"])
def test_look_alike_characters_in_a_code(text):
    assert read(text, TODAY).notice == "CP14"


@pytest.mark.parametrize("text,field,expected", [
    ("CP14 fechado el 15 ago 2026", "notice_date", date(2026, 8, 15)),
    ("CP503, pague antes del 1º de diciembre", "due_date", date(2026, 12, 1)),
    ("CP14 pay by the 30th", "due_date", date(2026, 11, 30)),
    ("CP14 dated last Friday", "notice_date", date(2026, 11, 20)),
])
def test_dates_as_people_write_them(text, field, expected):
    assert getattr(read(text, TODAY), field) == expected


@pytest.mark.parametrize("text,code", [("CP\n504B dated Nov 2, 2026", "CP504B"), ("LTR 3172", "LTR3172"),
                                       ("Letter 1058", "LTR1058"), ("CP 504B", "CP504B")])
def test_codes_as_the_irs_prints_them(text, code):
    assert read(text, TODAY).notice == code


def test_ocr_look_alike_letters_for_digits_in_a_code():
    assert read("Notice CPO5 dated Nov 2, 2026", TODAY).notice == "CP05"
    assert read("CP5O4 for 2023", TODAY).notice == "CP504"
    assert read("Notice CPI1 Tax year 2024", TODAY).notice == "CP11"
    assert read("Notice\nCcP11\nNotice date October 11, 2026", TODAY).notice == "CP11"  # a stray OCR letter
