"""Reminder engine test helpers: people and notices straight into the database, and a world of
emulator + bot + database + shifted clock for delivery tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.middlewares import DbSessionMiddleware, UserLocaleMiddleware, UserMiddleware, setup_buttons
from bot.reminder_sender import BotApiReminderSender
from bot.routers.reminders import make_router
from emulator import EmulatorServer
from scheduler.clock import ShiftedClock
from scheduler.planner import replan_notice
from scheduler.service import ReminderService
from services.unit import Runtime
from storage.models import Notice, Reminder, User
from tests.plain_http import PlainHttpSession


async def add_person(session: AsyncSession, user_id: int, **settings: Any) -> User:
    user = User(id=user_id, **settings)
    session.add(user)
    await session.flush()
    return user


async def add_notice(session: AsyncSession, user_id: int, respond_by: date | None, code: str = "CP14",
                     **fields: Any) -> Notice:
    notice = Notice(user_id=user_id, code=code, respond_by=respond_by, **fields)
    session.add(notice)
    await session.flush()
    return notice


async def reminders_of(session: AsyncSession, notice_id: int) -> list[Reminder]:
    rows = await session.scalars(select(Reminder).where(Reminder.notice_id == notice_id).order_by(Reminder.due_at))
    return list(rows)


# --- delivery through the emulator --------------------------------------------------------------




LOCALES = Path(__file__).resolve().parents[2] / "bot" / "locales"


@dataclass
class World:
    emu: EmulatorServer
    bot: Bot
    sm: async_sessionmaker[AsyncSession]
    clock: ShiftedClock
    i18n: I18n
    services: list[ReminderService] = field(default_factory=list)
    senders: list[BotApiReminderSender] = field(default_factory=list)
    polling: asyncio.Task[None] | None = None

    def service(self, **options: object) -> ReminderService:
        options = {"sweep_seconds": 5.0, "retry_base_s": 0.1, "clock": self.clock, **options}
        sender = options.pop("sender", None)
        if sender is None:  # the product's sender, straight to the emulator's Bot API
            sender = BotApiReminderSender(self.emu.base_url, self.emu.token)
            self.senders.append(sender)
        svc = ReminderService(self.sm, sender, **options)  # type: ignore[arg-type]
        self.services.append(svc)
        return svc

    async def person_with_notice(self, user_id: int, respond_by: date | None, **settings: Any) -> int:
        """A person and one open notice, planned as of the clock's now; returns the notice id."""
        code = settings.pop("code", "ZZ1")
        async with self.sm() as s:
            await add_person(s, user_id, **settings)
            notice = await add_notice(s, user_id, respond_by, code=code, amount_cents=341218, tax_years=[2024])
            await replan_notice(s, notice.id, self.clock.now())
            await s.commit()
            return notice.id

    def start_bot(self, service: ReminderService) -> None:
        """Poll the emulator with the reminder buttons' router, as the real app wires it."""
        dp = Dispatcher()
        dp["reminder_service"] = service
        dp.update.outer_middleware(DbSessionMiddleware(self.sm, Runtime.of(service)))
        dp.update.outer_middleware(UserMiddleware("America/New_York"))
        UserLocaleMiddleware(self.i18n).setup(dp)
        setup_buttons(dp)
        dp.include_router(make_router())
        self.polling = asyncio.create_task(
            dp.start_polling(self.bot, handle_signals=False, close_bot_session=False, polling_timeout=1)
        )


@pytest.fixture
async def world(sessionmaker, tmp_path) -> AsyncIterator[World]:  # type: ignore[no-untyped-def]
    emu = EmulatorServer()
    await emu.start()
    bot = Bot(emu.token, session=PlainHttpSession(api=TelegramAPIServer.from_base(emu.base_url)),
              default=DefaultBotProperties(parse_mode="HTML"))
    w = World(emu, bot, sessionmaker, ShiftedClock(), I18n(path=LOCALES, default_locale="en", domain="messages"))
    try:
        yield w
    finally:
        for svc in w.services:
            await svc.stop(grace=1.0)
        for sender in w.senders:
            await sender.close()
        if w.polling is not None:
            w.polling.cancel()
            with suppress(asyncio.CancelledError):
                await w.polling
        await bot.session.close()
        await emu.stop()
