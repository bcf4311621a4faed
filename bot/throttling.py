"""Flood protection per person that never loses a notice.

Each person has a token bucket. Updates within the budget pass straight through. Past it:
button presses get a short "slow down" answer; messages wait their turn (at most ``max_wait``),
so a burst of notices is handled in order rather than dropped; once ``warn_after`` messages queue
up the person is told (once per burst) that they are saved and coming; only plain chatter beyond
``max_queue`` waiting messages is dropped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _

from notices import reader

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


@dataclass
class _Bucket:
    tokens: float
    updated: float
    waiting: int = 0
    warned: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(self, rate: float = 1.0, burst: int = 10, max_queue: int = 20, max_wait: float = 30.0,
                 warn_after: int = 3, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.max_queue, self.max_wait = rate, burst, max_queue, max_wait
        self.warn_after = warn_after
        self.clock = clock
        self.buckets: dict[int, _Bucket] = {}

    def _bucket(self, user_id: int) -> _Bucket:
        now = self.clock()
        bucket = self.buckets.get(user_id)
        if bucket is None:
            bucket = self.buckets[user_id] = _Bucket(tokens=float(self.burst), updated=now)
            if len(self.buckets) > 10_000:  # forget people who have been quiet long enough to be full
                self._prune(now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        return bucket

    def _prune(self, now: float) -> None:
        full_after = self.burst / self.rate
        for uid in [u for u, b in self.buckets.items() if now - b.updated > full_after and not b.waiting]:
            del self.buckets[uid]

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        bucket = self._bucket(user.id)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return await handler(event, data)
        if isinstance(event, CallbackQuery):
            await event.answer(_("One moment, please: you are pressing faster than I can answer."))
            return None
        if isinstance(event, Message):
            precious = _is_precious(event)
            # The person's later messages queue in the ordering middleware (bot/ordering.py), not here.
            waiting = bucket.waiting + (data["waiting_behind"]() if "waiting_behind" in data else 0)
            if waiting >= self.max_queue and not precious:
                await self._warn(event, bucket)
                return None
            if waiting + 1 >= self.warn_after:  # a short wait needs no explanation
                await self._warn(event, bucket)
            return await self._wait_then_handle(handler, event, data, bucket)
        return await handler(event, data)

    async def _warn(self, message: Message, bucket: _Bucket) -> None:
        if not bucket.warned:
            bucket.warned = True
            await message.answer(_("You are sending messages quickly. I have your messages and will "
                                   "answer them in order, so nothing is lost."))

    async def _wait_then_handle(self, handler: Handler, event: Message, data: dict[str, Any], bucket: _Bucket) -> Any:
        bucket.waiting += 1
        try:
            async with bucket.lock:  # one at a time per person, in arrival order
                missing = 1 - self._bucket(event.from_user.id).tokens  # type: ignore[union-attr]
                if missing > 0:
                    await asyncio.sleep(min(missing / self.rate, self.max_wait))
                bucket.tokens = self._bucket(event.from_user.id).tokens - 1  # type: ignore[union-attr]
        finally:
            bucket.waiting -= 1
        return await handler(event, data)


def _is_precious(message: Message) -> bool:
    """Files, and text that reads as a notice, are never dropped."""
    if message.document or message.photo:
        return True
    text = message.text or ""
    if not text or text.startswith("/"):
        return False
    found = reader.read(text, datetime.now(UTC).date())  # UTC is close enough to tell notice from chatter
    return found.notice is not None or found.amount is not None
