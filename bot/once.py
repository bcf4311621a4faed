"""Every Telegram update is handled once.

Telegram delivers an update again when a webhook answer was late or failed, and a restarted (or a
second) process polling the same bot can fetch an update another one already handled. The first
process to claim an ``update_id`` handles it and marks it done; every other delivery is dropped
before any handler runs. A claim that was never finished belongs to a process that was killed
mid-update: it is taken over, so the person's message is not lost: at once when polling (only one
process polls a bot at a time, so the claimer is gone), after ``TAKE_OVER_WEBHOOK`` with a webhook
(another replica may still be working on an update Telegram sent again because it was slow).
Claims are rows in ``seen_updates`` (swept after ``RETENTION``), or, when REDIS_URL is set, Redis
keys that expire by themselves.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject, Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services import updates

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("noticebot.updates")

# Telegram keeps an undelivered update for 24 hours; twice that is safely past any redelivery.
RETENTION = timedelta(hours=48)
TAKE_OVER_WEBHOOK = timedelta(minutes=2)
SWEEP_EVERY_S = 600.0
FLUSH_EVERY_S = 0.5

# A Redis claim, atomically: "done" is final; "run <process> <epoch>" is taken over by another
# process only when older than the cutoff (ARGV[3]; negative: never).
_CLAIM = """
local v = redis.call('GET', KEYS[1])
if v then
  if v == 'done' then return 0 end
  local who, at = string.match(v, '^run (%S+) (%S+)$')
  if who == ARGV[1] or tonumber(ARGV[3]) < 0 or tonumber(at) >= tonumber(ARGV[3]) then return 0 end
end
redis.call('SET', KEYS[1], 'run ' .. ARGV[1] .. ' ' .. ARGV[2], 'EX', ARGV[4])
return 1
"""

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateOnceMiddleware(BaseMiddleware):
    """An outer update middleware: an update_id claimed before is not handled again.
    ``take_over_after``: how old another process's unfinished claim must be to be taken over."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], redis_url: str | None = None, *,
                 take_over_after: timedelta = timedelta(0)) -> None:
        self.sessionmaker = sessionmaker
        self.take_over_after = take_over_after
        self.me = secrets.token_hex(8)  # this process
        self.redis: Redis | None = None
        if redis_url:
            from redis.asyncio import Redis

            self.redis = Redis.from_url(redis_url)
        self._next_sweep = 0.0
        self._done: list[int] = []  # handled, not yet marked done in the database
        self._flush_at = 0.0
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
            result = await handler(event, data)
        except BaseException:
            # Cut off around the handlers (a handler's own error is answered by the errors router
            # and does not get here): no 200 went back, Telegram delivers it again, and that
            # delivery must be handled. Best effort: the database may be what failed.
            with suppress(Exception):
                await self.release(event.update_id, bot_id)
            raise
        with suppress(Exception):  # not marked done: a late redelivery may take it over, never lost
            await self.finish(event.update_id, bot_id)
        return result

    async def _flush(self) -> None:
        ids, self._done = self._done, []
        self._flush_at = time.monotonic() + FLUSH_EVERY_S
        if ids:
            await updates.finish(self.sessionmaker, *ids)

    def _key(self, bot_id: int, update_id: int) -> str:
        return f"noticebot:update:{bot_id}:{update_id}"

    async def claim(self, update_id: int, bot_id: int) -> bool:
        now = datetime.now(UTC)
        cutoff = now - self.take_over_after
        if self.redis is not None:
            claimed = self.redis.eval(_CLAIM, 1, self._key(bot_id, update_id), self.me, f"{now.timestamp():.3f}",
                                      f"{cutoff.timestamp():.3f}", int(RETENTION.total_seconds()))
            return bool(await claimed)
        sweep = time.monotonic() >= self._next_sweep
        if sweep:
            self._next_sweep = time.monotonic() + SWEEP_EVERY_S
        return await updates.claim(self.sessionmaker, update_id, now, by=self.me, take_over_before=cutoff,
                                   sweep_before=now - RETENTION if sweep else None)

    async def finish(self, update_id: int, bot_id: int) -> None:
        """Mark it done. In the database, in one write every ``FLUSH_EVERY_S`` (a write per update
        cost ~5 ms): until then this process still drops its own redeliveries, and after a crash
        the few handled but unmarked updates Telegram delivers again are handled again (the
        buttons and Save are safe to repeat), never lost."""
        if self.redis is not None:
            await self.redis.set(self._key(bot_id, update_id), b"done", ex=int(RETENTION.total_seconds()))
            return
        self._done.append(update_id)
        if time.monotonic() >= self._flush_at or len(self._done) >= 200:
            await self._flush()

    async def release(self, update_id: int, bot_id: int) -> None:
        if self.redis is not None:
            await self.redis.delete(self._key(bot_id, update_id))
            return
        await updates.release(self.sessionmaker, update_id)

    async def close(self) -> None:
        with suppress(Exception):
            await self._flush()
        if self.redis is not None:
            await self.redis.aclose()
