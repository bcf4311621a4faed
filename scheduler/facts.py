"""What the domain core knows about a notice that the planner needs: hard deadline, what comes next.

``notices.deadlines.compute`` is pure; results are cached per input because the delivery path
asks for every due notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from storage.models import Notice


@dataclass(frozen=True, slots=True)
class NoticeFacts:
    hard: bool = False
    expected: tuple[tuple[str, date], ...] = ()  # (code, the earliest day it may arrive)


def of(notice: Notice) -> NoticeFacts:
    return compute(notice.code, notice.notice_date, notice.stated_due_date, notice.abroad)


@lru_cache(maxsize=4096)
def compute(code: str, notice_date: date | None, printed_due: date | None, abroad: bool) -> NoticeFacts:
    if notice_date is None:
        return NoticeFacts()
    from notices import deadlines  # the domain core; imported late to keep scheduler import light

    try:
        deadline = deadlines.compute(code, notice_date, printed_due=printed_due, abroad=abroad)
    except ValueError:  # inconsistent dates on file: plain date reminders only
        return NoticeFacts()
    expected = tuple((nxt.code, nxt.earliest) for nxt in deadline.next)
    return NoticeFacts(hard=deadline.hard_deadline, expected=expected)
