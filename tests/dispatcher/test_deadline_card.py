"""Issue 14 on the card: what a hard date loses is said per right, the date printed on the notice
controls, "at the latest" without a notice date, two dates for math-error notices, the
"addressed outside the US" question (deficiency notices only, editable, default no), the one
official source, and the cost of waiting for proposals and unfiled returns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot import intake, keyboards, texts
from bot.dispatcher import make_i18n
from notices import catalog
from storage.models import Notice, NoticeStatus

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 15, tzinfo=UTC)
HEARING = "Collection Due Process hearing"


@pytest.fixture(autouse=True)
def i18n() -> Iterator[None]:
    i18n = make_i18n()
    with i18n.context(), i18n.use_locale("en"):
        yield


def card(code: str, notice_date: date | None = date(2026, 11, 2), **kw: object) -> str:
    a = intake.assess(code, notice_date, kw.get("due"), kw.get("received"), bool(kw.get("abroad")),  # type: ignore[arg-type]
                      kw.get("amount"), TODAY, "en")  # type: ignore[arg-type]
    return "\n".join(texts._deadline_lines(a, TODAY, "en") + texts._estimate_lines(a))


@pytest.mark.parametrize("code", sorted(n.code for n in catalog.all_notices() if n.hard))
def test_you_lose_the_right_to_a_hearing_was_shown_for_tax_court_and_math_error_notices(code):
    info = catalog.get(code)
    assert info is not None
    text = card(code)
    assert (HEARING in text) == info.cdp
    assert "The date printed on your notice controls" in text
    if info.stage_key == "deficiency":
        assert "petition the Tax Court" in text
    if info.pay_days:
        assert "pay and claim a refund" in text


def test_a_hard_notice_without_a_notice_date_shows_at_the_latest_and_asks_for_the_printed_date():
    text = card("LT11", None, received=date(2026, 11, 10))
    assert "at the latest" in text and "3 weeks" in text and "Send the date printed on the notice" in text


def test_math_error_notices_show_the_payment_date_and_the_dispute_date():
    text = card("CP11")
    assert "Pay by: <b>November 23, 2026</b>" in text and "Last day to dispute: <b>January 4, 2027</b>" in text


def test_the_abroad_question_is_shown_on_deficiency_notices_only_default_no_and_editable():
    assert "outside the United States: no (90 days)" in card("CP3219A")
    assert "outside the United States: yes (150 days)" in card("CP3219A", abroad=True)
    assert "outside the United States" not in card("LT11", abroad=True)
    draft = intake.DraftData(code="CP3219A")
    assert draft.answer("abroad", "yes", TODAY) and draft.abroad
    assert draft.answer("abroad", "no", TODAY) and not draft.abroad and "abroad" not in draft.unknown
    assert not draft.answer("abroad", "maybe in Canada", TODAY)  # unreadable: asked again, never guessed
    label = keyboards.field_label("abroad")
    assert label in [b.text for row in keyboards.edit_keyboard(1, abroad=True).inline_keyboard for b in row]
    assert label not in [b.text for row in keyboards.edit_keyboard(1).inline_keyboard for b in row]


def notice(code: str, **fields: object) -> Notice:
    values: dict[str, object] = {"id": 1, "user_id": 1, "code": code, "tax_years": [2024], "amount_cents": 500000,
                                 "notice_date": date(2026, 11, 2), "status": NoticeStatus.OPEN,
                                 "created_at": NOW, "updated_at": NOW, "status_changed_at": NOW}
    values.update(fields)
    return Notice(**values)


def test_meaning_shows_one_official_source_and_no_third_party_page():
    text = texts.meaning_text(notice("CP14"), "en")  # CP14's record also cites taxhauz.com, activerain.com
    assert "Source: https://www.irs.gov/individuals/understanding-your-cp14-notice" in text
    assert "taxhauz" not in text and "activerain" not in text


def test_cost_of_waiting_says_a_proposal_has_no_late_payment_penalty_yet():
    text = texts.cost_text(notice("CP2000"), TODAY, "en")
    assert "proposed, not assessed yet: only interest is counted" in text


def test_cost_of_waiting_mentions_the_failure_to_file_penalty_on_unfiled_return_notices():
    assert "failure-to-file penalty is 5 percent" in texts.cost_text(notice("LT16"), TODAY, "en")
    assert "failure-to-file" not in texts.cost_text(notice("CP14"), TODAY, "en")


def test_cost_of_waiting_in_a_plan_shows_both_figures_when_filing_on_time_is_not_known():
    text = texts.cost_text(notice("CP14", status=NoticeStatus.PLAN), TODAY, "en")
    assert "if your return was filed on time" in text and "if it was filed late" in text


def test_editing_the_amount_of_a_cp14_to_100000_gives_10_business_days():
    a = intake.assess("CP14", date(2026, 11, 3), None, None, False, Decimal("100000"), TODAY, "en")
    assert a.respond_by == date(2026, 11, 18)


@pytest.mark.parametrize("code", ["LTR3172", "CP3219A"])
def test_the_draft_asks_for_the_last_day_printed_on_letter_3172_and_cp3219a(code):
    draft = intake.DraftData(code=code, notice_date="2026-11-02", amount="100.00", tax_years=[2024])
    draft.asking = draft.next_question()
    assert draft.asking == "due_date"
    text = texts.draft_card(draft, intake.assess_draft(draft, TODAY, "en"), TODAY, "en", [])
    assert "What is the last day printed on the notice?" in text and "at the latest" in text
