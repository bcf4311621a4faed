"""A shared viewer's reminder, delivered by the real reminder engine through the Bot API emulator
and answered through the real dispatcher, in English and Spanish: the viewer accepts a Telegram
invite, gets a copy of the case's reminder at their own local time and in their language, with one
read-only "Open the case" button that shows the case; the owner's buttons pressed by the viewer
are refused and change nothing; after a revoke the viewer's next copy never comes while the
owner's still does."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.reminder_sender import BotApiReminderSender
from bot.reminder_text import pack_action
from scheduler.clock import ShiftedClock
from scheduler.service import ReminderService
from services import Notice, User
from storage.models import Reminder, ReminderStatus
from tests.dispatcher.inproc import TOKEN, Stack, dispatcher_stack
from tests.dispatcher.test_cases import ago, save
from tests.dispatcher.test_shares import OWNER, VIEWER, W, share_menu
from tests.dispatcher.test_shares import invite as chat_invite
from tests.reliability.support import button, plain

LEAD = 0.3  # the clock is set this far before a reminder, so the engine's wake-up has to fire
WORDS = {"en": {"shared": "A case shared with you", "open": "Open the case"},
         "es": {"shared": "Un caso compartido contigo", "open": "Abrir el caso"}}


async def pending(st: Stack, who: int) -> list[Reminder]:
    async with st.sm() as s:
        return list(await s.scalars(select(Reminder).where(Reminder.user_id == who,
                                                           Reminder.status == ReminderStatus.PENDING)
                                    .order_by(Reminder.due_at)))


async def deliver(st: Stack, svc: ReminderService, clock: ShiftedClock, row: Reminder) -> list[dict]:  # type: ignore[type-arg]
    since = st.emu.cursor
    clock.set(row.due_at - timedelta(seconds=LEAD))
    svc.poke()
    return await st.emu.wait_sent(row.user_id, timeout=4, since=since)


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_a_viewer_gets_a_read_only_copy_until_revoked(tmp_path: Path, lang: str) -> None:
    async with dispatcher_stack(tmp_path) as st:
        for uid in (OWNER, VIEWER):
            await st.say(uid, f"/language {lang}")
        async with st.sm() as s:  # the viewer lives in Madrid
            viewer = await s.get(User, VIEWER)
            assert viewer is not None
            viewer.timezone = "Europe/Madrid"
            await s.commit()
        cp14 = await save(st, OWNER, lang, "CP14", 2024, ago(10))
        token = await chat_invite(st, lang, cp14.case_id)
        await st.say(VIEWER, f"/start {token}")
        copies = await pending(st, VIEWER)
        assert copies and all(r.notice_id == cp14.id for r in copies)
        local = copies[0].due_at.astimezone(ZoneInfo("Europe/Madrid"))
        assert (local.hour, local.minute) == (9, 0)  # the viewer's 09:00, not the owner's

        clock = ShiftedClock()
        sender = BotApiReminderSender(st.emu.base_url, TOKEN)
        svc = ReminderService(st.sm, sender, clock=clock, sweep_seconds=5.0)
        await svc.start()
        try:
            [msg] = await deliver(st, svc, clock, copies[0])
            text = plain(msg)
            assert WORDS[lang]["shared"] in text and "CP14" in text
            [[only]] = msg["reply_markup"]["inline_keyboard"]  # one button: read-only
            assert WORDS[lang]["open"] in only["text"]
            answer, [case] = await st.press(VIEWER, msg, only["callback_data"])
            assert W[lang]["read_only"] in plain(case) and "CP14" in plain(case)
            # the owner's reminder buttons, pressed by the viewer, are refused and change nothing
            for action in ("paid", "plan", "disputed", "s1", "pp", "pn"):
                answer, replies = await st.press(VIEWER, msg, pack_action(action, cp14.id))
                assert answer["show_alert"] and W[lang]["refused"] in answer["text"] and replies == [], action
            async with st.sm() as s:
                again = await s.get(Notice, cp14.id)
                assert again is not None and again.status == "open"
            assert [r.kind for r in await pending(st, OWNER) if r.kind == "snooze"] == []

            menu = await share_menu(st, cp14.case_id)
            await st.press(OWNER, menu, button(menu, W[lang]["revoke"]) or "")
            assert await pending(st, VIEWER) == []
            revoked = st.emu.cursor
            owner_next = next(r for r in await pending(st, OWNER) if r.due_at > copies[1].due_at)
            [owners] = await deliver(st, svc, clock, owner_next)  # the owner's still come...
            assert WORDS[lang]["shared"] not in plain(owners)
            assert st.emu.sent(VIEWER, revoked) == []  # ...the viewer's next (due before it) never does
        finally:
            await svc.stop(grace=1.0)
            await sender.close()
        assert not st.errors.summary()
