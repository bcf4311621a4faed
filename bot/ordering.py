"""One person's updates are handled one at a time, in the order Telegram numbered them.

Polling hands every update to its own task (aiogram's ``handle_as_tasks``), so without this a
person's second message ("dated March 3") could be handled before the first ("CP14 for 2024"), and
two quick taps on Save could both find the same draft. The lock is taken before any other
middleware awaits, so the tasks queue in the order they were created; asyncio.Lock is FIFO.
Different people still run concurrently. (Between replicas, the idempotent buttons and the
update claims keep repeated work harmless.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from aiogram.types import User as TgUser

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class PerUserOrderMiddleware(BaseMiddleware):
    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}  # person -> (lock, updates holding or waiting)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        tg_user: TgUser | None = data.get("event_from_user")
        if tg_user is None:
            return await handler(event, data)
        lock, users = self._locks.get(tg_user.id, (asyncio.Lock(), 0))
        self._locks[tg_user.id] = (lock, users + 1)
        # For the throttling middleware: how many of this person's updates wait behind this one.
        data["waiting_behind"] = lambda: self._locks.get(tg_user.id, (lock, 1))[1] - 1
        try:
            async with lock:
                return await handler(event, data)
        finally:
            lock, users = self._locks[tg_user.id]
            if users == 1:
                del self._locks[tg_user.id]  # nobody queued: the table stays as small as the traffic
            else:
                self._locks[tg_user.id] = (lock, users - 1)

    @property
    def people(self) -> int:
        return len(self._locks)
