"""One update's unit of work: the database session, the clock, and how to wake the reminder engine.

The waker is injected where the process is assembled (the reminder engine's ``poke`` when this
process sends reminders, nothing otherwise), so a use case never looks the engine up itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.clock import Clock, SystemClock

Waker = Callable[[datetime | None], None]


def no_waker(due_at: datetime | None = None) -> None:
    """This process runs no reminder engine: the one that does finds the change on its next sweep."""


@dataclass(frozen=True)
class Runtime:
    """What every use case in this process shares: the waker and the clock."""

    wake: Waker = no_waker
    clock: Clock = field(default_factory=SystemClock)

    @classmethod
    def of(cls, engine: object | None) -> Runtime:
        """The runtime for a reminder engine (anything with ``poke`` and ``clock``), or none."""
        if engine is None:
            return cls()
        return cls(wake=engine.poke, clock=engine.clock)  # type: ignore[attr-defined]


@dataclass
class Unit:
    session: AsyncSession
    runtime: Runtime = field(default_factory=Runtime)

    def now(self) -> datetime:
        return self.runtime.clock.now()

    async def commit(self, *, wake: bool = False, at: datetime | None = None) -> None:
        """The one commit of a use case; then, if reminders changed, wake the engine (never before:
        it must find the change in the database)."""
        await self.session.commit()
        if wake or at is not None:
            self.runtime.wake(at)
