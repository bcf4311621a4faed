"""From claimed reminder rows to messages: one per notice and reader (the owner, or a viewer of a
shared case), and which rows go no further (their notice's status no longer sends them, the viewer
lost access, the reader has blocked the bot)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from notices.reminder_kinds import kind_of
from scheduler import facts, planner
from scheduler.items import DueItem
from storage import reminders as store


@dataclass
class Job:
    item: DueItem
    attempts: int
    priority: int


@dataclass
class Sorted:
    jobs: list[Job] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)  # never to be sent
    paused: list[int] = field(default_factory=list)  # the reader blocked the bot


def sort_claimed(claimed: list[store.Claimed], rows: dict[int, store.NoticeRow],
                 readers: dict[tuple[int, int], store.Reader], now: datetime, catch_up_after: timedelta) -> Sorted:
    """Group the claimed rows into one message per (notice, reader), most urgent first.

    A viewer's row goes out only while ``readers`` (read in the same transaction as the claim) says
    their share is live: a revoke stops a copy even if it is already due.
    """
    out = Sorted()
    groups: dict[tuple[int, int], list[store.Claimed]] = defaultdict(list)
    for c in claimed:
        groups[(c.notice_id, c.user_id)].append(c)
    for (notice_id, user_id), group in groups.items():
        row = rows.get(notice_id)
        # Slots its status no longer sends (resolved meanwhile; planner.sendable) are cancelled.
        keep = [c for c in group if row is not None and planner.sendable(row.status, c.kind)]
        viewer = row is not None and user_id != row.user_id
        reader = readers.get((row.case_id, user_id)) if row is not None and viewer else None
        if viewer and reader is None:
            keep = []  # no longer shared with this person
        out.cancelled += [c.id for c in group if c not in keep]
        if row is None or not keep:
            continue
        if (reader.active if reader is not None else row.active):
            out.jobs.append(job(row, keep, now, catch_up_after, user_id, reader))
        else:
            out.paused += [c.id for c in keep]
    out.jobs.sort(key=lambda j: (j.priority, j.item.due_at))  # the most urgent first in a backlog
    return out


def viewer_pairs(claimed: list[store.Claimed], rows: dict[int, store.NoticeRow]) -> set[tuple[int, int]]:
    """(case id, person) of every claimed row that is a viewer's copy."""
    return {(rows[c.notice_id].case_id, c.user_id) for c in claimed
            if c.notice_id in rows and c.user_id != rows[c.notice_id].user_id}


def job(row: store.NoticeRow, group: list[store.Claimed], now: datetime, catch_up_after: timedelta,
        user_id: int, reader: store.Reader | None = None) -> Job:
    """One message to ``user_id`` about the notice: its owner, or a viewer (``reader``: their
    language and zone; the message is read-only)."""
    group.sort(key=lambda c: (c.priority, c.due_at))
    due_at = min(c.due_at for c in group)
    fact = facts.compute(row.code, row.notice_date, row.stated_due_date, row.abroad)
    language, timezone = (reader.language, reader.timezone) if reader else (row.language, row.timezone)
    item = DueItem(
        reminder_ids=tuple(c.id for c in group),
        kinds=tuple(dict.fromkeys(kind_of(c.kind) for c in group)),
        due_at=due_at,
        catch_up=now - due_at > catch_up_after,
        user_id=user_id,
        chat_id=user_id,
        language=language,
        timezone=timezone,
        today=planner.local_today(now, timezone),
        notice_id=row.notice_id,
        code=row.code,
        respond_by=row.respond_by,
        status=row.status,
        amount_cents=row.amount_cents,
        tax_years=row.tax_years,
        hard=fact.hard,
        estimated=row.respond_by_estimated,
        pay_by=fact.pay_by,
        plan_monthly_cents=row.plan_monthly_cents,
        plan_balance_cents=row.plan_balance_cents,
        plan_direct_debit=row.plan_direct_debit,
        case_id=row.case_id,
        viewer=reader is not None,
    )
    return Job(item, max(c.attempts for c in group), group[0].priority)
