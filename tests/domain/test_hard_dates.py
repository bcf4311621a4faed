"""Issue 14: derived facts that cannot silently move a hard date (each test names its source).

Sources (copied into notices/catalog.toml): usc/26/6213(a) (90/150 days, printed last day),
usc/26/6320(a)(3)(B) and usc/26/6330 (CDP, 30 days), usc/26/6213(b)(2) (60-day math-error window),
usc/26/6601(e)(3) (10 business days at $100,000), irs-notices.md section 14.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.intake import DraftData, assess_draft
from notices import catalog, reader
from notices.deadlines import roll_forward
from notices.facts import NoticeInput, derive

TODAY = date(2026, 11, 21)


def law(code: str, notice_date: date, abroad: bool = False) -> date:
    info = catalog.get(code)
    assert info is not None and info.window_days is not None
    days = info.window_days_abroad if abroad and info.window_days_abroad else info.window_days
    return roll_forward(notice_date + timedelta(days=days))


# --- 150 days only when addressed outside the US (usc/26/6213(a)) ----------------------------


@pytest.mark.parametrize("words", ["I live abroad", "I am overseas", "I moved outside the US",
                                   "vivo en el extranjero"])
def test_a_word_like_abroad_switched_on_the_150_day_tax_court_window(words):
    # Regression: any message with "abroad" turned a CP3219A's 90 days into 150.
    draft = DraftData.from_reader(reader.read(f"CP3219A dated 10/01/2026, {words}", TODAY))
    assert draft.abroad is False
    facts = assess_draft(draft, TODAY, "en")
    assert facts.respond_by == law("CP3219A", date(2026, 10, 1)) == date(2026, 12, 30)
    assert facts.asks_abroad and not facts.abroad


def test_addressed_outside_the_us_is_asked_only_on_deficiency_notices_and_counts_only_there():
    d = date(2026, 10, 1)
    deficiency = derive(NoticeInput("CP3219A", d, abroad=True), TODAY)
    assert deficiency.abroad and deficiency.respond_by == law("CP3219A", d, abroad=True)
    cdp = derive(NoticeInput("LT11", d, abroad=True), TODAY)
    assert not cdp.asks_abroad and not cdp.abroad and cdp.respond_by == law("LT11", d)
    assert derive(NoticeInput("CP3219A", d), TODAY).asks_abroad  # default no, but shown


# --- no notice date on a hard notice: received - 21 days, "at the latest" ---------------------


def test_an_unknown_notice_date_on_a_hard_notice_was_assumed_7_days_before_receipt():
    # Regression: IRS mail often takes longer; the CDP date shown could be after the real one.
    received = date(2026, 11, 10)
    f = derive(NoticeInput("LT11", received_date=received), TODAY)
    assert f.respond_by == law("LT11", received - timedelta(days=21))
    assert f.at_the_latest and f.estimated and "notice_date" in f.missing and f.printed_controls
    # without a received date, today stands in for it
    assert derive(NoticeInput("LT11"), TODAY).respond_by == law("LT11", TODAY - timedelta(days=21))


def test_a_notice_without_a_hard_date_keeps_the_one_week_assumption():
    f = derive(NoticeInput("CP14", received_date=date(2026, 11, 10)), TODAY)
    assert f.respond_by == law("CP14", date(2026, 11, 3)) and not f.at_the_latest and f.estimated


# --- the printed date controls, but never moves a hard date later by a misreading --------------


def test_a_later_printed_date_does_not_move_a_cdp_date_beyond_the_30_days():
    d = date(2026, 11, 2)
    f = derive(NoticeInput("LT11", d, printed_due=date(2027, 1, 15)), TODAY)
    assert f.respond_by == law("LT11", d) and "printed_due_after_law" in f.notes


@pytest.mark.parametrize("code", ["LTR3172", "CP3219A"])
def test_letter_3172_and_cp3219a_print_their_own_last_day_ask_for_it_and_it_controls(code):
    d = date(2026, 11, 2)
    without = derive(NoticeInput(code, d), TODAY)
    assert "due_date" in without.missing and without.at_the_latest  # notice date + window is the safe fallback
    assert without.respond_by is not None
    printed = without.respond_by + timedelta(days=9)  # usc/26/6320(a)(3)(B); usc/26/6213(a) last sentence
    with_printed = derive(NoticeInput(code, d, printed_due=printed), TODAY)
    assert with_printed.respond_by == printed and not with_printed.estimated and "due_date" not in with_printed.missing


def test_a_stored_respond_by_later_than_the_law_on_a_hard_notice_is_not_used():
    # e.g. a CP3219A saved with 150 days because the message said "abroad"
    d = date(2026, 10, 1)
    f = derive(NoticeInput("CP3219A", d, confirmed_respond_by=law("CP3219A", d, abroad=True)), TODAY)
    assert f.respond_by == law("CP3219A", d) and "stored_date_after_law" in f.notes


# --- two dates for math-error notices; $100,000 in 10 business days ---------------------------


@pytest.mark.parametrize("code", ["CP11", "CP23"])
def test_math_error_notices_showed_the_60_day_dispute_date_as_the_payment_date(code):
    d = date(2026, 11, 2)
    f = derive(NoticeInput(code, d), TODAY)
    assert f.pay_by == roll_forward(d + timedelta(days=21))  # irs.gov understanding-your-cp23-notice
    assert f.respond_by == law(code, d) == date(2027, 1, 4)  # usc/26/6213(b)(2): 60 days, New Year rolled
    printed = derive(NoticeInput(code, d, printed_due=date(2026, 11, 25)), TODAY)
    assert (printed.pay_by, printed.respond_by) == (date(2026, 11, 25), law(code, d))


def test_a_cp14_of_100000_or_more_is_due_in_10_business_days():
    d = date(2026, 11, 3)  # Tuesday; Veterans Day (Nov 11) is skipped
    big = derive(NoticeInput("CP14", d, amount=Decimal("100000.00")), TODAY)
    small = derive(NoticeInput("CP14", d, amount=Decimal("99999.99")), TODAY)
    assert big.respond_by == date(2026, 11, 18)  # usc/26/6601(e)(3)
    assert small.respond_by == law("CP14", d) == date(2026, 11, 24)


# --- next expected notices after this one's date ----------------------------------------------


def test_an_expected_next_notice_fell_before_the_current_notices_own_respond_by_date():
    # Regression: a CP504 due Dec 16 was compared with "LT11 expected Dec 7".
    f = derive(NoticeInput("CP504", date(2026, 11, 16), printed_due=date(2026, 12, 16)), TODAY)
    assert f.expected and all(n.earliest > date(2026, 12, 16) and n.latest >= n.earliest for n in f.expected)
    cp11 = derive(NoticeInput("CP11", date(2026, 11, 2)), TODAY)
    assert all(n.earliest > cp11.pay_by for n in cp11.expected if cp11.pay_by)


def test_without_a_notice_date_a_printed_date_on_a_hard_notice_may_only_make_the_date_earlier():
    received = date(2026, 11, 10)
    safe = law("LT11", received - timedelta(days=21))
    later = derive(NoticeInput("LT11", printed_due=safe + timedelta(days=20), received_date=received), TODAY)
    assert later.respond_by == safe and later.at_the_latest and "printed_due_after_law" in later.notes
    earlier = derive(NoticeInput("LT11", printed_due=safe - timedelta(days=2), received_date=received), TODAY)
    assert earlier.respond_by == safe - timedelta(days=2) and not earlier.at_the_latest
    # a printed last day (Letter 3172) is that day, as printed
    printed = derive(NoticeInput("LTR3172", printed_due=date(2026, 12, 20), received_date=received), TODAY)
    assert printed.respond_by == date(2026, 12, 20) and not printed.estimated


def test_a_stored_date_from_the_old_7_day_assumption_is_not_used_on_a_hard_notice():
    received = date(2026, 11, 10)
    f = derive(NoticeInput("LT11", received_date=received, confirmed_respond_by=law("LT11", date(2026, 11, 3))), TODAY)
    assert f.respond_by == law("LT11", received - timedelta(days=21)) and "stored_date_after_law" in f.notes
