"""Queries about notices: create, list by urgency, edits, status, history, export (cases: ``storage.cases``).

Nothing here commits: the use case (services/) commits once the whole change (and its re-planned
reminders) is in the session. Who may see a notice is decided in ``services.ownership``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Case,
    ChecklistProgress,
    Notice,
    NoticeEvent,
    NoticeStatus,
    PaymentPlan,
    Reminder,
    User,
)
from storage.types import utcnow

# Fields a person may set on a notice (create and edit); anything else is ours.
EDITABLE = (
    "code", "tax_years", "amount_cents", "notice_date", "stated_due_date", "received_date",
    "respond_by", "respond_by_estimated", "abroad", "phone", "notes",
)


def _urgency(n: Notice) -> tuple[int, date]:
    # Open notices with a date first (soonest first), then open ones without a date, then the rest.
    return (0 if n.is_open and n.respond_by else 1 if n.is_open else 2, n.respond_by or date.max)


async def create(session: AsyncSession, user_id: int, now: datetime, *, case_id: int | None = None,
                 follows: Iterable[int] = (), **fields: Any) -> Notice:
    """A new open notice in case ``case_id`` (None: a case of its own); ``follows`` names the notices
    already in that case (kept in its history)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    notice = Notice(user_id=user_id, case_id=case_id, status=NoticeStatus.OPEN, status_changed_at=now,
                    created_at=now, updated_at=now, **fields)
    session.add(notice)
    await session.flush()
    session.add(NoticeEvent(notice_id=notice.id, kind="created", at=now, data={"follows": sorted(follows)}))
    return notice


async def list_for(session: AsyncSession, user_id: int, *, include_closed: bool = False) -> list[Notice]:
    """The person's notices, most urgent first (open ones only unless ``include_closed``)."""
    query = select(Notice).where(Notice.user_id == user_id)
    if not include_closed:
        query = query.where(Notice.status == NoticeStatus.OPEN)
    rows = list((await session.scalars(query)).all())
    return sorted(rows, key=lambda n: (*_urgency(n), n.id))


async def count_closed(session: AsyncSession, user_id: int) -> int:
    rows = await session.scalars(
        select(Notice.id).where(Notice.user_id == user_id, Notice.status != NoticeStatus.OPEN)
    )
    return len(rows.all())


async def update(session: AsyncSession, notice: Notice, now: datetime, **fields: Any) -> dict[str, Any]:
    """Apply changes, record them, raise the calendar sequence. Returns what actually changed."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = {k: v for k, v in fields.items() if getattr(notice, k) != v}
    if not changed:
        return {}
    for key, value in changed.items():
        setattr(notice, key, value)
    notice.sequence += 1
    notice.updated_at = now
    session.add(NoticeEvent(notice_id=notice.id, kind="edited", at=now,
                            data={"fields": sorted(k for k in changed if k != "notes")}))
    return changed


async def set_status(session: AsyncSession, notice: Notice, status: NoticeStatus, now: datetime,
                     via: str = "card") -> bool:
    """Change the status with its date on record; False when it already had that status."""
    if notice.status == status:
        return False
    session.add(NoticeEvent(notice_id=notice.id, kind="status", at=now,
                            data={"from": notice.status.value, "to": status.value, "via": via}))
    notice.status, notice.status_changed_at = status, now
    notice.sequence += 1
    notice.updated_at = now
    return True


async def log_contact(session: AsyncSession, notice: Notice, kind: str, now: datetime,
                      data: dict[str, Any]) -> NoticeEvent:
    """A call or letter the person logged (date, agent, badge, what was agreed, confirmation)."""
    if kind not in ("call", "letter"):
        raise ValueError(kind)
    event = NoticeEvent(notice_id=notice.id, kind=kind, at=now, data=data)
    session.add(event)
    return event


async def delete_notice(session: AsyncSession, notice: Notice, now: datetime | None = None) -> None:
    """Delete the notice; the person's row is touched so the calendar feed's Last-Modified moves
    forward (nothing else is left to date the deletion, and a client asking If-Modified-Since
    would otherwise keep the deleted deadline)."""
    user = await session.get(User, notice.user_id)
    if user is not None:
        user.updated_at = now or utcnow()
    await session.delete(notice)


async def events(session: AsyncSession, notice_id: int, kinds: Iterable[str] | None = None) -> list[NoticeEvent]:
    query = select(NoticeEvent).where(NoticeEvent.notice_id == notice_id).order_by(NoticeEvent.id)
    if kinds is not None:
        query = query.where(NoticeEvent.kind.in_(list(kinds)))
    return list((await session.scalars(query)).all())


async def events_of(session: AsyncSession, notice_ids: Iterable[int], kinds: Iterable[str]) -> list[NoticeEvent]:
    """The history of several notices (a case's), in the order it was written."""
    ids = list(notice_ids)
    if not ids:
        return []
    rows = await session.scalars(select(NoticeEvent).where(NoticeEvent.notice_id.in_(ids),
                                                           NoticeEvent.kind.in_(list(kinds))).order_by(NoticeEvent.id))
    return list(rows.all())


async def same_notice(session: AsyncSession, user_id: int, code: str, tax_years: Iterable[int],
                      notice_date: date | None) -> Notice | None:
    """The person's saved notice with this code, these tax years and this notice date, if any: the
    same letter sent twice. Without a notice date nothing is called a duplicate: two undated letters
    of one code and year may be two letters, and refusing a real one is worse than keeping two."""
    if notice_date is None:
        return None
    rows = await session.scalars(select(Notice).where(
        Notice.user_id == user_id, Notice.code == code, Notice.notice_date == notice_date).order_by(Notice.id))
    years = sorted(set(tax_years))
    return next((n for n in rows.all() if sorted(set(n.tax_years or ())) == years), None)


# --- checklist --------------------------------------------------------------------------------


async def checklist_done(session: AsyncSession, notice_id: int) -> set[str]:
    rows = await session.scalars(select(ChecklistProgress.item_id).where(ChecklistProgress.notice_id == notice_id))
    return set(rows.all())


async def set_item(session: AsyncSession, notice_id: int, item_id: str, done: bool, now: datetime) -> bool:
    """Tick (``done``) or untick an item, the same however often it is asked; whether anything changed."""
    row = await session.get(ChecklistProgress, (notice_id, item_id))
    if not done:
        if row is not None:
            await session.delete(row)
        return row is not None
    if row is not None:
        return False
    # ON CONFLICT DO NOTHING: a tap handled at the same moment elsewhere (another replica) may have
    # ticked it already; that is the same outcome, never an IntegrityError.
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(insert(ChecklistProgress).values(notice_id=notice_id, item_id=item_id, done_at=now)
                          .on_conflict_do_nothing(index_elements=["notice_id", "item_id"]))
    return True


# --- export and forget ------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def export_user(session: AsyncSession, user_id: int) -> dict[str, Any]:
    """Everything stored about the person, as plain JSON-ready data."""
    user = await session.get(User, user_id)
    if user is None:
        return {}
    notices = (await session.scalars(select(Notice).where(Notice.user_id == user_id).order_by(Notice.id))).all()
    ids = [n.id for n in notices]
    all_events = (await session.scalars(
        select(NoticeEvent).where(NoticeEvent.notice_id.in_(ids)).order_by(NoticeEvent.id)
    )).all() if ids else []
    ticks = (await session.scalars(
        select(ChecklistProgress).where(ChecklistProgress.notice_id.in_(ids))
    )).all() if ids else []
    reminders = (await session.scalars(
        # their own notices' (not their copies of a case shared with them: someone else's data)
        select(Reminder).where(Reminder.user_id == user_id, Reminder.notice_id.in_(ids)).order_by(Reminder.due_at)
    )).all()
    cases = (await session.scalars(select(Case).where(Case.user_id == user_id).order_by(Case.id))).all()
    plans_by_notice = {p.notice_id: p for p in (await session.scalars(
        select(PaymentPlan).where(PaymentPlan.notice_id.in_(ids))
    )).all()} if ids else {}
    return {
        "user": {
            "id": user.id, "language": user.language, "timezone": user.timezone,
            "timezone_confirmed": user.timezone_confirmed, "reminder_minute": user.reminder_minute,
            "quiet_start_minute": user.quiet_start_minute, "quiet_end_minute": user.quiet_end_minute,
            "reminder_offsets": list(user.reminder_offsets or ()), "active": user.active,
            "calendar_feed": user.feed_token_hash is not None,
            "created_at": _iso(user.created_at), "updated_at": _iso(user.updated_at),
        },
        "cases": [{"id": c.id, "tax_form": c.tax_form, "tax_years": list(c.tax_years or ()),
                   "created_at": _iso(c.created_at)} for c in cases],
        "notices": [
            {
                "id": n.id, "case_id": n.case_id, "code": n.code, "tax_years": list(n.tax_years or ()),
                "amount": f"{n.amount_cents / 100:.2f}" if n.amount_cents is not None else None,
                "notice_date": _iso(n.notice_date), "stated_due_date": _iso(n.stated_due_date),
                "received_date": _iso(n.received_date), "respond_by": _iso(n.respond_by),
                "respond_by_estimated": n.respond_by_estimated, "abroad": n.abroad, "phone": n.phone,
                "notes": n.notes, "status": n.status.value, "status_changed_at": _iso(n.status_changed_at),
                "sequence": n.sequence, "created_at": _iso(n.created_at), "updated_at": _iso(n.updated_at),
                "history": [{"kind": e.kind, "at": _iso(e.at), "data": e.data}
                            for e in all_events if e.notice_id == n.id],
                "checklist_done": sorted(t.item_id for t in ticks if t.notice_id == n.id),
                "payment_plan": _plan_json(plans_by_notice.get(n.id)),
            }
            for n in notices
        ],
        "reminders": [
            {"notice_id": r.notice_id, "kind": r.kind, "due_at": _iso(r.due_at), "status": r.status.value,
             "sent_at": _iso(r.sent_at)}
            for r in reminders
        ],
    }


def _plan_json(p: PaymentPlan | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"monthly": f"{p.monthly_cents / 100:.2f}", "payment_day": p.payment_day,
            "first_payment": _iso(p.first_payment), "first_payment_assumed": p.first_payment_assumed,
            "direct_debit": p.direct_debit,
            "balance": f"{p.balance_cents / 100:.2f}" if p.balance_cents is not None else None,
            "timely_filer": p.timely_filer, "paid_through": _iso(p.paid_through),
            "missed_due": _iso(p.missed_due), "missed_on": _iso(p.missed_on)}
