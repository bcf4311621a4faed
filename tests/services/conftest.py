"""Use cases on a migrated SQLite database, with a fixed clock and a waker that records when it was
called (and how many commits had happened by then: a wake must come after the commit)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.unit import Runtime, Unit
from storage.models import Notice, Reminder, ReminderStatus, User

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


class FixedClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at

    async def sleep(self, seconds: float) -> None:
        return None


@dataclass
class World:
    sm: async_sessionmaker[AsyncSession]
    clock: FixedClock = field(default_factory=FixedClock)
    commits: int = 0
    wakes: list[tuple[datetime | None, int]] = field(default_factory=list)  # (at, commits so far)

    def wake(self, at: datetime | None = None) -> None:
        self.wakes.append((at, self.commits))

    def unit(self, session: AsyncSession) -> Unit:
        @event.listens_for(session.sync_session, "after_commit")
        def counted(_session: Any) -> None:
            self.commits += 1

        return Unit(session, Runtime(wake=self.wake, clock=self.clock))

    async def person(self, uid: int, **settings: Any) -> None:
        async with self.sm() as s:
            s.add(User(id=uid, **settings))
            await s.commit()

    async def notice(self, uid: int, respond_by: date | None = date(2026, 12, 1), **fields: Any) -> int:
        values: dict[str, Any] = {"code": "CP14", "tax_years": [2024], "amount_cents": 341218,
                                  "notice_date": date(2026, 11, 10), **fields}
        async with self.sm() as s:
            n = Notice(user_id=uid, respond_by=respond_by, **values)
            s.add(n)
            await s.commit()
            return n.id

    async def pending(self, notice_id: int) -> list[Reminder]:
        async with self.sm() as s:
            rows = await s.scalars(select(Reminder).where(Reminder.notice_id == notice_id,
                                                          Reminder.status == ReminderStatus.PENDING))
            return list(rows)


@pytest.fixture
async def world(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[World]:
    w = World(sessionmaker)
    await w.person(1)
    await w.person(2)
    yield w
