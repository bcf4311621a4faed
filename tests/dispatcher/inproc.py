"""The whole dispatcher in-process, built by the same ``build_dispatcher`` the running bot uses (same
middlewares in the same order, the errors router, every feature router), with a Bot pointed at an
in-process emulator and a temporary SQLite database. Updates go in with ``dp.feed_update``.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.config import Settings
from app.startup import open_database
from bot.dispatcher import build_dispatcher
from bot.routers import release_routers
from emulator import EmulatorServer
from storage.db import make_sessionmaker
from tests.plain_http import PlainHttpSession
from tests.sqlite_template import migrated_copy

TOKEN = "777:inprocess-reliability"


class ErrorCount(logging.Handler):
    """Counts every update that reached the errors router (it logs "handler failed")."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def summary(self) -> list[str]:
        return [f"{getattr(r, 'type', '?')}: {getattr(r, 'error', '?')} "
                f"{r.exc_info[1]!r}" if r.exc_info else r.getMessage() for r in self.records]


@dataclass
class Stack:
    emu: EmulatorServer
    bot: Bot
    dp: Dispatcher
    engine: AsyncEngine
    sm: async_sessionmaker[AsyncSession]
    errors: ErrorCount
    db: Path
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def user(self, uid: int, language: str = "en") -> dict[str, Any]:
        return {"id": uid, "is_bot": False, "first_name": "P", "language_code": language}

    def message_update(self, uid: int, **content: Any) -> Update:
        """A private message from ``uid``; the emulator also records it, so replies can quote it."""
        message = self.emu.inject_message(uid, language_code="en", **content)["message"]
        self.emu.pending.clear()  # delivered by feed_update, not by polling
        return Update(update_id=next(self._ids) + 10**6, message=message)

    def pending_update(self) -> Update:
        """The update the emulator just queued (inject_document / inject_photo), for feed_update."""
        raw = self.emu.pending.pop()
        return Update(update_id=next(self._ids) + 10**6, **{k: v for k, v in raw.items() if k != "update_id"})

    def callback_update(self, uid: int, message_id: int, data: str, *, chat_id: int | None = None) -> tuple[Update, str]:
        qid = self.emu.inject_callback(uid, message_id, data, chat_id=chat_id)
        raw = self.emu.pending.pop()
        return Update(update_id=next(self._ids) + 10**6, **{k: v for k, v in raw.items() if k != "update_id"}), qid

    async def feed(self, update: Update) -> None:
        await self.dp.feed_update(self.bot, update)

    async def say(self, uid: int, text: str) -> list[dict[str, Any]]:
        """Send text from ``uid`` and return every bot message it produced."""
        since = self.emu.cursor
        await self.feed(self.message_update(uid, text=text))
        return self.emu.sent(uid, since)

    async def press(self, uid: int, message: dict[str, Any], data: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Press ``data`` on ``message`` as ``uid``; (callback answer, bot messages sent to uid)."""
        since = self.emu.cursor
        update, qid = self.callback_update(uid, message["message_id"], data, chat_id=message["chat_id"])
        await self.feed(update)
        return self.emu.callback_answer(qid), self.emu.sent(uid, since)


@asynccontextmanager
async def dispatcher_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    db = tmp_path / "inproc.db"
    url = f"sqlite+aiosqlite:///{db}"
    counter = ErrorCount()
    errors_log = logging.getLogger("noticebot.errors")
    errors_log.addHandler(counter)
    async with EmulatorServer(tokens=[TOKEN]) as emu:
        await migrated_copy(db)  # open_database then finds it current and skips the migrations
        engine = await open_database(url)
        sm = make_sessionmaker(engine)
        settings = Settings(bot_token=TOKEN, database_url=url, telegram_api_url=emu.base_url,
                            public_url="http://127.0.0.1:9")
        bot = Bot(TOKEN, session=PlainHttpSession(api=TelegramAPIServer.from_base(emu.base_url)),
                  default=DefaultBotProperties(parse_mode="HTML"))
        dp = build_dispatcher(settings, engine, sm, storage=MemoryStorage())
        try:
            yield Stack(emu, bot, dp, engine, sm, counter, db)
        finally:
            errors_log.removeHandler(counter)
            release_routers(dp)  # module-level routers: free them for the next stack
            await bot.session.close()
            await engine.dispose()

