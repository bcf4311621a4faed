"""Who may see or change a notice or a case: the one ownership rule, used by every use case and by
the bot's middlewares that hand handlers the owned notice or case."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case, Notice


class NotYours(LookupError):
    """The notice (or case) does not exist or belongs to someone else (deliberately the same answer)."""


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


async def find_owned_case(session: AsyncSession, user_id: int, case_id: int) -> Case | None:
    """The case if it exists and belongs to ``user_id``; None otherwise (the same rule as notices)."""
    case = await session.get(Case, case_id)
    if case is None or case.user_id != user_id:
        return None
    return case


async def owned_case(session: AsyncSession, user_id: int, case_id: int) -> Case:
    case = await find_owned_case(session, user_id, case_id)
    if case is None:
        raise NotYours(case_id)
    return case
