"""Telegram updates already handled: each update_id is handled once, across webhook redeliveries,
replicas and restarts. INSERT ... ON CONFLICT DO NOTHING makes the claim atomic on both backends."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SeenUpdate


async def claim(session: AsyncSession, update_id: int, now: datetime) -> bool:
    """True the first time ``update_id`` is claimed (needs a commit), False every time after."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(SeenUpdate).values(update_id=update_id, seen_at=now)
    result = await session.execute(stmt.on_conflict_do_nothing(index_elements=["update_id"]))
    return cast(CursorResult[Any], result).rowcount == 1


async def release(session: AsyncSession, update_id: int) -> None:
    """Give a claim back: handling failed, and the update will be delivered again."""
    await session.execute(delete(SeenUpdate).where(SeenUpdate.update_id == update_id))


async def sweep(session: AsyncSession, before: datetime) -> int:
    """Forget the updates claimed before ``before`` (Telegram redelivers for 24 hours at most)."""
    result = await session.execute(delete(SeenUpdate).where(SeenUpdate.seen_at < before))
    return cast(CursorResult[Any], result).rowcount
