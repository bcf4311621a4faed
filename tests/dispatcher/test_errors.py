"""A handler that fails: the person gets an apology in their language, the log gets the error without
the message text, and the bot keeps answering."""

from __future__ import annotations

import logging

import pytest
from aiogram.types import Update

from bot.routers import basic
from tests.dispatcher.inproc import dispatcher_stack


async def test_failing_handler_apologises_and_logs_no_text(tmp_path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken() -> str:
        raise RuntimeError("database exploded")

    monkeypatch.setattr(basic, "help_text", broken)
    caplog.set_level(logging.ERROR, logger="noticebot.errors")
    async with dispatcher_stack(tmp_path) as stack:
        (reply,) = await stack.say(501, "/help secret-words-123")
        assert "something went wrong" in reply["plain_text"]
        assert stack.errors.records, "the failure reached the errors router"
        raw = stack.emu.inject_message(502, "/help", language_code="es")["message"]
        stack.emu.pending.clear()  # fed directly below, not by polling
        since = stack.emu.cursor
        await stack.feed(Update(update_id=10**7, message=raw))
        assert "algo falló" in stack.emu.sent(502, since)[0]["plain_text"].lower()
        # The bot is still up for everything else.
        (start,) = await stack.say(501, "/privacy")
        assert "Privacy" in start["plain_text"]
    logged = "\n".join(r.getMessage() + str(vars(r)) for r in caplog.records)
    assert "handler failed" in logged and "RuntimeError" in logged
    assert "secret-words-123" not in logged


@pytest.mark.parametrize("text", ["", " ", "\u200b"])
async def test_blank_or_invisible_messages_get_an_answer(tmp_path, text: str) -> None:  # type: ignore[no-untyped-def]
    async with dispatcher_stack(tmp_path) as stack:
        replies = await stack.say(503, text or "\u2063")
        assert replies and not stack.errors.records
