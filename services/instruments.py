"""Use case: the person logs that they sent the instrument that keeps their right (Form 12153, a Tax
Court petition, the 60-day abatement request, a dispute letter).

The event keeps the date and the certified-mail or confirmation number (redacted of identifiers);
an open notice becomes "disputed" (a hard one keeps its reminders up to the hard date, see
``scheduler.planner``), and a Form 12153 gets a follow-up reminder ``FOLLOW_UP_DAYS`` later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from notices import instruments
from notices.instruments import Kind
from notices.redact import redact
from scheduler.planner import replan_notice
from services.ownership import owned
from services.unit import Unit
from storage import notices as store
from storage.models import Notice, NoticeEvent, NoticeStatus

EVENT = "instrument"  # NoticeEvent.kind
# A USPS certified-mail number is 20-22 digits; international registered mail looks like RE123456789US.
_TRACKING = re.compile(r"^[A-Z0-9][A-Z0-9 -]{8,40}$")


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


async def log_sent(u: Unit, user_id: int, notice_id: int, sent_on: date, tracking: str | None) -> Sent:
    """Record the sending, mark an open notice disputed, re-plan its reminders, commit once, wake."""
    notice = await owned(u.session, user_id, notice_id)
    now = u.now()
    kind = instruments.kind_of(notice.code)
    number = clean_tracking(tracking) if tracking else None
    follow_up = instruments.follow_up_day(sent_on) if kind == Kind.HEARING else None
    data = {"instrument": kind.value, "sent_on": sent_on.isoformat()}
    if number:
        data["tracking"] = number
    if follow_up:
        data["follow_up"] = follow_up.isoformat()
    u.session.add(NoticeEvent(notice_id=notice.id, kind=EVENT, at=now, data=data))
    changed = False
    if notice.status == NoticeStatus.OPEN:
        changed = await store.set_status(u.session, notice, NoticeStatus.DISPUTED, now, via=EVENT)
    await u.session.flush()
    await replan_notice(u.session, notice.id, now)
    await u.commit(wake=True)
    return Sent(notice, kind, sent_on, number, follow_up, changed)
