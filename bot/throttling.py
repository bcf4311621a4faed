"""Flood protection per person that never loses a notice.

Each person gets a leaky bucket (aiolimiter's ``AsyncLimiter``: ``burst`` updates at once, then
``rate`` a second). Updates within the budget pass straight through. Past it: button presses get a
short "slow down" answer; messages wait their turn (at most ``max_wait``), one at a time in arrival
order, so a burst of notices is handled in order rather than dropped; once ``warn_after`` messages
queue up the person is told (once per burst) that they are saved and coming; only plain chatter
beyond ``max_queue`` waiting messages is dropped. People quiet for long enough to have a full
bucket again are forgotten (a cachetools ``TTLCache``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _
from aiolimiter import AsyncLimiter
from cachetools import TTLCache

from notices import reader

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


@dataclass
class _Person:
    limiter: AsyncLimiter
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)  # FIFO: waiting messages keep their order
    waiting: int = 0
    warned: bool = False


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(self, rate: float = 1.0, burst: int = 10, max_queue: int = 20, max_wait: float = 30.0,
                 warn_after: int = 3, max_people: int = 100_000) -> None:
        self.rate, self.burst, self.max_queue, self.max_wait = rate, burst, max_queue, max_wait
        self.warn_after = warn_after
        # after refill time + the longest wait, a person's bucket is full and nobody waits
        self.people: TTLCache[int, _Person] = TTLCache(maxsize=max_people, ttl=burst / rate + max_wait)

    def _person(self, user_id: int) -> _Person:
        person = self.people.get(user_id)
        if person is None:
            person = _Person(AsyncLimiter(self.burst, self.burst / self.rate))
        self.people[user_id] = person  # set again: the time to live counts from the latest update
        return person

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        person = self._person(user.id)
        if not person.waiting and person.limiter.has_capacity():
            await person.limiter.acquire()  # does not wait: there is capacity
            person.warned = False
            return await handler(event, data)
        if isinstance(event, CallbackQuery):
            await event.answer(_("One moment, please: you are pressing faster than I can answer."))
            return None
        if isinstance(event, Message):
            # The person's later messages queue in the ordering middleware (bot/ordering.py), not here.
            waiting = person.waiting + (data["waiting_behind"]() if "waiting_behind" in data else 0)
            if waiting >= self.max_queue and not _is_precious(event):
                await self._warn(event, person)
                return None
            if waiting + 1 >= self.warn_after:  # a short wait needs no explanation
                await self._warn(event, person)
            await self._wait_turn(person)
        return await handler(event, data)

    async def _warn(self, message: Message, person: _Person) -> None:
        if not person.warned:
            person.warned = True
            await message.answer(_("You are sending messages quickly. I have your messages and will "
                                   "answer them in order, so nothing is lost."))

    async def _wait_turn(self, person: _Person) -> None:
        person.waiting += 1
        try:
            async with person.turn:
                with suppress(TimeoutError):  # waited long enough: handle it anyway
                    await asyncio.wait_for(person.limiter.acquire(), self.max_wait)
        finally:
            person.waiting -= 1


def _is_precious(message: Message) -> bool:
    """Files, and text that reads as a notice, are never dropped."""
    if message.document or message.photo:
        return True
    text = message.text or ""
    if not text or text.startswith("/"):
        return False
    found = reader.read(text, datetime.now(UTC).date())  # UTC is close enough to tell notice from chatter
    return found.notice is not None or found.amount is not None
