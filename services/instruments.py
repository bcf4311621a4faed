"""Use case: the person logs that they sent the instrument that keeps their right (Form 12153, a Tax
Court petition, the 60-day abatement request, a dispute letter).

The event keeps the date and the certified-mail or confirmation number (redacted of identifiers);
an open notice becomes "disputed" (a hard one keeps its reminders up to the hard date, see
``scheduler.planner``), and a Form 12153 gets a follow-up reminder ``FOLLOW_UP_DAYS`` later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notices import instruments
from notices.instruments import Kind
from notices.redact import redact
from scheduler.planner import replan_notice
from storage import notices as store
from storage.models import Notice, NoticeEvent, NoticeStatus

EVENT = "instrument"  # NoticeEvent.kind
# A USPS certified-mail number is 20-22 digits; international registered mail looks like RE123456789US.
_TRACKING = re.compile(r"^[A-Z0-9][A-Z0-9 -]{8,40}$")


class NotYours(LookupError):
    """The notice does not exist or belongs to someone else (deliberately the same answer)."""


def clean_tracking(text: str) -> str | None:
    """The number as stored: identifiers removed, spaces normalised; None when it is not a number."""
    cleaned = " ".join(redact(text or "").text.upper().split())
    if "REDACTED" in cleaned or not _TRACKING.match(cleaned) or sum(c.isdigit() for c in cleaned) < 8:
        return None
    return cleaned


@dataclass(frozen=True)
class Sent:
    notice: Notice
    kind: Kind
    sent_on: date
    tracking: str | None
    follow_up: date | None  # when the bot checks in (Form 12153 only)
    status_changed: bool


async def log_sent(session: AsyncSession, user_id: int, notice_id: int, sent_on: date, tracking: str | None,
                   now: datetime) -> Sent:
    """Record the sending, mark an open notice disputed, re-plan its reminders; commits once.

    The caller wakes the reminder engine after this returns (the commit has happened)."""
    notice = await store.get_owned(session, user_id, notice_id)
    if notice is None:
        raise NotYours(notice_id)
    kind = instruments.kind_of(notice.code)
    number = clean_tracking(tracking) if tracking else None
    follow_up = instruments.follow_up_day(sent_on) if kind == Kind.HEARING else None
    data = {"instrument": kind.value, "sent_on": sent_on.isoformat()}
    if number:
        data["tracking"] = number
    if follow_up:
        data["follow_up"] = follow_up.isoformat()
    session.add(NoticeEvent(notice_id=notice.id, kind=EVENT, at=now, data=data))
    changed = False
    if notice.status == NoticeStatus.OPEN:
        changed = await store.set_status(session, notice, NoticeStatus.DISPUTED, now)
    await session.flush()
    await replan_notice(session, notice.id, now)
    await session.commit()
    return Sent(notice, kind, sent_on, number, follow_up, changed)
