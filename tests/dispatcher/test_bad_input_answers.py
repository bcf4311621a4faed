"""Issue 18: inputs that reached the error handler get a friendly answer and no traceback.

- callback ids above 2^31 (PostgreSQL's INTEGER) or 2^63 (SQLite's) in a forged button: "this button
  has expired", nothing reaches the database;
- a message with no person behind it (an anonymous group admin writes as GroupAnonymousBot with a
  sender_chat; a message with no ``from`` at all): one answer saying who can use the bot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.types import Update

from bot.callbacks import NoticeAction, NoticeCb
from bot.keyboards import ChecklistCb, EditCb, LogCb
from bot.routers.reminders import ReminderAction
from tests.dispatcher.inproc import dispatcher_stack
from tests.reliability.support import plain

UID = 4501
BIG = [2**31, 2**31 + 7, 2**63, 2**63 + 1, 10**30]


def forged(number: int) -> list[str]:
    """Buttons as a client could forge them: the packed form of a real button with a huge id."""
    real = [NoticeCb(action=NoticeAction.VIEW, notice_id=1).pack(), NoticeCb(action=NoticeAction.DELETE_CONFIRM,
            notice_id=1).pack(), ChecklistCb(notice_id=1, item=0).pack(), EditCb(notice_id=1, field="notes").pack(),
            LogCb(notice_id=1, kind="call").pack(), ReminderAction(action="paid", notice_id=1).pack()]
    return [data.replace(":1", f":{number}", 1) for data in real] + [
        ChecklistCb(notice_id=1, item=0).pack().rsplit(":", 1)[0] + f":{number}"]


@pytest.mark.parametrize("number", BIG)
async def test_out_of_range_callback_ids_get_the_expired_answer(tmp_path: Path, number: int) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [own] = await st.say(UID, "/help")
        for data in forged(number):
            assert str(number) in data
            answer, replies = await st.press(UID, own, data)
            assert answer["answered"] and "expired" in (answer.get("text") or ""), (data, answer)
            assert not replies
        assert st.errors.summary() == [], "no traceback"


@pytest.mark.parametrize("sender", ["anonymous_admin", "none"])
async def test_a_message_without_a_person_gets_a_friendly_answer(tmp_path: Path, sender: str) -> None:
    async with dispatcher_stack(tmp_path) as st:
        raw = st.emu.inject_message(UID, "/notices")["message"]
        st.emu.pending.clear()
        if sender == "anonymous_admin":
            raw["from"] = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
            raw["sender_chat"] = {"id": -100123, "type": "supergroup", "title": "Family taxes"}
        else:
            del raw["from"]
        since = st.emu.cursor
        await st.feed(Update(update_id=10**7, message=raw))
        replies = [plain(m) for m in st.emu.sent(UID, since)]
        assert len(replies) == 1 and "own account" in replies[0], replies
        assert st.errors.summary() == [], "no traceback"
