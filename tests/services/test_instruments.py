"""services.instruments.log_sent: the sending on record (number redacted of identifiers), an open
notice disputed, a follow-up only after a Form 12153, and another person's notice refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from services import instruments as use_case
from storage.models import Notice, NoticeEvent, NoticeStatus, Reminder, User

NOW = datetime(2026, 11, 21, 15, tzinfo=UTC)


async def _notice(session, code: str, status: NoticeStatus = NoticeStatus.OPEN) -> Notice:  # type: ignore[no-untyped-def]
    if await session.get(User, 1) is None:
        session.add(User(id=1))
        await session.flush()
    n = Notice(user_id=1, code=code, notice_date=date(2026, 11, 16), respond_by=date(2026, 12, 16), status=status)
    session.add(n)
    await session.flush()
    return n


@pytest.mark.parametrize("text,stored", [
    ("9407 1118 9876 5432 1098 76", "9407 1118 9876 5432 1098 76"),
    ("  9407111898765432109876 ", "9407111898765432109876"),
    ("re123456789us", "RE123456789US"),
    ("123-45-6789", None),  # an SSN is never a tracking number
    ("lost it", None),
    ("", None),
])
def test_clean_tracking(text: str, stored: str | None) -> None:
    assert use_case.clean_tracking(text) == stored


async def test_log_sent_records_disputes_and_plans_the_follow_up(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        n = await _notice(s, "LT11")
        done = await use_case.log_sent(s, 1, n.id, date(2026, 11, 20), "9407 1118 9876 5432 1098 76", NOW)
        assert done.status_changed and done.follow_up == date(2026, 12, 20) and done.kind == "hearing"
    async with sessionmaker() as s:  # committed
        assert (await s.get(Notice, n.id)).status == NoticeStatus.DISPUTED
        [event] = (await s.scalars(select(NoticeEvent).where(NoticeEvent.kind == "instrument"))).all()
        assert event.data == {"instrument": "hearing", "sent_on": "2026-11-20",
                              "tracking": "9407 1118 9876 5432 1098 76", "follow_up": "2026-12-20"}
        kinds = set((await s.scalars(select(Reminder.kind).where(Reminder.notice_id == n.id,
                                                                  Reminder.status == "pending"))).all())
        assert "followup:hearing" in kinds and "day" in kinds


async def test_a_tax_court_petition_has_no_follow_up_and_a_paid_notice_stays_paid(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        n = await _notice(s, "CP3219A", NoticeStatus.PAID)
        done = await use_case.log_sent(s, 1, n.id, date(2026, 11, 20), None, NOW)
        assert done.kind == "court" and done.follow_up is None and not done.status_changed
        assert (await s.get(Notice, n.id)).status == NoticeStatus.PAID


async def test_another_persons_notice_is_refused(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        n = await _notice(s, "LT11")
        with pytest.raises(use_case.NotYours):
            await use_case.log_sent(s, 2, n.id, date(2026, 11, 20), None, NOW)
        assert not (await s.scalars(select(NoticeEvent).where(NoticeEvent.kind == "instrument"))).all()
