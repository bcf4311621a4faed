"""Read-only questions the handlers ask (nothing here writes or commits): a person's notices, a
notice's history and checklist, earlier notices of the same case. Ownership: every question takes
the person's id, and per-notice ones take a notice already loaded through ``services.ownership``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.unit import Unit
from storage import notices as store
from storage.models import Notice, NoticeEvent


@dataclass(frozen=True)
class NoticeList:
    notices: list[Notice]  # most urgent first
    closed: int  # how many resolved ones are hidden (0 when they are included)


async def notice_list(u: Unit, user_id: int, *, include_closed: bool = False) -> NoticeList:
    notices = await store.list_for(u.session, user_id, include_closed=include_closed)
    closed = 0 if include_closed else await store.count_closed(u.session, user_id)
    return NoticeList(notices, closed)


async def open_notices(u: Unit, user_id: int) -> list[Notice]:
    return await store.list_for(u.session, user_id)


async def earlier_notices(u: Unit, user_id: int, tax_years: Iterable[int], stage: int,
                          exclude_id: int | None = None) -> list[Notice]:
    """Earlier notices of the same debt (a shared tax year, an earlier step)."""
    return await store.same_case(u.session, user_id, tax_years, stage, exclude_id=exclude_id)


async def history(u: Unit, notice: Notice) -> list[NoticeEvent]:
    """What the card shows as history: logged calls and letters, status changes."""
    return await store.events(u.session, notice.id, ("call", "letter", "status"))


async def checklist_done(u: Unit, notice: Notice) -> set[str]:
    return await store.checklist_done(u.session, notice.id)
