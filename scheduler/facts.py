"""A saved notice as the input of ``notices.facts.derive`` (one adapter for the card, the calendar
and the planner), and what the planner needs from the result: hard deadline, what comes next.
Planner results are cached per input because the delivery path asks for every due notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache

from notices import facts
from storage.models import Notice, NoticeStatus


@dataclass(frozen=True, slots=True)
class NoticeFacts:
    hard: bool = False
    expected: tuple[tuple[str, date], ...] = ()  # (code, the earliest day it may arrive)
    pay_by: date | None = None  # math-error notices: the payment date, apart from the dispute date


def input_of(n: Notice, *, with_status: bool = True) -> facts.NoticeInput:
    """A saved notice as plain values; its stored respond-by wins (the person confirmed it)."""
    # Without a received date, the day the notice was saved is the latest day the person had it.
    received = n.received_date or (n.created_at.date() if n.created_at else None)
    return facts.NoticeInput(
        n.code, n.notice_date, n.stated_due_date, received, bool(n.abroad),
        None if n.amount_cents is None else Decimal(n.amount_cents) / 100, tuple(n.tax_years or ()),
        status=NoticeStatus(n.status).value if with_status and n.status is not None else None,
        confirmed_respond_by=n.respond_by, confirmed_estimated=bool(n.respond_by_estimated))


def of(notice: Notice) -> NoticeFacts:
    i = input_of(notice, with_status=False)
    return compute(i.code, i.notice_date, i.printed_due, i.abroad, i.received_date)


@lru_cache(maxsize=4096)
def compute(code: str, notice_date: date | None, printed_due: date | None, abroad: bool,
            received: date | None = None) -> NoticeFacts:
    derived = facts.derive(
        facts.NoticeInput(code, notice_date, printed_due, received, abroad, status=None),
        today=received or notice_date or printed_due or datetime.now(UTC).date(),
    )
    expected = tuple((nxt.code, nxt.earliest) for nxt in derived.expected)
    return NoticeFacts(hard=derived.hard, expected=expected, pay_by=derived.pay_by)
