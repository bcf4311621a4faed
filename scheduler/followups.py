"""Follow-ups the bot schedules itself (issue 16), worked out from the notice's history each time
the notice is re-planned, so the database stays the truth and they survive restarts:

- a letter logged as sent (a dispute, an abatement request, a CP2000 reply): "did the IRS answer?"
  30 and 60 days after it was sent ("letter:30:<sent>", "letter:60:<sent>");
- a logged call with a date the IRS gave ("call back after Dec 15"): that morning ("callback:<date>");
- an instrument logged as mailed (Form 12153): the check-in on its ``follow_up`` day ("followup:hearing").

"The IRS answered" (an ``answered`` event) ends the follow-ups of letters and calls logged before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from notices.reminder_kinds import ReminderKind
from storage.models import NoticeStatus

LETTER_DAYS = (30, 60)
EVENT_KINDS = ("letter", "call", "answered", "instrument")
# A follow-up still matters while the matter is open, disputed or paid under a plan.
STATUSES = frozenset({NoticeStatus.OPEN, NoticeStatus.DISPUTED, NoticeStatus.PLAN})


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None  # an old or hand-edited entry: no follow-up rather than a failure


def wanted(events: Iterable[tuple[str, dict[str, Any], date]]) -> list[tuple[ReminderKind, date]]:
    """(kind, local day) of every follow-up the history asks for; ``events`` are (kind, data, the
    local day it was recorded). Past days are returned too: the caller only adds future ones."""
    items = list(events)
    answered = max((day for kind, _data, day in items if kind == "answered"), default=None)
    out: list[tuple[ReminderKind, date]] = []
    for kind, data, _recorded in items:
        if kind == "letter" and (sent := _day(data.get("date"))) is not None:
            if answered is None or answered < sent:
                out += [(ReminderKind.letter(days, sent), sent + timedelta(days=days)) for days in LETTER_DAYS]
        elif kind == "call" and (back := _day(data.get("callback"))) is not None:
            called = _day(data.get("date"))
            if answered is None or called is None or answered < called:
                out.append((ReminderKind.callback(back), back))
        elif kind == "instrument" and (check := _day(data.get("follow_up"))) is not None:
            out.append((ReminderKind.follow_up(str(data.get("instrument"))), check))
    return sorted(set(out), key=lambda kd: (kd[1], kd[0]))  # an instrument logged twice: one check-in
