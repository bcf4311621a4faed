"""What the intake router does with what the reader and the file reader find (issue 13, issue 18):
scam texts, documents that are not notices, several notices in one message, ambiguous dates, and
files that cannot be read (each a friendly answer, no traceback)."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from documents import isolation
from storage.models import Notice
from tests.dispatcher.inproc import dispatcher_stack
from tests.documents import files


@pytest.fixture(scope="module", autouse=True)
def _pool():
    yield
    isolation.shutdown()


async def _count_notices(stack) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    async with stack.sm() as session:
        return int((await session.execute(select(func.count()).select_from(Notice))).scalar_one())


async def test_scam_text_gets_the_scam_answer_and_no_card(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with dispatcher_stack(tmp_path) as stack:
        replies = await stack.say(601, "IRS agent here: you owe $2,400 for 2023, pay today with gift cards "
                                       "or the police will arrest you")
        assert any("scam" in r["plain_text"].lower() for r in replies)
        assert not any("Is this right?" in r["plain_text"] for r in replies)
        assert not stack.errors.records


async def test_a_w2_is_not_saved_as_a_notice(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with dispatcher_stack(tmp_path) as stack:
        (reply,) = await stack.say(602, "Form W-2 Wage and Tax Statement 2025\nWages, tips, other "
                                        "compensation $48,000.00\nFederal income tax withheld $5,100.00")
        assert "W-2" in reply["plain_text"] and "not an IRS notice" in reply["plain_text"]
        assert await _count_notices(stack) == 0


async def test_two_notices_in_one_message_give_two_cards_saved_in_any_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with dispatcher_stack(tmp_path) as stack:
        replies = await stack.say(603, "I got a CP14 for 2023 for $500 dated 11/02/2026 and a CP501 for 2022 "
                                       "for $700 dated 11/09/2026")
        texts = [r["plain_text"] for r in replies]
        assert any("I found 2 notices here (CP14, CP501)" in t and "any order" in t for t in texts)
        cards = [r for r in replies if "Is this right?" in r["plain_text"]]
        assert [("CP14" in c["plain_text"], "$500.00" in c["plain_text"]) for c in cards] == [(True, True), (False, False)]
        assert "CP501" in cards[1]["plain_text"] and "$700.00" in cards[1]["plain_text"]

        def save(card):  # type: ignore[no-untyped-def]
            return next(b["callback_data"] for row in card["reply_markup"]["inline_keyboard"] for b in row
                        if "Save" in b["text"])

        for card in reversed(cards):  # the second card first: each is its own draft
            answer, after = await stack.press(603, card, save(card))
            assert answer["text"] == "Saved." and any("Saved." in m["plain_text"] for m in after)
        assert await _count_notices(stack) == 2
        assert not stack.errors.records


async def test_ambiguous_spanish_date_is_read_day_first_and_marked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with dispatcher_stack(tmp_path) as stack:
        replies = await stack.say(604, "CP14 fechada el 10/11/2026, $300, año 2025")
        card = next(m["plain_text"] for m in replies if "CP14" in m["plain_text"])  # the language offer may follow
        assert "10 de noviembre de 2026" in card.lower() or "november 10, 2026" in card.lower()  # dates in words
        assert "please check" in card or "compruebe" in card.lower()


@pytest.mark.parametrize("name,data,expected", [
    ("locked.pdf", files.encrypted_pdf("Notice CP14 Amount due $5.00", "s3cret"), "without a password"),
    ("bomb.pdf", files.flate_bomb_pdf(), "too large"),
    ("broken.pdf", b"%PDF-1.4 not really", "damaged"),
    ("bomb.png", files.png_bomb(), "too large"),
])
async def test_unreadable_files_get_a_friendly_answer_and_no_traceback(tmp_path, caplog, name, data, expected) -> None:  # type: ignore[no-untyped-def]
    from documents import images

    if name.endswith(".png") and not images.ocr_available():
        pytest.skip("tesseract is not installed")
    caplog.set_level(logging.INFO)
    async with dispatcher_stack(tmp_path) as stack:
        since = stack.emu.cursor
        stack.emu.inject_document(605, name, data, mime_type="image/png" if name.endswith(".png") else "application/pdf")
        await stack.feed(stack.pending_update())
        (reply,) = stack.emu.sent(605, since)
        assert expected in reply["plain_text"] and "type what the letter says" in reply["plain_text"]
        assert not stack.errors.records
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)


async def test_spanish_answer_to_a_date_question_is_day_first_and_the_hint_shows_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot import intake

    draft = intake.DraftData(code="CP14")
    assert draft.answer("notice_date", "03/11/2026", date(2026, 11, 21), "es")
    assert draft.notice_date == "2026-11-03"
    async with dispatcher_stack(tmp_path) as stack:
        raw = stack.emu.inject_message(606, "CP14 por $300, año 2025", language_code="es")["message"]
        stack.emu.pending.clear()
        from aiogram.types import Update

        await stack.feed(Update(update_id=10**8, message=raw))
        (reply,) = await stack.say(606, "púrpura")  # not a date: the hint must be day-first
        assert "03/11/2026" in reply["plain_text"] and "11/03/2026" not in reply["plain_text"]
