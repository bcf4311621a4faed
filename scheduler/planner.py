"""What to remind about and when: a pure plan per notice, and the idempotent re-planning around it.

The plan is a list of (kind, due instant, priority). ``kind`` (``notices.reminder_kinds``) names the
slot ("before:7", "day", "overdue:3", "next:CP504", "snooze"); together with the notice and the
instant it is the reminder's natural key, so re-planning the same facts is a no-op and a sent slot
is never re-sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notices import plans
from notices.reminder_kinds import FOLLOW_UP_SLOTS, PLAN_SLOTS, ReminderKind, Slot, kind_of
from scheduler import facts, followups
from storage import reminders as store
from storage import shares
from storage.models import DEFAULT_OFFSETS, Notice, NoticeEvent, NoticeStatus, PaymentPlan, User

HARD_EXTRA_OFFSET = 14  # an extra early warning when missing the date loses a legal right
PAY_BEFORE = 3  # a math-error notice's payment date: reminded 3 days before and on the day
OVERDUE_EVERY = 3  # first nudges after the deadline, days apart...
FIND_DATE_DAYS = (2, 9)  # a notice saved with no date: ask for the printed one after these days
OVERDUE_DENSE = 5  # ...this many of them...
OVERDUE_WEEKLY = 7  # ...then weekly until the notice is resolved
# Overdue nudges are planned this far ahead; re-planning after each one extends the plan.
OVERDUE_HORIZON = timedelta(days=35)
# Issue 16: a notice in a payment plan keeps only its payment slots (``Slot.PLAN``, ``Slot.FIX``) and
# the follow-ups (``Slot.LETTER``, ``Slot.CALLBACK``: ``scheduler.followups``); every other status
# stops all reminders.


def sendable(status: str, kind: str) -> bool:
    """May a due slot of this kind still go out for a notice with this status?"""
    if status in (NoticeStatus.OPEN, NoticeStatus.DISPUTED):
        return True  # a disputed notice keeps only what the planner left it (a hard date's reminders)
    slot = kind_of(kind).slot
    if slot in FOLLOW_UP_SLOTS or slot is Slot.FOLLOW_UP:
        return status in followups.STATUSES
    return status == NoticeStatus.PLAN and slot in PLAN_SLOTS


@dataclass(frozen=True, slots=True)
class Schedule:
    """The person's delivery settings."""

    timezone: str = "America/New_York"
    reminder_minute: int = 9 * 60
    quiet_start_minute: int | None = None
    quiet_end_minute: int | None = None
    offsets: tuple[int, ...] = tuple(DEFAULT_OFFSETS)

    @classmethod
    def of(cls, user: User) -> Schedule:
        return cls(
            timezone=user.timezone,
            reminder_minute=user.reminder_minute,
            quiet_start_minute=user.quiet_start_minute,
            quiet_end_minute=user.quiet_end_minute,
            offsets=tuple(user.reminder_offsets or ()),
        )


@dataclass(frozen=True, slots=True, order=True)
class Planned:
    due_at: datetime
    kind: ReminderKind
    priority: int  # lower goes first in a backlog


def _in_quiet(minute: int, start: int | None, end: int | None) -> bool:
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end  # the window wraps midnight


def _placed(minute: int, schedule: Schedule, keep_day: bool) -> tuple[int, int]:
    """(days to add, local minute) for a reminder wanted at ``minute``, out of quiet hours."""
    start, end = schedule.quiet_start_minute, schedule.quiet_end_minute
    if not _in_quiet(minute, start, end):
        return 0, minute
    assert start is not None and end is not None
    if start < end or minute < end:
        return 0, end  # quiet hours end later the same day
    if keep_day:
        return 0, start - 1  # the deadline day: the last minute before quiet hours instead
    return 1, end


def local_instant(day: date, schedule: Schedule, *, keep_day: bool = False) -> datetime:
    """The UTC instant of the person's reminder time on ``day`` in their own timezone.

    zoneinfo applies the offset valid on that date, so 09:00 stays 09:00 across DST changes; a
    wall time inside the spring-forward gap lands just after it (fold=0 semantics).
    """
    shift, minute = _placed(schedule.reminder_minute, schedule, keep_day)
    local = datetime.combine(day + timedelta(days=shift), time(minute // 60, minute % 60),
                             tzinfo=zone(schedule.timezone))
    return local.astimezone(UTC)


def zone(name: str) -> ZoneInfo:
    """The person's time zone; UTC for a name this system does not know (stored by an old version)."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return ZoneInfo("UTC")


def local_today(now: datetime, timezone: str) -> date:
    """The person's date at ``now``: "days left" and overdue notices follow *their* midnight."""
    return now.astimezone(zone(timezone)).date()


def overdue_day(respond_by: date, n: int) -> date:
    """The date of overdue nudge number ``n`` (1-based)."""
    if n <= OVERDUE_DENSE:
        return respond_by + timedelta(days=OVERDUE_EVERY * n)
    return respond_by + timedelta(days=OVERDUE_EVERY * OVERDUE_DENSE + OVERDUE_WEEKLY * (n - OVERDUE_DENSE))


def plan_for_notice(
    *,
    respond_by: date | None,
    schedule: Schedule,
    now: datetime,
    hard: bool = False,
    expected: Sequence[tuple[str, date]] = (),
    pay_by: date | None = None,
    saved_on: date | None = None,
) -> list[Planned]:
    """Every reminder slot of one open notice, past ones included, sorted by instant.

    A notice saved without any date (``respond_by`` None) is still reminded: ``FIND_DATE_DAYS`` after
    ``saved_on``, to find the date printed on it, since no deadline can be counted without it.

    Past slots are returned so the caller can tell a still-wanted missed reminder from a stale
    one; the caller only inserts future ones. Overdue nudges stop ``OVERDUE_HORIZON`` after the
    later of now and the deadline; re-planning after each nudge extends them.
    """
    out: list[Planned] = []

    def add(kind: ReminderKind, day: date, keep_day: bool = False) -> None:
        out.append(Planned(local_instant(day, schedule, keep_day=keep_day), kind, kind.priority))

    if respond_by is not None:
        offsets = {o for o in schedule.offsets if 0 <= o <= 366}
        if hard:
            offsets.add(HARD_EXTRA_OFFSET)
        for offset in offsets:
            add(ReminderKind.before(offset), respond_by - timedelta(days=offset), keep_day=offset == 0)
        horizon = max(now, local_instant(respond_by, schedule)) + OVERDUE_HORIZON
        n = 1
        while (due := local_instant(overdue_day(respond_by, n), schedule)) <= horizon:
            kind = ReminderKind.overdue(n)
            out.append(Planned(due, kind, kind.priority))
            n += 1
    elif saved_on is not None:
        for days in FIND_DATE_DAYS:
            add(ReminderKind.find_date(days), saved_on + timedelta(days=days))
    if pay_by is not None and (respond_by is None or pay_by < respond_by):
        # a math-error notice's payment date (CP11, CP23): on the day and PAY_BEFORE days before
        add(ReminderKind.pay(0), pay_by, keep_day=True)
        add(ReminderKind.pay(PAY_BEFORE), pay_by - timedelta(days=PAY_BEFORE))
    for code, day in expected:
        add(ReminderKind.next_notice(code), day)
    return sorted(out)


def plan_for_payments(plan: plans.Plan, schedule: Schedule, now: datetime,
                      missed: tuple[date, date] | None = None) -> list[Planned]:
    """The slots of a notice in a payment plan: before each of the next two unpaid payments (3 days
    before and the morning of the day, at the person's time), and after "can't pay" (``missed``:
    the payment date and the day the person said so) a reminder the next morning to call the IRS or
    revise the plan before that date."""
    out: list[Planned] = []
    today = local_today(now, schedule.timezone)
    for due in plans.next_payments(plan, today, count=2):
        for before in plans.DEFAULT_OFFSETS:
            kind = ReminderKind.plan_payment(before, due)
            out.append(Planned(local_instant(due - timedelta(days=before), schedule, keep_day=before == 0),
                               kind, kind.priority))
    if missed is not None:
        due, said_on = missed
        if plan.paid_through is None or due > plan.paid_through:
            kind = ReminderKind.fix(due)
            out.append(Planned(local_instant(said_on + timedelta(days=1), schedule), kind, kind.priority))
    return sorted(out)


def plan_of(row: PaymentPlan) -> plans.Plan:
    """A stored plan as the domain's value (the balance is filled in by callers that need it)."""
    return plans.Plan(Decimal(row.monthly_cents) / 100, row.payment_day, row.first_payment,
                      None if row.balance_cents is None else Decimal(row.balance_cents) / 100,
                      row.direct_debit, row.paid_through)


def snooze_instant(now: datetime, days: int, respond_by: date | None, schedule: Schedule) -> datetime | None:
    """When a snoozed reminder comes back: the reminder time ``days`` later, never past the
    deadline day. ``None`` when that is not in the future (snoozing makes no sense then)."""
    today = local_today(now, schedule.timezone)
    target = today + timedelta(days=days)
    keep_day = False
    if respond_by is not None and today <= respond_by < target:
        target, keep_day = respond_by, True
    instant = local_instant(target, schedule, keep_day=keep_day)
    return instant if instant > now else None


async def replan_notice(session: AsyncSession, notice_id: int, now: datetime) -> None:
    """Bring the notice's pending reminders in line with its facts and its readers' settings.

    The readers are the owner and every viewer of the notice's case through a live Telegram share
    (issue 16): each gets the same slots, planned in their own zone, time and quiet hours; a person
    who no longer views the case has their open copies cancelled. Idempotent. Flushes but does not
    commit: the caller commits, then pokes the service.
    """
    row = (await session.execute(
        select(Notice, User).join(User, Notice.user_id == User.id).where(Notice.id == notice_id)
    )).first()
    if row is None:
        return
    notice, owner = row
    viewer_ids = [v for v in (await shares.viewers_of(session, [notice.case_id]))[notice.case_id] if v != owner.id]
    viewers = (await session.scalars(select(User).where(User.id.in_(viewer_ids)))).all() if viewer_ids else []
    for reader in [owner, *viewers]:
        await _replan_for(session, notice, reader, now)
    await store.cancel_other_readers(session, notice_id, [owner.id, *viewer_ids])


async def replan_case(session: AsyncSession, case_id: int, now: datetime) -> None:
    """Re-plan every notice of the case (a share accepted or revoked changes its readers)."""
    ids = (await session.scalars(select(Notice.id).where(Notice.case_id == case_id))).all()
    for notice_id in ids:
        await replan_notice(session, notice_id, now)


async def _replan_for(session: AsyncSession, notice: Notice, user: User, now: datetime) -> None:
    """The reminders of the notice for one reader (``user``: its owner or a viewer). A notice that is no longer open has its pending
    reminders cancelled, except a plan notice's payment reminders and the follow-ups
    (``scheduler.followups``); sent ones are kept as history. A snooze is the owner's alone."""
    notice_id = notice.id
    schedule = Schedule.of(user)
    # Follow-ups from the notice's history (letters, calls, a mailed Form 12153): kept while the
    # notice is open, disputed or in a plan.
    follow = await _followups(session, notice, schedule) if notice.status in followups.STATUSES else []
    disputed = notice.status == NoticeStatus.DISPUTED
    if notice.is_open or disputed:
        fact = facts.of(notice)
        saved_on = local_today(notice.created_at, schedule.timezone) if notice.created_at else None
        plan = plan_for_notice(respond_by=notice.respond_by, schedule=schedule, now=now, hard=fact.hard,
                               expected=fact.expected, pay_by=fact.pay_by, saved_on=saved_on)
        if plans.about_plan(notice.code) == plans.MONTHLY_REMINDER and await case_has_plan(session, notice):
            plan = []  # a CP521/CP621 reminds of the plan's next payment: the plan's own reminders do that
        if disputed:  # a hard date's reminders stay until it passes: only the instrument keeps the right
            plan = keep_while_disputed(plan, notice.respond_by, fact.hard, schedule)
            if not plan:  # nothing left to keep: snoozes go too, as for a resolved notice
                await store.cancel_pending(session, notice_id, user.id)
        await store.apply_plan(session, notice_id, user.id, sorted(plan + follow), now, paused=not user.active)
        return
    if notice.status == NoticeStatus.PLAN and (stored := await session.get(PaymentPlan, notice_id)) is not None:
        missed = (stored.missed_due, stored.missed_on) if stored.missed_due and stored.missed_on else None
        follow = plan_for_payments(plan_of(stored), schedule, now, missed) + follow
    if follow:  # a resolved notice keeps only its payment reminders and follow-ups
        await store.apply_plan(session, notice_id, user.id, follow, now, paused=not user.active, cancel_stale=True)
    else:
        await store.cancel_pending(session, notice_id, user.id)


async def case_has_plan(session: AsyncSession, notice: Notice) -> bool:
    """Whether another notice of the same case is paid under a payment plan (plans stay per notice)."""
    found = await session.scalar(
        select(PaymentPlan.notice_id).join(Notice, Notice.id == PaymentPlan.notice_id)
        .where(Notice.case_id == notice.case_id, Notice.id != notice.id, Notice.status == NoticeStatus.PLAN).limit(1))
    return found is not None


async def _followups(session: AsyncSession, notice: Notice, schedule: Schedule) -> list[Planned]:
    rows = (await session.execute(
        select(NoticeEvent.kind, NoticeEvent.data, NoticeEvent.at)
        .where(NoticeEvent.notice_id == notice.id, NoticeEvent.kind.in_(followups.EVENT_KINDS))
        .order_by(NoticeEvent.id)
    )).all()
    events = [(kind, data or {}, local_today(at, schedule.timezone)) for kind, data, at in rows]
    return [Planned(local_instant(day, schedule), kind, kind.priority) for kind, day in followups.wanted(events)]


def keep_while_disputed(plan: Sequence[Planned], respond_by: date | None, hard: bool,
                        schedule: Schedule) -> list[Planned]:
    """A disputed notice: a hard one keeps its reminders up to its hard date (saying "disputed" does
    not stop a legal clock; only the instrument does), then stops; any other keeps none."""
    if not hard or respond_by is None:
        return []
    last = local_instant(respond_by, schedule, keep_day=True)
    return [p for p in plan if p.kind.slot in (Slot.DAY, Slot.BEFORE) and p.due_at <= last]


async def replan_user(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Re-plan every notice of the person (after they change timezone, time, quiet hours, offsets),
    and of the cases shared with them (their copies follow their settings too)."""
    ids = (await session.scalars(select(Notice.id).where(Notice.user_id == user_id))).all()
    shared = [case.id for _, case in await shares.shared_cases(session, user_id)]
    if shared:
        ids = [*ids, *(await session.scalars(select(Notice.id).where(Notice.case_id.in_(shared)))).all()]
    for notice_id in ids:
        await replan_notice(session, notice_id, now)


async def resume_user(session: AsyncSession, user_id: int, now: datetime | None = None) -> None:
    """The person wrote again after blocking the bot: active again, paused reminders resume (the
    missed ones go out as one catch-up per notice) and the plan is brought up to date."""
    await store.unpause_user(session, user_id)
    await replan_user(session, user_id, now or datetime.now(UTC))
