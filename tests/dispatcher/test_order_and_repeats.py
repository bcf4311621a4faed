"""One person's messages are handled in the order they were sent (bot/ordering.py), and every
state-changing button is safe to press again: Save, checklist ticks, status, delete, snooze."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram.types import Update

from bot.callbacks import NoticeAction, NoticeCb
from bot.keyboards import ChecklistCb
from bot.routers.reminders import ReminderAction
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button, plain


def rows(db: Path, query: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, args).fetchall()


async def burst(st: Stack, updates: list[Update]) -> None:
    """As polling runs them: each update its own task, all at once."""
    await asyncio.gather(*(asyncio.create_task(st.feed(u)) for u in updates))


async def card_for(st: Stack, uid: int, text: str) -> dict[str, Any]:
    return await card_for_label(st, uid, text, "Save")


async def card_for_label(st: Stack, uid: int, text: str, label: str) -> dict[str, Any]:
    [card] = [m for m in await st.say(uid, text) if button(m, label)]
    return card


async def saved(st: Stack, uid: int, text: str) -> tuple[int, dict[str, Any]]:
    card = await card_for(st, uid, text)
    _answer, replies = await st.press(uid, card, button(card, "Save") or "")
    [shown] = [m for m in replies if "Saved" in plain(m)]
    return int(rows(st.db, "SELECT max(id) FROM notices WHERE user_id = ?", uid)[0][0]), shown


async def test_a_burst_of_messages_is_answered_in_the_order_sent_regression_out_of_order(tmp_path: Path) -> None:
    """Regression: polling handled each update as its own task, so a quick /help overtook the
    notice sent before it, and an answer could be read before the question it answers."""
    async with dispatcher_stack(tmp_path) as st:
        uid = 5201
        since = st.emu.cursor
        await burst(st, [st.message_update(uid, text="I got a CP14 for 2024, I owe $2,140"),
                         st.message_update(uid, text="/help"),
                         st.message_update(uid, text="/privacy")])
        got = [plain(m) for m in st.emu.sent(uid, since)]
        firsts = [next(i for i, t in enumerate(got) if marker in t)
                  for marker in ("CP14", "What I can do", "Privacy")]
        assert firsts == sorted(firsts), got


async def test_spanish_burst_is_answered_in_order(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        uid = 5202
        await st.say(uid, "/language es")
        since = st.emu.cursor
        await burst(st, [st.message_update(uid, text="Recibí un CP14 del año 2024, debo $2,140"),
                         st.message_update(uid, text="/privacy")])
        got = [plain(m) for m in st.emu.sent(uid, since)]
        assert "CP14" in got[0] and "Privacidad" in got[-1], got


async def test_save_tapped_three_times_quickly_stores_one_notice(tmp_path: Path) -> None:
    """Regression: three quick taps on Save stored three identical notices with their own reminders."""
    async with dispatcher_stack(tmp_path) as st:
        uid = 5203
        card = await card_for(st, uid, "CP14 for tax year 2024, I owe $3,412.18, dated 3/1/2026")
        presses = [st.callback_update(uid, card["message_id"], button(card, "Save") or "") for _ in range(3)]
        await burst(st, [u for u, _qid in presses])
        assert rows(st.db, "SELECT count(*) FROM notices WHERE user_id = ?", uid) == [(1,)]
        answers = [st.emu.callback_answer(qid) for _u, qid in presses]
        assert all(a["answered"] for a in answers), answers
        assert not any(a.get("show_alert") for a in answers), answers  # "already saved", not an error
        assert st.errors.summary() == []


async def test_a_double_checklist_tick_is_answered_and_never_fails_regression_integrity_error(tmp_path: Path) -> None:
    """Regression: two taps on the same checklist item at once both inserted its row: IntegrityError,
    and the button was never answered."""
    async with dispatcher_stack(tmp_path) as st:
        uid = 5204
        nid, _shown = await saved(st, uid, "CP14 for tax year 2024, I owe $500, dated 3/1/2026")
        [checklist] = await st.say(uid, "/checklist")
        data = ChecklistCb(notice_id=nid, item=0).pack()
        presses = [st.callback_update(uid, checklist["message_id"], data) for _ in range(2)]
        await burst(st, [u for u, _qid in presses])
        assert all(st.emu.callback_answer(qid)["answered"] for _u, qid in presses)
        assert st.errors.summary() == []
        assert len(rows(st.db, "SELECT * FROM checklist_progress WHERE notice_id = ?", nid)) <= 1


async def test_status_delete_and_snooze_pressed_twice_are_harmless(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        uid = 5205
        recent = datetime.now(UTC).date() - timedelta(days=5)  # the deadline is ahead, so a snooze is allowed
        nid, shown = await saved(st, uid, f"CP503 for tax year 2023, balance $1,900, dated {recent:%m/%d/%Y}")
        for data in (ReminderAction(action="s1", notice_id=nid).pack(),
                     NoticeCb(action=NoticeAction.PAID, notice_id=nid).pack(),
                     ReminderAction(action="paid", notice_id=nid).pack(),
                     NoticeCb(action=NoticeAction.DELETE_CONFIRM, notice_id=nid).pack()):
            presses = [st.callback_update(uid, shown["message_id"], data) for _ in range(2)]
            await burst(st, [u for u, _qid in presses])
            assert all(st.emu.callback_answer(qid)["answered"] for _u, qid in presses), data
            if data.startswith(ReminderAction.__prefix__):
                snoozes = rows(st.db, "SELECT count(*) FROM reminders WHERE notice_id = ? AND kind LIKE 'snooze%'", nid)
                assert snoozes == [(1,)], snoozes  # one snooze, however many taps
            if data == NoticeCb(action=NoticeAction.PAID, notice_id=nid).pack():
                events = rows(st.db, "SELECT count(*) FROM notice_events WHERE notice_id = ? AND kind = 'status'", nid)
                assert events == [(1,)], events  # paid once, not twice
        assert st.errors.summary() == []
        assert rows(st.db, "SELECT count(*) FROM notices WHERE user_id = ?", uid) == [(0,)]


async def test_the_same_notice_sent_twice_is_saved_once_regression_stored_twice(tmp_path: Path) -> None:
    """Regression: the same notice sent twice (same code, tax year and notice date) was stored twice."""
    async with dispatcher_stack(tmp_path) as st:
        uid = 5206
        nid, _shown = await saved(st, uid, "CP14 for tax year 2024, I owe $1,250, dated 3/1/2026")
        card = await card_for(st, uid, "I got the CP14 for 2024 again, it says $1,250, notice date March 1, 2026")
        answer, replies = await st.press(uid, card, button(card, "Save") or "")
        assert answer["answered"] and not answer.get("show_alert")
        [told] = replies
        assert "You already saved this notice" in plain(told) and "2026" in plain(told)
        assert rows(st.db, "SELECT count(*) FROM notices WHERE user_id = ?", uid) == [(1,)]
        _answer, [opened] = await st.press(uid, told, button(told, "Open it") or "")
        assert "CP14" in plain(opened) and "1,250" in plain(opened)
        # A different notice date is a different letter: saved.
        await saved(st, uid, "CP14 for tax year 2024, I owe $1,250, dated 4/1/2026")
        assert rows(st.db, "SELECT count(*) FROM notices WHERE user_id = ?", uid) == [(2,)]


async def test_the_same_notice_sent_twice_in_spanish(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        uid = 5207
        await st.say(uid, "/language es")
        card = await card_for_label(st, uid, "Recibí un CP501 del año 2023, debo $640, con fecha 2/3/2026", "Guardar")
        await st.press(uid, card, button(card, "Guardar") or "")
        card = await card_for_label(st, uid, "Otra vez el CP501 del año 2023, debo $640, fecha 2/3/2026", "Guardar")
        _answer, [told] = await st.press(uid, card, button(card, "Guardar") or "")
        assert "Usted ya guardó este aviso" in plain(told) and button(told, "Abrirlo")
        assert rows(st.db, "SELECT count(*) FROM notices WHERE user_id = ?", uid) == [(1,)]


async def test_a_burst_of_notices_all_get_cards_in_order_and_one_slow_down_note(tmp_path: Path) -> None:
    """Past the flood budget the person's messages wait in order; with the ordering middleware they
    queue there, and the throttle still counts them to say once that nothing is lost."""
    async with dispatcher_stack(tmp_path) as st:
        uid = 5208
        await st.say(uid, "/help")
        since = st.emu.cursor
        await burst(st, [st.message_update(uid, text=f"CP14 tax year 2024 ${100 + i}.00 dated 3/2/2026")
                         for i in range(12)])
        got = [plain(m) for m in st.emu.sent(uid, since)]
        amounts = [next(f"${100 + i}.00" for i in range(12) if f"${100 + i}.00" in t) for t in got if "CP14" in t]
        assert amounts == [f"${100 + i}.00" for i in range(12)], got
        assert sum("sending messages quickly" in t for t in got) == 1
