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
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notices.reminder_kinds import ReminderKind
from scheduler import facts
from storage import reminders as store
from storage.models import DEFAULT_OFFSETS, Notice, User

HARD_EXTRA_OFFSET = 14  # an extra early warning when missing the date loses a legal right
PAY_BEFORE = 3  # a math-error notice's payment date: reminded 3 days before and on the day
OVERDUE_EVERY = 3  # first nudges after the deadline, days apart...
OVERDUE_DENSE = 5  # ...this many of them...
OVERDUE_WEEKLY = 7  # ...then weekly until the notice is resolved
# Overdue nudges are planned this far ahead; re-planning after each one extends the plan.
OVERDUE_HORIZON = timedelta(days=35)


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
                             tzinfo=ZoneInfo(schedule.timezone))
    return local.astimezone(UTC)


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


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
) -> list[Planned]:
    """Every reminder slot of one open notice, past ones included, sorted by instant.

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
    if pay_by is not None and (respond_by is None or pay_by < respond_by):
        # a math-error notice's payment date (CP11, CP23): on the day and PAY_BEFORE days before
        add(ReminderKind.pay(0), pay_by, keep_day=True)
        add(ReminderKind.pay(PAY_BEFORE), pay_by - timedelta(days=PAY_BEFORE))
    for code, day in expected:
        add(ReminderKind.next_notice(code), day)
    return sorted(out)


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
    """Bring the notice's pending reminders in line with its facts and the person's settings.

    Idempotent. A notice that is no longer open has its pending reminders cancelled; sent ones
    are kept as history. Flushes but does not commit: the caller commits, then pokes the service.
    """
    row = (await session.execute(
        select(Notice, User).join(User, Notice.user_id == User.id).where(Notice.id == notice_id)
    )).first()
    if row is None:
        return
    notice, user = row
    if not notice.is_open:
        await store.cancel_pending(session, notice_id)
        return
    fact = facts.of(notice)
    plan = plan_for_notice(
        respond_by=notice.respond_by, schedule=Schedule.of(user), now=now,
        hard=fact.hard, expected=fact.expected, pay_by=fact.pay_by,
    )
    await store.apply_plan(session, notice_id, user.id, plan, now, paused=not user.active)


async def replan_user(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Re-plan every notice of the person (after they change timezone, time, quiet hours, offsets)."""
    ids = (await session.scalars(select(Notice.id).where(Notice.user_id == user_id))).all()
    for notice_id in ids:
        await replan_notice(session, notice_id, now)


async def resume_user(session: AsyncSession, user_id: int, now: datetime | None = None) -> None:
    """The person wrote again after blocking the bot: active again, paused reminders resume (the
    missed ones go out as one catch-up per notice) and the plan is brought up to date."""
    await store.unpause_user(session, user_id)
    await replan_user(session, user_id, now or datetime.now(UTC))
