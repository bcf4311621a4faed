"""Issue 15 end to end, through a real `noticebot run` and the emulator: a person sends two notices and
a correction, saves both in reverse order, asks two questions, double-taps Save, and ends with exactly
two notices and the reminders the planner wants for each (read from the reminders table)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from notices import facts
from scheduler.planner import Schedule, plan_for_notice
from tests.e2e.conftest import button
from tests.e2e.conversation_support import (
    days_ago,
    e2e_bot,  # noqa: F401 - module-scoped fixture
    query,
    text_of,
    us,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


async def test_two_notices_a_correction_reverse_saves_questions_and_a_double_tap(e2e_bot) -> None:  # noqa: F811
    bot = e2e_bot
    ann = bot.chat(9151)
    cp14_date, lt11_date = days_ago(10), days_ago(5)
    (cp14,) = await ann.say(f"CP14 for tax year 2024, I owe $1,250.00, dated {us(cp14_date)}")
    (lt11,) = await ann.say(f"LT11 for tax year 2022, I owe $15,000.00, dated {us(lt11_date)}")
    assert "CP14" in text_of(cp14) and "LT11" in text_of(lt11) and button(cp14, "Save") != button(lt11, "Save")

    # The correction goes to the latest card (the LT11) and shows old -> new on that card.
    (changed,) = await ann.say("sorry the amount is $16,500")
    assert "Changed (LT11)" in text_of(changed) and "Amount: $15,000.00 → $16,500.00" in text_of(changed)

    # Saved in reverse order: the LT11 (from its first card), then the CP14.
    (saved_lt11,) = await ann.press_label(lt11, "Save")
    (saved_cp14,) = await ann.press_label(cp14, "Save")
    assert "Saved" in text_of(saved_lt11) and "LT11" in text_of(saved_lt11) and "$16,500.00" in text_of(saved_lt11)
    assert "Saved" in text_of(saved_cp14) and "CP14" in text_of(saved_cp14)

    # Two questions: answered with sources, and the next step names the most urgent notice.
    (monthly,) = await ann.say("can I pay monthly?")
    assert "irs.gov/payments/payment-plans-installment-agreements" in text_of(monthly)
    (deadline,) = await ann.say("what is my deadline?")
    body = text_of(deadline)
    assert "LT11" in body and "CP14" in body and body.index("CP14") < body.index("LT11")  # CP14: fewer days left

    # A double tap on Save of a card already saved: both answered "Saved.", nothing new stored.
    save = button(cp14, "Save")
    first, second = await asyncio.gather(ann.client.press(ann.user_id, cp14["message_id"], save),
                                         ann.client.press(ann.user_id, cp14["message_id"], save))
    for qid in (first, second):
        answer = await ann.client.wait_callback_answer(qid)
        assert answer["text"] == "Saved." and not answer["show_alert"]

    notices = query(bot, "SELECT id, code, notice_date, amount_cents, respond_by FROM notices WHERE user_id = ? "
                         "ORDER BY code", ann.user_id)
    assert [(code, amount) for _, code, _, amount, _ in notices] == [("CP14", 125000), ("LT11", 1650000)]
    now = datetime.now(UTC)
    for notice_id, code, notice_date, _, respond_by in notices:
        derived = facts.derive(facts.NoticeInput(code, datetime.fromisoformat(notice_date).date()), days_ago(0))
        assert derived.respond_by is not None and respond_by == derived.respond_by.isoformat()
        wanted = {(str(p.kind), p.due_at.replace(tzinfo=None).isoformat(timespec="seconds"))
                  for p in plan_for_notice(respond_by=derived.respond_by, schedule=Schedule(), now=now,
                                           hard=derived.hard) if p.due_at > now}
        stored = query(bot, "SELECT kind, due_at FROM reminders WHERE notice_id = ? AND status = 'pending'", notice_id)
        assert len(stored) == len({kind for kind, _ in stored}), stored  # no reminder twice
        have = {(kind, datetime.fromisoformat(due).replace(tzinfo=None).isoformat(timespec="seconds"))
                for kind, due in stored if kind.startswith(("before:", "day"))}
        assert have and have == {w for w in wanted if w[0].startswith(("before:", "day"))}, (code, have, wanted)
