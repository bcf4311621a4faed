"""Follow-ups through the real dispatcher, English and Spanish: a logged letter plans "did the IRS
answer?" at 30 and 60 days, a logged call asks for the date the IRS gave and plans that day (a bad
date gets a friendly retry), and the follow-up's "The IRS answered" stops them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.keyboards import LogCb
from bot.routers.reminders import ReminderAction
from storage.models import Reminder, ReminderStatus
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.dispatcher.test_calendar import saved
from tests.reliability.support import button, plain

PERSON = 8401
NOTICE = "CP14 for tax year 2024, I owe $3,412.18, dated 11/3/2026"
WORDS = {
    "en": {"save": "Save", "skip": "Skip", "callback": "call back", "bad": "could not read a date", "answered": "the IRS answered"},
    "es": {"save": "Guardar", "skip": "Saltar", "callback": "volver a llamar", "bad": "No pude leer una fecha",
           "answered": "el IRS respondió"},
}


async def _follow_ups(st: Stack, nid: int) -> set[str]:
    async with st.sm() as s:
        return set(await s.scalars(select(Reminder.kind).where(
            Reminder.notice_id == nid, Reminder.status == ReminderStatus.PENDING, (Reminder.kind.like("letter:%") | Reminder.kind.like("callback:%")))))


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_letter_and_call_follow_ups_and_the_irs_answered(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    async with dispatcher_stack(tmp_path) as st:
        if lang == "es":
            await st.say(PERSON, "/language es")
        nid = await saved(st, PERSON, NOTICE, save=w["save"])
        [own] = await st.say(PERSON, "/help")
        await st.press(PERSON, own, LogCb(notice_id=nid, kind="letter").pack())
        await st.say(PERSON, "today")
        await st.say(PERSON, "dispute letter")
        await st.say(PERSON, "9400 1000 0000 0000 0000 00")
        letter = await _follow_ups(st, nid)
        assert len(letter) == 2 and {k.split(":")[1] for k in letter} == {"30", "60"}

        await st.press(PERSON, own, LogCb(notice_id=nid, kind="call").pack())
        for answer in ("today", "Ms. Smith", "1000123456", "call back later", "none"):
            [question] = await st.say(PERSON, answer)
        assert w["callback"] in plain(question) and button(question, w["skip"])
        [bad] = await st.say(PERSON, "whenever")
        assert w["bad"] in plain(bad)
        await st.say(PERSON, "12/15/2027")
        assert "callback:2027-12-15" in await _follow_ups(st, nid)

        _, [reply] = await st.press(PERSON, own, ReminderAction(action="fa", notice_id=nid).pack())
        assert w["answered"] in plain(reply)
        assert await _follow_ups(st, nid) == set()
        assert st.errors.records == []
