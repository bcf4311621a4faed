"""Reminder queries: applying a plan, claiming due work with a lease, recording the outcome.

The reminders table is the source of truth. A claimed row stays ``pending`` with ``lease_until``
and ``claimed_by`` set; only a recorded send makes it ``sent``. A worker that dies mid-batch
therefore leaves rows that become claimable again when the lease runs out: at most the rows in
flight can go out twice, and nothing due is ever skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, cast

from sqlalchemy import Table, delete, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from notices.reminder_kinds import SNOOZE
from storage.models import CaseShare, Notice, PaymentPlan, Reminder, ReminderStatus, User

TABLE = cast(Table, Reminder.__table__)
R = TABLE.c
PENDING, SENT, CANCELLED, PAUSED = (s.value for s in ReminderStatus)
PRIORITIES = range(0, 5)  # the planner's priority levels (ReminderKind.priority), most urgent first


class PlannedLike(Protocol):
    @property
    def due_at(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def priority(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    notice_id: int
    user_id: int
    kind: str
    due_at: datetime
    priority: int
    attempts: int


@dataclass(frozen=True, slots=True)
class NoticeRow:
    """The notice and person facts a reminder message needs, read once per claimed notice."""

    notice_id: int
    code: str
    respond_by: date | None
    status: str
    amount_cents: int | None
    tax_years: tuple[int, ...]
    notice_date: date | None
    stated_due_date: date | None
    abroad: bool
    user_id: int  # the owner
    language: str
    timezone: str
    active: bool
    respond_by_estimated: bool = False
    plan_monthly_cents: int | None = None
    plan_balance_cents: int | None = None
    plan_direct_debit: bool | None = None
    case_id: int = 0


@dataclass(frozen=True, slots=True)
class Reader:
    """A viewer of a shared case who receives copies of its reminders: their own language and zone."""

    language: str
    timezone: str
    active: bool


# The natural key of a reminder: one slot of one notice for one reader.
KEY = ["notice_id", "user_id", "kind", "due_at"]


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _claimable(now: datetime) -> Any:
    return (R.status == PENDING) & (R.due_at <= now) & or_(R.lease_until.is_(None), R.lease_until <= now)


# --- planning -------------------------------------------------------------------------------


async def apply_plan(
    session: AsyncSession, notice_id: int, user_id: int, plan: Sequence[PlannedLike], now: datetime,
    *, paused: bool = False, cancel_stale: bool = False,
) -> None:
    """Make the open reminders of the notice for ``user_id`` (its owner or a viewer) match ``plan``: drop the slots no longer wanted, add the
    future ones missing. Missed-but-still-wanted slots stay (they go out as a catch-up); slots
    already sent are never re-added (the unique key on notice, kind and instant refuses them).
    ``cancel_stale`` (a resolved notice that keeps some slots): the others are cancelled, not
    dropped, as when every reminder of a resolved notice stops."""
    wanted = {(p.kind, p.due_at) for p in plan}
    rows = (await session.execute(
        select(R.id, R.kind, R.due_at, R.status).where(
            R.notice_id == notice_id, R.user_id == user_id, R.status.in_((PENDING, PAUSED, CANCELLED)),
            *(() if cancel_stale else (R.kind != SNOOZE,))
        )
    )).all()
    stale = [r.id for r in rows if (r.kind, r.due_at) not in wanted]
    if stale and cancel_stale:
        await session.execute(update(Reminder).where(Reminder.id.in_(stale), Reminder.status != CANCELLED)
                              .values(status=CANCELLED, lease_until=None, claimed_by=None))
    elif stale:
        await session.execute(delete(Reminder).where(Reminder.id.in_(stale)))
    fresh = [
        {"notice_id": notice_id, "user_id": user_id, "kind": p.kind, "due_at": p.due_at,
         "priority": p.priority, "status": PAUSED if paused else PENDING, "attempts": 0, "created_at": now}
        for p in plan if p.due_at > now
    ]
    if fresh:
        insert = postgresql.insert if _is_postgres(session) else sqlite.insert
        stmt = insert(Reminder).on_conflict_do_nothing(index_elements=KEY)
        await session.execute(stmt, fresh)
    # A cancelled slot that is wanted again (the notice was reopened) becomes live again.
    revive = [r.id for r in rows if (r.kind, r.due_at) in wanted and r.due_at > now]
    if revive:
        await session.execute(
            update(Reminder).where(Reminder.id.in_(revive), Reminder.status == CANCELLED)
            .values(status=PAUSED if paused else PENDING, lease_until=None, claimed_by=None)
        )


async def add_snooze(session: AsyncSession, notice_id: int, user_id: int, at: datetime, now: datetime) -> None:
    insert = postgresql.insert if _is_postgres(session) else sqlite.insert
    await session.execute(
        insert(Reminder).on_conflict_do_nothing(index_elements=KEY),
        [{"notice_id": notice_id, "user_id": user_id, "kind": SNOOZE, "due_at": at, "priority": SNOOZE.priority,
          "status": PENDING, "attempts": 0, "created_at": now}],
    )


async def cancel_pending(session: AsyncSession, notice_id: int, user_id: int | None = None) -> None:
    """Cancel the notice's open reminders: every reader's, or only ``user_id``'s."""
    await session.execute(
        update(Reminder)
        .where(Reminder.notice_id == notice_id, Reminder.status.in_((PENDING, PAUSED)),
               *(() if user_id is None else (Reminder.user_id == user_id,)))
        .values(status=CANCELLED, lease_until=None, claimed_by=None)
    )


async def cancel_other_readers(session: AsyncSession, notice_id: int, readers: Iterable[int]) -> None:
    """Cancel the notice's open reminders of anyone not in ``readers`` (a viewer whose share was
    revoked, or whose case the notice left): nothing more goes to them."""
    await session.execute(
        update(Reminder)
        .where(Reminder.notice_id == notice_id, Reminder.status.in_((PENDING, PAUSED)),
               Reminder.user_id.not_in(sorted(set(readers))))
        .values(status=CANCELLED, lease_until=None, claimed_by=None)
    )


async def pause_user(session: AsyncSession, user_id: int) -> None:
    """The person blocked the bot: inactive, and nothing goes out until they come back."""
    await session.execute(update(User).where(User.id == user_id).values(active=False))
    await session.execute(
        update(Reminder).where(Reminder.user_id == user_id, Reminder.status == PENDING)
        .values(status=PAUSED, lease_until=None, claimed_by=None)
    )


async def unpause_user(session: AsyncSession, user_id: int) -> None:
    await session.execute(update(User).where(User.id == user_id).values(active=True))
    await session.execute(
        update(Reminder).where(Reminder.user_id == user_id, Reminder.status == PAUSED)
        .values(status=PENDING)
    )


# --- delivery -------------------------------------------------------------------------------


async def next_due(session: AsyncSession, now: datetime) -> datetime | None:
    """The earliest due instant not held by a lease: walks the (status, due_at) index in order
    and stops at the first free row (``min()`` with these filters would scan them all)."""
    return await session.scalar(
        select(R.due_at)
        .where(R.status == PENDING, or_(R.lease_until.is_(None), R.lease_until <= now))
        .order_by(R.due_at).limit(1)
    )


async def claim(session: AsyncSession, worker: str, now: datetime, lease_until: datetime, limit: int) -> list[Claimed]:
    """Lease up to ``limit`` due reminders, most urgent first, plus every other due reminder of the
    same notices (so a notice's missed reminders go out together as one message).

    One query per priority level keeps each an index range scan however large the backlog.
    PostgreSQL skips rows another worker holds (``FOR UPDATE SKIP LOCKED``); SQLite has one writer.
    """
    pg = _is_postgres(session)
    claimed: list[Claimed] = []
    for level in PRIORITIES:
        if len(claimed) >= limit:
            break
        pick = select(R.id).where(_claimable(now), R.priority == level).order_by(R.due_at).limit(limit - len(claimed))
        claimed += await _lease(session, pick, pg, worker, lease_until)
    if claimed:
        notices = sorted({c.notice_id for c in claimed})
        pick = select(R.id).where(_claimable(now), R.notice_id.in_(notices))
        claimed += await _lease(session, pick, pg, worker, lease_until)
    return claimed


async def _lease(session: AsyncSession, pick: Any, pg: bool, worker: str, lease_until: datetime) -> list[Claimed]:
    if pg:
        pick = pick.with_for_update(skip_locked=True)
    result = await session.execute(
        update(TABLE)
        .where(R.id.in_(pick.scalar_subquery()))
        .values(lease_until=lease_until, claimed_by=worker)
        .returning(R.id, R.notice_id, R.user_id, R.kind, R.due_at, R.priority, R.attempts)
    )
    return [Claimed(*row) for row in result.all()]


async def notice_rows(session: AsyncSession, notice_ids: Iterable[int]) -> dict[int, NoticeRow]:
    N, U, P = Notice.__table__.c, User.__table__.c, PaymentPlan.__table__.c
    result = await session.execute(
        select(N.id, N.code, N.respond_by, N.status, N.amount_cents, N.tax_years, N.notice_date,
               N.stated_due_date, N.abroad, U.id, U.language, U.timezone, U.active, N.respond_by_estimated,
               P.monthly_cents, P.balance_cents, P.direct_debit, N.case_id)
        .join_from(Notice.__table__, User.__table__, N.user_id == U.id)
        .outerjoin(PaymentPlan.__table__, P.notice_id == N.id)
        .where(N.id.in_(sorted(set(notice_ids))))
    )
    return {
        row[0]: NoticeRow(row[0], row[1], row[2], str(row[3]), row[4], tuple(row[5] or ()), row[6],
                          row[7], bool(row[8]), row[9], row[10], row[11], bool(row[12]), bool(row[13]),
                          row[14], row[15], row[16], row[17])
        for row in result.all()
    }


async def readers(session: AsyncSession, wanted: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Reader]:
    """For (case id, person) pairs: those who view the case through a live Telegram share now,
    with their language, zone and whether they still have the bot."""
    pairs = set(wanted)
    if not pairs:
        return {}
    S, U = CaseShare.__table__.c, User.__table__.c
    result = await session.execute(
        select(S.case_id, U.id, U.language, U.timezone, U.active)
        .join_from(CaseShare.__table__, User.__table__, S.viewer_id == U.id)
        .where(S.case_id.in_(sorted({c for c, _ in pairs})), S.viewer_id.in_(sorted({p for _, p in pairs})),
               S.revoked_at.is_(None))
    )
    return {(row[0], row[1]): Reader(row[2], row[3], bool(row[4]))
            for row in result.all() if (row[0], row[1]) in pairs}


async def mark_sent(session: AsyncSession, ids: Sequence[int], worker: str, at: datetime) -> None:
    """Record sends in one statement; only rows this worker still holds."""
    if ids:
        await session.execute(
            update(TABLE).where(R.id.in_(ids), R.claimed_by == worker)
            .values(status=SENT, sent_at=at, lease_until=None, claimed_by=None)
        )


async def release(
    session: AsyncSession, ids: Sequence[int], worker: str, retry_at: datetime | None, error: str | None,
    *, count_attempt: bool = True,
) -> None:
    """Give claimed rows back; with ``retry_at`` they stay leased (to nobody) until then, a backoff
    every worker honours."""
    if not ids:
        return
    values: dict[str, Any] = {"lease_until": retry_at, "claimed_by": None}
    if count_attempt:
        values["attempts"] = R.attempts + 1
    if error is not None:
        values["last_error"] = error[:200]
    await session.execute(
        update(TABLE).where(R.id.in_(ids), R.claimed_by == worker).values(**values)
    )


async def release_worker(session: AsyncSession, worker: str) -> None:
    """On shutdown: every lease this worker still holds becomes claimable at once."""
    await session.execute(
        update(TABLE).where(R.claimed_by == worker, R.status == PENDING)
        .values(lease_until=None, claimed_by=None)
    )


async def set_status(session: AsyncSession, ids: Sequence[int], status: str) -> None:
    if ids:
        await session.execute(
            update(TABLE).where(R.id.in_(ids), R.status == PENDING)
            .values(status=status, lease_until=None, claimed_by=None)
        )


# --- the shared send schedule (PostgreSQL) ---------------------------------------------------

_RESERVE = text("""
    INSERT INTO send_schedule AS s (name, next_at)
    VALUES (:name, extract(epoch FROM statement_timestamp()) + :span)
    ON CONFLICT (name) DO UPDATE
        SET next_at = GREATEST(s.next_at, extract(epoch FROM statement_timestamp())) + :span
    RETURNING s.next_at - :span - extract(epoch FROM statement_timestamp())
""")
_DELAY = text("""
    INSERT INTO send_schedule AS s (name, next_at)
    VALUES (:name, extract(epoch FROM statement_timestamp()) + :seconds)
    ON CONFLICT (name) DO UPDATE
        SET next_at = GREATEST(s.next_at, extract(epoch FROM statement_timestamp()) + :seconds)
""")


async def reserve_send_slots(session: AsyncSession, name: str, count: int, interval: float) -> float:
    """Reserve ``count`` send slots ``interval`` seconds apart on the shared schedule; returns in how
    many seconds the first one is (by the database's clock, so hosts' clocks need not agree)."""
    ahead = await session.scalar(_RESERVE, {"name": name, "span": count * interval})
    return max(0.0, float(ahead or 0.0))


async def delay_sends(session: AsyncSession, name: str, seconds: float) -> None:
    """Telegram said retry_after: no process reserves a slot before then."""
    await session.execute(_DELAY, {"name": name, "seconds": seconds})
