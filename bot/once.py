"""Every Telegram update is handled once.

Telegram delivers an update again when a webhook answer was late or failed, and a restarted (or a
second) process polling the same bot can fetch an update another one already handled. The first
process to claim an ``update_id`` handles it; every other delivery is dropped before any handler
runs. The claim is a row in ``seen_updates`` (swept after ``RETENTION``), or, when REDIS_URL is set,
a Redis ``SET NX`` key that expires by itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject, Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import updates

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("noticebot.updates")

# Telegram keeps an undelivered update for 24 hours; twice that is safely past any redelivery.
RETENTION = timedelta(hours=48)
SWEEP_EVERY_S = 600.0

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateOnceMiddleware(BaseMiddleware):
    """An outer update middleware: an update_id claimed before is not handled again."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], redis_url: str | None = None) -> None:
        self.sessionmaker = sessionmaker
        self.redis: Redis | None = None
        if redis_url:
            from redis.asyncio import Redis

            self.redis = Redis.from_url(redis_url)
        self._next_sweep = 0.0
        self.duplicates = 0

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        bot_id = data["bot"].id
        if not await self.claim(event.update_id, bot_id):
            self.duplicates += 1
            log.info("duplicate update dropped", extra={"update_id": event.update_id})
            return UNHANDLED
        try:
            return await handler(event, data)
        except BaseException:
            # It failed around the handlers (a handler's own error is answered by the errors router
            # and does not get here): the webhook answers 500 and Telegram delivers it again, so
            # the claim is given back for that delivery to be handled. Best effort: the database
            # may be what failed.
            with suppress(Exception):
                await self.release(event.update_id, bot_id)
            raise

    async def claim(self, update_id: int, bot_id: int) -> bool:
        if self.redis is not None:
            key = f"noticebot:update:{bot_id}:{update_id}"
            return bool(await self.redis.set(key, b"1", nx=True, ex=int(RETENTION.total_seconds())))
        now = datetime.now(UTC)
        async with self.sessionmaker() as session:
            first = await updates.claim(session, update_id, now)
            if time.monotonic() >= self._next_sweep:
                self._next_sweep = time.monotonic() + SWEEP_EVERY_S
                await updates.sweep(session, now - RETENTION)
            await session.commit()
        return first

    async def release(self, update_id: int, bot_id: int) -> None:
        if self.redis is not None:
            await self.redis.delete(f"noticebot:update:{bot_id}:{update_id}")
            return
        async with self.sessionmaker() as session:
            await updates.release(session, update_id)
            await session.commit()

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
