"""A handler that fails: the person gets an apology in their language, the log gets the error without
the message text, and the bot keeps answering."""

from __future__ import annotations

import logging

import pytest
from aiogram.types import Update

from bot.routers import basic
from tests.dispatcher.inproc import dispatcher_stack
from tests.reliability.support import button

CP14_ES = "Recibí un CP14 del 2024, debo $1,250.00, fechado el 3 de noviembre de 2026"


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



async def test_save_failing_mid_transaction_still_apologises(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Regression (CI: PostgreSQL connections killed during intake): Save's write failed, the session
    rolled back and closed, and the errors path read the person's language from their now detached
    row: DetachedInstanceError inside the error handling, so the person heard nothing at all."""
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError

    from bot import drafts

    async def dies_mid_write(unit, *args, **kwargs):  # type: ignore[no-untyped-def]
        await unit.session.execute(select(1))  # the write had begun a transaction ...
        await unit.session.rollback()  # ... the killed connection ended it: every loaded row expired
        raise OperationalError("INSERT INTO notices", {}, ConnectionError("terminating connection"))

    async with dispatcher_stack(tmp_path) as stack:
        [card] = [m for m in await stack.say(505, CP14_ES) if button(m, "Guardar")]
        monkeypatch.setattr(drafts.cases, "register", dies_mid_write)
        answer, _ = await stack.press(505, card, button(card, "Guardar") or "")
        assert answer["show_alert"] and "algo falló" in answer["text"].lower()
        monkeypatch.undo()
        answer, replies = await stack.press(505, card, button(card, "Guardar") or "")  # nothing was lost
        assert answer["text"] == "Guardado." and any("Guardado" in m["plain_text"] for m in replies)


@pytest.mark.parametrize("where", ["claim", "arrive"])
async def test_database_failing_before_the_person_is_loaded_still_apologises(tmp_path, monkeypatch, where: str) -> None:  # type: ignore[no-untyped-def]
    """The database fails in an outer middleware (claiming the update, loading the person), before
    the person's language is known: the apology still comes, in the language Telegram reports."""
    from sqlalchemy.exc import OperationalError

    from bot.once import UpdateOnceMiddleware
    from services import people as people_cases

    failed = []

    async def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not failed:
            failed.append(True)
            raise OperationalError("SELECT 1", {}, ConnectionError("connection was closed"))
        return await original(*args, **kwargs)

    if where == "claim":
        original = UpdateOnceMiddleware.claim
        monkeypatch.setattr(UpdateOnceMiddleware, "claim", lambda self, *a: broken(self, *a))
    else:
        original = people_cases.arrive
        monkeypatch.setattr(people_cases, "arrive", broken)
    async with dispatcher_stack(tmp_path) as stack:
        raw = stack.emu.inject_message(504, "got a CP14", language_code="es")["message"]
        stack.emu.pending.clear()
        since = stack.emu.cursor
        await stack.feed(Update(update_id=10**7 + 1, message=raw))
        (reply,) = stack.emu.sent(504, since)
        assert "algo falló" in reply["plain_text"].lower()
        (again,) = await stack.say(504, "/help")  # the next message is handled as usual
        assert "/notices" in again["plain_text"]


async def test_a_connection_dying_after_the_reply_does_not_bring_an_apology(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Regression (CI: PostgreSQL connections killed): the card had been sent, then closing the
    session failed on the dead connection and the person got 'something went wrong, try again'
    after it, for work that was done (and a claim's session failing to close stopped the update)."""
    from sqlalchemy.exc import InterfaceError
    from sqlalchemy.ext.asyncio import AsyncSession

    real_close = AsyncSession.close
    closes = []

    async def dies_on_close(self):  # type: ignore[no-untyped-def]
        closes.append(self)
        await real_close(self)
        raise InterfaceError("ROLLBACK", {}, ConnectionError("connection is closed"))

    async with dispatcher_stack(tmp_path) as stack:
        await stack.say(506, "/start")
        monkeypatch.setattr(AsyncSession, "close", dies_on_close)
        replies = await stack.say(506, "/help")
        assert closes and len(replies) == 1 and "/notices" in replies[0]["plain_text"]
        assert not stack.errors.records
