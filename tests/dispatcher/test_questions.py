"""Questions in plain words get a short sourced answer and the next step, in English and Spanish; a
question naming a code is not taken for a notice; a letter described by its heading gets a choice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.types import Update

from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button, buttons, plain


async def say_in(stack: Stack, uid: int, text: str, language: str) -> list[dict[str, Any]]:
    raw = stack.emu.inject_message(uid, text, language_code=language)["message"]
    stack.emu.pending.clear()
    since = stack.emu.cursor
    await stack.feed(Update(update_id=next(stack._ids) + 10**6, message=raw))
    return stack.emu.sent(uid, since)


def has_draft_card(messages: list[dict[str, Any]]) -> bool:
    return any(data.startswith("dr:save") for m in messages for _, data in buttons(m))


async def save_notice(stack: Stack, uid: int, text: str) -> None:
    replies = await stack.say(uid, text)
    card = next(m for m in replies if any(d.startswith("dr:save") for _, d in buttons(m)))
    save = next(d for _, d in buttons(card) if d.startswith("dr:save"))
    await stack.press(uid, card, save)


async def test_is_this_letter_real_gets_the_scam_check_with_irs_source_and_how_to_start(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as stack:
        (reply,) = await stack.say(7001, "is this letter real?")
        text = plain(reply)
        assert "U.S. Treasury" in text and "irs.gov/newsroom" in text
        assert "Next step" in text and "did not understand" not in text
        assert not stack.errors.records


async def test_question_in_spanish_is_answered_in_spanish(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as stack:
        replies = await say_in(stack, 7002, "¿Puedo pagar a plazos?", "es")
        text = plain(replies[-1])
        assert "Por lo general" in text and "irs.gov/payments/payment-plans-installment-agreements" in text
        assert "Siguiente paso" in text or "Próximo paso" in text


async def test_regression_what_does_cp504_mean_is_not_taken_for_a_notice(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as stack:
        replies = await stack.say(7003, "what does CP504 mean?")
        assert not has_draft_card(replies)
        assert "CP504" in plain(replies[-1]) or "intent" in plain(replies[-1]).lower()
        assert "send me its date and amount" in plain(replies[-1])


async def test_my_deadline_names_my_most_urgent_notice(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as stack:
        await save_notice(stack, 7004, "CP14 for tax year 2024, owe $1,250.00, dated November 3, 2026")
        replies = await stack.say(7004, "what is my deadline?")
        text = plain(replies[-1])
        assert "CP14" in text and "respond by" in text
        assert button(replies[-1], "Open CP14") is not None


async def test_question_with_a_notice_in_it_is_answered_and_the_notice_read(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as stack:
        replies = await stack.say(7005, "is this a scam? CP504 for 2024, I owe $5,000.00, dated November 3, 2026")
        assert any("U.S. Treasury" in plain(m) for m in replies)
        assert has_draft_card(replies)


async def test_letter_described_by_its_heading_gets_a_choice_that_starts_the_card(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as stack:
        (ask,) = await stack.say(7006, "it says final notice at the top")
        choice = button(ask, "LT11")
        assert choice is not None and button(ask, "None of these") is not None
        _, replies = await stack.press(7006, ask, choice)
        assert has_draft_card(replies) and "LT11" in plain(replies[-1])
        _, replies = await stack.press(7006, ask, button(ask, "None of these") or "")
        assert "top right" in plain(replies[-1])


async def test_forged_code_choice_is_refused_politely(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as stack:
        (ask,) = await stack.say(7007, "it says notice of deficiency")
        _, replies = await stack.press(7007, ask, "qc:CP99999")
        assert not has_draft_card(replies) and "top right" in plain(replies[-1])
        assert not stack.errors.records
