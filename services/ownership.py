"""Who may see or change a notice: the one ownership rule, used by every use case and by the bot's
middleware that hands handlers the owned notice."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Notice


class NotYours(LookupError):
    """The notice does not exist or belongs to someone else (deliberately the same answer)."""


async def find_owned(session: AsyncSession, user_id: int, notice_id: int) -> Notice | None:
    """The notice if it exists and belongs to ``user_id``; None otherwise (no hint which)."""
    notice = await session.get(Notice, notice_id)
    if notice is None or notice.user_id != user_id:
        return None
    return notice


async def owned(session: AsyncSession, user_id: int, notice_id: int) -> Notice:
    """Like ``find_owned`` but raises ``NotYours``: for use cases, which must not act on a miss."""
    notice = await find_owned(session, user_id, notice_id)
    if notice is None:
        raise NotYours(notice_id)
    return notice
