"""Telegram's limits: a global rate (even spacing) and one message per second per chat.

Both count real elapsed time on the event loop's monotonic clock, not the injectable wall clock.
"""

from __future__ import annotations

import asyncio

SLOWDOWN = 0.8  # after a 429 the global rate runs at 80% ...
SLOWDOWN_S = 60.0  # ... for this long


class GlobalLimiter:
    """At most ``rate`` grants per second (GCRA); ``None`` means unlimited.

    Grants are serialised in arrival order and spaced on a theoretical schedule, so a waiter that
    wakes a little late does not cost throughput; after a long event-loop stall the schedule is
    not replayed, so a burst never exceeds ``tolerance`` seconds' worth of messages.
    """

    def __init__(self, rate: float | None, tolerance: float = 0.02) -> None:
        self.rate = rate
        self.tolerance = tolerance
        self._lock = asyncio.Lock()
        self._tat = 0.0  # theoretical time of the next grant
        self._paused_until = 0.0
        self._slow_until = 0.0

    def _interval(self, now: float) -> float:
        assert self.rate is not None
        return 1.0 / (self.rate * (SLOWDOWN if now < self._slow_until else 1.0))

    async def acquire(self) -> None:
        if self.rate is None and self._paused_until == 0.0:
            return
        loop = asyncio.get_running_loop()
        async with self._lock:
            while True:
                now = loop.time()
                earliest = max(self._tat - self.tolerance, self._paused_until)
                if earliest <= now:
                    break
                await asyncio.sleep(earliest - now)  # a 429 meanwhile moves ``earliest``: loop
            if self.rate is not None:
                self._tat = max(self._tat, now - self.tolerance) + self._interval(now)

    def pause(self, seconds: float) -> None:
        """Telegram said retry_after: nobody sends until then, and the rate drops for a while."""
        now = asyncio.get_running_loop().time()
        self._paused_until = max(self._paused_until, now + seconds)
        self._slow_until = self._paused_until + SLOWDOWN_S
        self._tat = max(self._tat, self._paused_until)


class ChatSpacing:
    """At most one send start per ``interval`` seconds in each chat; a chat's sends go in order.

    ``acquire`` holds the chat until ``release``; hold it across the global limiter too, so the
    next message of the chat cannot take an earlier global slot.
    """

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._last: dict[int, float] = {}  # when the chat's last send started
        self._locks: dict[int, tuple[asyncio.Lock, list[int]]] = {}  # lock and its user count

    async def acquire(self, chat_id: int) -> None:
        lock, users = self._locks.setdefault(chat_id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            await lock.acquire()
        except BaseException:
            self._drop(chat_id)
            raise
        last = self._last.get(chat_id)
        if last is not None:
            delay = last + self.interval - asyncio.get_running_loop().time()
            if delay > 0:
                try:
                    await asyncio.sleep(delay)
                except BaseException:
                    self.release(chat_id, started=False)
                    raise

    def release(self, chat_id: int, *, started: bool) -> None:
        loop = asyncio.get_running_loop()
        if started:
            self._last[chat_id] = loop.time()
        self._locks[chat_id][0].release()
        self._drop(chat_id)
        if len(self._last) > 10_000:  # forget chats whose spacing has passed
            cutoff = loop.time() - self.interval
            for chat in [c for c, t in self._last.items() if t < cutoff]:
                del self._last[chat]

    def _drop(self, chat_id: int) -> None:
        users = self._locks[chat_id][1]
        users[0] -= 1
        if users[0] == 0:
            del self._locks[chat_id]
