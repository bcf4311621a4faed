"""The send rate shared through the database by the processes that send through one bot token
(PostgreSQL; with SQLite one process sends): ``GlobalLimiter`` reserves its slots here."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import reminders as store


class DatabaseSchedule:
    """The global rate shared through the database, for several processes sending through one bot
    (PostgreSQL; SQLite has one sending process)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], name: str = "reminders") -> None:
        self.sessionmaker = sessionmaker
        self.name = name

    async def reserve(self, count: int, interval: float) -> float:
        async with self.sessionmaker() as session, session.begin():
            return await store.reserve_send_slots(session, self.name, count, interval)

    async def delay(self, seconds: float) -> None:
        async with self.sessionmaker() as session, session.begin():
            await store.delay_sends(session, self.name, seconds)


def is_postgres(sessionmaker: async_sessionmaker[AsyncSession]) -> bool:
    bind = sessionmaker.kw.get("bind")
    return bind is not None and bind.dialect.name == "postgresql"
