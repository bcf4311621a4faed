"""Telegram updates being handled or handled: each update_id is handled once, across webhook
redeliveries, replicas and restarts.

A claim is a row naming the process handling the update; ``finish`` marks it done. A redelivery
finds the row and is dropped, unless the claim was never finished by a process that is gone (it
was killed mid-update): then ``claim`` takes it over, so a crash does not lose the person's
message. INSERT ... ON CONFLICT DO UPDATE ... WHERE makes each claim atomic on both backends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, false, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SeenUpdate


async def claim(session: AsyncSession, update_id: int, now: datetime, *, by: str = "",
                take_over_before: datetime | None = None) -> bool:
    """True when this process (``by``) may handle ``update_id`` (needs a commit): nobody claimed it,
    or (with ``take_over_before``) another process claimed it before that instant and never
    finished. False for an update handled, or being handled, elsewhere or here."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(SeenUpdate).values(update_id=update_id, seen_at=now, claimed_by=by, done=False)
    if take_over_before is None:
        stmt = stmt.on_conflict_do_nothing(index_elements=["update_id"])
    else:
        stmt = stmt.on_conflict_do_update(
            index_elements=["update_id"], set_={"seen_at": now, "claimed_by": by},
            where=(SeenUpdate.done == false()) & (SeenUpdate.claimed_by != by)
            & (SeenUpdate.seen_at < take_over_before))
    result = await session.execute(stmt)
    return cast(CursorResult[Any], result).rowcount == 1


async def finish(session: AsyncSession, *update_ids: int) -> None:
    """The updates were handled: no redelivery is handled again, whoever gets it."""
    await session.execute(update(SeenUpdate).where(SeenUpdate.update_id.in_(update_ids)).values(done=True))


async def release(session: AsyncSession, update_id: int) -> None:
    """Give a claim back: handling was cut off, and the update will be delivered again."""
    await session.execute(delete(SeenUpdate).where(SeenUpdate.update_id == update_id))


async def sweep(session: AsyncSession, before: datetime) -> int:
    """Forget the updates claimed before ``before`` (Telegram redelivers for 24 hours at most)."""
    result = await session.execute(delete(SeenUpdate).where(SeenUpdate.seen_at < before))
    return cast(CursorResult[Any], result).rowcount
