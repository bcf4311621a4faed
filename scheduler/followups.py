"""Follow-ups the bot schedules itself (issue 16), worked out from the notice's history each time
the notice is re-planned, so the database stays the truth and they survive restarts:

- a letter logged as sent (a dispute, an abatement request, a CP2000 reply): "did the IRS answer?"
  30 and 60 days after it was sent ("fu:l30:<sent>", "fu:l60:<sent>");
- a logged call with a date the IRS gave ("call back after Dec 15"): that morning ("fu:c:<date>").

"The IRS answered" (an ``answered`` event) ends the follow-ups of everything logged before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storage.models import NoticeStatus

PREFIX = "fu"
LETTER_DAYS = (30, 60)
EVENT_KINDS = ("letter", "call", "answered")
# A follow-up still matters while the matter is open, disputed or paid under a plan.
STATUSES = frozenset({NoticeStatus.OPEN, NoticeStatus.DISPUTED, NoticeStatus.PLAN})


@dataclass(frozen=True, slots=True)
class FollowUp:
    what: str  # "letter" | "call"
    on: date  # the day the letter was sent, or the date the IRS gave on the call
    days: int = 0  # days since the letter (30 or 60); 0 for a call


def letter_kind(days: int, sent: date) -> str:
    return f"{PREFIX}:l{days}:{sent.isoformat()}"


def call_kind(day: date) -> str:
    return f"{PREFIX}:c:{day.isoformat()}"


def is_followup(kind: str) -> bool:
    return kind.startswith(PREFIX + ":")


def parse(kind: str) -> FollowUp | None:
    parts = kind.split(":")
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    try:
        on = date.fromisoformat(parts[2])
    except ValueError:
        return None
    if parts[1] == "c":
        return FollowUp("call", on)
    if parts[1][:1] == "l" and parts[1][1:].isdigit():
        return FollowUp("letter", on, int(parts[1][1:]))
    return None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None  # an old or hand-edited entry: no follow-up rather than a failure


def wanted(events: Iterable[tuple[str, dict[str, Any], date]]) -> list[tuple[str, date]]:
    """(kind, local day) of every follow-up the history asks for; ``events`` are (kind, data, the
    local day it was recorded). Past days are returned too: the caller only adds future ones."""
    items = list(events)
    answered = max((day for kind, _data, day in items if kind == "answered"), default=None)
    out: list[tuple[str, date]] = []
    for kind, data, _recorded in items:
        if kind == "letter" and (sent := _day(data.get("date"))) is not None:
            if answered is None or answered < sent:
                out += [(letter_kind(days, sent), sent + timedelta(days=days)) for days in LETTER_DAYS]
        elif kind == "call" and (back := _day(data.get("callback"))) is not None:
            called = _day(data.get("date"))
            if answered is None or called is None or answered < called:
                out.append((call_kind(back), back))
    return out
