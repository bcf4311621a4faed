"""Injectable wall clock: production uses the system clock, tests shift time at will.

Due instants are wall-clock (UTC) facts, so everything that decides *what* is due asks a
``Clock``. Rate limiting is about real elapsed time (Telegram counts real seconds), so the
limiters use the event loop's monotonic time instead.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class ShiftedClock:
    """Real time plus an adjustable offset: time keeps flowing, tests jump it forward or back."""

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = timedelta(0)
        if start is not None:
            self.set(start)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("naive datetime")
        self._offset = instant - datetime.now(UTC)

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        self._offset += timedelta(seconds=seconds, **delta)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
