"""Telegram's limits: a global rate (even spacing) and one message per second per chat.

Both count real elapsed time on the event loop's monotonic clock, not the injectable wall clock.
Several processes sending through one bot (workers on one PostgreSQL) share the global rate through
a schedule in the database: each reserves a few slots at a time (``SharedSchedule``).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import deque
from typing import Protocol

log = logging.getLogger("noticebot.reminders")

SLOWDOWN = 0.8  # after a 429 the global rate runs at 80% ...
SLOWDOWN_S = 60.0  # ... for this long
SHARED_RETRY_S = 5.0  # an unreachable shared schedule is tried again after this long


class SharedSchedule(Protocol):
    """Send slots shared with the other processes that send through the same bot."""

    async def reserve(self, count: int, interval: float) -> float:
        """Reserve ``count`` slots ``interval`` s apart; returns seconds until the first."""
        ...

    async def delay(self, seconds: float) -> None:
        """Nobody reserves a slot in the next ``seconds`` (Telegram said retry_after)."""
        ...


class GlobalLimiter:
    """At most ``rate`` grants in any one-second window; ``None`` means unlimited.

    Grants are serialised in arrival order and spaced ``1/rate`` apart on a theoretical schedule:
    a waiter that wakes up to ``tolerance`` late keeps the schedule (no throughput lost), while an
    arrival after idle or a longer stall starts a new schedule from now, so an idle limiter grants
    one send, not two. The spacing alone would let a late waiter's successor come early, so the
    last ``rate`` grant times are kept too and none is granted within a second of the oldest.

    With ``shared``, the rate is the total of every process: slots are reserved there, up to
    ``batch_s`` seconds' worth at a time (never more than the sends waiting), and granted locally
    on the same spacing. Slots reserved and not used are lost, never sent twice.
    """

    def __init__(self, rate: float | None, tolerance: float = 0.02, *,
                 shared: SharedSchedule | None = None, batch_s: float = 0.1) -> None:
        self.rate = rate
        self.tolerance = tolerance
        self.shared = shared if rate is not None else None
        self.batch = max(1, math.ceil((rate or 0) * batch_s))
        self._lock = asyncio.Lock()
        self._tat = 0.0  # theoretical time of the next grant
        # the last floor(rate) grants: the next one waits until the oldest is a second old
        self._recent: deque[float] = deque(maxlen=max(1, math.floor(rate or 1)))
        self._paused_until = 0.0
        self._slow_until = 0.0
        self._reserved = 0  # slots reserved on the shared schedule, not granted yet
        self._waiters = 0
        self._pushes: set[asyncio.Task[None]] = set()
        self._shared_retry_at: float | None = None  # set while the schedule is unreachable

    def _interval(self, now: float) -> float:
        assert self.rate is not None
        return 1.0 / (self.rate * (SLOWDOWN if now < self._slow_until else 1.0))

    async def acquire(self) -> None:
        if self.rate is None and self._paused_until == 0.0:
            return
        loop = asyncio.get_running_loop()
        self._waiters += 1
        try:
            async with self._lock:
                if self.shared is not None and self._reserved == 0 and (
                    self._shared_retry_at is None or loop.time() >= self._shared_retry_at
                ):
                    await self._reserve(loop.time())
                waited = False
                while True:
                    now = loop.time()
                    earliest = max(self._tat, self._paused_until)
                    if self.rate is not None and len(self._recent) == self._recent.maxlen:
                        earliest = max(earliest, self._recent[0] + 1.0)
                    if earliest <= now:
                        break
                    await asyncio.sleep(earliest - now)  # a 429 meanwhile moves ``earliest``: loop
                    waited = True
                if self.rate is not None:
                    # a waiter woken a little late keeps the schedule; an arrival after idle or a
                    # stall starts a new one from now
                    start = self._tat if waited and self._tat >= now - self.tolerance else now
                    self._tat = start + self._interval(now)
                    self._recent.append(now)
                    self._reserved = max(0, self._reserved - 1)
        finally:
            self._waiters -= 1

    async def _reserve(self, now: float) -> None:
        assert self.shared is not None
        count = min(self.batch, self._waiters)
        try:
            ahead = await self.shared.reserve(count, self._interval(now))
        except Exception as exc:  # the database is away: pace this process alone, try again later
            if self._shared_retry_at is None:
                log.warning("shared send schedule unavailable; pacing locally", extra={"error": type(exc).__name__})
            self._shared_retry_at = now + SHARED_RETRY_S
            return
        if self._shared_retry_at is not None:
            log.info("shared send schedule reachable again")
            self._shared_retry_at = None
        # The reserved slots start ``ahead`` seconds from now, spaced by the interval.
        self._tat = max(self._tat, asyncio.get_running_loop().time() + ahead)
        self._reserved = count

    def pause(self, seconds: float) -> None:
        """Telegram said retry_after: nobody sends until then, and the rate drops for a while."""
        now = asyncio.get_running_loop().time()
        self._paused_until = max(self._paused_until, now + seconds)
        self._slow_until = self._paused_until + SLOWDOWN_S
        self._tat = max(self._tat, self._paused_until)
        if self.shared is not None:
            self._reserved = 0  # reserved for before the pause: other processes wait too, so drop them
            push = asyncio.get_running_loop().create_task(self.shared.delay(seconds))
            self._pushes.add(push)
            push.add_done_callback(self._pushed)

    def _pushed(self, task: asyncio.Task[None]) -> None:
        self._pushes.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("could not share a retry_after pause", extra={"error": type(task.exception()).__name__})


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
