"""Who may see or change a notice or a case: the one ownership rule, used by every use case and by
the bot's middlewares that hand handlers the owned (or, for read-only buttons, viewable) notice or
case.

Two rights (issue 16): the owner **may change** a case and its notices; a person it is shared with
through a live Telegram share **may view** it, never change it. A web link gives no person any
right here: the page is served by token (``services.shares.open_link``).
"""

from __future__ import annotations

import enum

from sqlalchemy.ext.asyncio import AsyncSession

from storage import shares as share_store
from storage.models import Case, Notice


class NotYours(LookupError):
    """The notice (or case) does not exist or belongs to someone else (deliberately the same answer)."""


class ViewOnly(NotYours):
    """The case (or the notice's case) is shared with this person: they may view it, not change it."""


class Access(enum.IntEnum):
    NONE = 0
    VIEW = 1
    CHANGE = 2


async def case_access(session: AsyncSession, user_id: int, case_id: int) -> tuple[Case | None, Access]:
    """The case and what this person may do with it (NONE for a missing case: no hint which)."""
    case = await session.get(Case, case_id)
    if case is None:
        return None, Access.NONE
    if case.user_id == user_id:
        return case, Access.CHANGE
    if await share_store.viewing(session, user_id, case_id):
        return case, Access.VIEW
    return None, Access.NONE


async def notice_access(session: AsyncSession, user_id: int, notice_id: int) -> tuple[Notice | None, Access]:
    notice = await session.get(Notice, notice_id)
    if notice is None:
        return None, Access.NONE
    if notice.user_id == user_id:
        return notice, Access.CHANGE
    _, access = await case_access(session, user_id, notice.case_id)
    return (notice, access) if access else (None, Access.NONE)


async def find_owned(session: AsyncSession, user_id: int, notice_id: int) -> Notice | None:
    """The notice if it exists and belongs to ``user_id`` (may change); None otherwise."""
    notice = await session.get(Notice, notice_id)
    if notice is None or notice.user_id != user_id:
        return None
    return notice


async def owned(session: AsyncSession, user_id: int, notice_id: int) -> Notice:
    """Like ``find_owned`` but raises: ``ViewOnly`` for a notice of a case shared with the person,
    ``NotYours`` otherwise. For use cases, which must not act on a miss."""
    notice, access = await notice_access(session, user_id, notice_id)
    if notice is None or access is not Access.CHANGE:
        raise (ViewOnly if access is Access.VIEW else NotYours)(notice_id)
    return notice


async def find_owned_case(session: AsyncSession, user_id: int, case_id: int) -> Case | None:
    """The case if it exists and belongs to ``user_id``; None otherwise (the same rule as notices)."""
    case = await session.get(Case, case_id)
    if case is None or case.user_id != user_id:
        return None
    return case


async def owned_case(session: AsyncSession, user_id: int, case_id: int) -> Case:
    """The case the person may change; ``ViewOnly`` when it is only shared with them, else ``NotYours``."""
    case, access = await case_access(session, user_id, case_id)
    if case is None or access is not Access.CHANGE:
        raise (ViewOnly if access is Access.VIEW else NotYours)(case_id)
    return case


async def viewable_case(session: AsyncSession, user_id: int, case_id: int) -> Case:
    """The case the person may view (their own, or shared with them); ``NotYours`` otherwise."""
    case, access = await case_access(session, user_id, case_id)
    if case is None:
        raise NotYours(case_id)
    return case
