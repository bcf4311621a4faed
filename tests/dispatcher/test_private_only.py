"""Private chats only (bot/private.py): in a group the bot points to a private chat with a deep
link and shows nothing personal; /notices, /export and /feed are never posted to a group."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path
from typing import Any

from aiogram.types import Update

from bot.private import START_PAYLOAD
from emulator.records import command_entities
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button, plain

GROUP = -300
_ids = itertools.count(900_000)


def group_update(st: Stack, uid: int, text: str, language: str = "en") -> Update:
    sender = st.emu.user(uid, language_code=language)
    message = st.emu.new_message(GROUP, sender, text=text, entities=command_entities(text) or None)
    st.emu.store(GROUP, "user", message, outgoing=False, text=text)
    return Update.model_validate({"update_id": next(_ids), "message": message})


def link(message: dict[str, Any]) -> str:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return next(b["url"] for row in rows for b in row if b.get("url"))


async def test_notices_export_and_feed_are_never_posted_to_a_group_regression_group_leak(tmp_path: Path) -> None:
    """Regression: in a group, /notices listed the person's notices, /export posted their whole data
    file and /feed their private calendar link, for everyone in the group to read."""
    async with dispatcher_stack(tmp_path) as st:
        uid = 5301
        [card] = [m for m in await st.say(uid, "CP14 for tax year 2024, I owe $7,431.09, dated 3/1/2026")
                  if button(m, "Save")]
        await st.press(uid, card, button(card, "Save") or "")
        since = st.emu.cursor
        for command in ("/notices", "/export", "/feed", "/checklist", "/start"):
            await st.feed(group_update(st, uid, command))
        posted = st.emu.sent(GROUP, since)
        assert len(posted) == 5
        for m in posted:
            assert "private chat" in plain(m)
            assert link(m) == f"https://t.me/{st.emu.bot_username}?start={START_PAYLOAD}"
            assert "7,431" not in plain(m) and "CP14" not in plain(m)
            assert not m.get("document")
        assert st.errors.summary() == []


async def test_a_group_member_writing_in_spanish_is_pointed_to_a_private_chat_in_spanish(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        since = st.emu.cursor
        await st.feed(group_update(st, 5302, f"@{st.emu.bot_username} hola, tengo una carta del IRS", "es"))
        [m] = st.emu.sent(GROUP, since)
        assert "chat privado" in plain(m), plain(m)
        with sqlite3.connect(st.db) as conn:  # nothing about a group member is stored
            assert conn.execute("SELECT count(*) FROM users WHERE id = 5302").fetchone() == (0,)


async def test_group_chatter_not_addressed_to_the_bot_gets_no_answer(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        since = st.emu.cursor
        await st.feed(group_update(st, 5303, "did anyone else get a letter from the IRS this week?"))
        assert st.emu.sent(GROUP, since) == []


async def test_a_button_pressed_in_a_group_gets_an_alert_and_does_nothing(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await st.feed(group_update(st, 5304, "/help"))
        [pointer] = st.emu.sent(GROUP)
        qid = st.emu.inject_callback(5304, pointer["message_id"], "n:v:1", chat_id=GROUP)
        raw = st.emu.pending.pop()
        await st.feed(Update(update_id=next(_ids), **{k: v for k, v in raw.items() if k != "update_id"}))
        answer = st.emu.callback_answer(qid)
        assert answer["answered"] and answer["show_alert"] and "private chat" in answer["text"]


async def test_the_deep_link_from_a_group_opens_the_welcome(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        replies = await st.say(5305, f"/start {START_PAYLOAD}")
        assert any("IRS letters" in plain(m) for m in replies), [plain(m) for m in replies]
