"""The bot's composition root: the dispatcher with its middlewares in order, then the routers.

The running bot (app/run.py), the in-process tests and the intake bench all build it here.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Literal

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import DEFAULT_DESTINY, BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import documents
from app.config import Settings
from bot import errors, i18n
from bot.follow_language import LanguageFollowsMiddleware
from bot.middlewares import (
    DbSessionMiddleware,
    InFlightMiddleware,
    NeedsSender,
    UpdateMetricsMiddleware,
    UserLocaleMiddleware,
    UserMiddleware,
    setup_buttons,
)
from bot.once import TAKE_OVER_WEBHOOK, UpdateOnceMiddleware
from bot.ordering import PerUserOrderMiddleware
from bot.private import PrivateChatsOnlyMiddleware
from bot.routers import get_routers
from bot.throttling import ThrottlingMiddleware
from services.unit import Runtime
from web.metrics import Metrics


def make_i18n() -> I18n:
    """aiogram's I18n (the handlers' ``_()``) over the same catalog objects ``bot.i18n`` gives the
    rest of the product. (Not a subclass: aiogram finds the current I18n per class.)"""
    shared = I18n(path=i18n.LOCALES, default_locale="en", domain=i18n.DOMAIN)
    shared.locales = dict(i18n.catalogs())
    return shared


class FsmKeys(KeyBuilder):
    """Redis keys: as before for conversation state (open questions survive an upgrade), with the
    destiny added for anything else, such as aiogram Scenes' history ("scenes_history"), which the
    default key builder refuses."""

    def __init__(self) -> None:
        self._plain = DefaultKeyBuilder()
        self._with_destiny = DefaultKeyBuilder(with_destiny=True)

    def build(self, key: StorageKey, part: Literal["data", "state", "lock"] | None = None) -> str:
        builder = self._plain if key.destiny == DEFAULT_DESTINY else self._with_destiny
        return builder.build(key, part)


def make_fsm_storage(settings: Settings) -> BaseStorage:
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        return RedisStorage.from_url(settings.redis_url, key_builder=FsmKeys())
    return MemoryStorage()


def make_bot(settings: Settings) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/")))
    return Bot(settings.token, session=session, default=DefaultBotProperties(parse_mode="HTML"))


def build_dispatcher(
    settings: Settings,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    storage: BaseStorage | None = None,
    runtime: Runtime | None = None,
) -> Dispatcher:
    """The dispatcher exactly as the running bot has it: middlewares in order, then the routers.

    Tests and benchmarks build it too (with ``release_routers`` afterwards: aiogram routers have one
    parent). ``dp["metrics"]`` and ``dp["in_flight"]`` are kept for the HTTP app and for shutdown.
    ``runtime`` gives the use cases the reminder engine's waker and clock (none: no engine here).
    """
    dp = Dispatcher(storage=storage or make_fsm_storage(settings))
    dp["settings"] = settings
    dp["sessionmaker"] = sessionmaker
    # The reminder engine puts its ReminderService in dp["reminder_service"] (its handlers take it).
    metrics = Metrics(engine, reminder_service=lambda: dp.workflow_data.get("reminder_service"))
    in_flight = InFlightMiddleware()
    dp["metrics"], dp["in_flight"] = metrics, in_flight

    # Outer middlewares, outermost first.
    dp.update.outer_middleware(UpdateMetricsMiddleware(metrics))  # counts, times and logs (ids only) each update
    dp.update.outer_middleware(in_flight)
    # Before anything awaits: one person's updates queue in the order they came (polling runs each as a task).
    dp.update.outer_middleware(PerUserOrderMiddleware())
    # An update_id seen before stops here; a killed process's unfinished one is taken over.
    once = UpdateOnceMiddleware(sessionmaker, settings.redis_url,
                                take_over_after=TAKE_OVER_WEBHOOK if settings.webhook_url else timedelta(0))
    dp.update.outer_middleware(once)
    dp.shutdown.register(once.close)
    dp["once"] = once
    i18n = make_i18n()
    dp.update.outer_middleware(PrivateChatsOnlyMiddleware(i18n))  # groups get a pointer, no personal data
    dp.update.outer_middleware(DbSessionMiddleware(sessionmaker, runtime))
    dp.update.outer_middleware(UserMiddleware(settings.default_timezone))
    # Before the locale middleware: a message written in Spanish is answered in Spanish.
    dp.message.outer_middleware(LanguageFollowsMiddleware(i18n))
    UserLocaleMiddleware(i18n).setup(dp)
    # After the locale middleware, so "slow down" is in the person's language.
    # Messages: a burst of 10, then one a second (queued, never dropped if they are notices).
    # Button presses: people tap quickly through a card, so a bigger budget of their own.
    dp.message.outer_middleware(NeedsSender())  # no person behind the message: one answer, no handler
    dp.message.outer_middleware(ThrottlingMiddleware(rate=1.0, burst=10))
    dp.callback_query.outer_middleware(ThrottlingMiddleware(rate=3.0, burst=20))

    setup_buttons(dp)  # automatic answers; a button naming someone else's notice stops there

    dp.include_router(errors.router)
    dp.include_routers(*get_routers())
    # The file readers' worker processes start with the bot, so the first PDF or photo does not wait.
    dp.startup.register(_start_file_readers)
    dp.shutdown.register(_stop_file_readers)
    return dp


async def _start_file_readers() -> None:
    await documents.start()


async def _stop_file_readers() -> None:
    await asyncio.to_thread(documents.isolation.shutdown)
