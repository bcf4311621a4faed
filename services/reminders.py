"""Use case on a reminder: snooze it (it comes back later, never past the deadline day)."""

from __future__ import annotations

from datetime import datetime

from scheduler.planner import Schedule, snooze_instant
from services.ownership import owned
from services.unit import Unit
from storage import reminders as store
from storage.models import User


async def snooze(u: Unit, user_id: int, notice_id: int, days: int) -> datetime | None:
    """The instant the reminder comes back, or None when there is no time left to snooze into
    (a resolved notice, or the deadline day already here)."""
    notice = await owned(u.session, user_id, notice_id)
    user = await u.session.get(User, notice.user_id)
    assert user is not None
    now = u.now()
    at = snooze_instant(now, days, notice.respond_by, Schedule.of(user)) if notice.is_open else None
    if at is None:
        return None
    await store.add_snooze(u.session, notice.id, user.id, at, now)
    await u.commit(at=at)
    return at
