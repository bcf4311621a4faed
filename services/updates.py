"""Use case: each Telegram update is handled once (the database side of ``bot.once``). Claiming an
update before it is handled, marking handled ones done and giving a claim back are each one
session and one commit of their own: they run around the handlers, before and after the person's
unit of work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import updates as store


async def claim(sessionmaker: async_sessionmaker[AsyncSession], update_id: int, now: datetime, *, by: str,
                take_over_before: datetime, sweep_before: datetime | None = None) -> bool:
    """True when process ``by`` may handle the update (see ``storage.updates.claim``); with
    ``sweep_before``, claims older than that are forgotten in the same commit."""
    async with sessionmaker() as session:
        first = await store.claim(session, update_id, now, by=by, take_over_before=take_over_before)
        if sweep_before is not None:
            await store.sweep(session, sweep_before)
        await session.commit()
    return first


async def finish(sessionmaker: async_sessionmaker[AsyncSession], *update_ids: int) -> None:
    """The updates were handled: a redelivery is dropped, whoever gets it."""
    async with sessionmaker() as session:
        await store.finish(session, *update_ids)
        await session.commit()


async def release(sessionmaker: async_sessionmaker[AsyncSession], update_id: int) -> None:
    """Handling was cut off: the claim is given back, and Telegram's next delivery is handled."""
    async with sessionmaker() as session:
        await store.release(session, update_id)
        await session.commit()
