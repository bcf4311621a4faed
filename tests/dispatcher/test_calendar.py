"""/feed, /calendar and the card's Calendar button through the real dispatcher, in English and
Spanish (issue 17: alerts explained per client, the subscribe page link, the cancelling file)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.callbacks import NoticeAction, NoticeCb
from services import Notice
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.domain.calendar.conftest import parse
from tests.reliability.support import button, plain

PERSON = 8101


async def saved(st: Stack, uid: int, text: str, save: str = "Save") -> int:
    [card] = [m for m in await st.say(uid, text) if button(m, save)]
    await st.press(uid, card, button(card, save) or "")
    async with st.sm() as s:
        return int(await s.scalar(select(func.max(Notice.id)).where(Notice.user_id == uid)) or 0)


async def test_feed_does_not_say_how_to_turn_alerts_on(tmp_path: Path) -> None:
    # Regression: /feed gave webcal:// text Telegram cannot tap, and said nothing of alerts, which
    # Google and Outlook subscriptions never fire and Apple removes by default.
    async with dispatcher_stack(tmp_path) as st:
        [reply] = await st.say(PERSON, "/feed")
        text = plain(reply)
        (page,) = re.findall(r"http://127\.0\.0\.1:9/subscribe/[A-Za-z0-9_-]{32}", text)
        assert "Remove Alerts" in text and "Google Calendar and Outlook never alert" in text
        assert "/calendar" in text and "webcal://" not in text
        assert st.errors.records == []


async def test_feed_in_spanish_links_the_spanish_page(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await st.say(PERSON, "/language es")
        [reply] = await st.say(PERSON, "/feed")
        text = plain(reply)
        assert re.search(r"/subscribe/[A-Za-z0-9_-]{32}\?lang=es", text)
        assert "Eliminar alertas" in text and "nunca avisan" in text


async def test_calendar_file_has_reminder_events(tmp_path: Path) -> None:
    recent = datetime.now(ZoneInfo("America/New_York")).date() - timedelta(days=2)  # deadline ahead
    async with dispatcher_stack(tmp_path) as st:
        await saved(st, PERSON, f"CP14 for tax year 2024, I owe $3,412.18, dated {recent:%m/%d/%Y}")
        [doc] = [m for m in await st.say(PERSON, "/calendar") if m["method"] == "sendDocument"]
        assert "its own alert" in doc["caption"]
        events = parse(st.emu.file_bytes(doc["document"]["file_id"])).events()
        assert any("-remind-" in str(e["UID"]) for e in events)


async def test_calendar_button_on_a_resolved_notice_sends_a_cancelling_file(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        nid = await saved(st, PERSON, "CP14 for tax year 2024, I owe $3,412.18, dated 11/3/2026")
        [own] = await st.say(PERSON, "/help")
        await st.press(PERSON, own, NoticeCb(action=NoticeAction.PAID, notice_id=nid).pack())
        answer, replies = await st.press(PERSON, own, NoticeCb(action=NoticeAction.CALENDAR, notice_id=nid).pack())
        assert answer["answered"] and not answer.get("show_alert")
        [doc] = [m for m in replies if m["method"] == "sendDocument"]
        assert "is resolved" in doc["caption"] and doc["document"]["file_name"].startswith("irs-CP14-")
        events = parse(st.emu.file_bytes(doc["document"]["file_id"])).events()
        assert events and {str(e["STATUS"]) for e in events} == {"CANCELLED"}
        await st.say(PERSON, "/language es")
        _, replies = await st.press(PERSON, own, NoticeCb(action=NoticeAction.CALENDAR, notice_id=nid).pack())
        [doc] = [m for m in replies if m["method"] == "sendDocument"]
        assert "está resuelto" in doc["caption"]
