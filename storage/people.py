"""Queries about people: their row, their settings, and forgetting them."""

from __future__ import annotations

import enum
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notices import words
from storage.models import User

LANGUAGES = tuple(words.LANGUAGES)


def pick_language(code: str | None) -> str:
    """Telegram's language_code ("es-MX", "en") → one of ours; English otherwise."""
    return words.language((code or "").split("-")[0].lower())


class Arrival(enum.Enum):
    KNOWN = "known"  # an active person we already had
    NEW = "new"  # the row was created now
    BACK = "back"  # they had blocked the bot and wrote again: reactivated now


async def arrive(session: AsyncSession, user_id: int, *, language: str, timezone: str) -> tuple[User, Arrival]:
    """The person's row, created or reactivated when needed (both need a commit).

    A person's first messages often arrive together (several letters forwarded at once) and are
    handled concurrently, so the row is created with INSERT ... ON CONFLICT DO NOTHING: the loser
    of the race reads the winner's row instead of failing on the primary key.
    """
    user = await session.get(User, user_id)
    if user is None:
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(User).values(id=user_id, language=language, timezone=timezone)
        result = await session.execute(stmt.on_conflict_do_nothing(index_elements=["id"]))
        created = cast(CursorResult[Any], result).rowcount == 1
        user = await session.get(User, user_id, populate_existing=True)
        assert user is not None
        return user, Arrival.NEW if created else Arrival.KNOWN
    if not user.active:
        user.active = True  # they wrote to us again, so they unblocked the bot
        return user, Arrival.BACK
    return user, Arrival.KNOWN


async def get_or_create(
    session: AsyncSession, user_id: int, *, language: str, timezone: str
) -> tuple[User, bool]:
    """Return the person's row and whether it was created or reactivated (needs a commit)."""
    user, arrival = await arrive(session, user_id, language=language, timezone=timezone)
    return user, arrival is not Arrival.KNOWN


async def forget(session: AsyncSession, user_id: int) -> None:
    """Delete every row about the person (notices, reminders, history cascade)."""
    await session.execute(delete(User).where(User.id == user_id))


async def purge_deleted(session: AsyncSession) -> None:
    """After /forget's commit: make the deleted rows unreadable from the database files.

    SQLite (WAL mode) keeps the changed pages, old row contents included, in the -wal file until a
    checkpoint: TRUNCATE copies the pages into the database file, where secure_delete has zeroed
    the deleted rows, and empties the -wal file. PostgreSQL keeps deleted rows as dead tuples until
    VACUUM (autovacuum, within minutes on a busy table) marks their space reusable; they are gone
    from the files when that space is overwritten or a VACUUM FULL rewrites the table (see
    docs/production.md).
    """
    conn = await session.connection()
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    await session.commit()


async def get(session: AsyncSession, user_id: int) -> User | None:
    return (await session.execute(select(User).where(User.id == user_id))).scalar_one_or_none()
