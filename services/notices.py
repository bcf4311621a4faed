"""Use cases on one saved notice: status, delete, edit, log a call or letter, tick a checklist item.

Each loads the notice through ``ownership.owned`` (raising ``NotYours``), commits once, re-plans the
notice's reminders when its dates or status changed, and wakes the engine after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from notices import facts
from scheduler.facts import input_of
from scheduler.planner import replan_notice
from services import cases
from services.ownership import owned, owned_case
from services.unit import Unit
from storage import cases as case_store
from storage import notices as store
from storage.models import Notice, NoticeEvent, NoticeStatus


@dataclass(frozen=True)
class StatusChange:
    notice: Notice
    changed: bool  # False: it already had that status (nothing was written)
    at: datetime


async def change_status(u: Unit, user_id: int, notice_id: int, status: NoticeStatus, *,
                        via: str = "card") -> StatusChange:
    """The one status-change path (the card's buttons and the reminder's buttons): the change and
    its date on record, reminders stopped (or back on when reopened)."""
    notice = await owned(u.session, user_id, notice_id)
    now = u.now()
    changed = await store.set_status(u.session, notice, status, now, via=via)
    if changed:
        await replan_notice(u.session, notice.id, now)
        await u.commit(wake=True)
    return StatusChange(notice, changed, now)


async def delete(u: Unit, user_id: int, notice_id: int) -> str:
    """Delete the notice with its history and reminders, and its case when it was the case's last
    notice; returns its code (for the reply)."""
    notice = await owned(u.session, user_id, notice_id)
    code, case = notice.code, await owned_case(u.session, user_id, notice.case_id)
    await store.delete_notice(u.session, notice, u.now())  # u.now(): also dates the feed's Last-Modified
    await case_store.refresh(u.session, case, u.now())
    await u.commit(wake=True)
    return code


async def edit(u: Unit, user_id: int, notice_id: int, changes: dict[str, Any], today: date) -> Notice:
    """Apply edited fields (already read and checked by the caller), work the respond-by date out
    again from the merged facts (``notices.facts``, the one derived-facts function), and re-plan."""
    notice = await owned(u.session, user_id, notice_id)
    now = u.now()
    # The saved notice as the facts' input (a missing received date is the day it was saved, as
    # everywhere else), with the edited fields in and the stored date not winning: worked out again.
    saved = input_of(notice, with_status=False)
    derived = facts.derive(replace(
        saved, code=changes.get("code", saved.code), notice_date=changes.get("notice_date", saved.notice_date),
        printed_due=changes.get("stated_due_date", saved.printed_due),
        received_date=changes.get("received_date") or saved.received_date,
        abroad=bool(changes.get("abroad", saved.abroad)),
        amount=Decimal(changes["amount_cents"]) / 100 if changes.get("amount_cents") is not None else saved.amount,
        confirmed_respond_by=None, confirmed_estimated=False), today)
    changes = {**changes, "respond_by": derived.respond_by,
               "respond_by_estimated": derived.estimated or derived.respond_by is None}
    await store.update(u.session, notice, now, **changes)
    await case_store.refresh(u.session, await owned_case(u.session, user_id, notice.case_id), now)  # form, years
    await replan_notice(u.session, notice.id, now)
    await u.commit(wake=True)
    return notice


async def log_contact(u: Unit, user_id: int, notice_id: int, kind: str, fields: dict[str, str]) -> Notice:
    """A call or letter the person logged; it goes into the notice's history, and the follow-ups it
    asks for are planned (a letter: "did the IRS answer?" at 30 and 60 days; a call with a date the
    IRS gave: that day; ``scheduler.followups``)."""
    notice = await owned(u.session, user_id, notice_id)
    now = u.now()
    await store.log_contact(u.session, notice, kind, now, fields)
    await u.session.flush()
    await replan_notice(u.session, notice.id, now)
    await u.commit(wake=True)
    return notice


async def answered(u: Unit, user_id: int, notice_id: int) -> Notice:
    """"The IRS answered": on record, and the follow-ups of everything logged before it stop."""
    notice = await owned(u.session, user_id, notice_id)
    now = u.now()
    u.session.add(NoticeEvent(notice_id=notice.id, kind="answered", at=now, data={}))
    await u.session.flush()
    await replan_notice(u.session, notice.id, now)
    await u.commit(wake=True)
    return notice


async def set_checklist_item(u: Unit, user_id: int, notice_id: int, item_id: str, done: bool) -> bool:
    """Tick (``done``) or untick a checklist item: pressing it twice is the same as once. Whether it changed."""
    notice = await owned(u.session, user_id, notice_id)
    changed = await store.set_item(u.session, notice.id, item_id, done, u.now())
    await u.commit()
    return changed


@dataclass(frozen=True)
class Registered:
    notice: Notice
    earlier: list[Notice]  # the notices already in the case it joined (none: it opened a new case)
    duplicate: bool = False  # True: ``notice`` is the same letter saved before; nothing was saved


async def register(u: Unit, user_id: int, **fields: Any) -> Registered:
    """Save a confirmed draft as an open notice in the case of the same debt (``notices.cases``: same
    tax form, overlapping tax periods), or in a new case; plan its reminders, commit before the
    caller says it is saved. The same letter saved before (code, tax years, notice date) is not
    saved again: it comes back as a duplicate, and nothing is written."""
    same = await store.same_notice(u.session, user_id, fields.get("code") or "", fields.get("tax_years") or (),
                                   fields.get("notice_date"))
    if same is not None:
        return Registered(same, [], duplicate=True)
    now = u.now()
    case = await cases.join_or_open(u, user_id, fields.get("code"), fields.get("tax_years") or (), now)
    earlier = await cases.notices_in(u, case)
    notice = await store.create(u.session, user_id, now, case_id=case.id, follows=[n.id for n in earlier], **fields)
    await case_store.refresh(u.session, case, now)
    await replan_notice(u.session, notice.id, now)
    await u.commit(wake=True)
    return Registered(notice, earlier)
