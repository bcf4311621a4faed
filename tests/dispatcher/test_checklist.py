"""Checklists (issue 15): they open with the one thing to do first at the notice's stage, the other
steps folded behind "Show all steps"; ticks work in both views and a repeated tap changes nothing.
English and Spanish."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bot.keyboards import ChecklistCb, ChecklistViewCb
from bot.routers.reminders import ReminderAction
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button

ME = 7401


async def saved(st: Stack, uid: int, text: str) -> int:
    [card] = [m for m in await st.say(uid, text) if button(m, "Save")]
    await st.press(uid, card, button(card, "Save") or "")
    with sqlite3.connect(st.db) as db:
        return int(db.execute("SELECT max(id) FROM notices WHERE user_id = ?", (uid,)).fetchone()[0])


def buttons(m: dict[str, Any]) -> list[tuple[str, str]]:
    rows = (m.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def now(st: Stack, message: dict[str, Any]) -> dict[str, Any]:
    record = st.emu.find(message["chat_id"], message["message_id"])
    assert record is not None
    return record.view()


def ticked(st: Stack, nid: int) -> list[str]:
    with sqlite3.connect(st.db) as db:
        return sorted(r[0] for r in db.execute("SELECT item_id FROM checklist_progress WHERE notice_id = ?", (nid,)))


async def test_a_final_notice_checklist_opens_with_the_hearing_request_and_folds_the_rest(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        nid = await saved(st, ME, "LT11 for tax year 2023, $9,004, dated November 6, 2026")
        [checklist] = await st.say(ME, "/checklist")
        text = checklist["plain_text"]
        assert text.index("Do this first:") < text.index("Form 12153")  # the CDP hearing, not "read the notice"
        assert "10 more steps are folded below" in text
        assert "Read the whole notice" not in text  # folded
        labels = [label for label, _ in buttons(checklist)]
        assert len(labels) == 3 and "Form 12153" in labels[0] and labels[1] == "📋 Show all steps (11)"
        assert buttons(checklist)[1][1] == ChecklistViewCb(notice_id=nid, full=True).pack()
        assert st.errors.records == []


async def test_a_balance_due_checklist_opens_with_deciding_and_a_deficiency_with_the_tax_court(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await saved(st, ME, "CP14 for tax year 2024, I owe $500, dated 11/02/2026")
        [checklist] = await st.say(ME, "/checklist")
        assert "Do this first: Decide before the response date" in checklist["plain_text"]
    async with dispatcher_stack(tmp_path / "b") as st:
        await saved(st, ME, "CP3219A for tax year 2023, $4,100, dated November 2, 2026")
        [checklist] = await st.say(ME, "/checklist")
        assert "Do this first: To challenge the deficiency before paying, file a U.S. Tax Court petition" \
            in checklist["plain_text"]


async def test_ticking_the_first_step_twice_ticks_it_once_and_shows_the_next(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        nid = await saved(st, ME, "CP14 for tax year 2024, I owe $500, dated 11/02/2026")
        [checklist] = await st.say(ME, "/checklist")
        tick = buttons(checklist)[0][1]
        assert tick == ChecklistCb(notice_id=nid, item=0, done=True, full=False).pack()
        for _ in range(2):  # a double tap: the second one must not untick it
            answer, _replies = await st.press(ME, checklist, tick)
            assert answer["text"] == "Done ✅" and not answer.get("show_alert")
        assert ticked(st, nid) == ["decide"]
        view = now(st, checklist)  # the same message, redrawn
        assert "(1 of 10 done)" in view["plain_text"] and "Next: Read the whole notice" in view["plain_text"]
        assert st.errors.records == []


async def test_show_all_steps_lists_every_step_and_ticks_there_are_safe_to_repeat(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        nid = await saved(st, ME, "CP14 for tax year 2024, I owe $500, dated 11/02/2026")
        [checklist] = await st.say(ME, "/checklist")
        for _ in range(2):  # unfolding twice is harmless
            answer, _ = await st.press(ME, checklist, ChecklistViewCb(notice_id=nid, full=True).pack())
            assert answer["answered"]
        full = now(st, checklist)
        assert "All steps" in full["plain_text"] and "Read the whole notice" in full["plain_text"]
        assert len([d for _, d in buttons(full) if d.startswith("ck:")]) == 10  # a button for every step
        scam = ChecklistCb(notice_id=nid, item=7, done=True, full=True).pack()  # from the full view
        await st.press(ME, checklist, scam)
        await st.press(ME, checklist, scam)
        assert ticked(st, nid) == ["scam_check"]
        assert "All steps" in now(st, checklist)["plain_text"]  # a tick in the full view keeps it unfolded
        untick = ChecklistCb(notice_id=nid, item=7, done=False, full=True).pack()
        for _ in range(2):
            answer, _ = await st.press(ME, checklist, untick)
            assert answer["text"] == "Unticked"
        assert ticked(st, nid) == []
        assert st.errors.records == []


async def test_the_checklist_in_spanish_opens_with_the_first_step(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await saved(st, ME, "LT11 for tax year 2023, $9,004, dated November 6, 2026")
        await st.say(ME, "/language es")
        [checklist] = await st.say(ME, "/checklist")
        text = checklist["plain_text"]
        assert "Haga esto primero:" in text and "Formulario 12153" in text
        assert "Quedan 10 pasos más plegados abajo" in text
        assert "📋 Ver todos los pasos (11)" in [label for label, _ in buttons(checklist)]


async def test_a_reminders_checklist_button_gives_the_same_folded_checklist(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        nid = await saved(st, ME, "CP14 for tax year 2024, I owe $500, dated 11/02/2026")
        [help_msg] = await st.say(ME, "/help")
        _, [sent] = await st.press(ME, help_msg, ReminderAction(action="list", notice_id=nid).pack())
        assert "Do this first: Decide" in sent["plain_text"]
        assert any(data == ChecklistViewCb(notice_id=nid, full=True).pack() for _, data in buttons(sent))
