"""Read-only questions the handlers ask (nothing here writes or commits): a person's notices, a
notice's history and checklist, the notices of the same case. Ownership: every question takes
the person's id, and per-notice ones take a notice already loaded through ``services.ownership``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from notices.instruments import still_counting
from services import cases
from services.unit import Unit
from storage import cases as store_cases
from storage import notices as store
from storage.models import Notice, NoticeEvent


@dataclass(frozen=True)
class NoticeList:
    notices: list[Notice]  # most urgent first
    closed: int  # how many resolved ones are hidden (0 when they are included)


async def notice_list(u: Unit, user_id: int, *, include_closed: bool = False) -> NoticeList:
    """The person's notices still counting (open, or disputed with a hard date), or all of them."""
    everything = await store.list_for(u.session, user_id, include_closed=True)
    if include_closed:
        return NoticeList(everything, 0)
    shown = [n for n in everything if still_counting(n.code, n.status.value)]
    return NoticeList(shown, len(everything) - len(shown))


async def open_notices(u: Unit, user_id: int) -> list[Notice]:
    """What /checklist, /letter and the answers to questions pick from: the notices still counting."""
    return (await notice_list(u, user_id)).notices


async def same_case(u: Unit, user_id: int, code: str | None, tax_years: Iterable[int]) -> list[Notice]:
    """The notices of the case a draft would join when saved (same tax form, overlapping years)."""
    case = await cases.matching_case(u, user_id, code, tax_years)
    return await cases.notices_in(u, case) if case is not None else []


async def case_mates(u: Unit, notice: Notice) -> list[Notice]:
    """The other notices of a saved notice's case (the notice comes from the ownership rule)."""
    return [n for n in (await store_cases.notices_of(u.session, [notice.case_id]))[notice.case_id]
            if n.id != notice.id]


async def history(u: Unit, notice: Notice) -> list[NoticeEvent]:
    """What the card shows as history: logged calls and letters, status changes, instruments sent."""
    return await store.events(u.session, notice.id, ("call", "letter", "status", "instrument"))


async def checklist_done(u: Unit, notice: Notice) -> set[str]:
    return await store.checklist_done(u.session, notice.id)


async def latest_notice(u: Unit, user_id: int, prefer: int | None = None) -> Notice | None:
    """The notice a correction after Save is about: ``prefer`` (the one saved or corrected last in
    this chat) while it is still the person's, else the one saved last."""
    everything = await store.list_for(u.session, user_id, include_closed=True)
    chosen = next((n for n in everything if n.id == prefer), None)
    return chosen or max(everything, key=lambda n: n.id, default=None)


async def summary(u: Unit, user_id: int) -> list[tuple[Notice, list[NoticeEvent]]]:
    """What /export's readable summary lists: every notice of the person (closed ones too, most urgent
    first) with the calls and letters logged for it."""
    notices = await store.list_for(u.session, user_id, include_closed=True)
    logged = await store.events_of(u.session, [n.id for n in notices], ("call", "letter"))
    return [(n, [e for e in logged if e.notice_id == n.id]) for n in notices]
